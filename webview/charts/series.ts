/**
 * Turns metric rows into chart points. Pure functions over the dashboard's own arrays: Chart.js
 * gets fresh arrays on every redraw (with decimation on, pushing into dataset.data would write into
 * the decimated copy, chartjs/Chart.js#11929).
 */

import type { EpisodeRow, EvalRow } from '../../src/protocol';
import type { XAxisKind } from '../viewState';

export interface XYPoint {
  x: number;
  y: number;
}

export interface EvalPoint extends XYPoint {
  std: number;
  episodes: number;
}

const xOf = (row: EpisodeRow | EvalRow, axis: XAxisKind) => (axis === 'episode' ? row.episode : row.step);

export function returnPoints(rows: readonly EpisodeRow[], axis: XAxisKind): XYPoint[] {
  return rows.map((row) => ({ x: xOf(row, axis), y: row.return }));
}

/** Trailing mean over the last `window` episodes (fewer at the start), in one pass. */
export function movingAveragePoints(rows: readonly EpisodeRow[], axis: XAxisKind, window: number): XYPoint[] {
  const points: XYPoint[] = [];
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    sum += rows[i].return;
    if (i >= window) sum -= rows[i - window].return;
    points.push({ x: xOf(rows[i], axis), y: sum / Math.min(i + 1, window) });
  }
  return points;
}

export function evalPoints(rows: readonly EvalRow[], axis: XAxisKind): EvalPoint[] {
  return rows.map((row) => ({ x: xOf(row, axis), y: row.mean, std: row.std, episodes: row.returns.length }));
}

/**
 * One of the per-episode training statistics, skipping the warm-up episodes that have none.
 * On a log scale non-positive values cannot be placed and are skipped too.
 */
export function statisticPoints(
  rows: readonly EpisodeRow[],
  axis: XAxisKind,
  statistic: 'criticLoss' | 'meanQ',
  positiveOnly: boolean,
): XYPoint[] {
  const points: XYPoint[] = [];
  for (const row of rows) {
    const value = row[statistic];
    if (value === null || (positiveOnly && value <= 0)) continue;
    points.push({ x: xOf(row, axis), y: value });
  }
  return points;
}

/** Rows up to and including an environment step (inspecting a checkpoint cuts the curves there). */
export function rowsUpToStep<T extends { step: number }>(rows: readonly T[], step: number | null): readonly T[] {
  if (step === null) return rows;
  let end = rows.length;
  while (end > 0 && rows[end - 1].step > step) end--;
  return end === rows.length ? rows : rows.slice(0, end);
}
