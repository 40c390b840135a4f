/**
 * The few numpy operations Gymnasium's MuJoCo classes apply to MuJoCo's numbers, with numpy's
 * rounding: a reward term summed in another order differs in its last bits.
 */

/** numpy's np.clip for one value. */
export function clip(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/**
 * numpy's np.sum of a contiguous float64 vector, bit for bit: below 8 elements a plain left-to-right
 * sum; from 8 to 128, eight interleaved partial sums combined pairwise, then the remainder (numpy's
 * pairwise_sum). Ant's 8 actions and 84 contact forces take the second path.
 */
export function numpySum(values: ArrayLike<number>): number {
  return pairwiseSum(values, 0, values.length);
}

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += a[start + i];
    return sum;
  }
  if (n <= 128) {
    const r = [a[start], a[start + 1], a[start + 2], a[start + 3], a[start + 4], a[start + 5], a[start + 6], a[start + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) sum += a[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(a, start, half) + pairwiseSum(a, start + half, n - half);
}

/** np.sum(np.square(values)). */
export function sumOfSquares(values: ArrayLike<number>): number {
  if (values.length >= 8) return numpySum(Array.from(values, (v) => v * v));
  // numpy's short path, without the array of squares (this runs every step).
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}
