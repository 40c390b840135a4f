/**
 * What the comparison charts draw, from the host's runs: one curve per visible run, or with
 * "Average seeds" one mean ± std curve per group of runs that are seeds of one experiment. Pure
 * (no DOM), so it is unit-tested in Node.
 */

import type { ConfigKey } from '../../src/shared/config';
import { aggregateCurves, differingSettings, effectiveSetting, EXPERIMENT_KEYS, settingApplies, type CurvePoint } from '../../src/shared/comparison';
import type { ComparedRun } from '../../src/shared/protocol';
import { formatConfigValue } from '../format';
import type { ComparisonXAxis } from './viewState';

export type CurveKind = 'eval' | 'returns';

/** A line to draw: one run's curve, or a group's mean with its band. */
export interface DrawnCurve {
  /** The run id, or the group key. */
  id: string;
  label: string;
  /** Index into the run colour palette (the first run of a group gives the group its colour). */
  colourIndex: number;
  points: CurvePoint[];
  /** mean − std and mean + std, for groups of two or more runs. */
  band?: { lower: CurvePoint[]; upper: CurvePoint[] };
  runIds: string[];
}

function xOf(point: { step: number; wallTime: number; episode: number }, axis: ComparisonXAxis): number {
  return axis === 'step' ? point.step : axis === 'wallTime' ? point.wallTime : point.episode;
}

/** One run's curve on the chosen axis, sorted by x (wall times of a resumed run can repeat). */
export function runCurve(run: ComparedRun, kind: CurveKind, axis: ComparisonXAxis): CurvePoint[] {
  const points =
    kind === 'eval' ? run.evals.map((e) => ({ x: xOf(e, axis), y: e.mean })) : run.returns.map((r) => ({ x: xOf(r, axis), y: r.value }));
  return points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
}

export interface RunGroup {
  key: string;
  runs: ComparedRun[];
  /** Position of the group's first run among all runs: its colour. */
  colourIndex: number;
}

/** Groups runs by experiment, in the order their first run appears. */
export function groupRuns(runs: readonly ComparedRun[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  runs.forEach((run, index) => {
    const group = groups.get(run.groupKey);
    if (group) group.runs.push(run);
    else groups.set(run.groupKey, { key: run.groupKey, runs: [run], colourIndex: index });
  });
  return [...groups.values()];
}

/**
 * The experiment settings that tell groups apart, as "tau 0.05 · batchSize 64", leaving out the
 * `omit` ones (inside one environment's charts, the environment goes without saying) and those
 * that do not apply to the group's runs.
 */
export function groupDescription(group: RunGroup, differing: readonly string[], omit: readonly string[] = []): string {
  const config = group.runs[0].run.config;
  const keys = EXPERIMENT_KEYS.filter((key) => differing.includes(key) && !omit.includes(key) && settingApplies(config, key));
  return keys.map((key: ConfigKey) => `${key} ${formatConfigValue(effectiveSetting(config, key))}`).join(' · ');
}

export function groupLabel(group: RunGroup, differing: readonly string[], omit: readonly string[] = []): string {
  const what = groupDescription(group, differing, omit) || 'all runs';
  const count = group.runs.length;
  return `${what} (${count} ${count === 1 ? 'run' : 'seeds'})`;
}

/**
 * The settings that differ between the runs of one environment: what tells its experiments apart
 * on its charts. (Across environments nearly everything differs, presets included; a label
 * listing all of that would say nothing.)
 */
export function differingWithin(runs: readonly ComparedRun[], environment: string): string[] {
  return differingSettings(runs.filter((run) => run.environment === environment).map((run) => run.run.config));
}

/** The runs of each environment, in the order of each one's first run. */
export function runsByEnvironment(runs: readonly ComparedRun[]): Map<string, ComparedRun[]> {
  const byEnvironment = new Map<string, ComparedRun[]>();
  for (const run of runs) {
    const list = byEnvironment.get(run.environment);
    if (list) list.push(run);
    else byEnvironment.set(run.environment, [run]);
  }
  return byEnvironment;
}

/**
 * The curves to draw for the visible runs; with `environment`, only that environment's (colours
 * stay those of the runs' places among all runs, so a run keeps its colour in every chart).
 */
export function drawnCurves(
  runs: readonly ComparedRun[],
  kind: CurveKind,
  axis: ComparisonXAxis,
  options: { groupSeeds: boolean; hidden: ReadonlySet<string>; differing: readonly string[]; environment?: string },
): DrawnCurve[] {
  const colourOf = new Map(runs.map((run, index) => [run.run.id, index]));
  const omit = options.environment === undefined ? [] : ['environment'];
  const differing = options.environment === undefined ? options.differing : differingWithin(runs, options.environment);
  const visible = runs.filter((run) => !options.hidden.has(run.run.id) && (options.environment === undefined || run.environment === options.environment));
  if (!options.groupSeeds) {
    return visible.map((run) => ({
      id: run.run.id,
      label: run.run.name,
      colourIndex: colourOf.get(run.run.id)!,
      points: runCurve(run, kind, axis),
      runIds: [run.run.id],
    }));
  }
  return groupRuns(visible).map((group) => {
    const colourIndex = colourOf.get(group.runs[0].run.id)!;
    const runIds = group.runs.map((r) => r.run.id);
    if (group.runs.length === 1) {
      const run = group.runs[0];
      return { id: group.key, label: `${run.run.name} (${groupLabel(group, differing, omit)})`, colourIndex, points: runCurve(run, kind, axis), runIds };
    }
    const aggregate = aggregateCurves(group.runs.map((run) => runCurve(run, kind, axis)));
    return {
      id: group.key,
      label: `mean of ${groupLabel(group, differing, omit)}`,
      colourIndex,
      points: aggregate.map((p) => ({ x: p.x, y: p.mean })),
      band: {
        lower: aggregate.map((p) => ({ x: p.x, y: p.mean - p.std })),
        upper: aggregate.map((p) => ({ x: p.x, y: p.mean + p.std })),
      },
      runIds,
    };
  });
}

/** True when some experiment has two or more runs: only then does averaging seeds mean anything. */
export function hasSeedGroups(runs: readonly ComparedRun[]): boolean {
  return groupRuns(runs).some((group) => group.runs.length >= 2);
}
