/**
 * The DDPG agent: action selection (uniform warm-up, then actor + exploration noise) and the
 * update schedule. The arithmetic lives in the engine; this file owns the replay buffer, the
 * noise and the random streams, so that every engine sees the same batches for the same seed.
 */

import type { RunConfig } from '../shared/config';
import type { Engine, NetworkShape, UpdateStats } from './engine/engine';
import { initialParameters } from './engine/parameters';
import { GaussianNoise, OrnsteinUhlenbeckNoise, type ActionNoise } from './noise';
import { Random, type RandomState } from './random';
import { ReplayBuffer } from './replayBuffer';

export interface RandomStreams {
  /** Environment resets. */
  env: Random;
  /** Exploration noise. */
  noise: Random;
  /** Replay sampling. */
  sample: Random;
  /** Uniform warm-up actions. */
  warmup: Random;
}

export type SavedRandom = { words: RandomState; spareNormal: number | null };

/** Independent streams derived from one seed, so changing how often one is used leaves the others alone. */
export function randomStreams(seed: number): RandomStreams {
  return {
    env: new Random(seed * 4 + 0),
    noise: new Random(seed * 4 + 1),
    sample: new Random(seed * 4 + 2),
    warmup: new Random(seed * 4 + 3),
  };
}

export function networkShapeFor(config: RunConfig, env: { obsDim: number; actDim: number; maxTorque: number }): NetworkShape {
  return {
    obsDim: env.obsDim,
    actDim: env.actDim,
    actorHidden: [...config.actorHidden],
    criticHidden: [...config.criticHidden],
    actionBound: env.maxTorque,
  };
}

/** Running sums of update statistics over an episode. */
export class UpdateAccumulator {
  count = 0;
  criticLoss = 0;
  actorLoss = 0;
  meanQ = 0;
  add(s: UpdateStats): void {
    this.count++;
    this.criticLoss += s.criticLoss;
    this.actorLoss += s.actorLoss;
    this.meanQ += s.meanQ;
  }
  means(): { criticLoss: number | null; actorLoss: number | null; meanQ: number | null } {
    if (this.count === 0) return { criticLoss: null, actorLoss: null, meanQ: null };
    return { criticLoss: this.criticLoss / this.count, actorLoss: this.actorLoss / this.count, meanQ: this.meanQ / this.count };
  }
  reset(): void {
    this.count = this.criticLoss = this.actorLoss = this.meanQ = 0;
  }
  getState(): number[] {
    return [this.count, this.criticLoss, this.actorLoss, this.meanQ];
  }
  setState(s: number[]): void {
    [this.count, this.criticLoss, this.actorLoss, this.meanQ] = s;
  }
}

export class DdpgAgent {
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
    this.engine.setParameters(initialParameters(this.engine.shape, new Random(seed * 4 + 1_000_003)));
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
}
