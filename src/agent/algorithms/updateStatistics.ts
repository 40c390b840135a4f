/** Running means of an algorithm's update statistics over one episode (saved in checkpoints mid-episode). */

import type { UpdateStats } from '../engine/engine';

export class UpdateAccumulator {
  private count = 0;
  private readonly sums: number[];

  constructor(readonly names: readonly string[]) {
    this.sums = names.map(() => 0);
  }

  add(stats: UpdateStats): void {
    this.count++;
    for (let i = 0; i < this.names.length; i++) this.sums[i] += stats[this.names[i]];
  }

  /** Each statistic's mean, or null for all of them before the first update (warm-up). */
  means(): Record<string, number | null> {
    const out: Record<string, number | null> = {};
    this.names.forEach((name, i) => (out[name] = this.count === 0 ? null : this.sums[i] / this.count));
    return out;
  }

  reset(): void {
    this.count = 0;
    this.sums.fill(0);
  }

  /** [count, sum of each statistic in `names` order]: for DDPG the checkpoint layout of version 1. */
  getState(): number[] {
    return [this.count, ...this.sums];
  }

  setState(state: readonly number[]): void {
    if (state.length !== this.names.length + 1 || !state.every(Number.isFinite)) {
      throw new Error(`update statistics state must be ${this.names.length + 1} finite numbers; got ${JSON.stringify(state)}`);
    }
    this.count = state[0];
    for (let i = 0; i < this.sums.length; i++) this.sums[i] = state[i + 1];
  }
}
