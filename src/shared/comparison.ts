/**
 * The arithmetic of comparing runs, shared by the host (which builds the comparison from run
 * folders) and the comparison webview (which averages seeds on whatever x axis the user picks).
 * Pure: no vscode, no DOM, no files.
 */

import { CONFIG_KEYS, CONFIG_SPEC, type ConfigKey, type RunConfig } from './config';
import type { ComparedEval, EpisodeRow, ReturnCurvePoint, RunSummary, SolvedPoint } from './protocol';

/** Episodes in the trailing mean of the training-return curve. */
export const RETURN_SMOOTHING_EPISODES = 10;
/** Points kept of each run's training-return curve: a plot is ~1000 px wide. */
export const COMPARISON_CURVE_POINTS = 600;

/**
 * Settings that change what is learned or how it is measured. Runs equal on all of them are
 * repeats of one experiment; the others (seed, run length, checkpoints, engine) do not make a
 * different experiment.
 */
const EXPERIMENT_GROUPS = new Set(['Network', 'Optimisation', 'Exploration', 'Environment', 'Evaluation']);
export const EXPERIMENT_KEYS: readonly ConfigKey[] = CONFIG_KEYS.filter((key) => EXPERIMENT_GROUPS.has(CONFIG_SPEC[key].group));

export function experimentKey(config: RunConfig): string {
  return JSON.stringify(EXPERIMENT_KEYS.map((key) => config[key]));
}

/** Settings whose values are not all equal across the configurations, in CONFIG_KEYS order. */
export function differingSettings(configs: readonly RunConfig[]): ConfigKey[] {
  if (configs.length < 2) return [];
  return CONFIG_KEYS.filter((key) => {
    const first = JSON.stringify(configs[0][key]);
    return configs.some((config) => JSON.stringify(config[key]) !== first);
  });
}

/**
 * The trailing mean of `window` returns at every episode, thinned to at most `maxPoints` evenly
 * spaced points. The last episode is always kept: the curve must end where the run ends.
 */
export function smoothedReturns(
  episodes: readonly EpisodeRow[],
  window = RETURN_SMOOTHING_EPISODES,
  maxPoints = COMPARISON_CURVE_POINTS,
): ReturnCurvePoint[] {
  const count = episodes.length;
  if (count === 0) return [];
  const stride = Math.max(1, Math.ceil(count / maxPoints));
  const points: ReturnCurvePoint[] = [];
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += episodes[i].return;
    if (i >= window) sum -= episodes[i - window].return;
    if ((count - 1 - i) % stride !== 0) continue;
    const row = episodes[i];
    points.push({ episode: row.episode, step: row.step, wallTime: row.wallTime, value: sum / Math.min(window, i + 1) });
  }
  return points;
}

export function firstSolved(evals: readonly ComparedEval[], threshold: number): SolvedPoint | null {
  const row = evals.find((e) => e.mean >= threshold);
  return row ? { episode: row.episode, step: row.step, wallTime: row.wallTime } : null;
}

export function summarizeRun(episodes: readonly EpisodeRow[], evals: readonly ComparedEval[], threshold: number): RunSummary {
  const lastEpisode = episodes[episodes.length - 1];
  const lastEval = evals[evals.length - 1];
  const recent = episodes.slice(-10);
  return {
    episodes: lastEpisode?.episode ?? 0,
    steps: Math.max(lastEpisode?.step ?? 0, lastEval?.step ?? 0),
    wallTime: Math.max(lastEpisode?.wallTime ?? 0, lastEval?.wallTime ?? 0),
    bestEval: evals.reduce<number | null>((best, e) => (best === null || e.mean > best ? e.mean : best), null),
    finalEval: lastEval?.mean ?? null,
    recentReturn: recent.length > 0 ? recent.reduce((s, e) => s + e.return, 0) / recent.length : null,
    solved: firstSolved(evals, threshold),
  };
}

export interface CurvePoint {
  x: number;
  y: number;
}

export interface AggregatePoint {
  x: number;
  mean: number;
  /** Sample standard deviation across the runs that cover x (0 when only one does). */
  std: number;
  /** How many runs cover x. */
  n: number;
}

/** y at x by linear interpolation; undefined outside the curve's x range. Points sorted by x. */
export function interpolate(curve: readonly CurvePoint[], x: number): number | undefined {
  if (curve.length === 0 || x < curve[0].x || x > curve[curve.length - 1].x) return undefined;
  let lo = 0;
  let hi = curve.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (curve[mid].x <= x) lo = mid;
    else hi = mid;
  }
  const a = curve[lo];
  const b = curve[hi];
  if (x === a.x || b.x === a.x) return a.y;
  if (x === b.x) return b.y;
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

/**
 * Mean ± sample std of several runs' curves at every x where any of them has a point, each run
 * interpolated linearly inside its own x range and absent outside it (a run that ended earlier
 * does not drag the mean). Points where fewer than `minRuns` runs are present are left out.
 */
export function aggregateCurves(curves: ReadonlyArray<readonly CurvePoint[]>, minRuns = 2): AggregatePoint[] {
  const xs = [...new Set(curves.flatMap((curve) => curve.map((p) => p.x)))].sort((a, b) => a - b);
  const result: AggregatePoint[] = [];
  for (const x of xs) {
    const values: number[] = [];
    for (const curve of curves) {
      const y = interpolate(curve, x);
      if (y !== undefined) values.push(y);
    }
    if (values.length < minRuns || values.length === 0) continue;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.length > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1) : 0;
    result.push({ x, mean, std: Math.sqrt(variance), n: values.length });
  }
  return result;
}
