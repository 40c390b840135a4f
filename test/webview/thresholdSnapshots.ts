/**
 * Short runs whose returns climb between two values, for the tests and screenshots of the return
 * chart's "solved" line: far from the threshold (HalfCheetah-v5 from −500 to +250 in its first
 * 20,000 steps, its threshold 4,800) or around it (Pendulum-v1 from −300 to −150, its threshold
 * −200). Deterministic; evaluations every five episodes, a little above the training returns.
 */

import type { EnvironmentId } from '../../src/shared/environments';
import { ENVIRONMENTS } from '../../src/shared/environments';
import type { EvalRow, RunSnapshot, ShowRunMessage } from '../../src/shared/protocol';
import { Random } from '../../src/agent/random';
import { episodeRow, SIMULATED_STEPS_PER_SECOND, SyntheticRun } from './syntheticRun';

export interface ClimbingRun {
  environment: EnvironmentId;
  episodes: number;
  /** The mean return of the first and of the last episode; the curve between them is an S-shape. */
  from: number;
  to: number;
  /** Spread of the training returns around the curve (a share of |to − from|). */
  noise?: number;
}

export function climbingRunMessage(spec: ClimbingRun): ShowRunMessage {
  const run = new SyntheticRun(0, spec.environment);
  const config = { ...run.config, episodes: spec.episodes, evalEveryEpisodes: 5 };
  const length = ENVIRONMENTS[spec.environment].maxEpisodeSteps;
  const random = new Random(4800);
  const spread = (spec.noise ?? 0.08) * Math.abs(spec.to - spec.from);
  const curve = (episode: number) => {
    const t = spec.episodes > 1 ? (episode - 1) / (spec.episodes - 1) : 1;
    return spec.from + (spec.to - spec.from) * (3 * t * t - 2 * t * t * t);
  };
  const episodes = [];
  const evals: EvalRow[] = [];
  for (let episode = 1; episode <= spec.episodes; episode++) {
    const step = episode * length;
    episodes.push(episodeRow(episode, step, config, random, { return: curve(episode) + spread * random.normal(), length }));
    if (episode % config.evalEveryEpisodes === 0) {
      const returns = Array.from({ length: config.evalEpisodes }, () => curve(episode) + 0.3 * spread * (1 + random.normal()));
      const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
      const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / returns.length);
      evals.push({ type: 'eval', episode, step, mean, std, returns, wallTime: step / SIMULATED_STEPS_PER_SECOND });
    }
  }
  const info = run.runInfo('finished');
  const last = episodes[episodes.length - 1];
  const snapshot: RunSnapshot = {
    run: { ...info, config },
    status: {
      ...run.status('finished'),
      episode: spec.episodes,
      totalEpisodes: spec.episodes,
      step: last.step,
      elapsedSeconds: last.wallTime,
      latestEval: evals[evals.length - 1]?.mean ?? null,
      bestEval: evals.length > 0 ? Math.max(...evals.map((e) => e.mean)) : null,
    },
    episodes,
    evals,
    checkpoints: [],
    live: false,
  };
  return { type: 'showRun', snapshot, mode: { kind: 'live' } };
}

/** HalfCheetah-v5's first 20,000 steps: from about −500 to +250, its threshold 4,800 far above. */
export const HALF_CHEETAH_EARLY: ClimbingRun = { environment: 'HalfCheetah-v5', episodes: 20, from: -500, to: 250 };

/** A Pendulum-v1 run around its threshold (−200): from −300 to −150. */
export const PENDULUM_NEAR: ClimbingRun = { environment: 'Pendulum-v1', episodes: 60, from: -300, to: -150 };
