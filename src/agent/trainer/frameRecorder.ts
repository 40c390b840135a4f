/**
 * Collects the environment's frame() of each training step and sends them in batches of about
 * 100 ms. When episodes end faster than batches are due, the rest of an episode's frames are
 * dropped: the dashboard plays in real time and would skip them anyway, and IPC stays light.
 */

import type { FrameBatch } from '../../shared/protocol';

const FRAME_BATCH_MS = 100;

export class FrameRecorder {
  enabled: boolean;
  private frames: number[] = [];
  private firstStep = 0;
  private lastFlush = 0;

  constructor(
    private readonly stride: number,
    private readonly send: (batch: FrameBatch) => void,
    enabled: boolean,
  ) {
    this.enabled = enabled;
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.frames = [];
  }

  startEpisode(): void {
    this.firstStep = 0;
  }

  record(frame: readonly number[]): void {
    if (this.enabled) for (let i = 0; i < frame.length; i++) this.frames.push(frame[i]);
  }

  /** At an episode's end: sends what is due, drops the rest. */
  endEpisode(episode: number): void {
    this.flushIfDue(episode);
    this.frames = [];
  }

  flushIfDue(episode: number): void {
    if (performance.now() - this.lastFlush >= FRAME_BATCH_MS) this.flush(episode);
  }

  flush(episode: number): void {
    this.lastFlush = performance.now();
    if (this.frames.length === 0) return;
    this.send({ episode, firstStep: this.firstStep, phase: 'train', stride: this.stride, data: this.frames });
    this.firstStep += this.frames.length / this.stride;
    this.frames = [];
  }
}
