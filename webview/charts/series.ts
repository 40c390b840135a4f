/**
 * Turns metric rows into chart points. Episode series are incremental and decimated (a series
 * object per chart line, rebuilt when the axis or a view setting changes); evaluations are few and
 * mapped whole. Chart.js gets fresh arrays on every redraw (with its decimation on, pushing into
 * dataset.data would write into the decimated copy, chartjs/Chart.js#11929).
 */

import type { EpisodeRow, EvalRow } from '../../src/shared/protocol';
import type { XAxisKind } from '../viewState';
import { RowSeries } from './decimatedSeries';
import { metricValue } from './metrics';

export interface XYPoint {
  x: number;
  y: number;
}

export interface EvalPoint extends XYPoint {
  std: number;
  episodes: number;
}

export const xOf = (row: EpisodeRow | EvalRow, axis: XAxisKind): number => (axis === 'episode' ? row.episode : row.step);

/** Every episode's return, decimated (decimatedSeries.ts). */
export function returnSeries(axis: XAxisKind): RowSeries<EpisodeRow> {
  return new RowSeries<EpisodeRow>((series, row) => series.push(xOf(row, axis), row.return));
}

/** Trailing mean over the last `window` episodes (fewer at the start), decimated. */
export function movingAverageSeries(axis: XAxisKind, window: number): RowSeries<EpisodeRow> {
  const recent: number[] = [];
  let sum = 0;
  return new RowSeries<EpisodeRow>(
    (series, row) => {
      recent.push(row.return);
      sum += row.return;
      if (recent.length > window) sum -= recent.shift()!;
      series.push(xOf(row, axis), sum / recent.length);
    },
    () => {
      recent.length = 0;
      sum = 0;
    },
  );
}

export function evalPoints(rows: readonly EvalRow[], axis: XAxisKind): EvalPoint[] {
  return rows.map((row) => ({ x: xOf(row, axis), y: row.mean, std: row.std, episodes: row.returns.length }));
}

/**
 * One per-episode metric (metrics.ts), decimated, skipping rows without a value (warm-up episodes
 * have no loss). On a log scale non-positive values cannot be placed and are skipped too.
 */
export function metricSeries(axis: XAxisKind, key: string, positiveOnly: boolean): RowSeries<EpisodeRow> {
  return new RowSeries<EpisodeRow>((series, row) => {
    const value = metricValue(row, key);
    if (value !== null && !(positiveOnly && value <= 0)) series.push(xOf(row, axis), value);
  });
}

/** The rows [from, to) of a range (rowIndexRange) as points, every one of them: zoomed in, detail beats decimation. */
export function rowPoints(
  rows: readonly EpisodeRow[],
  from: number,
  to: number,
  axis: XAxisKind,
  valueOf: (row: EpisodeRow) => number | null,
): XYPoint[] {
  const points: XYPoint[] = [];
  for (let i = from; i < to; i++) {
    const y = valueOf(rows[i]);
    if (y !== null) points.push({ x: xOf(rows[i], axis), y });
  }
  return points;
}

/** The trailing moving average at rows [from, to), each over the `window` rows ending there, as movingAverageSeries computes it. */
export function movingAveragePoints(rows: readonly EpisodeRow[], from: number, to: number, axis: XAxisKind, window: number): XYPoint[] {
  const points: XYPoint[] = [];
  const first = Math.max(0, from - window + 1);
  let sum = 0;
  for (let i = first; i < to; i++) {
    sum += rows[i].return;
    if (i - window >= first) sum -= rows[i - window].return;
    if (i >= from) points.push({ x: xOf(rows[i], axis), y: sum / Math.min(window, i + 1) });
  }
  return points;
}

/** The index range [from, to) of the rows whose x lies in [min, max]; rows are sorted by x. */
export function rowIndexRange(rows: readonly (EpisodeRow | EvalRow)[], axis: XAxisKind, min: number, max: number): [number, number] {
  const firstAtLeast = (x: number, strict: boolean) => {
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const value = xOf(rows[mid], axis);
      if (strict ? value <= x : value < x) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return [firstAtLeast(min, false), firstAtLeast(max, true)];
}

/** Rows up to and including an environment step (inspecting a checkpoint cuts the curves there). */
export function rowsUpToStep<T extends { step: number }>(rows: readonly T[], step: number | null): readonly T[] {
  if (step === null) return rows;
  let end = rows.length;
  while (end > 0 && rows[end - 1].step > step) end--;
  return end === rows.length ? rows : rows.slice(0, end);
}
