/**
 * The numeric core behind one interface, so the algorithm does not care whether TensorFlow.js or
 * the fused WebAssembly kernels do the arithmetic.
 *
 * Parameter layout (shared by every engine and by checkpoints): a network is a stack of dense
 * layers; layer l has a kernel W_l of shape [in_l, out_l] stored row-major (W[i*out + j] connects
 * input i to output j, the same as a TensorFlow.js Dense kernel) followed by its bias b_l [out_l].
 * A network's flat vector is W_0, b_0, W_1, b_1, …, W_last, b_last.
 *   actor:  obsDim → actorHidden… (ReLU) → actDim, output tanh(z)·actionBound
 *   critic: obsDim+actDim (observation first, then action) → criticHidden… (ReLU) → 1 (linear)
 *
 * One update (the DDPG paper, in this order):
 *   1. y = r + γ·(1 − terminated)·Q′(s′, μ′(s′))   (targets, no gradient)
 *   2. critic loss L = mean((Q(s, a) − y)²); one Adam step on the critic
 *   3. actor loss J = −mean Q(s, μ(s)) through the *updated* critic; one Adam step on the actor
 *   4. target ← τ·online + (1 − τ)·target for both networks
 * Adam: β1 = 0.9, β2 = 0.999, ε = 1e-8, t starts at 1,
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
 *   θ ← θ − lr·(m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * meanQ reported is mean Q(s, a) of step 2, before the critic's Adam step.
 */

import type { AlgorithmId } from '../../shared/config';
import type { EngineInfo } from '../../shared/protocol';

export type { EngineInfo };

export interface NetworkShape {
  obsDim: number;
  actDim: number;
  actorHidden: number[];
  criticHidden: number[];
  /** The actor's output is tanh(·)·actionBound. */
  actionBound: number;
}

export interface UpdateHyperparameters {
  gamma: number;
  tau: number;
  actorLr: number;
  criticLr: number;
}

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** Row-major arrays of one sampled batch: obs [B·obsDim], action [B·actDim], reward/terminated [B]. */
export interface Batch {
  obs: Float32Array;
  action: Float32Array;
  reward: Float32Array;
  nextObs: Float32Array;
  /** 1 where the transition terminated (never for Pendulum), 0 otherwise; truncation is not termination. */
  terminated: Float32Array;
  /**
   * Noise for the actions at s′ [B·actDim], drawn in TypeScript with the batch so that every
   * engine sees the same numbers (TD3's clipped target smoothing noise, SAC's ε′ ~ N(0, 1));
   * absent for algorithms that take none.
   */
  targetNoise?: Float32Array;
  /** Noise for the actions at s [B·actDim] (SAC's reparameterisation ε ~ N(0, 1)); absent when unused. */
  policyNoise?: Float32Array;
}

/**
 * One update's statistics by name; the algorithm declares which (DDPG: criticLoss, actorLoss, and
 * meanQ = mean Q(s, a) of step 2, before the critic's Adam step).
 */
export interface UpdateStats {
  [statistic: string]: number;
}

/**
 * Which parts of an update run, for algorithms whose schedule skips some (TD3 steps its actor and
 * soft-updates its targets only every policyDelay-th critic update). Absent: all of them. An
 * engine whose algorithm has no such schedule ignores it.
 */
export interface UpdateSchedule {
  actorAndTargets: boolean;
}

/**
 * Every network's flat parameters, keyed by the names the algorithm declares
 * (DDPG: actor, critic, targetActor, targetCritic).
 */
export type NetworkParameters = Record<string, Float32Array>;

export interface AdamState {
  m: Float32Array;
  v: Float32Array;
  /** Number of Adam steps taken so far (the next step uses t = step + 1). */
  step: number;
}

/** Adam state of every optimizer, keyed by the names the algorithm declares (DDPG: actor, critic). */
export type OptimizerState = Record<string, AdamState>;

export interface Engine {
  readonly info: EngineInfo;
  readonly shape: NetworkShape;
  readonly batchSize: number;
  /**
   * Preallocated batch arrays owned by the engine (for wasm they may be views into its memory):
   * the caller fills them, then calls update(). Never reallocated.
   */
  readonly batch: Batch;
  /** One full update of the engine's algorithm on the current contents of `batch`. */
  update(schedule?: UpdateSchedule): UpdateStats;
  /**
   * Deterministic actions of the online actor for `count` observations (row-major obs).
   * Returns [count·actDim]; the returned array may be reused by the next call.
   */
  act(obs: Float32Array, count: number): Float32Array;
  getParameters(): NetworkParameters;
  setParameters(params: NetworkParameters): void;
  getOptimizerState(): OptimizerState;
  setOptimizerState(state: OptimizerState): void;
  setHyperparameters(hyper: UpdateHyperparameters): void;
  /** How updates were spread over threads so far, for engines that can use more than one. */
  threadUsage?(): ThreadUsage | null;
  dispose(): void;
}

export interface ThreadUsage {
  /** Updates run with a second thread taking part, out of all updates. */
  twoThreadUpdates: number;
  updates: number;
  /** Times an adaptive engine changed its mind after its first decision (0 for a fixed count). */
  switches: number;
  /** Chunks of work the second thread actually computed (0: it never took part). */
  helperChunks: number;
}

export interface EngineOptions {
  /** The algorithm whose update the engine runs; DDPG when absent. */
  algorithm?: AlgorithmId;
  shape: NetworkShape;
  hyper: UpdateHyperparameters;
  batchSize: number;
}
