/**
 * A fixed-capacity ring buffer of animation frames. Training can produce thousands of steps a
 * second while the dashboard plays twenty, so the queue never grows: when it is full the oldest
 * frames (the ones that would be skipped anyway) are overwritten.
 */

import type { FrameBatch } from '../../src/shared/protocol';

export type FramePhase = FrameBatch['phase'];

export interface Frame {
  theta: number;
  torque: number;
  episode: number;
  /** Step within the episode, 0-based. */
  step: number;
  phase: FramePhase;
  /** performance.now() when the batch holding this frame arrived. */
  arrivedAt: number;
}

export class FrameQueue {
  private readonly theta: Float64Array;
  private readonly torque: Float64Array;
  private readonly episode: Int32Array;
  private readonly step: Int32Array;
  private readonly isEval: Uint8Array;
  private readonly arrivedAt: Float64Array;
  private head = 0;
  private count = 0;
  /** Frames overwritten because the queue was full. */
  overwritten = 0;

  constructor(readonly capacity: number) {
    this.theta = new Float64Array(capacity);
    this.torque = new Float64Array(capacity);
    this.episode = new Int32Array(capacity);
    this.step = new Int32Array(capacity);
    this.isEval = new Uint8Array(capacity);
    this.arrivedAt = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  pushBatch(batch: FrameBatch, arrivedAt: number): void {
    const frames = batch.data.length / 2;
    for (let i = 0; i < frames; i++) {
      if (this.count === this.capacity) {
        this.head = (this.head + 1) % this.capacity;
        this.count--;
        this.overwritten++;
      }
      const slot = (this.head + this.count) % this.capacity;
      this.theta[slot] = batch.data[2 * i];
      this.torque[slot] = batch.data[2 * i + 1];
      this.episode[slot] = batch.episode;
      this.step[slot] = batch.firstStep + i;
      this.isEval[slot] = batch.phase === 'eval' ? 1 : 0;
      this.arrivedAt[slot] = arrivedAt;
      this.count++;
    }
  }

  /** The frame `offset` places from the front, without removing it. */
  peek(offset = 0): Frame | null {
    if (offset >= this.count) return null;
    const slot = (this.head + offset) % this.capacity;
    return {
      theta: this.theta[slot],
      torque: this.torque[slot],
      episode: this.episode[slot],
      step: this.step[slot],
      phase: this.isEval[slot] ? 'eval' : 'train',
      arrivedAt: this.arrivedAt[slot],
    };
  }

  arrivalTimeAt(offset: number): number {
    return this.arrivedAt[(this.head + offset) % this.capacity];
  }

  shift(): Frame | null {
    const frame = this.peek(0);
    if (frame) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    return frame;
  }

  /** Drops `n` frames from the front. */
  drop(n: number): void {
    const dropped = Math.min(n, this.count);
    this.head = (this.head + dropped) % this.capacity;
    this.count -= dropped;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
