/**
 * Soft Actor-Critic (Haarnoja et al. 2018, with the automatic temperature of the 2018 follow-up):
 * action selection and the noise every update needs. The policy and its update are defined in
 * engine/sacParameters.ts and done by the engine; this file owns the replay buffer and the random
 * streams, so every engine sees the same numbers for the same seed.
 *
 * Acting: uniform actions during warm-up, then a sample tanh(μ + σ·ε)·bound with ε ~ N(0, 1)
 * from the agent's own stream (no exploration noise: the policy's own spread explores);
 * evaluation takes the mean action tanh(μ)·bound.
 *
 * One update (CleanRL's sac_continuous_action.py order, SB3's α loss), with α = exp(log α) as it
 * stands before the update, used by both steps 1 and 3:
 *   1. a′ = tanh(μ(s′) + σ(s′)·ε′)·bound from the online actor, y = r + γ·(1 − terminated)·
 *      (min(Q′1, Q′2)(s′, a′) − α·log π(a′|s′))          (no gradient; the target critics)
 *   2. each critic: mean((Q_i(s, a) − y)²), one Adam step each (one Adam over both critics, as
 *      CleanRL's, is the same thing: Adam is per parameter)
 *   3. actor: mean(α·log π(ã|s) − min(Q1, Q2)(s, ã)), ã = tanh(μ(s) + σ(s)·ε)·bound through the
 *      critics just updated; one Adam step, every update (SB3's schedule: CleanRL's default
 *      policy_frequency 2 makes two actor steps every second update instead, the same count)
 *   4. when autotuning: log α's loss −log α·mean(log π(ã|s) + target entropy) (SB3's form; its
 *      gradient does not scale with α), log π from step 3 held fixed — SB3 also reuses the update's
 *      own sample, where CleanRL draws a third one — and one Adam step on log α
 *   5. target_i ← τ·critic_i + (1 − τ)·target_i, every update (CleanRL's target_network_frequency 1)
 * Per update the agent draws ε′ (batch.targetNoise) and then ε (batch.policyNoise), B·actDim
 * normals each. Statistics: criticLoss = ½(L1 + L2), actorLoss, alphaLoss, alpha (the α used),
 * entropy = −mean log π of step 3, meanQ = mean ½(Q1 + Q2)(s, a) before the critic steps.
 */

import type { RunConfig } from '../../shared/config';
import { SAC_NETWORKS } from '../../shared/runFormat';
import type { Engine } from '../engine/engine';
import { isSacEngine, sacInitialParameters, type SacEngine } from '../engine/sacParameters';
import type { ActionNoise } from '../noise';
import type { Random } from '../random';
import { initialisationRandom, randomStreams, sacPolicyRandom, type RandomStreams } from '../randomStreams';
import { ReplayBuffer } from '../replayBuffer';
import type { Agent, AgentState } from './agent';
import type { AlgorithmSpec } from './algorithm';
import type { UpdateAccumulator } from './updateStatistics';

export const SAC: AlgorithmSpec = {
  id: 'sac',
  networks: SAC_NETWORKS,
  optimizers: [
    { name: 'actor', network: 'actor' },
    { name: 'critic1', network: 'critic1' },
    { name: 'critic2', network: 'critic2' },
    { name: 'alpha', network: 'logAlpha' },
  ],
  statistics: ['criticLoss', 'actorLoss', 'alphaLoss', 'alpha', 'entropy', 'meanQ'],
};

/** SAC adds no noise to its actions; the trainer still resets and saves "the" noise. */
const NO_ACTION_NOISE: ActionNoise = {
  sample: (out) => out.fill(0),
  reset: () => {},
  getState: () => [],
  setState: () => {},
};

export class SacAgent implements Agent {
  readonly spec = SAC;
  readonly buffer: ReplayBuffer;
  readonly noise = NO_ACTION_NOISE;
  readonly rng: RandomStreams;
  readonly engine: SacEngine;
  /** ε for acting and ε′, ε for every update. */
  private readonly policyRandom: Random;
  private readonly obsScratch: Float32Array;
  private readonly noiseScratch: Float32Array;
  private readonly actionScratch: Float32Array;
  private readonly bound: number;

  constructor(
    engine: Engine,
    readonly config: RunConfig,
    seed: number,
  ) {
    if (!isSacEngine(engine)) throw new Error(`the ${engine.info.engine} engine given to SAC cannot sample a stochastic policy (it was built for another algorithm)`);
    if (!engine.batch.targetNoise || !engine.batch.policyNoise) throw new Error('a SAC engine must provide batch.targetNoise and batch.policyNoise');
    this.engine = engine;
    const shape = engine.shape;
    this.rng = randomStreams(seed);
    this.policyRandom = sacPolicyRandom(seed);
    this.bound = shape.actionBound;
    this.buffer = new ReplayBuffer(config.bufferSize, shape.obsDim, shape.actDim);
    this.obsScratch = new Float32Array(shape.obsDim);
    this.noiseScratch = new Float32Array(shape.actDim);
    this.actionScratch = new Float32Array(shape.actDim);
  }

  initialiseNetworks(seed: number): void {
    this.engine.setParameters(sacInitialParameters(this.engine.shape, initialisationRandom(seed), this.config.initialAlpha));
  }

  trainingAction(obs: ArrayLike<number>, stepsSoFar: number): Float32Array {
    const out = this.actionScratch;
    if (stepsSoFar < this.config.warmupSteps) {
      for (let i = 0; i < out.length; i++) out[i] = this.rng.warmup.uniform(-this.bound, this.bound);
      return out;
    }
    this.copyObservation(obs);
    this.fillNormal(this.noiseScratch);
    out.set(this.engine.sampleActions(this.obsScratch, this.noiseScratch, 1));
    return out;
  }

  /** The mean action tanh(μ(s))·bound. */
  greedyAction(obs: ArrayLike<number>): Float32Array {
    this.copyObservation(obs);
    return this.engine.act(this.obsScratch, 1);
  }

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
    const batch = this.engine.batch;
    for (let k = 0; k < this.config.updatesPerStep; k++) {
      this.buffer.sampleInto(batch, this.rng.sample);
      this.fillNormal(batch.targetNoise!);
      this.fillNormal(batch.policyNoise!);
      stats.add(this.engine.update());
    }
    return this.config.updatesPerStep;
  }

  getState(): AgentState {
    return { policyNoise: this.policyRandom.getState() };
  }

  setState(state: AgentState): void {
    const saved = state.policyNoise as { words?: unknown; spareNormal?: unknown } | undefined;
    const words = saved?.words;
    if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) || words.every((w) => w === 0)) {
      throw new Error('policyNoise must be a random stream state: four 32-bit words, not all zero');
    }
    const spare = saved!.spareNormal;
    if (spare !== null && !(typeof spare === 'number' && Number.isFinite(spare))) throw new Error('policyNoise.spareNormal must be a finite number or null');
    this.policyRandom.setState({ words: words as [number, number, number, number], spareNormal: spare });
  }

  private copyObservation(obs: ArrayLike<number>): void {
    for (let i = 0; i < this.obsScratch.length; i++) this.obsScratch[i] = obs[i];
  }

  private fillNormal(out: Float32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.policyRandom.normal();
  }
}
