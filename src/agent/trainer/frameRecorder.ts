/**
 * Chooses which training episodes the dashboard gets to see, and sends their frames whole, in
 * batches of about 100 ms; and passes every evaluation episode through whole.
 *
 * The dashboard plays an episode at real time (the descriptor's dt: 10 s for a Pendulum episode)
 * while training may finish hundreds of episodes in that time. Sending fragments of each (what
 * happened to be due when a batch was) showed nothing whole. So an episode is recorded from its
 * first step to its last only when the previous one sent has had time to play at real time; the
 * episodes in between are not recorded at all (not even frame() is called for them). While
 * training runs slower than real time, that is every episode.
 */

import type { FrameBatch } from '../../shared/protocol';
import type { FrameSink } from '../evaluation';

const FRAME_BATCH_MS = 100;
const FRAME_SCALE = 1e4;

/**
 * A frame number as sent: four decimals (a tenth of a millimetre, a ten-thousandth of a radian)
 * is finer than any canvas shows, and the JSON of a number shrinks from ~18 characters to ~7.
 * Evaluations, sent whole, are most of the frames' bytes.
 */
export function roundFrameValue(value: number): number {
  return Math.round(value * FRAME_SCALE) / FRAME_SCALE;
}

export interface FrameRecorderOptions {
  /** Numbers per step: the environment's frameLabels. */
  stride: number;
  /** Seconds of simulated time per step (the descriptor's dt): how long the page takes to play one. */
  stepSeconds: number;
  send: (batch: FrameBatch) => void;
  enabled: boolean;
  /** Milliseconds, monotonic; performance.now() unless a test steers time. */
  now?: () => number;
}

interface Recording {
  episode: number;
  /** Steps already sent. */
  sent: number;
  frames: number[];
  startedAt: number;
}

export class FrameRecorder {
  private enabled: boolean;
  private readonly stride: number;
  private readonly stepMs: number;
  private readonly send: (batch: FrameBatch) => void;
  private readonly now: () => number;
  private recording: Recording | null = null;
  /** When the last episode sent will have played at real time; no episode starts recording before. */
  private nextRecordingAt = -Infinity;
  private lastFlush = -Infinity;

  constructor(options: FrameRecorderOptions) {
    this.stride = options.stride;
    this.stepMs = options.stepSeconds * 1000;
    this.send = options.send;
    this.enabled = options.enabled;
    this.now = options.now ?? (() => performance.now());
  }

  /** True while the current training episode is being recorded: only then is frame() needed. */
  get isRecording(): boolean {
    return this.recording !== null;
  }

  /**
   * Turning streaming off drops the episode being recorded (nobody would play it). Turning it on
   * records the next episode to start: a dashboard that just opened has nothing to play.
   */
  setEnabled(enabled: boolean): void {
    if (enabled && !this.enabled) this.nextRecordingAt = -Infinity;
    if (!enabled) this.recording = null;
    this.enabled = enabled;
  }

  /** A training episode begins: records it whole if the previous one sent has had time to play. */
  startEpisode(episode: number): void {
    this.recording = null;
    const now = this.now();
    if (!this.enabled || now < this.nextRecordingAt) return;
    this.recording = { episode, sent: 0, frames: [], startedAt: now };
  }

  record(frame: readonly number[]): void {
    const recording = this.recording;
    if (recording) for (let i = 0; i < frame.length; i++) recording.frames.push(roundFrameValue(frame[i]));
  }

  /** The training episode ended: its last batch goes now, marked with the episode's length. */
  endEpisode(): void {
    const recording = this.recording;
    if (!recording) return;
    this.recording = null;
    const length = recording.sent + recording.frames.length / this.stride;
    this.sendFrames(recording, length);
    // One batch interval early: the next episode's first frames then reach the page as it finishes this one.
    this.nextRecordingAt = recording.startedAt + length * this.stepMs - FRAME_BATCH_MS;
  }

  flushIfDue(): void {
    if (this.recording && this.now() - this.lastFlush >= FRAME_BATCH_MS) this.flush();
  }

  /** Sends what the episode being recorded has gathered (before a pause, at the end of the run). */
  flush(): void {
    if (this.recording && this.recording.frames.length > 0) this.sendFrames(this.recording);
  }

  /**
   * A sink for an evaluation's frames, or undefined while nobody watches. Evaluation episodes are
   * all sent whole (the page keeps the latest and the best evaluation to play on demand); a
   * dashboard that closes mid-evaluation stops them.
   */
  evaluationSink(): FrameSink | undefined {
    if (!this.enabled) return undefined;
    return (episode, firstStep, data, stride, labels) => {
      if (this.enabled) this.send({ episode, firstStep, phase: 'eval', stride, data, ...labels });
    };
  }

  private sendFrames(recording: Recording, episodeLength?: number): void {
    this.lastFlush = this.now();
    const steps = recording.frames.length / this.stride;
    this.send({
      episode: recording.episode,
      firstStep: recording.sent,
      phase: 'train',
      stride: this.stride,
      data: recording.frames,
      ...(episodeLength !== undefined ? { episodeLength } : {}),
    });
    recording.sent += steps;
    recording.frames = [];
  }
}
