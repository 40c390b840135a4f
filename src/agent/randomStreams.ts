/**
 * A run's random streams, all derived from its seed. Each kind of draw has its own stream, so that
 * changing how often one is used (a longer warm-up, another noise) leaves the others alone, and
 * each stream's state is saved in checkpoints so a resumed run continues them exactly.
 */

import { Random, type RandomState } from './random';

export interface RandomStreams {
  /** Environment resets. */
  env: Random;
  /** Exploration noise. */
  noise: Random;
  /** Replay sampling. */
  sample: Random;
  /** Uniform warm-up actions. */
  warmup: Random;
}

export type SavedRandom = { words: RandomState; spareNormal: number | null };

export function randomStreams(seed: number): RandomStreams {
  return {
    env: new Random(seed * 4 + 0),
    noise: new Random(seed * 4 + 1),
    sample: new Random(seed * 4 + 2),
    warmup: new Random(seed * 4 + 3),
  };
}

/** The stream initial network parameters are drawn from (separate from the four above). */
export function initialisationRandom(seed: number): Random {
  return new Random(seed * 4 + 1_000_003);
}

/** SAC's policy noise (ε for its actions and every update's ε′, ε); saved in the agent's own state. */
export function sacPolicyRandom(seed: number): Random {
  return new Random(seed * 4 + 2_000_003);
}
