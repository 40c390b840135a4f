/**
 * A deterministic comparison of seven synthetic runs for the comparison harness and its tests,
 * built with the real arithmetic the host uses (src/shared/comparison.ts and the host's
 * compareHistory): on Pendulum-v1, three seeds of one experiment that solve at different times, a
 * fourth seed just started (no evaluations yet, still live), and one run of another experiment
 * (higher tau, smaller batch) that does not solve; on MountainCarContinuous-v0, two seeds of one
 * experiment (returns about −30 before the car first reaches the flag, up to 95 after; 999-step
 * episodes until then), one of which passes Gymnasium's 90. Runs in Node and in the browser.
 */

import { defaultConfig, type RunConfig } from '../../src/shared/config';
import { Random } from '../../src/agent/random';
import { comparedEnvironments, differingSettings } from '../../src/shared/comparison';
import { ENVIRONMENTS } from '../../src/shared/environments';
import { taskFieldsOf } from '../../src/shared/runFormat';
import type { ComparedRun, EpisodeRow, EvalRow, RunInfo, ShowComparisonMessage } from '../../src/shared/protocol';
import { compareHistory } from '../../src/extension/runComparison';

interface SyntheticRunSpec {
  name: string;
  config: RunConfig;
  episodes: number;
  /** Episode at which the learning curve is half way up. */
  midpoint: number;
  /** Return the curve levels off at. */
  plateau: number;
  live: boolean;
}

const BASE: RunConfig = { ...defaultConfig(), evalEveryEpisodes: 5, evalEverySteps: 0, episodes: 120 };
const OTHER: RunConfig = { ...BASE, tau: 0.05, batchSize: 64 };
const MOUNTAIN_CAR: RunConfig = { ...BASE, environment: 'MountainCarContinuous-v0', episodes: 40, noiseStd: 0.5, evalEveryEpisodes: 2, evalEpisodes: 5 };

export const SYNTHETIC_COMPARISON_SPECS: readonly SyntheticRunSpec[] = [
  { name: 'tau-0.01-seed-1', config: { ...BASE, seed: 1 }, episodes: 120, midpoint: 30, plateau: -150, live: false },
  { name: 'tau-0.01-seed-2', config: { ...BASE, seed: 2 }, episodes: 120, midpoint: 42, plateau: -170, live: false },
  { name: 'tau-0.01-seed-3', config: { ...BASE, seed: 3 }, episodes: 100, midpoint: 36, plateau: -160, live: false },
  { name: 'tau-0.01-seed-4', config: { ...BASE, seed: 4 }, episodes: 3, midpoint: 36, plateau: -160, live: true },
  { name: 'tau-0.05-batch-64', config: { ...OTHER, seed: 1 }, episodes: 120, midpoint: 70, plateau: -420, live: false },
  { name: 'mountain-car-seed-1', config: { ...MOUNTAIN_CAR, seed: 1 }, episodes: 40, midpoint: 12, plateau: 94, live: false },
  { name: 'mountain-car-seed-2', config: { ...MOUNTAIN_CAR, seed: 2 }, episodes: 40, midpoint: 18, plateau: 86, live: false },
];

const isMountainCar = (spec: SyntheticRunSpec) => spec.config.environment === 'MountainCarContinuous-v0';

function pendulumRows(spec: SyntheticRunSpec, random: Random): { episodes: EpisodeRow[]; evals: EvalRow[] } {
  const level = (episode: number) => -1400 + (spec.plateau + 1400) / (1 + Math.exp(-(episode - spec.midpoint) / 6));
  const episodes: EpisodeRow[] = [];
  const evals: EvalRow[] = [];
  for (let episode = 1; episode <= spec.episodes; episode++) {
    const step = episode * 200;
    const wallTime = episode * 0.31;
    episodes.push({
      type: 'episode', episode, step, return: level(episode) + 90 * random.normal(), length: 200,
      criticLoss: 1, actorLoss: -level(episode) / 10, meanQ: level(episode) / 10, wallTime,
    });
    if (episode % spec.config.evalEveryEpisodes === 0) evals.push(evalRow(episode, step, wallTime + 0.05, level(episode) + 25, 40, random));
  }
  return { episodes, evals };
}

/**
 * MountainCar: until the policy finds the flag an episode runs the full 999 steps and costs about
 * 30 in action penalty; afterwards it reaches the flag in a few hundred steps for +100 minus the
 * penalty.
 */
function mountainCarRows(spec: SyntheticRunSpec, random: Random): { episodes: EpisodeRow[]; evals: EvalRow[] } {
  const reached = (episode: number) => 1 / (1 + Math.exp(-(episode - spec.midpoint) / 2));
  const level = (episode: number) => -30 + (spec.plateau + 30) * reached(episode);
  const episodes: EpisodeRow[] = [];
  const evals: EvalRow[] = [];
  let step = 0;
  for (let episode = 1; episode <= spec.episodes; episode++) {
    const length = reached(episode) > 0.5 ? Math.round(random.uniform(180, 300)) : 999;
    step += length;
    const wallTime = step * 0.0012;
    const ret = Math.min(99, level(episode) + 6 * random.normal());
    episodes.push({ type: 'episode', episode, step, return: ret, length, criticLoss: 0.2, actorLoss: -ret / 10, meanQ: ret / 10, wallTime });
    if (episode % spec.config.evalEveryEpisodes === 0) evals.push(evalRow(episode, step, wallTime + 0.4, Math.min(97, level(episode) + 1), 3, random));
  }
  return { episodes, evals };
}

function evalRow(episode: number, step: number, wallTime: number, centre: number, spread: number, random: Random): EvalRow {
  const returns = Array.from({ length: 5 }, () => centre + spread * random.normal());
  const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / returns.length);
  return { type: 'eval', episode, step, mean, std, returns, wallTime };
}

export function syntheticComparedRun(spec: SyntheticRunSpec): ComparedRun {
  const random = new Random(spec.config.seed * 7919 + spec.name.length);
  const { episodes, evals } = isMountainCar(spec) ? mountainCarRows(spec, random) : pendulumRows(spec, random);
  const info: RunInfo = {
    id: spec.name,
    name: spec.name,
    created: '2026-11-24T08:00:00.000Z',
    updated: '2026-11-24T08:10:00.000Z',
    config: spec.config,
    ...taskFieldsOf(spec.config),
    engine: { engine: 'wasm', backend: 'wasm-relaxed-simd' },
    seed: spec.config.seed,
    status: spec.live ? 'running' : 'finished',
  };
  return compareHistory({ info, episodes, evals }, spec.live);
}

export function syntheticComparison(specs: readonly SyntheticRunSpec[] = SYNTHETIC_COMPARISON_SPECS): ShowComparisonMessage {
  const runs = specs.map(syntheticComparedRun);
  return {
    type: 'showComparison',
    runs,
    environments: comparedEnvironments(runs.map((r) => r.environment)),
    differingSettings: differingSettings(runs.map((r) => r.run.config)),
    problems: [{ runDir: '/runs/2026-11-20_broken', error: 'run.json is not valid JSON (Unexpected token } in JSON at position 12)' }],
  };
}

/** A run whose returns climb along an S-curve from `from` to `to` (its last episode), noisily. */
export interface ClimbingComparedRun {
  seed: number;
  from: number;
  to: number;
}

/**
 * A comparison of runs of one environment early in training, for the "solved" threshold's place on
 * the charts: each run's returns climb from `from` to `to` over `episodes` full-length episodes, an
 * evaluation every two episodes a little above them. Deterministic.
 */
export function climbingComparison(environment: RunConfig['environment'], runs: readonly ClimbingComparedRun[], episodes = 20): ShowComparisonMessage {
  const compared = runs.map(({ seed, from, to }) => {
    const config: RunConfig = { ...BASE, environment, algorithm: 'td3', seed, episodes, evalEveryEpisodes: 2 };
    const length = ENVIRONMENTS[environment].maxEpisodeSteps;
    const random = new Random(seed * 4801);
    const spread = 0.08 * Math.abs(to - from);
    const level = (episode: number) => {
      const t = episodes > 1 ? (episode - 1) / (episodes - 1) : 1;
      return from + (to - from) * (3 * t * t - 2 * t * t * t);
    };
    const episodeRows: EpisodeRow[] = [];
    const evals: EvalRow[] = [];
    for (let episode = 1; episode <= episodes; episode++) {
      const step = episode * length;
      const wallTime = step * 0.004;
      const ret = level(episode) + spread * random.normal();
      episodeRows.push({ type: 'episode', episode, step, return: ret, length, criticLoss: 1, actorLoss: -ret / 10, meanQ: ret / 10, wallTime });
      if (episode % config.evalEveryEpisodes === 0) evals.push(evalRow(episode, step, wallTime + 0.5, level(episode) + 0.3 * spread, 0.3 * spread, random));
    }
    const name = `${environment.toLowerCase()}-seed-${seed}`;
    const info: RunInfo = {
      id: name,
      name,
      created: '2026-11-30T08:00:00.000Z',
      updated: '2026-11-30T09:00:00.000Z',
      config,
      ...taskFieldsOf(config),
      engine: { engine: 'wasm', backend: 'wasm-relaxed-simd' },
      seed,
      status: 'finished',
    };
    return compareHistory({ info, episodes: episodeRows, evals }, false);
  });
  return {
    type: 'showComparison',
    runs: compared,
    environments: comparedEnvironments(compared.map((r) => r.environment)),
    differingSettings: differingSettings(compared.map((r) => r.run.config)),
    problems: [],
  };
}

/** Two HalfCheetah-v5 runs' first 20,000 steps: returns from about −500 to +250, the threshold 4,800 far above. */
export const halfCheetahEarlyComparison = (): ShowComparisonMessage =>
  climbingComparison('HalfCheetah-v5', [
    { seed: 1, from: -500, to: 250 },
    { seed: 2, from: -450, to: 150 },
  ]);

/** Two Pendulum-v1 runs' first episodes, from −1,650 to −1,180 under −200: a gap of about two spans, near enough. */
export const pendulumEarlyComparison = (): ShowComparisonMessage =>
  climbingComparison('Pendulum-v1', [
    { seed: 1, from: -1650, to: -1180 },
    { seed: 2, from: -1600, to: -1250 },
  ]);
