/** The algorithms by id. */

import type { AlgorithmId } from '../../shared/config';
import type { AlgorithmSpec } from './algorithm';
import { DDPG } from './ddpg';

const ALGORITHMS: { readonly [K in AlgorithmId]: AlgorithmSpec } = { ddpg: DDPG };

export function algorithmSpec(id: AlgorithmId): AlgorithmSpec {
  const spec = ALGORITHMS[id];
  if (!spec) throw new Error(`unknown algorithm "${id}" (known: ${Object.keys(ALGORITHMS).join(', ')})`);
  return spec;
}

export type { AlgorithmSpec, OptimizerSpec } from './algorithm';
