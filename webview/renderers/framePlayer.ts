/**
 * Plays queued frames at the environment's real time (its descriptor's dt: 20 steps/s for
 * Pendulum, 30 for MountainCar) times the chosen speed, on requestAnimationFrame. The same for
 * every environment: a frame is `stride` numbers, blended between steps as the renderer asks.
 *
 * Latency is bounded by wall-clock age, not by queue length: when the frame on screen arrived more
 * than MAX_LAG_MS ago, playback jumps to the frames that arrived in the last RESUME_LAG_MS. While
 * training runs far faster than real time this shows contiguous stretches of ~1 s of real motion
 * with a jump between them, instead of a frame-count bound that would jump every batch (~100 ms).
 * "max" plays whatever has arrived within about a quarter of a second.
 *
 * Evaluating a checkpoint is different: its episodes are the point and all arrive within a second
 * or so, so that policy plays every frame ("max" is then 20× real time).
 */

import type { FrameBatch } from '../../src/shared/protocol';
import type { PlaybackSpeed } from '../viewState';
import type { FrameBlend, PlayedFrame } from './environmentRenderer';
import { FrameQueue, type Frame } from './frameQueue';

const MAX_LAG_MS = 1500;
/**
 * Frames are drawn at most this often. Pendulum moves 20 steps/s at real time, so 30 draws a
 * second stay smooth, while drawing at the display rate (60/s or more) made the browser take
 * CPU that, on a 2-core machine, the trainer then waits for (BENCHMARKS.md, Dashboard overhead).
 */
const MIN_DRAW_INTERVAL_MS = 1000 / 30;
const RESUME_LAG_MS = 250;
/** In "max", the backlog is played within this time. */
const MAX_SPEED_DRAIN_SECONDS = 0.25;
/** After the tab was hidden a long frame gap must not fast-forward through the queue. */
const LONGEST_TICK_SECONDS = 0.1;

/**
 * 'keep-up' (live training) bounds the latency by skipping; 'play-all' (evaluating a checkpoint,
 * whose few episodes arrive within a second) plays every frame.
 */
export type PlaybackPolicy = 'keep-up' | 'play-all';

/** The shortest signed angular difference b − a, in (−π, π]. */
function angleDelta(a: number, b: number): number {
  const d = (b - a) % (2 * Math.PI);
  if (d > Math.PI) return d - 2 * Math.PI;
  if (d <= -Math.PI) return d + 2 * Math.PI;
  return d;
}

function follows(next: Frame, frame: Frame): boolean {
  return next.episode === frame.episode && next.phase === frame.phase && next.step === frame.step + 1;
}

export class FramePlayer {
  private readonly queue = new FrameQueue();
  private current: Frame | null = null;
  private currentIsJump = true;
  /** Progress from the current frame toward the next one, in steps (0 ≤ p < 1 while waiting). */
  private progress = 0;
  private speed: PlaybackSpeed = '1';
  private policy: PlaybackPolicy = 'keep-up';
  private lastTick: number | null = null;
  private lastDraw = -Infinity;
  private animationRequest: number | null = null;
  framesPlayed = 0;
  framesSkipped = 0;

  /**
   * @param stepSeconds the environment's dt
   * @param blend how each frame number moves between steps
   * @param onFrame called with the frame to draw, once per animation frame while something moves
   */
  constructor(
    private stepSeconds: number,
    private blend: readonly FrameBlend[],
    private readonly onFrame: (frame: PlayedFrame) => void,
  ) {}

  /** Another environment: forgets what is queued and shown, then plays at its dt. */
  setEnvironment(stepSeconds: number, blend: readonly FrameBlend[]): void {
    this.reset();
    this.stepSeconds = stepSeconds;
    this.blend = blend;
  }

  setSpeed(speed: PlaybackSpeed): void {
    this.speed = speed;
  }

  setPolicy(policy: PlaybackPolicy): void {
    this.policy = policy;
  }

  enqueue(batch: FrameBatch): void {
    if (batch.data.length === 0) return;
    this.queue.pushBatch(batch, performance.now());
    this.ensureRunning();
  }

  /** Forgets everything queued and shown (a different run or mode). */
  reset(): void {
    this.queue.clear();
    this.current = null;
    this.progress = 0;
    this.framesPlayed = 0;
    this.framesSkipped = 0;
  }

  dispose(): void {
    if (this.animationRequest !== null) cancelAnimationFrame(this.animationRequest);
    this.animationRequest = null;
  }

  private ensureRunning(): void {
    if (this.animationRequest === null) {
      this.lastTick = null;
      this.animationRequest = requestAnimationFrame(this.tick);
    }
  }

  private stepsPerSecond(): number {
    const realTime = 1 / this.stepSeconds;
    if (this.speed === 'max' && this.policy === 'play-all') return realTime * 20;
    if (this.speed === 'max') return Math.max(realTime * 10, this.queue.size / MAX_SPEED_DRAIN_SECONDS);
    return realTime * Number(this.speed);
  }

  private readonly tick = (now: number): void => {
    this.animationRequest = null;
    const elapsed = this.lastTick === null ? 0 : Math.min((now - this.lastTick) / 1000, LONGEST_TICK_SECONDS);
    this.lastTick = now;
    const before = this.current;

    this.skipStaleFrames(now);
    if (!this.current) this.advanceOne();
    else this.progress += elapsed * this.stepsPerSecond();
    while (this.progress >= 1 && this.queue.size > 0) {
      this.progress -= 1;
      this.advanceOne();
    }
    // Waiting for the next batch: hold the frame, and do not bank time that would later burst.
    if (this.queue.size === 0) this.progress = Math.min(this.progress, 0.999);

    const frame = this.playedFrame();
    const moved = this.current !== before || this.queue.size > 0;
    // The last frame before the queue runs dry is always drawn, so the motion never stops short.
    if (frame && moved && (now - this.lastDraw >= MIN_DRAW_INTERVAL_MS || this.queue.size === 0)) {
      this.lastDraw = now;
      this.onFrame(frame);
    }
    if (this.queue.size > 0) this.animationRequest = requestAnimationFrame(this.tick);
  };

  private skipStaleFrames(now: number): void {
    if (this.policy === 'play-all') return;
    if (!this.current || this.queue.size === 0 || now - this.current.arrivedAt <= MAX_LAG_MS) return;
    let skip = 0;
    while (skip < this.queue.size - 1 && now - this.queue.arrivalTimeAt(skip) > RESUME_LAG_MS) skip++;
    if (skip === 0) return;
    this.queue.drop(skip);
    this.framesSkipped += skip;
    this.progress = 0;
    this.current = null;
  }

  private advanceOne(): void {
    const next = this.queue.shift();
    if (!next) return;
    const previous = this.current;
    this.currentIsJump = !previous || !follows(next, previous);
    this.current = next;
    this.framesPlayed++;
  }

  /** The current frame, moved part of the way toward the next one for smooth motion at 1×. */
  private playedFrame(): PlayedFrame | null {
    const frame = this.current;
    if (!frame) return null;
    const next = this.queue.peek(0);
    const values = Float64Array.from(frame.values);
    if (next && follows(next, frame) && next.values.length === values.length) {
      for (let k = 0; k < values.length; k++) {
        const blend = this.blend[k] ?? 'hold';
        if (blend === 'angle') values[k] += angleDelta(frame.values[k], next.values[k]) * this.progress;
        else if (blend === 'linear') values[k] += (next.values[k] - frame.values[k]) * this.progress;
      }
    }
    return { values, episode: frame.episode, step: frame.step, phase: frame.phase, continuous: !this.currentIsJump };
  }
}
