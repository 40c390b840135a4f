/**
 * What every environment's fixed evaluation starts share: one seed base, so the starts do not
 * depend on the run's seed, and one offset for systematic sampling.
 */

import { Random } from '../random';

/** Evaluation episode e draws what it needs from seeds derived from this base, never from the run's streams. */
export const EVALUATION_SEED_BASE = 1_000_000;

/**
 * The shift in [0, 1) of systematic sampling: episode e of n starts at fraction (e + offset) / n of
 * the reset distribution's range. Fixed, so every evaluation of every run starts from the same states.
 */
export function evaluationOffset(): number {
  return new Random(EVALUATION_SEED_BASE).next();
}

export function checkEvaluationEpisode(index: number, count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`evaluation episode count must be a positive integer, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`evaluation episode index must be an integer in [0, ${count - 1}], got ${index}`);
  }
}
