/**
 * What the comparison page persists with setState: the run ids the host's serializer needs to
 * revive the panel after a reload, and the user's view choices. Never data: the host re-sends
 * the comparison on `ready`.
 */

export type ComparisonXAxis = 'step' | 'wallTime' | 'episode';
export const COMPARISON_X_AXES: readonly ComparisonXAxis[] = ['step', 'wallTime', 'episode'];

export interface ComparisonViewState {
  runIds: string[];
  xAxis: ComparisonXAxis;
  groupSeeds: boolean;
  showAllSettings: boolean;
  /** Runs the user unticked: their lines are not drawn (nor counted in a group's mean). */
  hidden: string[];
}

export const DEFAULT_COMPARISON_VIEW_STATE: ComparisonViewState = {
  runIds: [],
  xAxis: 'step',
  groupSeeds: false,
  showAllSettings: false,
  hidden: [],
};

const stringsOf = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

/** Restores what it can from a possibly stale or foreign saved state; anything odd falls back. */
export function restoreComparisonViewState(saved: unknown): ComparisonViewState {
  const state: ComparisonViewState = { ...DEFAULT_COMPARISON_VIEW_STATE };
  if (typeof saved !== 'object' || saved === null) return state;
  const record = saved as Record<string, unknown>;
  state.runIds = stringsOf(record.runIds) ?? state.runIds;
  state.hidden = stringsOf(record.hidden) ?? state.hidden;
  if ((COMPARISON_X_AXES as readonly unknown[]).includes(record.xAxis)) state.xAxis = record.xAxis as ComparisonXAxis;
  if (typeof record.groupSeeds === 'boolean') state.groupSeeds = record.groupSeeds;
  if (typeof record.showAllSettings === 'boolean') state.showAllSettings = record.showAllSettings;
  return state;
}
