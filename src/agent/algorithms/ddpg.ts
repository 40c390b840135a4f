/**
 * DDPG (Lillicrap et al. 2016): action selection (uniform warm-up, then actor + exploration noise)
 * and the update schedule (every step after warm-up, `updatesPerStep` updates). The arithmetic of
 * an update lives in the engine; this file owns the replay buffer, the noise and the random
 * streams, so that every engine sees the same batches for the same seed.
 */

import type { RunConfig } from '../../shared/config';
import { DDPG_NETWORKS } from '../../shared/runFormat';
import type { Engine, NetworkShape } from '../engine/engine';
import { initialParameters } from '../engine/parameters';
import { GaussianNoise, OrnsteinUhlenbeckNoise, type ActionNoise } from '../noise';
import { initialisationRandom, randomStreams, type RandomStreams } from '../randomStreams';
import { ReplayBuffer } from '../replayBuffer';
import type { Agent, AgentState } from './agent';
import type { AlgorithmSpec } from './algorithm';
import type { UpdateAccumulator } from './updateStatistics';

export const DDPG: AlgorithmSpec = {
  id: 'ddpg',
  networks: DDPG_NETWORKS,
  optimizers: [
    { name: 'actor', network: 'actor' },
    { name: 'critic', network: 'critic' },
  ],
  statistics: ['criticLoss', 'actorLoss', 'meanQ'],
};

/** The networks' sizes for a configuration on an environment with these observation/action sizes and bound. */
export function networkShapeFor(config: Pick<RunConfig, 'actorHidden' | 'criticHidden'>, env: { obsDim: number; actDim: number; actionBound: number }): NetworkShape {
  return {
    obsDim: env.obsDim,
    actDim: env.actDim,
    actorHidden: [...config.actorHidden],
    criticHidden: [...config.criticHidden],
    actionBound: env.actionBound,
  };
}

export class DdpgAgent implements Agent {
  readonly spec = DDPG;
  readonly buffer: ReplayBuffer;
  readonly noise: ActionNoise;
  readonly rng: RandomStreams;
  private readonly obsScratch: Float32Array;
  private readonly noiseScratch: Float32Array;
  private readonly actionScratch: Float32Array;
  private readonly bound: number;

  constructor(
    readonly engine: Engine,
    readonly config: RunConfig,
    seed: number,
  ) {
    const shape = engine.shape;
    this.rng = randomStreams(seed);
    this.bound = shape.actionBound;
    this.buffer = new ReplayBuffer(config.bufferSize, shape.obsDim, shape.actDim);
    const sigma = config.noiseStd * shape.actionBound;
    this.noise =
      config.noiseType === 'ou'
        ? new OrnsteinUhlenbeckNoise(shape.actDim, config.ouTheta, sigma, this.rng.noise)
        : new GaussianNoise(sigma, this.rng.noise);
    this.obsScratch = new Float32Array(shape.obsDim);
    this.noiseScratch = new Float32Array(shape.actDim);
    this.actionScratch = new Float32Array(shape.actDim);
  }

  /** Fresh networks from the seed (targets equal to the online networks). */
  initialiseNetworks(seed: number): void {
    this.engine.setParameters(initialParameters(this.engine.shape, initialisationRandom(seed)));
  }

  /**
   * The action to take in training. `stepsSoFar` counts env steps already taken by the run:
   * warm-up steps use uniform random actions.
   */
  trainingAction(obs: ArrayLike<number>, stepsSoFar: number): Float32Array {
    const out = this.actionScratch;
    if (stepsSoFar < this.config.warmupSteps) {
      for (let i = 0; i < out.length; i++) out[i] = this.rng.warmup.uniform(-this.bound, this.bound);
      return out;
    }
    const greedy = this.greedyAction(obs);
    this.noise.sample(this.noiseScratch);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(this.bound, Math.max(-this.bound, greedy[i] + this.noiseScratch[i]));
    return out;
  }

  /** The online actor's deterministic action (evaluation). */
  greedyAction(obs: ArrayLike<number>): Float32Array {
    for (let i = 0; i < this.obsScratch.length; i++) this.obsScratch[i] = obs[i];
    return this.engine.act(this.obsScratch, 1);
  }

  /** Stores a transition and runs the updates due after it; returns how many updates ran. */
  observe(
    obs: ArrayLike<number>,
    action: ArrayLike<number>,
    reward: number,
    nextObs: ArrayLike<number>,
    terminated: boolean,
    stepsSoFar: number,
    stats: UpdateAccumulator,
  ): number {
    this.buffer.add(obs, action, reward, nextObs, terminated);
    if (stepsSoFar < this.config.warmupSteps || this.buffer.size < this.config.batchSize) return 0;
    for (let k = 0; k < this.config.updatesPerStep; k++) {
      this.buffer.sampleInto(this.engine.batch, this.rng.sample);
      stats.add(this.engine.update());
    }
    return this.config.updatesPerStep;
  }

  /** DDPG keeps nothing beyond the trainer's streams and noise. */
  getState(): AgentState {
    return {};
  }

  setState(): void {}
}
