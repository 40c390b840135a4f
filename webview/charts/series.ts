/**
 * Turns metric rows into chart points. Episode series are incremental and decimated (a series
 * object per chart line, rebuilt when the axis or a view setting changes); evaluations are few and
 * mapped whole. Chart.js gets fresh arrays on every redraw (with its decimation on, pushing into
 * dataset.data would write into the decimated copy, chartjs/Chart.js#11929).
 */

import type { EpisodeRow, EvalRow } from '../../src/shared/protocol';
import type { XAxisKind } from '../viewState';
import { RowSeries } from './decimatedSeries';

export interface XYPoint {
  x: number;
  y: number;
}

export interface EvalPoint extends XYPoint {
  std: number;
  episodes: number;
}

const xOf = (row: EpisodeRow | EvalRow, axis: XAxisKind) => (axis === 'episode' ? row.episode : row.step);

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
 * One of the per-episode training statistics, decimated, skipping the warm-up episodes that have
 * none. On a log scale non-positive values cannot be placed and are skipped too.
 */
export function statisticSeries(axis: XAxisKind, statistic: 'criticLoss' | 'meanQ', positiveOnly: boolean): RowSeries<EpisodeRow> {
  return new RowSeries<EpisodeRow>((series, row) => {
    const value = row[statistic];
    if (value !== null && !(positiveOnly && value <= 0)) series.push(xOf(row, axis), value);
  });
}

/** Rows up to and including an environment step (inspecting a checkpoint cuts the curves there). */
export function rowsUpToStep<T extends { step: number }>(rows: readonly T[], step: number | null): readonly T[] {
  if (step === null) return rows;
  let end = rows.length;
  while (end > 0 && rows[end - 1].step > step) end--;
  return end === rows.length ? rows : rows.slice(0, end);
}
