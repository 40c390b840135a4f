/**
 * Plays episodes whole, from step 0 to their last step, at the environment's real time (its
 * descriptor's dt: 20 steps/s for Pendulum, 30 for MountainCar) times the chosen speed, on
 * requestAnimationFrame. What plays next is asked of `chooseNext` between episodes only, so an
 * episode is never cut short by a newer one; the trainer sends training episodes at the rate
 * they can be played, so nothing lags behind either. The same for every environment: a frame is
 * `stride` numbers, blended between steps as the renderer asks.
 */

import type { PlaybackSpeed } from '../viewState';
import type { FrameBlend, PlayedFrame } from './environmentRenderer';
import type { RecordedEpisode } from './frameQueue';

/**
 * Frames are drawn at most this often. Pendulum moves 20 steps/s at real time, so 30 draws a
 * second stay smooth, while drawing at the display rate (60/s or more) made the browser take
 * CPU that, on a 2-core machine, the trainer then waits for (BENCHMARKS.md, Dashboard overhead).
 */
const MIN_DRAW_INTERVAL_MS = 1000 / 30;
/** "max": as fast as an eye can still follow the motion of a whole episode. */
const MAX_SPEED = 20;
/** After the tab was hidden a long frame gap must not fast-forward through an episode. */
const LONGEST_TICK_SECONDS = 0.1;

/** The shortest signed angular difference b − a, in (−π, π]. */
function angleDelta(a: number, b: number): number {
  const d = (b - a) % (2 * Math.PI);
  if (d > Math.PI) return d - 2 * Math.PI;
  if (d <= -Math.PI) return d + 2 * Math.PI;
  return d;
}

/** One playing of an episode from step 0: what the page reports of it (tests read it). */
export interface EpisodePass {
  episode: RecordedEpisode;
  /** Steps shown, each the one after the step before. */
  stepsPlayed: number;
  /** The last step shown (0-based). */
  lastStep: number;
  startedAt: number;
  endedAt: number | null;
}

export interface PlayerEvents {
  /** The frame to draw, at most ~30 times a second while something moves. */
  frame(frame: PlayedFrame, episode: RecordedEpisode): void;
  /** Another episode (or the same one again) starts playing from step 0. */
  passStarted(pass: EpisodePass): void;
  /** An episode was played to its end (or to where its frames stop, if they stopped for good). */
  passEnded(pass: EpisodePass): void;
}

export interface EpisodeChooser {
  /** What to play after `previous`; `commit` false only looks (see WatchSelection.next). */
  next(previous: RecordedEpisode | null, commit?: boolean): RecordedEpisode | null;
}

export class FramePlayer {
  private current: RecordedEpisode | null = null;
  private pass: EpisodePass | null = null;
  /** The current episode was played to its end; its last pose is held until something else can play. */
  private holding = false;
  /** Progress from the current step toward the next one, in steps (0 ≤ p < 1 while waiting). */
  private progress = 0;
  private speed: PlaybackSpeed = '1';
  private noMoreFrames = false;
  private lastTick: number | null = null;
  private lastDraw = -Infinity;
  private animationRequest: number | null = null;
  framesPlayed = 0;

  /**
   * @param stepSeconds the environment's dt
   * @param blend how each frame number moves between steps
   */
  constructor(
    private stepSeconds: number,
    private blend: readonly FrameBlend[],
    private readonly chooser: EpisodeChooser,
    private readonly events: PlayerEvents,
  ) {}

  /** Another environment: forgets what is shown, then plays at its dt. */
  setEnvironment(stepSeconds: number, blend: readonly FrameBlend[]): void {
    this.reset();
    this.stepSeconds = stepSeconds;
    this.blend = blend;
  }

  setSpeed(speed: PlaybackSpeed): void {
    this.speed = speed;
  }

  get playing(): RecordedEpisode | null {
    return this.current;
  }

  get isHolding(): boolean {
    return this.holding || !this.current;
  }

  /**
   * No more frames will arrive (the run ended): an episode whose frames stopped short is over
   * where they stop, rather than waited for.
   */
  setNoMoreFrames(noMore: boolean): void {
    this.noMoreFrames = noMore;
    this.wake();
  }

  /** Something arrived or the choice changed: play it if nothing is playing. */
  wake(): void {
    if (this.animationRequest === null) {
      this.lastTick = null;
      this.animationRequest = requestAnimationFrame(this.tick);
    }
  }

  /** The user chose something else to watch: it starts now, from its first step. */
  restart(): void {
    if (this.pass) this.endPass();
    this.current = null;
    this.holding = false;
    this.progress = 0;
    this.wake();
  }

  /** Forgets everything shown (a different run or mode). */
  reset(): void {
    this.current = null;
    this.pass = null;
    this.holding = false;
    this.progress = 0;
    this.framesPlayed = 0;
  }

  dispose(): void {
    if (this.animationRequest !== null) cancelAnimationFrame(this.animationRequest);
    this.animationRequest = null;
  }

  private stepsPerSecond(): number {
    return (this.speed === 'max' ? MAX_SPEED : Number(this.speed)) / this.stepSeconds;
  }

  private readonly tick = (now: number): void => {
    this.animationRequest = null;
    const elapsed = this.lastTick === null ? 0 : Math.min((now - this.lastTick) / 1000, LONGEST_TICK_SECONDS);
    this.lastTick = now;
    let moved = false;

    if (!this.current || this.holding) {
      moved = this.begin(this.chooser.next(this.current), now);
    } else {
      this.progress += elapsed * this.stepsPerSecond();
      moved = true;
    }
    while (this.current && !this.holding && this.progress >= 1) {
      const episode = this.current;
      const step = this.pass!.lastStep;
      if (step + 1 < episode.steps) {
        this.progress -= 1;
        this.showStep(step + 1);
        continue;
      }
      if (!this.isOver(episode)) {
        // Waiting for the rest of the episode: hold, and do not bank time that would later burst.
        this.progress = Math.min(this.progress, 0.999);
        break;
      }
      this.progress -= 1;
      this.endPass();
      const next = this.chooser.next(episode);
      if (!next) {
        this.holding = true;
        this.progress = 0;
        break;
      }
      this.begin(next, now);
    }

    const frame = this.playedFrame();
    // The last frame before playback holds is always drawn, so the motion never stops short.
    if (frame && moved && (now - this.lastDraw >= MIN_DRAW_INTERVAL_MS || this.holding)) {
      this.lastDraw = now;
      this.events.frame(frame, this.current!);
    }
    if (this.current && !this.holding && !this.waitingForFrames()) this.animationRequest = requestAnimationFrame(this.tick);
  };

  /** Played to its last step, or to where its frames stopped for good. */
  private isOver(episode: RecordedEpisode): boolean {
    if (episode.complete || episode.broken || this.noMoreFrames) return true;
    // Frames that stop short of the end with something else to play (an older trainer that sent
    // fragments, streaming turned off mid-episode): the episode is over where they stop.
    const other = this.chooser.next(episode, false);
    return other !== null && other !== episode;
  }

  /** At the last frame received of an episode still arriving: the next batch wakes the player. */
  private waitingForFrames(): boolean {
    const episode = this.current;
    return !!episode && !!this.pass && this.pass.lastStep + 1 >= episode.steps && this.progress >= 0.999 && !this.isOver(episode);
  }

  private begin(episode: RecordedEpisode | null, now: number): boolean {
    if (!episode || episode.steps === 0) return false;
    this.current = episode;
    this.holding = false;
    this.pass = { episode, stepsPlayed: 0, lastStep: -1, startedAt: now, endedAt: null };
    this.events.passStarted(this.pass);
    this.showStep(0);
    return true;
  }

  private showStep(step: number): void {
    const pass = this.pass!;
    pass.lastStep = step;
    pass.stepsPlayed++;
    this.framesPlayed++;
  }

  private endPass(): void {
    const pass = this.pass;
    if (!pass || pass.endedAt !== null) return;
    pass.endedAt = performance.now();
    this.events.passEnded(pass);
  }

  /** The current step, moved part of the way toward the next one for smooth motion at 1×. */
  private playedFrame(): PlayedFrame | null {
    const episode = this.current;
    const pass = this.pass;
    if (!episode || !pass) return null;
    const frame = episode.frame(pass.lastStep);
    if (!frame) return null;
    const values = Float64Array.from(frame.values);
    const next = this.holding ? null : episode.frame(pass.lastStep + 1);
    if (next) {
      for (let k = 0; k < values.length; k++) {
        const blend = this.blend[k] ?? 'hold';
        if (blend === 'angle') values[k] += angleDelta(frame.values[k], next.values[k]) * this.progress;
        else if (blend === 'linear') values[k] += (next.values[k] - frame.values[k]) * this.progress;
      }
    }
    return { values, episode: episode.episode, step: pass.lastStep, phase: episode.phase, continuous: pass.lastStep > 0 };
  }
}
