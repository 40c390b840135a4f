/**
 * A plain float64 implementation of the SAC update as src/agent/algorithms/sac.ts orders it and
 * src/agent/engine/sacParameters.ts defines the policy: the oracle SAC's engines are tested
 * against. It reuses referenceDdpg.ts's dense layers, critic loss, Adam and soft update, and
 * writes the squashed Gaussian's forward and backward out by hand.
 */

import type { NetworkShape, UpdateStats } from '../../src/agent/engine/engine';
import { criticLayers } from '../../src/agent/engine/parameters';
import {
  HALF_LOG_TWO_PI,
  logOneMinusTanhSquared,
  LOG_STD_MAX,
  LOG_STD_MIN,
  SAC_OPTIMIZER_OF,
  SAC_TRAINED,
  sacActorLayers,
  type SacHyperparameters,
} from '../../src/agent/engine/sacParameters';
import {
  adamStep,
  criticForward,
  criticInput,
  criticLossAndGradient,
  mlpBackward,
  mlpForward,
  softUpdate,
  type BatchLike,
  type MlpTrace,
  type Numbers,
  type OptimizerStateLike,
  type ParametersLike,
  type ReferenceAdamState,
} from './referenceDdpg';

export interface SacBatchLike extends BatchLike {
  targetNoise: Numbers;
  policyNoise: Numbers;
}

const LOG_STD_HALF_RANGE = 0.5 * (LOG_STD_MAX - LOG_STD_MIN);

/** The policy at `count` observations with noise ε, and what its backward pass needs. */
export interface PolicySample {
  trace: MlpTrace;
  /** tanh(u)·bound [count·actDim]. */
  action: Float64Array;
  /** tanh(u). */
  squashed: Float64Array;
  std: Float64Array;
  /** tanh(h) of the raw log-std head. */
  headTanh: Float64Array;
  /** log π per row [count]. */
  logProb: Float64Array;
}

export function samplePolicy(shape: NetworkShape, actor: Numbers, obs: Numbers, noise: Numbers, count: number): PolicySample {
  const a = shape.actDim;
  const trace = mlpForward(sacActorLayers(shape), actor, obs, count, { kind: 'linear' });
  const out = trace.output;
  const action = new Float64Array(count * a);
  const squashed = new Float64Array(count * a);
  const std = new Float64Array(count * a);
  const headTanh = new Float64Array(count * a);
  const logProb = new Float64Array(count);
  for (let n = 0; n < count; n++) {
    for (let j = 0; j < a; j++) {
      const k = n * a + j;
      const mean = out[n * 2 * a + j];
      headTanh[k] = Math.tanh(out[n * 2 * a + a + j]);
      const logStd = LOG_STD_MIN + LOG_STD_HALF_RANGE * (headTanh[k] + 1);
      std[k] = Math.exp(logStd);
      const e = noise[k];
      const u = mean + std[k] * e;
      squashed[k] = Math.tanh(u);
      action[k] = squashed[k] * shape.actionBound;
      logProb[n] += -0.5 * e * e - logStd - HALF_LOG_TWO_PI - logOneMinusTanhSquared(u);
    }
  }
  return { trace, action, squashed, std, headTanh, logProb };
}

/** tanh(μ(s))·bound: the deterministic action. */
export function meanAction(shape: NetworkShape, actor: Numbers, obs: Numbers, count: number): Float64Array {
  const out = mlpForward(sacActorLayers(shape), actor, obs, count, { kind: 'linear' }).output;
  const a = shape.actDim;
  return Float64Array.from({ length: count * a }, (_, k) => Math.tanh(out[Math.floor(k / a) * 2 * a + (k % a)]) * shape.actionBound);
}

/** y = r + γ·(1 − terminated)·(min(Q′1, Q′2)(s′, a′) − α·log π(a′|s′)), a′ from the online actor with ε′. */
export function sacTargets(shape: NetworkShape, gamma: number, alpha: number, params: ParametersLike, batch: SacBatchLike): Float64Array {
  const count = batch.reward.length;
  const next = samplePolicy(shape, params.actor, batch.nextObs, batch.targetNoise, count);
  const q1 = criticForward(shape, params.targetCritic1, batch.nextObs, next.action, count);
  const q2 = criticForward(shape, params.targetCritic2, batch.nextObs, next.action, count);
  return q1.map((q, n) => batch.reward[n] + gamma * (1 - batch.terminated[n]) * (Math.min(q, q2[n]) - alpha * next.logProb[n]));
}

/**
 * J = mean(α·log π − min(Q1, Q2)(s, ã)) with ã = tanh(μ + σ·ε)·bound, critics held fixed, and
 * dJ/dactor. Where Q1 = Q2 the gradient goes through critic 1 (as tfjs's minimum does).
 */
export function sacActorLossAndGradient(
  shape: NetworkShape,
  params: ParametersLike,
  alpha: number,
  obs: Numbers,
  noise: Numbers,
  count: number,
): { loss: number; gradient: Float64Array; meanLogProb: number } {
  const a = shape.actDim;
  const policy = samplePolicy(shape, params.actor, obs, noise, count);
  const cLayers = criticLayers(shape);
  const input = criticInput(shape, obs, policy.action, count);
  const trace1 = mlpForward(cLayers, params.critic1, input, count, { kind: 'linear' });
  const trace2 = mlpForward(cLayers, params.critic2, input, count, { kind: 'linear' });
  const dQ1 = new Float64Array(count);
  const dQ2 = new Float64Array(count);
  let loss = 0;
  let sumLogProb = 0;
  for (let n = 0; n < count; n++) {
    const first = trace1.output[n] <= trace2.output[n];
    loss += alpha * policy.logProb[n] - (first ? trace1.output[n] : trace2.output[n]);
    sumLogProb += policy.logProb[n];
    (first ? dQ1 : dQ2)[n] = -1 / count;
  }
  const width = shape.obsDim + a;
  const d1 = mlpBackward(cLayers, params.critic1, trace1, dQ1, { kind: 'linear' }).inputGradient;
  const d2 = mlpBackward(cLayers, params.critic2, trace2, dQ2, { kind: 'linear' }).inputGradient;
  const dOut = new Float64Array(count * 2 * a);
  const dLogProb = alpha / count;
  for (let n = 0; n < count; n++) {
    for (let j = 0; j < a; j++) {
      const k = n * a + j;
      const t = policy.squashed[k];
      const oneMinusT2 = 1 - t * t;
      const dAction = d1[n * width + shape.obsDim + j] + d2[n * width + shape.obsDim + j];
      // log π depends on u through −log(1 − tanh²(u)), slope 2·tanh(u), and on log σ with slope −1.
      const dU = dLogProb * 2 * t + dAction * shape.actionBound * oneMinusT2;
      const dLogStd = dU * policy.std[k] * noise[k] - dLogProb;
      dOut[n * 2 * a + j] = dU;
      dOut[n * 2 * a + a + j] = dLogStd * LOG_STD_HALF_RANGE * (1 - policy.headTanh[k] * policy.headTanh[k]);
    }
  }
  const { gradient } = mlpBackward(sacActorLayers(shape), params.actor, policy.trace, dOut, { kind: 'linear' });
  return { loss: loss / count, gradient, meanLogProb: sumLogProb / count };
}

export type ReferenceSacParameters = Record<'actor' | 'critic1' | 'critic2' | 'targetCritic1' | 'targetCritic2' | 'logAlpha', Float64Array>;

export function toReferenceSacParameters(p: ParametersLike): ReferenceSacParameters {
  const copy = (name: keyof ReferenceSacParameters) => Float64Array.from(p[name]);
  return {
    actor: copy('actor'),
    critic1: copy('critic1'),
    critic2: copy('critic2'),
    targetCritic1: copy('targetCritic1'),
    targetCritic2: copy('targetCritic2'),
    logAlpha: copy('logAlpha'),
  };
}

export function toReferenceSacOptimizerState(s: OptimizerStateLike): Record<string, ReferenceAdamState> {
  return Object.fromEntries(
    SAC_TRAINED.map((n) => SAC_OPTIMIZER_OF[n]).map((name) => [name, { m: Float64Array.from(s[name].m), v: Float64Array.from(s[name].v), step: s[name].step }]),
  );
}

/**
 * One SAC update in sac.ts's order: targets with α before this update; both critics' MSE and an
 * Adam step each; the actor through the updated critics, one Adam step; when autotuning, log α's
 * loss −log α·mean(log π + target entropy) with that actor step's log π and one Adam step; soft
 * update of both target critics. Pure: inputs are copied.
 */
export function referenceSacUpdate(
  shape: NetworkShape,
  hyper: SacHyperparameters,
  params: ParametersLike,
  optimizer: OptimizerStateLike,
  batch: SacBatchLike,
): { params: ReferenceSacParameters; optimizer: Record<string, ReferenceAdamState>; stats: UpdateStats } {
  const next = toReferenceSacParameters(params);
  const state = toReferenceSacOptimizerState(optimizer);
  const count = batch.reward.length;
  const logAlpha = next.logAlpha[0];
  const alpha = Math.exp(logAlpha);
  const targets = sacTargets(shape, hyper.gamma, alpha, next, batch);
  const c1 = criticLossAndGradient(shape, next.critic1, batch.obs, batch.action, targets, count);
  const c2 = criticLossAndGradient(shape, next.critic2, batch.obs, batch.action, targets, count);
  adamStep(next.critic1, c1.gradient, state.critic1, hyper.criticLr);
  adamStep(next.critic2, c2.gradient, state.critic2, hyper.criticLr);
  const actor = sacActorLossAndGradient(shape, next, alpha, batch.obs, batch.policyNoise, count);
  adamStep(next.actor, actor.gradient, state.actor, hyper.actorLr);
  const targetEntropy = hyper.targetEntropyPerAction * shape.actDim;
  const alphaLoss = -logAlpha * (actor.meanLogProb + targetEntropy);
  if (hyper.autotuneAlpha) adamStep(next.logAlpha, [-(actor.meanLogProb + targetEntropy)], state.alpha, hyper.alphaLr);
  softUpdate(next.targetCritic1, next.critic1, hyper.tau);
  softUpdate(next.targetCritic2, next.critic2, hyper.tau);
  return {
    params: next,
    optimizer: state,
    stats: {
      criticLoss: (c1.loss + c2.loss) / 2,
      actorLoss: actor.loss,
      alphaLoss,
      alpha,
      entropy: -actor.meanLogProb,
      meanQ: (c1.meanQ + c2.meanQ) / 2,
    },
  };
}
