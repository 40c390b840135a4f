/**
 * The environment card: a HiDPI canvas that plays the streamed frames with the renderer of the
 * run's environment, a caption saying what is (or is not) playing, the playback speed control and
 * a subtle count of frames played. Everything but the drawing is the same for every environment.
 */

import type { EnvironmentDescriptor } from '../../src/shared/environments';
import type { FrameBatch } from '../../src/shared/protocol';
import { element, labelledSelect, setText } from '../dom';
import type { ThemePalette } from '../theme';
import type { PlaybackSpeed } from '../viewState';
import type { EnvironmentRenderer, PlayedFrame, RendererDefinition } from './environmentRenderer';
import { FramePlayer, type PlaybackPolicy } from './framePlayer';
import { rendererFor } from './registry';

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
 * With the system's reduce-motion preference nothing is animated: the canvas shows a still pose
 * at most this often (and whenever another episode starts), so what the policy does stays visible.
 */
const REDUCED_MOTION_REDRAW_MS = 1000;

export class EnvironmentPanel {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly frameCounter: HTMLElement;
  private readonly skippedNote: HTMLElement;
  private readonly player: FramePlayer;
  private environment: EnvironmentDescriptor;
  private maxEpisodeSteps: number;
  private definition: RendererDefinition;
  private canvas: HTMLCanvasElement;
  private renderer: EnvironmentRenderer;
  private lastFrame: PlayedFrame | null = null;
  private idleMessage = 'Waiting for the first frames…';
  private statusNote: string | null = null;
  private counterTimer: number | null = null;
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  private lastDrawAt = -Infinity;

  /**
   * @param environment what to draw until a run says otherwise
   * @param onEpisodeShown called when the canvas starts showing another episode
   */
  constructor(
    private palette: ThemePalette,
    environment: EnvironmentDescriptor,
    speed: PlaybackSpeed,
    onSpeedChange: (speed: PlaybackSpeed) => void,
    private readonly onEpisodeShown: (phase: PlayedFrame['phase'], episode: number) => void,
  ) {
    this.environment = environment;
    this.maxEpisodeSteps = environment.maxEpisodeSteps;
    this.title = element('h2', { className: 'card-title', testId: 'environment-title' });
    this.caption = element('p', { className: 'pendulum-caption', testId: 'environment-caption', attributes: { 'aria-live': 'polite' } });
    this.frameCounter = element('span', { testId: 'frame-counter', text: '0' });
    this.skippedNote = element('span', { className: 'muted' });
    const speedControl = labelledSelect('Speed', SPEED_OPTIONS, speed, 'speed-select', (value) => {
      this.player.setSpeed(value);
      onSpeedChange(value);
    });
    this.stage = element('div', { className: 'pendulum-stage', testId: 'environment-stage' });
    const footer = element('div', { className: 'pendulum-footer' }, [
      speedControl.label,
      element('span', { className: 'frame-stats', title: 'Environment steps played, and skipped to keep up with training' }, [
        this.frameCounter,
        ' frames',
        this.skippedNote,
      ]),
    ]);
    this.element = element('section', { className: 'card pendulum-card', testId: 'environment-card' }, [this.title, this.stage, this.caption, footer]);

    this.definition = rendererFor(environment);
    this.canvas = this.createCanvas(this.definition);
    this.renderer = this.definition.create(this.canvas, palette, { environment, maxEpisodeSteps: this.maxEpisodeSteps });
    this.player = new FramePlayer(environment.dt, this.definition.blend, (frame) => this.show(frame));
    this.player.setSpeed(speed);
    this.showEnvironmentNames();

    new ResizeObserver(() => this.fitCanvas()).observe(this.stage);
    this.watchPixelRatio();
    this.updateCaption();
  }

  /**
   * The run's environment and the time limit it uses. Another kind of environment gets a fresh
   * canvas and renderer (a 2D context cannot become a WebGL one); what was queued is dropped.
   */
  showEnvironment(environment: EnvironmentDescriptor, maxEpisodeSteps: number): void {
    const changed = environment.id !== this.environment.id;
    this.environment = environment;
    this.maxEpisodeSteps = maxEpisodeSteps;
    const setup = { environment, maxEpisodeSteps };
    const definition = rendererFor(environment);
    if (definition !== this.definition) {
      this.renderer.dispose();
      this.canvas.remove();
      this.definition = definition;
      this.canvas = this.createCanvas(definition);
      this.renderer = definition.create(this.canvas, this.palette, setup);
      this.fitCanvas();
    } else {
      this.renderer.configure(setup);
    }
    if (changed) {
      this.player.setEnvironment(environment.dt, definition.blend);
      this.lastFrame = null;
      this.renderer.draw(null);
      this.refreshCounter();
      this.showEnvironmentNames();
      this.updateCaption();
    }
  }

  setPolicy(policy: PlaybackPolicy): void {
    this.player.setPolicy(policy);
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.renderer.setPalette(palette);
    this.renderer.draw(this.lastFrame);
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

  /** Plays the batch, unless its frames are not this environment's (the renderer could not read them). */
  enqueue(batch: FrameBatch): void {
    if (batch.stride !== this.environment.frameLabels.length) return;
    this.player.enqueue(batch);
  }

  reset(): void {
    this.player.reset();
    this.lastFrame = null;
    this.renderer.draw(null);
    this.refreshCounter();
    this.updateCaption();
  }

  private createCanvas(definition: RendererDefinition): HTMLCanvasElement {
    const canvas = element('canvas', { testId: definition.canvasTestId, className: 'pendulum-canvas', attributes: { role: 'img' } });
    this.stage.dataset.renderer = definition.kind;
    this.stage.append(canvas);
    return canvas;
  }

  private showEnvironmentNames(): void {
    setText(this.title, this.environment.id);
    this.element.setAttribute('aria-label', this.environment.title);
    this.element.dataset.environment = this.environment.id;
  }

  private show(frame: PlayedFrame): void {
    const episodeChanged = !this.lastFrame || this.lastFrame.phase !== frame.phase || this.lastFrame.episode !== frame.episode;
    this.lastFrame = frame;
    const now = performance.now();
    if (!this.reducedMotion.matches || episodeChanged || now - this.lastDrawAt >= REDUCED_MOTION_REDRAW_MS) {
      this.renderer.draw(frame);
      this.lastDrawAt = now;
    }
    if (episodeChanged) {
      this.updateCaption();
      this.onEpisodeShown(frame.phase, frame.episode);
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
    const frame = this.lastFrame;
    let text: string;
    if (this.statusNote) text = this.statusNote;
    else if (!frame) text = this.idleMessage;
    else if (frame.phase === 'eval') text = `Evaluation episode ${frame.episode}: the deterministic policy, without exploration noise.`;
    else text = `Training episode ${frame.episode}: the actor's action plus exploration noise.`;
    if (frame && !this.statusNote && this.reducedMotion.matches) text += ' Reduced motion: one still pose a second.';
    setText(this.caption, text);
    const animation = `${this.environment.title} animation`;
    this.canvas.setAttribute(
      'aria-label',
      frame ? `${animation}, ${frame.phase === 'eval' ? 'evaluation' : 'training'} episode ${frame.episode}` : `${animation}: ${text}`,
    );
  }

  private fitCanvas(): void {
    const bounds = this.canvas.getBoundingClientRect();
    if (this.renderer.resize(bounds.width, bounds.height, window.devicePixelRatio || 1)) this.renderer.draw(this.lastFrame);
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
