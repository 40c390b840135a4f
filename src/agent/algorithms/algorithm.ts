/**
 * What an algorithm declares, so that everything around the arithmetic (checkpoint folders,
 * optimizer.bin's layout, the update statistics an episode reports) follows from one list
 * instead of being written out per algorithm.
 */

import type { AlgorithmId } from '../../shared/config';
import type { StoredNetwork } from '../../shared/runFormat';

/** An Adam optimizer and the network whose parameters it steps. */
export interface OptimizerSpec {
  name: string;
  network: string;
}

export interface AlgorithmSpec {
  id: AlgorithmId;
  /** Every network, online and target, in checkpoint order. */
  networks: readonly StoredNetwork[];
  /** Every optimizer, in the order of their moments in optimizer.bin (m then v of each). */
  optimizers: readonly OptimizerSpec[];
  /** Names of the per-update statistics the engine returns, averaged per episode. */
  statistics: readonly string[];
}
