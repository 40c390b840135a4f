/**
 * TD3's parameter and optimizer sets in engine.ts's flat layout: an actor, twin critics of the
 * same shape, and a target of each; one Adam per trained network.
 */

import type { AdamState, NetworkParameters, NetworkShape, OptimizerState } from './engine';
import { actorLayers, criticLayers, initialNetwork, parameterCount, zeroAdamState } from './parameters';
import type { Random } from '../random';

export const TD3_TRAINED_NETWORKS = ['actor', 'critic1', 'critic2'] as const;
export type Td3TrainedNetwork = (typeof TD3_TRAINED_NETWORKS)[number];

/** Each trained network's target. */
export const TD3_TARGET_OF: Readonly<Record<Td3TrainedNetwork, string>> = { actor: 'targetActor', critic1: 'targetCritic1', critic2: 'targetCritic2' };

/** Actor, then critic 1, then critic 2 from the RNG; targets start as exact copies. */
export function td3InitialParameters(shape: NetworkShape, rng: Random): NetworkParameters {
  const actor = initialNetwork(actorLayers(shape), rng);
  const critic1 = initialNetwork(criticLayers(shape), rng);
  const critic2 = initialNetwork(criticLayers(shape), rng);
  return { actor, critic1, critic2, targetActor: actor.slice(), targetCritic1: critic1.slice(), targetCritic2: critic2.slice() };
}

export function td3ParameterCount(shape: NetworkShape, network: Td3TrainedNetwork): number {
  return parameterCount(network === 'actor' ? actorLayers(shape) : criticLayers(shape));
}

export function td3ZeroOptimizerState(shape: NetworkShape): OptimizerState {
  return Object.fromEntries(TD3_TRAINED_NETWORKS.map((n) => [n, zeroAdamState(td3ParameterCount(shape, n))]));
}

/** Throws naming the first network that is missing or has the wrong number of parameters. */
export function assertTd3ParameterSizes(shape: NetworkShape, params: NetworkParameters): void {
  for (const network of TD3_TRAINED_NETWORKS) {
    const size = td3ParameterCount(shape, network);
    for (const name of [network, TD3_TARGET_OF[network]]) {
      const values = params[name];
      if (!(values instanceof Float32Array)) throw new Error(`${name} is missing; TD3 needs actor, critic1, critic2 and their targets`);
      if (values.length !== size) throw new Error(`${name} has ${values.length} parameters; this network shape needs ${size}`);
    }
  }
}

/** Throws naming the first optimizer whose moments or step count do not fit. */
export function assertTd3OptimizerState(shape: NetworkShape, state: OptimizerState): void {
  for (const network of TD3_TRAINED_NETWORKS) {
    const s: AdamState | undefined = state[network];
    const size = td3ParameterCount(shape, network);
    if (!s) throw new Error(`${network} optimizer state is missing`);
    if (s.m.length !== size || s.v.length !== size) throw new Error(`${network} optimizer state has ${s.m.length}/${s.v.length} moments; this network shape needs ${size}`);
    if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`${network} optimizer step must be a non-negative integer; got ${s.step}`);
  }
}
