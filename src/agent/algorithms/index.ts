/** The algorithms by id. */

import type { AlgorithmId, RunConfig } from '../../shared/config';
import type { Engine } from '../engine/engine';
import type { Agent } from './agent';
import type { AlgorithmSpec } from './algorithm';
import { DDPG, DdpgAgent } from './ddpg';
import { TD3, Td3Agent } from './td3';
import { SAC, SacAgent } from './sac';

const ALGORITHMS: { readonly [K in AlgorithmId]: AlgorithmSpec } = { ddpg: DDPG, td3: TD3, sac: SAC };

export function algorithmSpec(id: AlgorithmId): AlgorithmSpec {
  // A config that passed validation names one of these; a damaged manifest may not.
  if (!Object.prototype.hasOwnProperty.call(ALGORITHMS, id)) throw new Error(`unknown algorithm "${String(id)}" (known: ${Object.keys(ALGORITHMS).join(', ')})`);
  return ALGORITHMS[id];
}

/** The agent of the configuration's algorithm, on an engine built for it. */
export function createAgent(engine: Engine, config: RunConfig): Agent {
  switch (config.algorithm) {
    case 'ddpg':
      return new DdpgAgent(engine, config, config.seed);
    case 'td3':
      return new Td3Agent(engine, config, config.seed);
    case 'sac':
      return new SacAgent(engine, config, config.seed);
  }
}

export type { Agent, AgentState } from './agent';
export type { AlgorithmSpec, OptimizerSpec } from './algorithm';
