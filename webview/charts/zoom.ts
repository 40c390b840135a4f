/**
 * Zoom and pan along x, with chartjs-plugin-zoom: drag across the plot to zoom into that stretch,
 * shift-drag to pan, ctrl+wheel (or a pinch) to zoom around the pointer, double-click for the
 * whole run again. Only x moves: the y axis refits to what is visible (robustRange.ts). The
 * plugin changes the x scale's min/max options and nothing else, so the decimated series and
 * `parsing: false` are untouched; zoomed in, the charts hand Chart.js every point of the
 * visible stretch instead of the decimated ones.
 */

import type { Chart } from 'chart.js';
import type { ZoomPluginOptions } from 'chartjs-plugin-zoom/types/options';
import { withAlpha, type ThemePalette } from '../theme';

export interface XRange {
  min: number;
  max: number;
}

/** The narrowest x range one can zoom to: a few episodes (or steps) still make a line. */
const MIN_X_RANGE = 4;

/** @param onUserZoom called when a drag, pan, wheel or pinch gesture has finished, and after a reset. */
export function zoomPluginOptions(palette: ThemePalette, onUserZoom: (chart: Chart) => void): ZoomPluginOptions {
  return {
    zoom: {
      mode: 'x',
      drag: { enabled: true, threshold: 6, backgroundColor: withAlpha(palette.blue, 0.15), borderColor: palette.blue, borderWidth: 1 },
      wheel: { enabled: true, modifierKey: 'ctrl', speed: 0.15 },
      pinch: { enabled: true },
      onZoomComplete: ({ chart }) => onUserZoom(chart),
    },
    pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: ({ chart }) => onUserZoom(chart) },
    limits: { x: { minRange: MIN_X_RANGE } },
  };
}

/** The x range the user zoomed or panned to, or null while the chart shows the whole run. */
export function zoomedXRange(chart: Chart): XRange | null {
  const zoomed = chart.getZoomedScaleBounds().x;
  return zoomed ? { min: zoomed.min, max: zoomed.max } : null;
}

/** Shows `range` (another chart's zoom), or the whole run for null, without calling the zoom callbacks. */
export function showXRange(chart: Chart, range: XRange | null): void {
  if (range) chart.zoomScale('x', range, 'none');
  else if (zoomedXRange(chart)) chart.resetZoom('none');
}

/** Keeps the zoom limits at the data: one cannot pan into empty space before the axis start or after the newest point. */
export function setPanLimits(chart: Chart, start: number, end: number): void {
  const limits = chart.options.plugins?.zoom?.limits;
  if (limits) limits.x = { min: start, max: Math.max(end, start + MIN_X_RANGE), minRange: MIN_X_RANGE };
}
