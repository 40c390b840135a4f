// Small SIMD building blocks shared by the matrix kernels and the optimizer.

/**
 * acc + a·b on four lanes. With the relaxed-SIMD feature this is one fused multiply-add
 * instruction where the CPU has one (it may round once instead of twice; both are within the
 * engines' agreement tolerance); otherwise a separate multiply and add.
 */
@inline
export function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, acc);
  } else {
    return f32x4.add(acc, f32x4.mul(a, b));
  }
}

/** [Σ lanes of a0, Σ a1, Σ a2, Σ a3]: four horizontal sums with six shuffles and three adds. */
@inline
export function sumLanes4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
  const t1 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
}

/** Σ of the four lanes. */
@inline
export function sumLanes(a: v128): f32 {
  const t = f32x4.add(a, v128.shuffle<f32>(a, a, 2, 3, 0, 1));
  return f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1);
}

/** All-ones in the first `count` lanes (0…4), zero in the rest: masks the ragged end of a row. */
@inline
export function firstLanesMask(count: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count));
}

/**
 * Stores the first `count` lanes of v at ptr (all four when count ≥ 4), so that a row whose width
 * is not a multiple of four is written without touching the element after it.
 */
@inline
export function storeFirstLanes(ptr: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(ptr, v);
  } else {
    store<f32>(ptr, f32x4.extract_lane(v, 0));
    if (count > 1) store<f32>(ptr, f32x4.extract_lane(v, 1), 4);
    if (count > 2) store<f32>(ptr, f32x4.extract_lane(v, 2), 8);
  }
}

/** max(v, 0) per lane. */
@inline
export function relu4(v: v128): v128 {
  return f32x4.pmax(v, f32x4.splat(0));
}

/** v where gate > 0, else 0: the ReLU derivative applied to an incoming gradient. */
@inline
export function keepWherePositive(v: v128, gate: v128): v128 {
  return v128.and(v, f32x4.gt(gate, f32x4.splat(0)));
}
