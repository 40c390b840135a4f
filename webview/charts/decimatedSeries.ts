/**
 * Chart series that stay cheap however long a run gets. Rebuilding every point of every series
 * on each redraw cost the page hundreds of thousands of objects a second after ~50k episodes
 * (and 100–400 ms garbage-collection pauses). Here each series takes only the rows appended since
 * the last redraw, O(1) each, and keeps at most a fixed number of buckets: when they fill up,
 * neighbours merge and a bucket covers twice as many points. Each bucket is drawn by its first,
 * lowest, highest and last point, so the spread of noisy returns stays visible (min-max
 * decimation) and the line still ends at the newest point.
 */

import type { XYPoint } from './series';

interface Bucket {
  count: number;
  first: XYPoint;
  min: XYPoint;
  max: XYPoint;
  last: XYPoint;
}

/** Buckets kept per series: up to 4 points each, so at most ~2,000 points for Chart.js to draw. */
export const DEFAULT_BUCKETS = 512;

export class MinMaxSeries {
  private buckets: Bucket[] = [];
  private bucketSize = 1;
  private appended = 0;

  constructor(private readonly maxBuckets = DEFAULT_BUCKETS) {
    if (!Number.isInteger(maxBuckets) || maxBuckets < 2) throw new RangeError(`maxBuckets must be an integer ≥ 2, got ${maxBuckets}`);
  }

  /** Points appended so far (not the number drawn). */
  get length(): number {
    return this.appended;
  }

  /** Appends a point; x must not decrease. */
  push(x: number, y: number): void {
    const point = { x, y };
    this.appended++;
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.count < this.bucketSize) {
      last.count++;
      if (y < last.min.y) last.min = point;
      if (y > last.max.y) last.max = point;
      last.last = point;
      return;
    }
    this.buckets.push({ count: 1, first: point, min: point, max: point, last: point });
    if (this.buckets.length > this.maxBuckets) this.mergeNeighbours();
  }

  /** A fresh array (Chart.js keeps a reference to what it is given) of the points to draw, in x order. */
  points(): XYPoint[] {
    const out: XYPoint[] = [];
    for (const bucket of this.buckets) {
      const [low, high] = bucket.min.x <= bucket.max.x ? [bucket.min, bucket.max] : [bucket.max, bucket.min];
      for (const point of [bucket.first, low, high, bucket.last]) {
        if (out[out.length - 1] !== point) out.push(point);
      }
    }
    return out;
  }

  private mergeNeighbours(): void {
    const merged: Bucket[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i];
      const b = this.buckets[i + 1];
      if (!b) {
        merged.push(a);
        continue;
      }
      merged.push({
        count: a.count + b.count,
        first: a.first,
        min: b.min.y < a.min.y ? b.min : a.min,
        max: b.max.y > a.max.y ? b.max : a.max,
        last: b.last,
      });
    }
    this.buckets = merged;
    this.bucketSize *= 2;
  }
}

/**
 * A decimated series fed from a growing array of rows: sync() appends the rows added since the
 * last call. Given a different array, or a shorter one (curves cut at a checkpoint), it starts
 * over from that array's first row.
 */
export class RowSeries<Row> {
  private source: readonly Row[] | null = null;
  private consumed = 0;
  private series: MinMaxSeries;

  constructor(
    /** Appends the point(s) of one row (or none: warm-up episodes have no loss). */
    private readonly add: (series: MinMaxSeries, row: Row) => void,
    /** Clears whatever running state `add` keeps (a moving average's window). */
    private readonly onReset: () => void = () => {},
    private readonly maxBuckets = DEFAULT_BUCKETS,
  ) {
    this.series = new MinMaxSeries(maxBuckets);
  }

  /** Forgets everything (the mapping from rows to points changed: axis, window, scale). */
  reset(): void {
    this.source = null;
    this.consumed = 0;
    this.series = new MinMaxSeries(this.maxBuckets);
    this.onReset();
  }

  sync(rows: readonly Row[]): this {
    if (rows !== this.source || rows.length < this.consumed) {
      this.reset();
      this.source = rows;
    }
    for (; this.consumed < rows.length; this.consumed++) this.add(this.series, rows[this.consumed]);
    return this;
  }

  points(): XYPoint[] {
    return this.series.points();
  }
}
