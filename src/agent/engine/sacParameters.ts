/**
 * SAC's side of the engine contract, shared by its engines, its agent and its checkpoints.
 *
 * Parameters (engine.ts's flat layout):
 *   actor         obsDim → actorHidden… (ReLU) → 2·actDim (linear). Output columns 0…actDim−1 are
 *                 the Gaussian's mean μ, columns actDim…2·actDim−1 the raw log-std head h; one
 *                 kernel for both heads so that every engine runs the actor as one plain network.
 *                 log σ = LOG_STD_MIN + ½(LOG_STD_MAX − LOG_STD_MIN)(tanh(h) + 1)  (CleanRL's bound)
 *   critic1/2     as DDPG's critic; targetCritic1/2 their targets
 *   logAlpha      one number, log α (α = exp(log α) is the entropy temperature)
 * Policy, for ε ~ N(0, 1) drawn by the agent: u = μ + σ·ε, action = tanh(u)·actionBound, and
 *   log π = Σ_j [−½ε_j² − log σ_j − ½·log 2π − log(1 − tanh²(u_j))],
 * the density of the squashed action in [−1, 1]ᴬ (SB3's convention: the target entropy then means
 * the same whatever an environment's action bound). log(1 − tanh²(u)) is computed as
 * 2·(log 2 − u − softplus(−2u)) (Spinning Up's form), exact in float32 where tanh rounds to ±1;
 * CleanRL and SB3 write log(1 − tanh² + 1e-6) instead, whose float32 value near saturation is
 * rounding noise, so two float32 engines (or one and a float64 reference) could not agree on it.
 * Its gradient is simply d/du[−log(1 − tanh²(u))] = 2·tanh(u).
 * The deterministic action is tanh(μ)·bound.
 */

import type { AdamState, Engine, NetworkParameters, NetworkShape, OptimizerState, UpdateHyperparameters } from './engine';
import { criticLayers, initialNetwork, layerSizes, parameterCount, zeroAdamState } from './parameters';
import type { Random } from '../random';

export const LOG_STD_MIN = -5;
export const LOG_STD_MAX = 2;
export const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

export const SAC_CRITICS = ['critic1', 'critic2'] as const;
export const SAC_TARGET_OF = { critic1: 'targetCritic1', critic2: 'targetCritic2' } as const;
/** Trained parameter vectors, each with its own Adam (the critics' two equal one Adam over both). */
export const SAC_TRAINED = ['actor', 'critic1', 'critic2', 'logAlpha'] as const;
export type SacTrained = (typeof SAC_TRAINED)[number];
/** The optimizer of each trained vector (the names the algorithm spec declares). */
export const SAC_OPTIMIZER_OF: Readonly<Record<SacTrained, string>> = { actor: 'actor', critic1: 'critic1', critic2: 'critic2', logAlpha: 'alpha' };

/** SAC's settings beyond UpdateHyperparameters (RunConfig's names; the trainer passes the whole config). */
export interface SacHyperparameters extends UpdateHyperparameters {
  alphaLr: number;
  autotuneAlpha: boolean;
  /** Target entropy per action dimension; the target is this times actDim. */
  targetEntropyPerAction: number;
}

export const SAC_HYPER_DEFAULTS = { alphaLr: 1e-3, autotuneAlpha: true, targetEntropyPerAction: -1 } as const;

/** SAC's hyperparameters from whatever the caller passed (absent ones get config.ts's defaults). */
export function sacHyperparametersOf(hyper: UpdateHyperparameters): SacHyperparameters {
  const given = hyper as Partial<SacHyperparameters>;
  const out: SacHyperparameters = {
    gamma: hyper.gamma,
    tau: hyper.tau,
    actorLr: hyper.actorLr,
    criticLr: hyper.criticLr,
    alphaLr: given.alphaLr ?? SAC_HYPER_DEFAULTS.alphaLr,
    autotuneAlpha: given.autotuneAlpha ?? SAC_HYPER_DEFAULTS.autotuneAlpha,
    targetEntropyPerAction: given.targetEntropyPerAction ?? SAC_HYPER_DEFAULTS.targetEntropyPerAction,
  };
  for (const key of ['gamma', 'tau', 'actorLr', 'criticLr', 'alphaLr', 'targetEntropyPerAction'] as const) {
    if (!Number.isFinite(out[key])) throw new RangeError(`${key} must be a finite number; got ${out[key]}`);
  }
  if (typeof out.autotuneAlpha !== 'boolean') throw new RangeError(`autotuneAlpha must be true or false; got ${String(out.autotuneAlpha)}`);
  return out;
}

/** An engine running SAC: besides the mean action, it samples the policy with noise the caller drew. */
export interface SacEngine extends Engine {
  /**
   * tanh(μ(s) + σ(s)·ε)·bound for `count` observations and `noise` ε [count·actDim]. Returns
   * [count·actDim]; the array may be reused by the next call.
   */
  sampleActions(obs: Float32Array, noise: Float32Array, count: number): Float32Array;
}

export function isSacEngine(engine: Engine): engine is SacEngine {
  return typeof (engine as Partial<SacEngine>).sampleActions === 'function';
}

export function sacActorLayers(shape: NetworkShape): Array<[number, number]> {
  return layerSizes(shape.obsDim, shape.actorHidden, 2 * shape.actDim);
}

export function sacParameterCount(shape: NetworkShape, network: SacTrained): number {
  if (network === 'logAlpha') return 1;
  return parameterCount(network === 'actor' ? sacActorLayers(shape) : criticLayers(shape));
}

/** Actor, then critic 1, then critic 2 from the RNG (DDPG's initialisation); targets start as copies. */
export function sacInitialParameters(shape: NetworkShape, rng: Random, initialAlpha: number): NetworkParameters {
  if (!(initialAlpha > 0) || !Number.isFinite(initialAlpha)) throw new RangeError(`initialAlpha must be positive; got ${initialAlpha}`);
  const actor = initialNetwork(sacActorLayers(shape), rng);
  const critic1 = initialNetwork(criticLayers(shape), rng);
  const critic2 = initialNetwork(criticLayers(shape), rng);
  return {
    actor,
    critic1,
    critic2,
    targetCritic1: critic1.slice(),
    targetCritic2: critic2.slice(),
    logAlpha: Float32Array.of(Math.log(initialAlpha)),
  };
}

export function sacZeroOptimizerState(shape: NetworkShape): OptimizerState {
  return Object.fromEntries(SAC_TRAINED.map((n) => [SAC_OPTIMIZER_OF[n], zeroAdamState(sacParameterCount(shape, n))]));
}

/** Every parameter vector SAC has, by name, with its size. */
export function sacParameterSizes(shape: NetworkShape): Record<string, number> {
  const critic = sacParameterCount(shape, 'critic1');
  return { actor: sacParameterCount(shape, 'actor'), critic1: critic, critic2: critic, targetCritic1: critic, targetCritic2: critic, logAlpha: 1 };
}

/** Throws naming the first vector that is missing or has the wrong size. */
export function assertSacParameterSizes(shape: NetworkShape, params: NetworkParameters): void {
  for (const [name, size] of Object.entries(sacParameterSizes(shape))) {
    const values = params[name];
    if (!(values instanceof Float32Array)) throw new Error(`${name} is missing; SAC needs actor, critic1, critic2, targetCritic1, targetCritic2 and logAlpha`);
    if (values.length !== size) throw new Error(`${name} has ${values.length} parameters; this network shape needs ${size}`);
  }
}

/** Throws naming the first optimizer whose moments or step count do not fit. */
export function assertSacOptimizerState(shape: NetworkShape, state: OptimizerState): void {
  for (const network of SAC_TRAINED) {
    const name = SAC_OPTIMIZER_OF[network];
    const s: AdamState | undefined = state[name];
    const size = sacParameterCount(shape, network);
    if (!s) throw new Error(`${name} optimizer state is missing`);
    if (s.m.length !== size || s.v.length !== size) throw new Error(`${name} optimizer state has ${s.m.length}/${s.v.length} moments; this network shape needs ${size}`);
    if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`${name} optimizer step must be a non-negative integer; got ${s.step}`);
  }
}

/** log(1 − tanh²(u)) without cancellation: 2·(log 2 − u − softplus(−2u)). */
export function logOneMinusTanhSquared(u: number): number {
  const x = -2 * u;
  const softplus = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  return 2 * (Math.LN2 - u - softplus);
}

/** log σ from the raw log-std head output. */
export function boundedLogStd(rawHead: number): number {
  return LOG_STD_MIN + 0.5 * (LOG_STD_MAX - LOG_STD_MIN) * (Math.tanh(rawHead) + 1);
}
