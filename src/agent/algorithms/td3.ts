/**
 * TD3 (Fujimoto et al. 2018): DDPG's exploration (uniform warm-up, then actor + Gaussian/OU
 * noise), with twin critics, a clipped double-Q target with target policy smoothing, and the actor
 * and targets updated only every `policyDelay`-th critic update. The arithmetic is the engine's;
 * this file owns the schedule and the smoothing noise, drawn here from the agent's own seeded
 * stream so that every engine sees the same numbers and a resumed run continues exactly.
 *
 * Schedule: counting critic updates from 0, update k also steps the actor and the targets when
 * k % policyDelay = 0 — so the very first update does, and every statistic has a value from it on.
 *
 * Statistics of one update: criticLoss is the mean of the two critics' losses (the scale of
 * DDPG's, and CleanRL's logged qf_loss / 2); q1 and q2 are mean Q1(s, a) and Q2(s, a) before the
 * critics' step, meanQ their mean. actorLoss exists only on updates that step the actor: on the
 * others this agent reports the latest one computed, so an episode's mean is the mean of the
 * actor losses computed in it with each counted policyDelay times (exactly their mean when the
 * episode holds whole delay cycles), and no NaN or zero drags it.
 */

import type { RunConfig } from '../../shared/config';
import { TD3_NETWORKS } from '../../shared/runFormat';
import type { Engine, UpdateSchedule } from '../engine/engine';
import { td3InitialParameters } from '../engine/td3Parameters';
import { Random } from '../random';
import { initialisationRandom, type SavedRandom } from '../randomStreams';
import type { AgentState } from './agent';
import type { AlgorithmSpec } from './algorithm';
import { DdpgAgent } from './ddpg';
import type { UpdateAccumulator } from './updateStatistics';

export const TD3: AlgorithmSpec = {
  id: 'td3',
  networks: TD3_NETWORKS,
  // Two Adams for the critics rather than CleanRL's one over both: Adam is elementwise and both
  // step every update, so the arithmetic is identical, and one optimizer per network is the
  // layout checkpoints already know (each optimizer's moments sized by its network).
  optimizers: [
    { name: 'actor', network: 'actor' },
    { name: 'critic1', network: 'critic1' },
    { name: 'critic2', network: 'critic2' },
  ],
  statistics: ['criticLoss', 'actorLoss', 'meanQ', 'q1', 'q2'],
};

const FULL_UPDATE: UpdateSchedule = Object.freeze({ actorAndTargets: true });
const CRITICS_ONLY: UpdateSchedule = Object.freeze({ actorAndTargets: false });

/** The smoothing noise's stream: apart from the trainer's four and the initialisation's. */
export function targetNoiseRandom(seed: number): Random {
  return new Random(seed * 4 + 2_000_003);
}

/** clip(N(0, σ), ±clip) into `out`, with σ and clip in action units. */
export function drawTargetNoise(out: Float32Array, rng: Random, sigma: number, clip: number): void {
  for (let k = 0; k < out.length; k++) out[k] = Math.min(clip, Math.max(-clip, rng.normal() * sigma));
}

export class Td3Agent extends DdpgAgent {
  override readonly spec = TD3;
  private readonly targetNoise: Random;
  private readonly targetNoiseArray: Float32Array;
  private readonly targetNoiseSigma: number;
  private readonly targetNoiseClip: number;
  /** Critic updates so far; the policy-delay counter. */
  private criticUpdates = 0;
  /** The latest actor loss the engine computed (see the header). */
  private latestActorLoss = 0;

  constructor(engine: Engine, config: RunConfig, seed: number) {
    super(engine, config, seed);
    const noise = engine.batch.targetNoise;
    if (!noise || noise.length !== engine.batchSize * engine.shape.actDim) {
      throw new Error(`the ${engine.info.engine} engine has no target noise array of ${engine.batchSize}×${engine.shape.actDim}: it is not a TD3 engine`);
    }
    this.targetNoiseArray = noise;
    this.targetNoise = targetNoiseRandom(seed);
    this.targetNoiseSigma = config.targetPolicyNoise * engine.shape.actionBound;
    this.targetNoiseClip = config.targetNoiseClip * engine.shape.actionBound;
  }

  override initialiseNetworks(seed: number): void {
    this.engine.setParameters(td3InitialParameters(this.engine.shape, initialisationRandom(seed)));
  }

  override observe(
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
      drawTargetNoise(this.targetNoiseArray, this.targetNoise, this.targetNoiseSigma, this.targetNoiseClip);
      const stepsActor = this.criticUpdates % this.config.policyDelay === 0;
      this.criticUpdates++;
      const result = this.engine.update(stepsActor ? FULL_UPDATE : CRITICS_ONLY);
      if (stepsActor) this.latestActorLoss = result.actorLoss;
      else result.actorLoss = this.latestActorLoss;
      stats.add(result);
    }
    return this.config.updatesPerStep;
  }

  /** The policy-delay counter, the latest actor loss and the smoothing noise's stream. */
  override getState(): AgentState {
    return {
      criticUpdates: this.criticUpdates,
      // JSON has no NaN: a diverged loss is stored as null.
      latestActorLoss: Number.isFinite(this.latestActorLoss) ? this.latestActorLoss : null,
      targetNoise: this.targetNoise.getState(),
    };
  }

  override setState(state: AgentState = {}): void {
    const { criticUpdates, latestActorLoss, targetNoise } = state;
    if (typeof criticUpdates !== 'number' || !Number.isInteger(criticUpdates) || criticUpdates < 0) {
      throw new Error(`criticUpdates must be a non-negative integer; got ${JSON.stringify(criticUpdates)}`);
    }
    if (latestActorLoss !== null && !(typeof latestActorLoss === 'number' && Number.isFinite(latestActorLoss))) {
      throw new Error(`latestActorLoss must be a finite number or null; got ${JSON.stringify(latestActorLoss)}`);
    }
    const saved = targetNoise as SavedRandom | undefined;
    const words = saved?.words;
    if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) || words.every((w) => w === 0)) {
      throw new Error('targetNoise must hold four 32-bit words, not all zero');
    }
    if (saved!.spareNormal !== null && !Number.isFinite(saved!.spareNormal)) throw new Error('targetNoise.spareNormal must be a finite number or null');
    this.criticUpdates = criticUpdates;
    this.latestActorLoss = latestActorLoss === null ? Number.NaN : latestActorLoss;
    this.targetNoise.setState(saved!);
  }
}
