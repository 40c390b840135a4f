/**
 * A fixed-capacity ring buffer of animation frames, each `stride` numbers (whatever the
 * environment's frame() returns). Training can produce thousands of steps a second while the
 * dashboard plays a few dozen, so the queue never grows: when it is full the oldest frames (the
 * ones that would be skipped anyway) are overwritten.
 */

import type { FrameBatch } from '../../src/shared/protocol';

export type FramePhase = FrameBatch['phase'];

export interface Frame {
  /** The step's `stride` numbers (a copy: the queue reuses its storage). */
  values: Float64Array;
  episode: number;
  /** Step within the episode, 0-based. */
  step: number;
  phase: FramePhase;
  /** performance.now() when the batch holding this frame arrived. */
  arrivedAt: number;
}

/** 160 Pendulum episodes of 200 steps: a whole evaluation fits, live playback never gets near it. */
const MAX_FRAMES = 32768;
/** Bounds the memory of environments with large frames (body poses): 8 MB of numbers. */
const MAX_NUMBERS = 1 << 20;

export class FrameQueue {
  private stride = 0;
  private capacity = 0;
  private values = new Float64Array(0);
  private episode = new Int32Array(0);
  private step = new Int32Array(0);
  private isEval = new Uint8Array(0);
  private arrivedAt = new Float64Array(0);
  private head = 0;
  private count = 0;
  /** Frames overwritten because the queue was full. */
  overwritten = 0;

  get size(): number {
    return this.count;
  }

  /**
   * Appends the batch's frames. A batch of another stride than the queued frames comes from
   * another environment: what was queued is dropped, since it can no longer be drawn.
   */
  pushBatch(batch: FrameBatch, arrivedAt: number): void {
    if (batch.stride !== this.stride) this.allocate(batch.stride);
    const { stride, capacity } = this;
    const frames = batch.data.length / stride;
    for (let i = 0; i < frames; i++) {
      if (this.count === capacity) {
        this.head = (this.head + 1) % capacity;
        this.count--;
        this.overwritten++;
      }
      const slot = (this.head + this.count) % capacity;
      for (let k = 0; k < stride; k++) this.values[slot * stride + k] = batch.data[i * stride + k];
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
      values: this.values.slice(slot * this.stride, (slot + 1) * this.stride),
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
    if (dropped === 0) return;
    this.head = (this.head + dropped) % this.capacity;
    this.count -= dropped;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  private allocate(stride: number): void {
    this.stride = stride;
    this.capacity = Math.max(1, Math.min(MAX_FRAMES, Math.floor(MAX_NUMBERS / stride)));
    this.values = new Float64Array(this.capacity * stride);
    this.episode = new Int32Array(this.capacity);
    this.step = new Int32Array(this.capacity);
    this.isEval = new Uint8Array(this.capacity);
    this.arrivedAt = new Float64Array(this.capacity);
    this.clear();
  }
}
