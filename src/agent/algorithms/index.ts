/** The algorithms by id. */

import type { AlgorithmId, RunConfig } from '../../shared/config';
import type { Engine } from '../engine/engine';
import type { Agent } from './agent';
import type { AlgorithmSpec } from './algorithm';
import { DDPG, DdpgAgent } from './ddpg';

const ALGORITHMS: { readonly [K in AlgorithmId]?: AlgorithmSpec } = { ddpg: DDPG };

export function algorithmSpec(id: AlgorithmId): AlgorithmSpec {
  const spec = ALGORITHMS[id];
  if (!spec) throw new Error(`unknown algorithm "${id}" (known: ${Object.keys(ALGORITHMS).join(', ')})`);
  return spec;
}

/** The agent of the configuration's algorithm, on an engine built for it. */
export function createAgent(engine: Engine, config: RunConfig): Agent {
  switch (config.algorithm) {
    case 'ddpg':
      return new DdpgAgent(engine, config, config.seed);
    default:
      throw new Error(`the ${config.algorithm} agent is not available yet`);
  }
}

export type { Agent, AgentState } from './agent';
export type { AlgorithmSpec, OptimizerSpec } from './algorithm';
