/**
 * Which part of a run the charts show: the x axis (episodes or steps), where it starts (0, or a
 * resumed run's checkpoint), where the parent run's copied history ends, and the zoomed range.
 * Both charts get the same view, so they stay aligned.
 */

import type { EpisodeRow, EvalRow, RunInfo } from '../../src/shared/protocol';
import type { XAxisKind } from '../viewState';
import { rowIndexRange } from './series';
import type { XRange } from './zoom';

export interface ChartView {
  axis: XAxisKind;
  /** Where the x axis starts when not zoomed. */
  start: number;
  /**
   * A resumed run's checkpoint on this axis: rows at or before it are its parent's history,
   * which the trainer copies into the resumed run's metrics, and are drawn faint. Null otherwise.
   */
  resumeX: number | null;
  /** The zoomed or panned range; null while the whole run is shown. */
  zoom: XRange | null;
}

/** Zoomed in this far, every row is drawn instead of the decimated series. */
const DETAIL_ROWS = 4000;

export function resumePointOf(run: RunInfo | null, axis: XAxisKind): number | null {
  const from = run?.resumedFrom;
  if (!from) return null;
  const x = axis === 'episode' ? from.episode : from.step;
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null;
}

/** The rows [from, to) whose x is visible. */
export function visibleRowRange(rows: readonly (EpisodeRow | EvalRow)[], view: ChartView): [number, number] {
  return rowIndexRange(rows, view.axis, view.zoom?.min ?? view.start, view.zoom?.max ?? Infinity);
}

/**
 * When zoomed into few enough rows: the rows to draw in detail, the visible ones and as many
 * again on each side (so that a pan shows detail at once). Null: draw the decimated series.
 */
export function detailRowRange(rows: readonly EpisodeRow[], view: ChartView): [number, number] | null {
  if (!view.zoom) return null;
  const [from, to] = visibleRowRange(rows, view);
  const visible = to - from;
  if (visible > DETAIL_ROWS) return null;
  return [Math.max(0, from - visible - 1), Math.min(rows.length, to + visible + 1)];
}

/** Whether a point belongs to the parent run's history. */
export function isParentHistory(x: number, view: ChartView): boolean {
  return view.resumeX !== null && x <= view.resumeX;
}
