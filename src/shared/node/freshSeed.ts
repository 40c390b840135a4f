/**
 * A seed for a run whose seed was left empty: from the operating system's random source, so that
 * two runs started in the same millisecond (a sweep, Train pressed twice) still differ. The range
 * is ddpg.seed's, [0, 2^31 − 1].
 */

import { randomInt } from 'node:crypto';

export const MAX_SEED = 2 ** 31 - 1;

export function freshSeed(): number {
  return randomInt(0, MAX_SEED + 1);
}
