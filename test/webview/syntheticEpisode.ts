/** What every environment's synthetic episode gives the synthetic run. Runs in Node and in the browser. */

export interface SimulatedEpisode {
  return: number;
  /** Steps until it terminated or was truncated. */
  length: number;
  /** Numbers per step in `frames`: the environment's frame() size. */
  stride: number;
  /** The environment's frame() numbers, step after step, as FrameBatch data carries them. */
  frames: number[];
}

/** How good the policy is after `episode` training episodes, in [0, 1]. */
export function skillAt(episode: number): number {
  return 1 / (1 + Math.exp(-(episode - 32) / 7));
}
