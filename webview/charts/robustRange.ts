/**
 * The y range of a chart fitted to what is visible, so that a few extreme episodes (the first
 * ones of a run, before anything was learnt) do not squash everything else into a flat band.
 * Tukey's fences: the middle half of the values (the interquartile range) widened by twice its
 * width on each side, never beyond the data. Whatever falls outside is clipped and counted, and
 * the chart marks it at the edge. Few values, or values without spread, are shown whole.
 *
 * A reference value (the environment's "solved" threshold) joins the range only when the data
 * come near it: when the gap between it and the data is at most REFERENCE_REACH times the fitted
 * data's own span, so that the data keep at least a quarter of the axis. Put as a learning curve's
 * progress: once the best return (or evaluation) has come a quarter of the way from the bulk's
 * bottom to the threshold. Further away (HalfCheetah's first episodes around 0 under a threshold of
 * 4,800), the axis follows the data and the chart marks the threshold at the edge instead.
 */

export interface FittedRange {
  min: number;
  max: number;
  /** Values below `min` and above `max` (not drawn inside the plot). */
  below: number;
  above: number;
  /** Where the reference value lies: inside [min, max], or beyond the axis above or below; null without one. */
  reference: 'inside' | 'above' | 'below' | null;
}

/** A value to show when the data come near it. */
export interface RangeReference {
  value: number;
  /**
   * Values that count as data coming near it without being fitted (the visible evaluation means:
   * a deterministic policy often scores above its noisy training episodes).
   */
  reachedBy?: ArrayLike<number>;
}

/**
 * The reference joins the range when its gap to the data is at most this many times the data's
 * span: then the data fill at least 1 / (1 + REFERENCE_REACH) of the axis. Three keeps the
 * line in view for a Pendulum run's first episodes (−1,650…−1,180 under −200: a gap of 2.1
 * spans) and leaves it out of HalfCheetah's (−500…+250 under 4,800: 6 spans).
 */
export const REFERENCE_REACH = 3;

/** Below this many values every one of them counts: there is no crowd to protect from outliers. */
const MIN_VALUES_TO_CLIP = 20;
const FENCE_IQRS = 2;
/** Empty space above and below the data, as a share of the range. */
const PADDING = 0.06;
/** Quantiles are estimated from at most this many values (evenly strided): sorting stays cheap. */
const MAX_SAMPLE = 20_000;

let scratch = new Float64Array(1024);

function sampleSorted(values: ArrayLike<number>, count: number): Float64Array {
  const stride = Math.max(1, Math.ceil(count / MAX_SAMPLE));
  const size = Math.ceil(count / stride);
  if (scratch.length < size) scratch = new Float64Array(Math.max(size, scratch.length * 2));
  const sample = scratch.subarray(0, size);
  for (let i = 0, j = 0; i < count; i += stride, j++) sample[j] = values[i];
  return sample.sort();
}

function quantile(sorted: Float64Array, p: number): number {
  const at = p * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** Log axes have few ticks: bounds on 1, 2 or 5 times a power of ten read like ticks. */
function roundOutwardInDecades(logMin: number, logMax: number): [number, number] {
  const down = (v: number) => {
    const power = Math.floor(v);
    const mantissa = 10 ** (v - power);
    return power + Math.log10(mantissa >= 5 ? 5 : mantissa >= 2 ? 2 : 1);
  };
  const up = (v: number) => {
    const power = Math.floor(v);
    const mantissa = 10 ** (v - power);
    return mantissa <= 1 + 1e-9 ? v : power + Math.log10(mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10);
  };
  return [down(logMin), up(logMax)];
}

/**
 * Whether a reference value is near enough to data fitted to [low, high] to join their range.
 * No data: it is all there is to show.
 */
export function referenceIsNear(low: number, high: number, reference: RangeReference): boolean {
  if (!(low <= high)) return true;
  let nearLow = low;
  let nearHigh = high;
  const reached = reference.reachedBy ?? [];
  for (let i = 0; i < reached.length; i++) {
    if (reached[i] < nearLow) nearLow = reached[i];
    if (reached[i] > nearHigh) nearHigh = reached[i];
  }
  const value = reference.value;
  const gap = value > nearHigh ? value - nearHigh : value < nearLow ? nearLow - value : 0;
  // Data without spread (one episode) are measured by the padding they get below.
  const span = high > low ? high - low : Math.max(Math.abs(high) * 0.05, 1);
  return gap <= REFERENCE_REACH * span;
}

/**
 * @param values the visible values (the first `count` of the array are used)
 * @param reference a value to include when the data come near it (a "solved" threshold; referenceIsNear)
 * @returns null when there is nothing to fit
 */
export function robustRange(
  values: ArrayLike<number>,
  count: number,
  reference: RangeReference | null = null,
  round: (min: number, max: number) => [number, number] = (min, max) => [min, max],
): FittedRange | null {
  if (count === 0 && reference === null) return null;
  let dataMin = Infinity;
  let dataMax = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v < dataMin) dataMin = v;
    if (v > dataMax) dataMax = v;
  }
  let low = dataMin;
  let high = dataMax;
  if (count >= MIN_VALUES_TO_CLIP) {
    const sorted = sampleSorted(values, count);
    const q1 = quantile(sorted, 0.25);
    const q3 = quantile(sorted, 0.75);
    const iqr = q3 - q1;
    if (iqr > 0) {
      low = Math.max(dataMin, q1 - FENCE_IQRS * iqr);
      high = Math.min(dataMax, q3 + FENCE_IQRS * iqr);
    }
  }
  if (reference && referenceIsNear(low, high, reference)) {
    low = Math.min(low, reference.value);
    high = Math.max(high, reference.value);
  }
  const span = high - low;
  const pad = span > 0 ? span * PADDING : Math.max(Math.abs(high) * 0.05, 1);
  const [min, max] = round(low - pad, high + pad);
  let below = 0;
  let above = 0;
  for (let i = 0; i < count; i++) {
    if (values[i] < min) below++;
    else if (values[i] > max) above++;
  }
  const side = !reference ? null : reference.value > max ? 'above' : reference.value < min ? 'below' : 'inside';
  return { min, max, below, above, reference: side };
}

/** The same fit on a log axis: fitted in decades, positive values only (log axes cannot show others). */
export function robustLogRange(values: ArrayLike<number>, count: number): FittedRange | null {
  const logs = new Float64Array(count);
  let positive = 0;
  for (let i = 0; i < count; i++) if (values[i] > 0) logs[positive++] = Math.log10(values[i]);
  const fitted = robustRange(logs, positive, null, roundOutwardInDecades);
  return fitted && { ...fitted, min: 10 ** fitted.min, max: 10 ** fitted.max };
}
