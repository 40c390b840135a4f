/**
 * A deterministic, realistic-looking DDPG run for the dashboard harness, without training anything.
 *
 * The physics are the project's real Pendulum-v1. The "policy" blends an energy-pumping swing-up
 * controller (with a PD stabiliser near upright) with random torque: its skill rises smoothly over
 * the episodes, so returns climb from about −1400 toward −150 the way a DDPG learning curve does.
 * Losses and Q values are plausible shapes, not computed. Runs in Node and in the browser.
 */

import { defaultConfig, type RunConfig } from '../../src/shared/config';
import { angleNormalize, Pendulum, PENDULUM } from '../../src/agent/env/pendulum';
import { Random } from '../../src/agent/random';
import type { CheckpointManifest, EngineInfo, EpisodeRow, EvalRow, RunInfo, StatusSnapshot } from '../../src/shared/protocol';

export const SYNTHETIC_RUN_ID = '2025-11-23T20-15-00-pendulum';
export const SYNTHETIC_ENGINE: EngineInfo = { engine: 'wasm', backend: 'wasm-simd' };
/** Simulated training throughput: steps per second of wall time. */
export const SIMULATED_STEPS_PER_SECOND = 800;

export function syntheticConfig(): RunConfig {
  return {
    ...defaultConfig(),
    actorHidden: [128, 128],
    criticHidden: [128, 128],
    episodes: 150,
    noiseStd: 0.2,
    evalEveryEpisodes: 5,
    evalEverySteps: 0,
    evalEpisodes: 5,
  };
}

/** How good the policy is after `episode` training episodes, in [0, 1]. */
export function skillAt(episode: number): number {
  return 1 / (1 + Math.exp(-(episode - 32) / 7));
}

/**
 * Energy-based swing-up with a PD stabiliser near upright, for Gymnasium's pendulum dynamics.
 * `gain` perturbs the stabiliser, standing in for a policy that keeps changing as it trains.
 */
function expertTorque(theta: number, thetaDot: number, gravity: number, gain: number): number {
  const angle = angleNormalize(theta);
  if (Math.abs(angle) < 0.45 * gain) return -gain * (10 * angle + 2.2 * thetaDot);
  // Energy per unit inertia: θ̇²/2 + (3g/2l)·cos θ; upright at rest has 3g/2l.
  const energy = (thetaDot * thetaDot) / 2 + ((3 * gravity) / 2) * Math.cos(theta);
  const target = (3 * gravity) / 2;
  const pump = gain * Math.sign(thetaDot || 1) * (target - energy);
  return Math.max(-PENDULUM.maxTorque, Math.min(PENDULUM.maxTorque, pump));
}

export interface SimulatedEpisode {
  return: number;
  /** [theta, torque] per step, as a FrameBatch carries them. */
  frames: number[];
}

/**
 * One episode of the blended policy after `trainedEpisodes`. An untrained actor tends to saturate
 * and spin the pendulum, so missing skill becomes a strong one-sided torque; training episodes add
 * wandering torque and exploration noise on top, evaluation episodes are deterministic.
 */
export function simulateEpisode(trainedEpisodes: number, seed: number, phase: 'train' | 'eval', config: RunConfig): SimulatedEpisode {
  const skill = skillAt(trainedEpisodes);
  const gain = 1 + 0.2 * Math.sin(trainedEpisodes * 1.7);
  // A small torque offset that changes from episode to episode, as a still-moving policy has.
  const offset = 0.3 * Math.sin(trainedEpisodes * 2.3);
  const random = new Random(seed);
  const spin = (random.next() < 0.5 ? -1 : 1) * PENDULUM.maxTorque;
  const env = new Pendulum({ g: config.gravity, maxEpisodeSteps: config.maxEpisodeSteps, rng: new Random(seed + 7919) });
  env.reset();
  const frames: number[] = [];
  let total = 0;
  let wander = 0;
  for (let step = 0; step < config.maxEpisodeSteps; step++) {
    const [theta, thetaDot] = env.state;
    let action = skill * expertTorque(theta, thetaDot, config.gravity, gain) + (1 - skill) * spin + offset;
    if (phase === 'train') {
      wander = 0.8 * wander + 0.2 * random.uniform(-PENDULUM.maxTorque, PENDULUM.maxTorque);
      action += (1 - skill) * wander + config.noiseStd * PENDULUM.maxTorque * random.normal();
    }
    const result = env.step(action);
    total += result.reward;
    frames.push(env.state[0], env.lastTorque);
  }
  return { return: total, frames };
}

export function episodeRow(episode: number, config: RunConfig, random: Random, simulatedReturn: number): EpisodeRow {
  const step = episode * config.maxEpisodeSteps;
  const warmingUp = step <= config.warmupSteps;
  const skill = skillAt(episode);
  const wobble = 1 + 0.25 * random.normal();
  return {
    type: 'episode',
    episode,
    step,
    return: simulatedReturn,
    length: config.maxEpisodeSteps,
    criticLoss: warmingUp ? null : Math.max(1e-3, (0.06 + 14 * Math.exp(-episode / 10)) * wobble),
    actorLoss: warmingUp ? null : 55 * (1 - Math.exp(-episode / 8)) * (1 - 0.75 * skill),
    meanQ: warmingUp ? null : -55 * (1 - Math.exp(-episode / 8)) * (1 - 0.75 * skill) + 1.5 * random.normal(),
    wallTime: step / SIMULATED_STEPS_PER_SECOND,
  };
}

export function evalRow(episode: number, config: RunConfig): EvalRow {
  const returns: number[] = [];
  for (let i = 0; i < config.evalEpisodes; i++) {
    returns.push(simulateEpisode(episode, 100_000 + i, 'eval', config).return);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / returns.length);
  const step = episode * config.maxEpisodeSteps;
  return { type: 'eval', episode, step, mean, std, returns, wallTime: step / SIMULATED_STEPS_PER_SECOND };
}

export function checkpointManifest(
  name: string,
  reason: CheckpointManifest['reason'],
  episodes: readonly EpisodeRow[],
  evals: readonly EvalRow[],
  config: RunConfig,
): CheckpointManifest {
  const last = episodes[episodes.length - 1];
  const recent = episodes.slice(-10);
  const bestEval = evals.filter((e) => e.step <= last.step).reduce<number | null>((best, e) => (best === null || e.mean > best ? e.mean : best), null);
  return {
    formatVersion: 1,
    name,
    runId: SYNTHETIC_RUN_ID,
    episode: last.episode,
    step: last.step,
    recentReturn: recent.reduce((a, r) => a + r.return, 0) / recent.length,
    bestEval,
    reason,
    created: new Date(Date.UTC(2025, 10, 23, 20, 15) + last.wallTime * 1000).toISOString(),
    configHash: '5f3a9c21',
    config,
    engine: SYNTHETIC_ENGINE,
    hasReplayBuffer: config.saveReplayBuffer,
  };
}

/** The run's history after `completedEpisodes`, as the host's RunSnapshot would carry it. */
export interface SyntheticHistory {
  run: RunInfo;
  status: StatusSnapshot;
  episodes: EpisodeRow[];
  evals: EvalRow[];
  checkpoints: CheckpointManifest[];
}

export class SyntheticRun {
  readonly config = syntheticConfig();
  readonly episodes: EpisodeRow[] = [];
  readonly evals: EvalRow[] = [];
  readonly checkpoints: CheckpointManifest[] = [];
  private readonly random = new Random(2025);
  private bestEval: number | null = null;

  constructor(completedEpisodes: number) {
    for (let i = 0; i < completedEpisodes; i++) this.finishEpisode(this.simulateNextEpisode().return);
  }

  get nextEpisode(): number {
    return this.episodes.length + 1;
  }

  get finished(): boolean {
    return this.episodes.length >= this.config.episodes;
  }

  simulateNextEpisode(): SimulatedEpisode {
    return simulateEpisode(this.nextEpisode, this.nextEpisode, 'train', this.config);
  }

  /** Records the episode; returns the evaluation and checkpoints it triggered, in order. */
  finishEpisode(simulatedReturn: number): { row: EpisodeRow; evaluation: EvalRow | null; checkpoints: CheckpointManifest[] } {
    const row = episodeRow(this.nextEpisode, this.config, this.random, simulatedReturn);
    this.episodes.push(row);
    const saved: CheckpointManifest[] = [];
    let evaluation: EvalRow | null = null;
    if (this.config.evalEveryEpisodes > 0 && row.episode % this.config.evalEveryEpisodes === 0) {
      evaluation = evalRow(row.episode, this.config);
      this.evals.push(evaluation);
      if (this.config.saveBestCheckpoint && (this.bestEval === null || evaluation.mean > this.bestEval)) {
        this.bestEval = evaluation.mean;
        saved.push(this.saveCheckpoint('best', 'best'));
      }
    }
    if (this.config.checkpointEveryEpisodes > 0 && row.episode % this.config.checkpointEveryEpisodes === 0) {
      saved.push(this.saveCheckpoint(`ep${String(row.episode).padStart(4, '0')}`, 'periodic'));
    }
    return { row, evaluation, checkpoints: saved };
  }

  saveCheckpoint(name: string, reason: CheckpointManifest['reason']): CheckpointManifest {
    const manifest = checkpointManifest(name, reason, this.episodes, this.evals, this.config);
    const known = this.checkpoints.findIndex((c) => c.name === name);
    if (known >= 0) this.checkpoints[known] = manifest;
    else this.checkpoints.push(manifest);
    return manifest;
  }

  runInfo(status: RunInfo['status'], engine: EngineInfo | null = SYNTHETIC_ENGINE): RunInfo {
    return {
      id: SYNTHETIC_RUN_ID,
      name: 'pendulum-ddpg · 128×128',
      created: '2025-11-23T20:15:00.000Z',
      updated: new Date(Date.UTC(2025, 10, 23, 20, 15) + this.elapsedSeconds() * 1000).toISOString(),
      config: this.config,
      engine,
      seed: this.config.seed,
      status,
    };
  }

  elapsedSeconds(stepsIntoEpisode = 0): number {
    return (this.episodes.length * this.config.maxEpisodeSteps + stepsIntoEpisode) / SIMULATED_STEPS_PER_SECOND;
  }

  status(state: StatusSnapshot['state'], stepsIntoEpisode = 0): StatusSnapshot {
    return {
      state,
      episode: this.episodes.length,
      totalEpisodes: this.config.episodes,
      step: this.episodes.length * this.config.maxEpisodeSteps + stepsIntoEpisode,
      totalSteps: null,
      stepsPerSecond: state === 'running' ? SIMULATED_STEPS_PER_SECOND * (0.95 + 0.1 * this.random.next()) : 0,
      elapsedSeconds: this.elapsedSeconds(stepsIntoEpisode),
      latestEval: this.evals[this.evals.length - 1]?.mean ?? null,
      bestEval: this.bestEval,
    };
  }
}
