/**
 * A plain float64 implementation of one TD3 update as src/agent/engine/tfjs/td3TfjsEngine.ts's
 * header defines it, built from referenceDdpg.ts's layer, loss, Adam and soft-update helpers: the
 * oracle both TD3 engines are compared against. Pure: inputs are copied, never modified.
 */

import type { NetworkShape, UpdateHyperparameters, UpdateStats } from '../../src/agent/engine/engine';
import {
  actorForward,
  actorLossAndGradient,
  adamStep,
  criticForward,
  criticLossAndGradient,
  softUpdate,
  type AdamStateLike,
  type BatchLike,
  type Numbers,
  type ReferenceAdamState,
} from './referenceDdpg';

export type Td3ParametersLike = Record<string, Numbers>;
export type Td3OptimizerLike = Record<string, AdamStateLike>;
export interface Td3BatchLike extends BatchLike {
  targetNoise: Numbers;
}

export type Td3ReferenceParameters = Record<'actor' | 'critic1' | 'critic2' | 'targetActor' | 'targetCritic1' | 'targetCritic2', Float64Array>;
export type Td3ReferenceOptimizer = Record<'actor' | 'critic1' | 'critic2', ReferenceAdamState>;

const NETWORKS = ['actor', 'critic1', 'critic2', 'targetActor', 'targetCritic1', 'targetCritic2'] as const;
const OPTIMIZERS = ['actor', 'critic1', 'critic2'] as const;

export function toTd3ReferenceParameters(p: Td3ParametersLike): Td3ReferenceParameters {
  return Object.fromEntries(NETWORKS.map((n) => [n, Float64Array.from(p[n])])) as Td3ReferenceParameters;
}

export function toTd3ReferenceOptimizer(s: Td3OptimizerLike): Td3ReferenceOptimizer {
  return Object.fromEntries(OPTIMIZERS.map((n) => [n, { m: Float64Array.from(s[n].m), v: Float64Array.from(s[n].v), step: s[n].step }])) as Td3ReferenceOptimizer;
}

/** a′ = clip(μ′(s′) + noise, ±bound) for the batch. */
export function smoothedTargetActions(shape: NetworkShape, targetActor: Numbers, nextObs: Numbers, noise: Numbers, count: number): Float64Array {
  const bound = shape.actionBound;
  return actorForward(shape, targetActor, nextObs, count).map((a, k) => Math.min(bound, Math.max(-bound, a + noise[k])));
}

/** y = r + γ·(1 − terminated)·min(Q1′(s′, a′), Q2′(s′, a′)). */
export function td3Targets(shape: NetworkShape, gamma: number, params: Td3ReferenceParameters, batch: Td3BatchLike): Float64Array {
  const count = batch.reward.length;
  const nextAction = smoothedTargetActions(shape, params.targetActor, batch.nextObs, batch.targetNoise, count);
  const q1 = criticForward(shape, params.targetCritic1, batch.nextObs, nextAction, count);
  const q2 = criticForward(shape, params.targetCritic2, batch.nextObs, nextAction, count);
  return q1.map((q, n) => batch.reward[n] + gamma * (1 - batch.terminated[n]) * Math.min(q, q2[n]));
}

/**
 * Both critics' losses and gradients and the actor's (through critic 1 as given), changing
 * nothing: what one update steps along (the actor's here through the critic *before* its step,
 * as the engines' computeGradients reports it).
 */
export function td3Gradients(shape: NetworkShape, gamma: number, params: Td3ParametersLike, batch: Td3BatchLike) {
  const p = toTd3ReferenceParameters(params);
  const count = batch.reward.length;
  const targets = td3Targets(shape, gamma, p, batch);
  const critic1 = criticLossAndGradient(shape, p.critic1, batch.obs, batch.action, targets, count);
  const critic2 = criticLossAndGradient(shape, p.critic2, batch.obs, batch.action, targets, count);
  const actor = actorLossAndGradient(shape, p.actor, p.critic1, batch.obs, count);
  return { critic1, critic2, actor };
}

/** One TD3 update; `actorAndTargets` false is a critic-only update of the policy delay. */
export function referenceTd3Update(
  shape: NetworkShape,
  hyper: UpdateHyperparameters,
  params: Td3ParametersLike,
  optimizer: Td3OptimizerLike,
  batch: Td3BatchLike,
  actorAndTargets: boolean,
): { params: Td3ReferenceParameters; optimizer: Td3ReferenceOptimizer; stats: UpdateStats } {
  const next = toTd3ReferenceParameters(params);
  const state = toTd3ReferenceOptimizer(optimizer);
  const count = batch.reward.length;
  const targets = td3Targets(shape, hyper.gamma, next, batch);
  const critic1 = criticLossAndGradient(shape, next.critic1, batch.obs, batch.action, targets, count);
  const critic2 = criticLossAndGradient(shape, next.critic2, batch.obs, batch.action, targets, count);
  adamStep(next.critic1, critic1.gradient, state.critic1, hyper.criticLr);
  adamStep(next.critic2, critic2.gradient, state.critic2, hyper.criticLr);
  let actorLoss = Number.NaN;
  if (actorAndTargets) {
    const actor = actorLossAndGradient(shape, next.actor, next.critic1, batch.obs, count);
    adamStep(next.actor, actor.gradient, state.actor, hyper.actorLr);
    actorLoss = actor.loss;
    softUpdate(next.targetActor, next.actor, hyper.tau);
    softUpdate(next.targetCritic1, next.critic1, hyper.tau);
    softUpdate(next.targetCritic2, next.critic2, hyper.tau);
  }
  return {
    params: next,
    optimizer: state,
    stats: {
      criticLoss: (critic1.loss + critic2.loss) / 2,
      critic1Loss: critic1.loss,
      critic2Loss: critic2.loss,
      actorLoss,
      meanQ: (critic1.meanQ + critic2.meanQ) / 2,
      q1: critic1.meanQ,
      q2: critic2.meanQ,
    },
  };
}
