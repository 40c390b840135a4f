/**
 * The arithmetic of comparing runs, shared by the host (which builds the comparison from run
 * folders) and the comparison webview (which averages seeds on whatever x axis the user picks).
 * Pure: no vscode, no DOM, no files.
 */

import { CONFIG_KEYS, CONFIG_SPEC, type AlgorithmId, type ConfigKey, type RunConfig } from './config';
import { environmentOf, isEnvironmentId, solvedLabel, ENVIRONMENTS, type EnvironmentDescriptor } from './environments';
import type { ComparedEnvironment, ComparedEval, EpisodeRow, ReturnCurvePoint, RunSummary, SolvedPoint } from './protocol';

/** Episodes in the trailing mean of the training-return curve. */
export const RETURN_SMOOTHING_EPISODES = 10;
/** Points kept of each run's training-return curve: a plot is ~1000 px wide. */
export const COMPARISON_CURVE_POINTS = 600;

/**
 * Settings that change what is learned or how it is measured. Runs equal on all of them are
 * repeats of one experiment; the others (seed, run length, checkpoints, engine) do not make a
 * different experiment. 'Task' is the algorithm and the environment.
 */
const EXPERIMENT_GROUPS = new Set(['Task', 'Network', 'Optimisation', 'Exploration', 'Environment', 'Evaluation']);
export const EXPERIMENT_KEYS: readonly ConfigKey[] = CONFIG_KEYS.filter((key) => EXPERIMENT_GROUPS.has(CONFIG_SPEC[key].group));

/** A stored configuration as read: a run written before a setting existed lacks it. */
type StoredConfig = Partial<RunConfig> | RunConfig;

/** The environment a configuration trains on; runs written before environments were choices are Pendulum-v1. */
export function environmentOfConfig(config: StoredConfig): EnvironmentDescriptor {
  return environmentOf(config);
}

/** The algorithm a configuration trains with; runs written before algorithms were choices are DDPG. */
export function algorithmOfConfig(config: StoredConfig): AlgorithmId {
  const algorithm = (config as { algorithm?: unknown }).algorithm;
  return typeof algorithm === 'string' ? (algorithm as AlgorithmId) : (CONFIG_SPEC.algorithm.default as AlgorithmId);
}

/** False for a setting that has no effect on this run (Pendulum's gravity on MountainCar). */
export function settingApplies(config: StoredConfig, key: ConfigKey): boolean {
  const appliesTo = CONFIG_SPEC[key].appliesTo;
  if (!appliesTo) return true;
  if (appliesTo.environments && !appliesTo.environments.includes(environmentOfConfig(config).id)) return false;
  if (appliesTo.algorithms && !appliesTo.algorithms.includes(algorithmOfConfig(config))) return false;
  return true;
}

/**
 * A setting's value as it acted on the run: the default where the run predates the setting, the
 * environment's own time limit where the setting says "the environment's own" (0), so that an old
 * Pendulum run (200) and a new one (0) are the same experiment.
 */
export function effectiveSetting(config: StoredConfig, key: ConfigKey): unknown {
  if (key === 'environment') return environmentOfConfig(config).id;
  if (key === 'algorithm') return algorithmOfConfig(config);
  const value = (config as Record<string, unknown>)[key] ?? CONFIG_SPEC[key].default;
  if (key === 'maxEpisodeSteps' && value === 0) return environmentOfConfig(config).maxEpisodeSteps;
  return value;
}

/**
 * Runs with equal keys are seeds of one experiment. The environment and algorithm lead the key,
 * so runs of different ones are never averaged together, and only settings that apply to the run
 * count (a MountainCar run's unused gravity does not split its seeds).
 */
export function experimentKey(config: StoredConfig): string {
  const settings = EXPERIMENT_KEYS.filter((key) => key !== 'environment' && key !== 'algorithm' && settingApplies(config, key));
  return JSON.stringify([environmentOfConfig(config).id, algorithmOfConfig(config), ...settings.map((key) => [key, effectiveSetting(config, key)])]);
}

/**
 * Settings whose values are not all equal across the configurations, in CONFIG_KEYS order;
 * `environment` and `algorithm` first when they are not CONFIG_KEYS (yet). A setting is compared
 * only between the runs it applies to.
 */
export function differingSettings(configs: readonly StoredConfig[]): ConfigKey[] {
  if (configs.length < 2) return [];
  const task: ConfigKey[] = (['environment', 'algorithm'] as ConfigKey[]).filter((key) => !CONFIG_KEYS.includes(key));
  return [...task, ...CONFIG_KEYS].filter((key) => {
    const values = new Set(configs.filter((config) => settingApplies(config, key)).map((config) => JSON.stringify(effectiveSetting(config, key))));
    return values.size > 1;
  });
}

/** What the comparison says about an environment: its title and its "solved" line. */
export function comparedEnvironment(env: EnvironmentDescriptor): ComparedEnvironment {
  return { id: env.id, title: env.title, solvedThreshold: env.solved.threshold, solvedLabel: solvedLabel(env) };
}

/** The environments of the given ids, each once, in the order of first appearance; unknown ids are left out. */
export function comparedEnvironments(ids: Iterable<string>): ComparedEnvironment[] {
  const seen = new Set<string>();
  const environments: ComparedEnvironment[] = [];
  for (const id of ids) {
    if (seen.has(id) || !isEnvironmentId(id)) continue;
    seen.add(id);
    environments.push(comparedEnvironment(ENVIRONMENTS[id]));
  }
  return environments;
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

export function firstSolved(evals: readonly ComparedEval[], threshold: number | null): SolvedPoint | null {
  if (threshold === null) return null;
  const row = evals.find((e) => e.mean >= threshold);
  return row ? { episode: row.episode, step: row.step, wallTime: row.wallTime } : null;
}

export function summarizeRun(episodes: readonly EpisodeRow[], evals: readonly ComparedEval[], threshold: number | null): RunSummary {
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
