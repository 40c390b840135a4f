/**
 * A deterministic, realistic-looking DDPG run for the dashboard harness, without training anything,
 * on Pendulum-v1 (the default) or MountainCarContinuous-v0.
 *
 * The episodes come from syntheticPendulum.ts / syntheticMountainCar.ts: a scripted policy whose
 * skill rises smoothly over the episodes, so returns climb the way a DDPG learning curve does
 * (Pendulum from about −1400 toward −150; MountainCar from about −30 to near +90 once the car
 * reaches the flag). Losses and Q values are plausible shapes, not computed. Runs in Node and in
 * the browser.
 */

import { defaultConfig, type RunConfig } from '../../src/shared/config';
import { ENVIRONMENTS, type EnvironmentId } from '../../src/shared/environments';
import { MUJOCO_ENVIRONMENTS, type MujocoEnvironmentId } from '../../src/shared/mujocoEnvironments';
import { Random } from '../../src/agent/random';
import type { CheckpointManifest, EngineInfo, EpisodeRow, EvalRow, RunInfo, StatusSnapshot } from '../../src/shared/protocol';
import { DDPG_NETWORKS, environmentRefOf } from '../../src/shared/runFormat';
import { skillAt, type SimulatedEpisode } from './syntheticEpisode';
import { simulateMountainCarEpisode } from './syntheticMountainCar';
import { simulatePendulumEpisode } from './syntheticPendulum';

export type { SimulatedEpisode } from './syntheticEpisode';
export { skillAt } from './syntheticEpisode';

export const SYNTHETIC_ENGINE: EngineInfo = { engine: 'wasm', backend: 'wasm-simd' };
/** Simulated training throughput: steps per second of wall time. */
export const SIMULATED_STEPS_PER_SECOND = 800;

const MUJOCO_IDS = Object.keys(MUJOCO_ENVIRONMENTS) as MujocoEnvironmentId[];

/** What tells the synthetic runs of each environment apart. */
const IDENTITIES: Record<EnvironmentId, { id: string; name: string; created: string }> = {
  'Pendulum-v1': { id: '2025-11-23T20-15-00-pendulum', name: 'pendulum-ddpg · 128×128', created: '2025-11-23T20:15:00.000Z' },
  'MountainCarContinuous-v0': { id: '2025-11-23T21-40-00-mountaincar', name: 'mountaincar-ddpg · 128×128', created: '2025-11-23T21:40:00.000Z' },
  ...(Object.fromEntries(
    MUJOCO_IDS.map((id, index) => {
      const slug = id.toLowerCase().replace(/-v\d+$/, '');
      return [id, { id: `2025-11-24T0${index}-00-00-${slug}`, name: `${slug}-ddpg · 256×256`, created: `2025-11-24T0${index}:00:00.000Z` }];
    }),
  ) as Record<MujocoEnvironmentId, { id: string; name: string; created: string }>),
};

export function syntheticRunId(environment: EnvironmentId): string {
  return IDENTITIES[environment].id;
}

export function syntheticConfig(environment: EnvironmentId = 'Pendulum-v1'): RunConfig {
  return {
    ...defaultConfig(),
    environment,
    actorHidden: [128, 128],
    criticHidden: [128, 128],
    episodes: 150,
    // MountainCar explores with more noise: small pushes never find the flag.
    noiseStd: environment === 'MountainCarContinuous-v0' ? 0.5 : 0.2,
    evalEveryEpisodes: 5,
    evalEverySteps: 0,
    evalEpisodes: 5,
  };
}

/** The time limit the run uses: its own, or its environment's when the setting is 0. */
export function episodeLimit(config: RunConfig): number {
  return config.maxEpisodeSteps || ENVIRONMENTS[config.environment].maxEpisodeSteps;
}

/** One episode of the scripted policy after `trainedEpisodes`; evaluation episodes are deterministic. */
export function simulateEpisode(trainedEpisodes: number, seed: number, phase: 'train' | 'eval', config: RunConfig): SimulatedEpisode {
  if (ENVIRONMENTS[config.environment].mujoco) return mujocoCurveEpisode(trainedEpisodes, seed, phase, config);
  const simulate = config.environment === 'MountainCarContinuous-v0' ? simulateMountainCarEpisode : simulatePendulumEpisode;
  return simulate(trainedEpisodes, skillAt(trainedEpisodes), seed, phase, config, episodeLimit(config));
}

/**
 * A MuJoCo episode's return and length only: the browser has no MuJoCo, so the harness page's
 * MuJoCo runs carry their learning curve and no frames (stream them from Node: syntheticMujoco.ts).
 */
function mujocoCurveEpisode(trainedEpisodes: number, seed: number, phase: 'train' | 'eval', config: RunConfig): SimulatedEpisode {
  const environment = ENVIRONMENTS[config.environment];
  const skill = skillAt(trainedEpisodes);
  const random = new Random(seed);
  const spread = phase === 'train' ? 0.08 : 0.03;
  const limit = episodeLimit(config);
  const length = environment.canTerminate ? Math.max(1, Math.round(limit * Math.min(1, 0.04 + skill * (1 + spread * random.normal())))) : limit;
  const share = environment.canTerminate ? length / limit : 0.05 + 0.9 * skill * (1 + spread * random.normal());
  // A negative threshold (Reacher's distance penalty) is approached from below.
  const threshold = environment.solved.threshold;
  const value = threshold >= 0 ? threshold * share : threshold / Math.max(0.1, share);
  return { return: value, length, stride: environment.frameLabels.length, frames: [] };
}

/**
 * @param step environment steps after this episode
 * @param simulated the episode's return and length
 */
export function episodeRow(
  episode: number,
  step: number,
  config: RunConfig,
  random: Random,
  simulated: Pick<SimulatedEpisode, 'return' | 'length'>,
): EpisodeRow {
  const warmingUp = step <= config.warmupSteps;
  const skill = skillAt(episode);
  const wobble = 1 + 0.25 * random.normal();
  return {
    type: 'episode',
    episode,
    step,
    return: simulated.return,
    length: simulated.length,
    criticLoss: warmingUp ? null : Math.max(1e-3, (0.06 + 14 * Math.exp(-episode / 10)) * wobble),
    actorLoss: warmingUp ? null : 55 * (1 - Math.exp(-episode / 8)) * (1 - 0.75 * skill),
    meanQ: warmingUp ? null : -55 * (1 - Math.exp(-episode / 8)) * (1 - 0.75 * skill) + 1.5 * random.normal(),
    wallTime: step / SIMULATED_STEPS_PER_SECOND,
  };
}

export function evalRow(episode: number, step: number, config: RunConfig): EvalRow {
  const returns: number[] = [];
  for (let i = 0; i < config.evalEpisodes; i++) {
    returns.push(simulateEpisode(episode, 100_000 + i, 'eval', config).return);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / returns.length);
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
  const before = evals.filter((e) => e.step <= last.step);
  const bestEval = before.reduce<number | null>((best, e) => (best === null || e.mean > best ? e.mean : best), null);
  // Judged as the trainer judges it: a best checkpoint by the evaluation that made it best, any other by the latest.
  const judgedBy = reason === 'best' ? before.find((e) => e.mean === bestEval) : before[before.length - 1];
  return {
    formatVersion: 2,
    algorithm: config.algorithm,
    environment: environmentRefOf(config),
    networks: [...DDPG_NETWORKS],
    name,
    runId: IDENTITIES[config.environment].id,
    episode: last.episode,
    step: last.step,
    recentReturn: recent.reduce((a, r) => a + r.return, 0) / recent.length,
    bestEval,
    evaluation: judgedBy ? { mean: judgedBy.mean, std: judgedBy.std, step: judgedBy.step, episode: judgedBy.episode } : null,
    reason,
    created: new Date(Date.parse(IDENTITIES[config.environment].created) + last.wallTime * 1000).toISOString(),
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
  readonly config: RunConfig;
  readonly episodes: EpisodeRow[] = [];
  readonly evals: EvalRow[] = [];
  readonly checkpoints: CheckpointManifest[] = [];
  private readonly random = new Random(2025);
  private bestEval: number | null = null;
  /** Environment steps of the completed episodes. */
  private stepsDone = 0;

  constructor(completedEpisodes: number, environment: EnvironmentId = 'Pendulum-v1') {
    this.config = syntheticConfig(environment);
    for (let i = 0; i < completedEpisodes; i++) this.finishEpisode(this.simulateNextEpisode());
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
  finishEpisode(simulated: SimulatedEpisode): { row: EpisodeRow; evaluation: EvalRow | null; checkpoints: CheckpointManifest[] } {
    this.stepsDone += simulated.length;
    const row = episodeRow(this.nextEpisode, this.stepsDone, this.config, this.random, simulated);
    this.episodes.push(row);
    const saved: CheckpointManifest[] = [];
    let evaluation: EvalRow | null = null;
    if (this.config.evalEveryEpisodes > 0 && row.episode % this.config.evalEveryEpisodes === 0) {
      evaluation = evalRow(row.episode, row.step, this.config);
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
    const identity = IDENTITIES[this.config.environment];
    return {
      id: identity.id,
      name: identity.name,
      created: identity.created,
      updated: new Date(Date.parse(identity.created) + this.elapsedSeconds() * 1000).toISOString(),
      config: this.config,
      algorithm: this.config.algorithm,
      environment: environmentRefOf(this.config),
      engine,
      seed: this.config.seed,
      status,
    };
  }

  elapsedSeconds(stepsIntoEpisode = 0): number {
    return (this.stepsDone + stepsIntoEpisode) / SIMULATED_STEPS_PER_SECOND;
  }

  status(state: StatusSnapshot['state'], stepsIntoEpisode = 0): StatusSnapshot {
    return {
      state,
      episode: this.episodes.length,
      totalEpisodes: this.config.episodes,
      step: this.stepsDone + stepsIntoEpisode,
      totalSteps: null,
      stepsPerSecond: state === 'running' ? SIMULATED_STEPS_PER_SECOND * (0.95 + 0.1 * this.random.next()) : 0,
      elapsedSeconds: this.elapsedSeconds(stepsIntoEpisode),
      latestEval: this.evals[this.evals.length - 1]?.mean ?? null,
      bestEval: this.bestEval,
    };
  }
}
