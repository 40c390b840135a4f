/**
 * A deterministic comparison of five synthetic runs for the comparison harness and its tests,
 * built with the real arithmetic the host uses (src/comparison.ts): three seeds of one experiment
 * that solve at different times, a fourth seed just started (no evaluations yet, still live), and
 * one run of another experiment (higher tau, smaller batch) that does not solve. Runs in Node and
 * in the browser.
 */

import { defaultConfig, type RunConfig } from '../../src/shared/config';
import { SOLVED_RETURN } from '../../src/agent/env/pendulum';
import { Random } from '../../src/agent/random';
import { differingSettings, experimentKey, smoothedReturns, summarizeRun } from '../../src/shared/comparison';
import type { ComparedRun, EpisodeRow, EvalRow, RunInfo, ShowComparisonMessage } from '../../src/shared/protocol';

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

export const SYNTHETIC_COMPARISON_SPECS: readonly SyntheticRunSpec[] = [
  { name: 'tau-0.01-seed-1', config: { ...BASE, seed: 1 }, episodes: 120, midpoint: 30, plateau: -150, live: false },
  { name: 'tau-0.01-seed-2', config: { ...BASE, seed: 2 }, episodes: 120, midpoint: 42, plateau: -170, live: false },
  { name: 'tau-0.01-seed-3', config: { ...BASE, seed: 3 }, episodes: 100, midpoint: 36, plateau: -160, live: false },
  { name: 'tau-0.01-seed-4', config: { ...BASE, seed: 4 }, episodes: 3, midpoint: 36, plateau: -160, live: true },
  { name: 'tau-0.05-batch-64', config: { ...OTHER, seed: 1 }, episodes: 120, midpoint: 70, plateau: -420, live: false },
];

function rowsOf(spec: SyntheticRunSpec): { episodes: EpisodeRow[]; evals: EvalRow[] } {
  const random = new Random(spec.config.seed * 7919 + spec.name.length);
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
    if (episode % spec.config.evalEveryEpisodes === 0) {
      const returns = Array.from({ length: 5 }, () => level(episode) + 25 + 40 * random.normal());
      const mean = returns.reduce((s, r) => s + r, 0) / returns.length;
      const std = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / returns.length);
      evals.push({ type: 'eval', episode, step, mean, std, returns, wallTime: wallTime + 0.05 });
    }
  }
  return { episodes, evals };
}

export function syntheticComparedRun(spec: SyntheticRunSpec): ComparedRun {
  const { episodes, evals } = rowsOf(spec);
  const run: RunInfo = {
    id: spec.name,
    name: spec.name,
    created: '2026-11-24T08:00:00.000Z',
    updated: '2026-11-24T08:10:00.000Z',
    config: spec.config,
    engine: { engine: 'wasm', backend: 'wasm-relaxed-simd' },
    seed: spec.config.seed,
    status: spec.live ? 'running' : 'finished',
  };
  return {
    run,
    evals: evals.map(({ episode, step, wallTime, mean, std }) => ({ episode, step, wallTime, mean, std })),
    returns: smoothedReturns(episodes),
    summary: summarizeRun(episodes, evals, SOLVED_RETURN),
    groupKey: experimentKey(spec.config),
    live: spec.live,
  };
}

export function syntheticComparison(specs: readonly SyntheticRunSpec[] = SYNTHETIC_COMPARISON_SPECS): ShowComparisonMessage {
  const runs = specs.map(syntheticComparedRun);
  return {
    type: 'showComparison',
    runs,
    differingSettings: differingSettings(runs.map((r) => r.run.config)),
    problems: [{ runDir: '/runs/2026-11-20_broken', error: 'run.json is not valid JSON (Unexpected token } in JSON at position 12)' }],
    solvedThreshold: SOLVED_RETURN,
  };
}
