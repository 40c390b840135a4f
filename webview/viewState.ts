/**
 * What the webview persists with setState: the run and mode the host's serializer needs to revive
 * the panel after a reload, plus the user's view preferences. Never data: the host re-sends the
 * whole history on `ready`.
 */

import type { DashboardMode } from '../src/shared/protocol';

export type XAxisKind = 'episode' | 'step';
export type PlaybackSpeed = '1' | '2' | '4' | '10' | 'max';
export const PLAYBACK_SPEEDS: readonly PlaybackSpeed[] = ['1', '2', '4', '10', 'max'];
/** Episodes in the trailing moving average of the return curve; 1 turns smoothing off. */
export const MOVING_AVERAGE_WINDOWS: readonly number[] = [1, 5, 10, 25, 50, 100];

export interface ViewState {
  runId?: string;
  mode?: DashboardMode;
  xAxis: XAxisKind;
  speed: PlaybackSpeed;
  movingAverageWindow: number;
  lossLogScale: boolean;
  /** The second chart's metrics (charts/metrics.ts): its left axis, and its right axis ('' for none). */
  metricsChartLeft: string;
  metricsChartRight: string;
  hyperparametersOpen: boolean;
  onlyChangedHyperparameters: boolean;
}

export const DEFAULT_VIEW_STATE: ViewState = {
  xAxis: 'episode',
  speed: '1',
  movingAverageWindow: 10,
  lossLogScale: true,
  metricsChartLeft: 'criticLoss',
  metricsChartRight: 'meanQ',
  hyperparametersOpen: false,
  onlyChangedHyperparameters: false,
};

/** Restores what it can from a possibly stale or foreign saved state; anything odd falls back. */
export function restoreViewState(saved: unknown): ViewState {
  const state: ViewState = { ...DEFAULT_VIEW_STATE };
  if (typeof saved !== 'object' || saved === null) return state;
  const record = saved as Record<string, unknown>;
  if (typeof record.runId === 'string') state.runId = record.runId;
  if (typeof record.mode === 'object' && record.mode !== null) state.mode = record.mode as DashboardMode;
  if (record.xAxis === 'episode' || record.xAxis === 'step') state.xAxis = record.xAxis;
  if (typeof record.speed === 'string' && (PLAYBACK_SPEEDS as readonly string[]).includes(record.speed)) {
    state.speed = record.speed as PlaybackSpeed;
  }
  if (typeof record.movingAverageWindow === 'number' && MOVING_AVERAGE_WINDOWS.includes(record.movingAverageWindow)) {
    state.movingAverageWindow = record.movingAverageWindow;
  }
  if (typeof record.lossLogScale === 'boolean') state.lossLogScale = record.lossLogScale;
  // Any field name the rows might carry; the chart falls back to showing nothing for one it never finds.
  const metricName = (value: unknown) => typeof value === 'string' && /^[A-Za-z0-9_]{0,41}$/.test(value);
  if (metricName(record.metricsChartLeft) && record.metricsChartLeft !== '') state.metricsChartLeft = record.metricsChartLeft as string;
  if (metricName(record.metricsChartRight)) state.metricsChartRight = record.metricsChartRight as string;
  if (typeof record.hyperparametersOpen === 'boolean') state.hyperparametersOpen = record.hyperparametersOpen;
  if (typeof record.onlyChangedHyperparameters === 'boolean') {
    state.onlyChangedHyperparameters = record.onlyChangedHyperparameters;
  }
  return state;
}
