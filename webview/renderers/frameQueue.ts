/**
 * The frames of one episode, queued as they arrive, from its first step on. The trainer sends a
 * training episode whole or not at all, and every evaluation start whole; a batch that does not
 * continue where the last one ended (a page that joined mid-episode, streaming switched off and
 * on) marks the episode broken, so that it is never presented as whole.
 */

import type { FrameBatch, FrameEvaluationLabel } from '../../src/shared/protocol';

export type FramePhase = FrameBatch['phase'];

export interface Frame {
  /** The step's `stride` numbers (a view into the episode's storage: copy before keeping it). */
  values: Float64Array;
  /** Step within the episode, 0-based. */
  step: number;
}

/** The smallest storage an episode starts with, in steps; it doubles as frames arrive. */
const INITIAL_STEPS = 256;

export class RecordedEpisode {
  readonly phase: FramePhase;
  /** The training episode (1-based), or the evaluation's start (1-based). */
  readonly episode: number;
  readonly evaluation: FrameEvaluationLabel | null;
  readonly stride: number;
  /** performance.now() when its first batch arrived. */
  readonly arrivedAt: number;
  private values: Float64Array;
  private received = 0;
  /** Steps of the whole episode, once its last batch has arrived. */
  private totalSteps: number | null = null;
  private isBroken = false;

  /** Starts an episode from a batch of its first steps (firstStep 0). */
  constructor(batch: FrameBatch, evaluation: FrameEvaluationLabel | null, arrivedAt: number) {
    this.phase = batch.phase;
    this.episode = batch.episode;
    this.evaluation = evaluation;
    this.stride = batch.stride;
    this.arrivedAt = arrivedAt;
    this.values = new Float64Array(Math.max(INITIAL_STEPS, batch.data.length / batch.stride) * batch.stride);
    this.append(batch);
  }

  /** Steps received so far. */
  get steps(): number {
    return this.received;
  }

  /** Its whole length, once known. */
  get length(): number | null {
    return this.totalSteps;
  }

  /** Every step from 0 to the last has arrived. */
  get complete(): boolean {
    return this.totalSteps !== null && this.received >= this.totalSteps;
  }

  /** A batch was missing: what arrived is not the whole episode, and no more will be added. */
  get broken(): boolean {
    return this.isBroken;
  }

  /** Adds the next batch of this episode; one that does not continue where the last ended breaks it. */
  append(batch: FrameBatch): void {
    if (this.isBroken || this.complete) return;
    if (batch.firstStep !== this.received || batch.stride !== this.stride) {
      this.isBroken = true;
      return;
    }
    const steps = batch.data.length / this.stride;
    this.reserve(this.received + steps);
    this.values.set(batch.data, this.received * this.stride);
    this.received += steps;
    if (batch.episodeLength !== undefined) this.totalSteps = Math.max(this.received, batch.episodeLength);
  }

  frame(step: number): Frame | null {
    if (step < 0 || step >= this.received) return null;
    return { values: this.values.subarray(step * this.stride, (step + 1) * this.stride), step };
  }

  /** Numbers held, for the library's memory bound. */
  get size(): number {
    return this.received * this.stride;
  }

  private reserve(steps: number): void {
    if (steps * this.stride <= this.values.length) return;
    const grown = new Float64Array(Math.max(steps * this.stride, this.values.length * 2));
    grown.set(this.values.subarray(0, this.received * this.stride));
    this.values = grown;
  }
}
