/**
 * The pendulum card: a HiDPI canvas that plays the streamed frames, a caption saying what is (or
 * is not) playing, the playback speed control and a subtle count of frames played.
 */

import type { FrameBatch } from '../../src/shared/protocol';
import { PENDULUM } from '../../src/agent/env/pendulum';
import { element, labelledSelect, setText } from '../dom';
import type { ThemePalette } from '../theme';
import type { PlaybackSpeed } from '../viewState';
import { FramePlayer, type PendulumPose, type PlaybackPolicy } from './framePlayer';
import { PendulumRenderer } from './pendulumRenderer';

const SPEED_OPTIONS: { value: PlaybackSpeed; label: string }[] = [
  { value: '1', label: '1× (real time)' },
  { value: '2', label: '2×' },
  { value: '4', label: '4×' },
  { value: '10', label: '10×' },
  { value: 'max', label: 'max' },
];

/** The frame counter is text a test reads; repainting it every animation frame would be waste. */
const COUNTER_REFRESH_MS = 200;
/**
 * With the system's reduce-motion preference the pendulum is not animated: it shows a still pose
 * at most this often (and whenever another episode starts), so what the policy does stays visible.
 */
const REDUCED_MOTION_REDRAW_MS = 1000;

export class PendulumPanel {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private readonly frameCounter: HTMLElement;
  private readonly skippedNote: HTMLElement;
  private readonly renderer: PendulumRenderer;
  private readonly player: FramePlayer;
  private lastPose: PendulumPose | null = null;
  private idleMessage = 'Waiting for the first frames…';
  private statusNote: string | null = null;
  private counterTimer: number | null = null;
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  private lastDrawAt = -Infinity;

  /**
   * @param onEpisodeShown called when the canvas starts showing another episode
   */
  constructor(
    palette: ThemePalette,
    speed: PlaybackSpeed,
    onSpeedChange: (speed: PlaybackSpeed) => void,
    private readonly onEpisodeShown: (phase: PendulumPose['phase'], episode: number) => void,
  ) {
    this.canvas = element('canvas', {
      testId: 'pendulum-canvas',
      className: 'pendulum-canvas',
      attributes: { role: 'img', 'aria-label': 'Pendulum animation' },
    });
    this.caption = element('p', { className: 'pendulum-caption', testId: 'pendulum-caption', attributes: { 'aria-live': 'polite' } });
    this.frameCounter = element('span', { testId: 'frame-counter', text: '0' });
    this.skippedNote = element('span', { className: 'muted' });
    const speedControl = labelledSelect('Speed', SPEED_OPTIONS, speed, 'speed-select', (value) => {
      this.player.setSpeed(value);
      onSpeedChange(value);
    });
    const stage = element('div', { className: 'pendulum-stage' }, [this.canvas]);
    const footer = element('div', { className: 'pendulum-footer' }, [
      speedControl.label,
      element('span', { className: 'frame-stats', title: 'Environment steps played, and skipped to keep up with training' }, [
        this.frameCounter,
        ' frames',
        this.skippedNote,
      ]),
    ]);
    this.element = element('section', { className: 'card pendulum-card', attributes: { 'aria-label': 'Pendulum' } }, [
      element('h2', { className: 'card-title', text: 'Pendulum-v1' }),
      stage,
      this.caption,
      footer,
    ]);

    this.renderer = new PendulumRenderer(this.canvas, palette, {
      maxEpisodeSteps: PENDULUM.defaultMaxEpisodeSteps,
      maxTorque: PENDULUM.maxTorque,
    });
    this.player = new FramePlayer(PENDULUM.dt, (pose) => this.show(pose));
    this.player.setSpeed(speed);

    new ResizeObserver(() => this.fitCanvas()).observe(stage);
    this.watchPixelRatio();
    this.updateCaption();
  }

  setPolicy(policy: PlaybackPolicy): void {
    this.player.setPolicy(policy);
  }

  setMaxEpisodeSteps(maxEpisodeSteps: number): void {
    this.renderer.setLabels({ maxEpisodeSteps, maxTorque: PENDULUM.maxTorque });
  }

  setPalette(palette: ThemePalette): void {
    this.renderer.setPalette(palette);
    this.renderer.draw(this.lastPose);
  }

  /**
   * @param statusNote shown instead of the playing episode (e.g. "Paused"), or null
   * @param idleMessage shown while no frame has been played yet
   */
  setNotes(statusNote: string | null, idleMessage: string): void {
    this.statusNote = statusNote;
    this.idleMessage = idleMessage;
    this.updateCaption();
  }

  enqueue(batch: FrameBatch): void {
    this.player.enqueue(batch);
  }

  reset(): void {
    this.player.reset();
    this.lastPose = null;
    this.renderer.draw(null);
    this.refreshCounter();
    this.updateCaption();
  }

  private show(pose: PendulumPose): void {
    const phaseChanged = !this.lastPose || this.lastPose.phase !== pose.phase || this.lastPose.episode !== pose.episode;
    this.lastPose = pose;
    const now = performance.now();
    if (!this.reducedMotion.matches || phaseChanged || now - this.lastDrawAt >= REDUCED_MOTION_REDRAW_MS) {
      this.renderer.draw(pose);
      this.lastDrawAt = now;
    }
    if (phaseChanged) {
      this.updateCaption();
      this.onEpisodeShown(pose.phase, pose.episode);
    }
    this.counterTimer ??= window.setTimeout(() => this.refreshCounter(), COUNTER_REFRESH_MS);
  }

  private refreshCounter(): void {
    if (this.counterTimer !== null) window.clearTimeout(this.counterTimer);
    this.counterTimer = null;
    setText(this.frameCounter, String(this.player.framesPlayed));
    setText(this.skippedNote, this.player.framesSkipped > 0 ? ` · ${this.player.framesSkipped} skipped` : '');
  }

  private updateCaption(): void {
    const pose = this.lastPose;
    let text: string;
    if (this.statusNote) text = this.statusNote;
    else if (!pose) text = this.idleMessage;
    else if (pose.phase === 'eval') text = `Evaluation episode ${pose.episode}: the deterministic policy, without exploration noise.`;
    else text = `Training episode ${pose.episode}: the actor's action plus exploration noise.`;
    if (pose && !this.statusNote && this.reducedMotion.matches) text += ' Reduced motion: one still pose a second.';
    setText(this.caption, text);
    this.canvas.setAttribute(
      'aria-label',
      pose ? `Pendulum animation, ${pose.phase === 'eval' ? 'evaluation' : 'training'} episode ${pose.episode}` : `Pendulum animation: ${text}`,
    );
  }

  private fitCanvas(): void {
    const bounds = this.canvas.getBoundingClientRect();
    if (this.renderer.resize(bounds.width, bounds.height, window.devicePixelRatio || 1)) this.renderer.draw(this.lastPose);
  }

  /** Moving the panel to a screen with another pixel density changes devicePixelRatio only. */
  private watchPixelRatio(): void {
    const query = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    query.addEventListener('change', () => {
      this.fitCanvas();
      this.watchPixelRatio();
    }, { once: true });
  }
}
