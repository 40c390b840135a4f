/**
 * The environment card: a HiDPI canvas that plays whole episodes with the renderer of the run's
 * environment, the Watch control (what to play), the caption saying what is playing, the speed
 * control, and a subtle count of frames played and episodes skipped. Everything but the drawing
 * is the same for every environment.
 */

import type { EnvironmentDescriptor } from '../../src/shared/environments';
import type { MujocoScene } from '../../src/shared/mujocoScene';
import type { DashboardMode, EvalRow, FrameBatch, RunStatus } from '../../src/shared/protocol';
import { element, labelledSelect, setText } from '../dom';
import type { ThemePalette } from '../theme';
import type { PlaybackSpeed } from '../viewState';
import { EpisodeLibrary } from './episodeLibrary';
import type { EnvironmentRenderer, PlayedFrame, RendererDefinition, RendererSetup } from './environmentRenderer';
import { FramePlayer, type EpisodePass } from './framePlayer';
import type { RecordedEpisode } from './frameQueue';
import { episodeLabels, holdingNote, skippedNote, waitingNote, type PlaybackContext } from './playbackLabels';
import { rendererFor } from './registry';
import { WatchControl } from './watchControl';
import { DEFAULT_WATCH, WatchSelection, type WatchChoice } from './watchSelection';

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

/** A checkpoint's evaluation is few episodes, watched for themselves: all of them, over and over. */
const EVALUATE_WATCH: WatchChoice = { source: 'latestEvaluation', start: 'all', loop: true };
/** When a run ends its best evaluation plays on a loop (or, without one, its last training episode). */
const ENDED_WATCH: WatchChoice = { source: 'bestEvaluation', start: 'all', loop: true };
/** What a user can still watch of a run that has ended with nothing to play: frames are only ever sent live. */
const EVALUATE_HINT = 'Evaluate Checkpoint in the Runs view plays a checkpoint\u2019s policy.';

/** What the dashboard tells the card about the run, whenever its status or evaluations change. */
export interface RunProgress {
  state: RunStatus;
  /** Its trainer has ended (or never ran here): no more frames will come. */
  ended: boolean;
  completedEpisodes: number;
  evals: readonly EvalRow[];
  /** It has a checkpoint whose policy can be evaluated. */
  hasCheckpoints: boolean;
}

export class EnvironmentPanel {
  readonly element: HTMLElement;
  private readonly title: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly frameCounter: HTMLElement;
  private readonly skippedText: HTMLElement;
  private readonly watchControl: WatchControl;
  private readonly library = new EpisodeLibrary();
  private readonly selection = new WatchSelection(this.library);
  private readonly player: FramePlayer;
  private environment: EnvironmentDescriptor;
  private maxEpisodeSteps: number;
  private scene: MujocoScene | null = null;
  private definition: RendererDefinition;
  private canvas: HTMLCanvasElement;
  private renderer: EnvironmentRenderer;
  private lastFrame: PlayedFrame | null = null;
  private idleMessage = 'Waiting for the first frames…';
  private statusNote: string | null = null;
  private counterTimer: number | null = null;
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  private lastDrawAt = -Infinity;
  private checkpointName: string | null = null;
  private modeKind: DashboardMode['kind'] = 'live';
  private progress: RunProgress = { state: 'running', ended: false, completedEpisodes: 0, evals: [], hasCheckpoints: false };
  private evalsByStep = new Map<number, EvalRow>();
  /** The end-of-run choice was made for this run already: the user's later choice stands. */
  private endApplied = false;
  private wholePasses = 0;

  /**
   * @param environment what to draw until a run says otherwise
   * @param onEpisodeShown called when the canvas starts showing another episode (evaluations: the start)
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
    this.skippedText = element('span', { className: 'muted', testId: 'skipped-note' });
    const speedControl = labelledSelect('Speed', SPEED_OPTIONS, speed, 'speed-select', (value) => {
      this.player.setSpeed(value);
      onSpeedChange(value);
    });
    this.watchControl = new WatchControl(DEFAULT_WATCH, (choice) => this.choose(choice));
    this.stage = element('div', { className: 'pendulum-stage', testId: 'environment-stage' });
    const footer = element('div', { className: 'pendulum-footer' }, [
      element('div', { className: 'playback-options' }, [speedControl.label, this.watchControl.loopElement]),
      element('span', { className: 'frame-stats', title: 'Environment steps played, and episodes passed over to keep up with training' }, [
        this.frameCounter,
        ' frames',
        this.skippedText,
      ]),
    ]);
    this.element = element('section', { className: 'card pendulum-card', testId: 'environment-card' }, [
      this.title,
      this.stage,
      this.caption,
      this.watchControl.element,
      footer,
    ]);

    this.definition = rendererFor(environment);
    this.canvas = this.createCanvas(this.definition);
    this.renderer = this.definition.create(this.canvas, palette, { environment, maxEpisodeSteps: this.maxEpisodeSteps });
    this.player = new FramePlayer(environment.dt, this.definition.blendFor?.(environment) ?? this.definition.blend, this.selection, {
      frame: (frame, episode) => this.show(frame, episode),
      passStarted: (pass) => this.passStarted(pass),
      passEnded: (pass) => this.passEnded(pass),
    });
    this.player.setSpeed(speed);
    this.showEnvironmentNames();

    new ResizeObserver(() => this.fitCanvas()).observe(this.stage);
    this.watchPixelRatio();
    this.updateCaption();
  }

  /**
   * The run's environment and the time limit it uses. Another kind of environment gets a fresh
   * canvas and renderer (a 2D context cannot become a WebGL one); what was kept is dropped.
   */
  showEnvironment(environment: EnvironmentDescriptor, maxEpisodeSteps: number): void {
    const changed = environment.id !== this.environment.id;
    this.environment = environment;
    this.maxEpisodeSteps = maxEpisodeSteps;
    if (changed) this.scene = null;
    const setup = this.setup();
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
      this.library.clear();
      this.player.setEnvironment(environment.dt, definition.blendFor?.(environment) ?? definition.blend);
      this.lastFrame = null;
      this.renderer.draw(null);
      this.refreshCounter();
      this.showEnvironmentNames();
      this.updateCaption();
    }
  }

  /** A MuJoCo run's bodies and geoms (null: none yet): the 3D renderer builds its scene from them. */
  showScene(scene: MujocoScene | null): void {
    if (scene === this.scene) return;
    this.scene = scene;
    this.renderer.configure(this.setup());
    this.renderer.draw(this.lastFrame);
    this.updateCaption();
  }

  /** Live: training episodes and the run's evaluations to choose from. Evaluating a checkpoint: its starts, on a loop. */
  setMode(mode: DashboardMode): void {
    const evaluating = mode.kind === 'evaluate';
    this.modeKind = mode.kind;
    this.checkpointName = evaluating ? mode.checkpoint.name : null;
    this.library.setFallbackEvaluation(evaluating ? { step: mode.checkpoint.step, count: mode.episodes } : null);
    this.watchControl.setSourceChoosable(!evaluating);
    if (evaluating && this.selection.choice.source === 'training') this.applyChoice(EVALUATE_WATCH);
  }

  /** The run's state, progress and evaluations: labels, "best", and what plays once it has ended. */
  showRunProgress(progress: RunProgress): void {
    const sceneWasMissing = this.sceneMissing;
    this.progress = progress;
    if (this.sceneMissing !== sceneWasMissing) {
      this.renderer.configure(this.setup());
      this.renderer.draw(this.lastFrame);
    }
    if (progress.evals.length !== this.evalsByStep.size) {
      this.evalsByStep = new Map(progress.evals.map((row) => [row.step, row]));
      this.library.setScores(new Map(progress.evals.map((row) => [row.step, row.mean])));
    }
    this.player.setNoMoreFrames(progress.ended && this.checkpointName === null);
    const watchedLive = this.player.playing !== null || this.library.hasEvaluations;
    if (progress.ended && !this.endApplied && this.checkpointName === null && watchedLive) {
      this.endApplied = true;
      this.applyChoice(this.library.hasEvaluations ? ENDED_WATCH : { ...this.selection.choice, source: 'training', loop: true });
    }
    this.updateCaption();
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.renderer.setPalette(palette);
    this.renderer.draw(this.lastFrame);
  }

  /**
   * @param statusNote said before what is playing (e.g. "Training finished."), or instead of it when nothing plays
   * @param idleMessage shown while no frame has been played yet
   */
  setNotes(statusNote: string | null, idleMessage: string): void {
    this.statusNote = statusNote;
    this.idleMessage = idleMessage;
    this.updateCaption();
  }

  /** Keeps the batch for playing, unless its frames are not this environment's (the renderer could not read them). */
  enqueue(batch: FrameBatch): void {
    if (batch.stride !== this.environment.frameLabels.length) return;
    const playing = this.player.playing;
    const added = this.library.add(batch, performance.now(), new Set(playing ? [playing] : []));
    if (!added) return;
    this.watchControl.setStartCount((this.selection.chosenEvaluation() ?? this.library.latestEvaluation())?.count ?? 0);
    this.player.wake();
  }

  /** Forgets everything kept and shown: another run, or another mode. */
  reset(): void {
    this.library.clear();
    this.player.reset();
    this.selection.resetCounts();
    this.endApplied = false;
    this.wholePasses = 0;
    this.applyChoice(DEFAULT_WATCH);
    this.watchControl.setStartCount(0);
    this.lastFrame = null;
    this.renderer.draw(null);
    for (const key of ['playing', 'step', 'badge', 'wholePasses', 'lastPass', 'lastPassSteps', 'lastPassWhole', 'lastPassMs']) delete this.element.dataset[key];
    this.refreshCounter();
    this.updateCaption();
  }

  /** The user's choice: another source or start plays at once, from its first step; Loop takes effect at the episode's end. */
  private choose(choice: WatchChoice): void {
    const previous = this.selection.choice;
    this.selection.choice = choice;
    this.element.dataset.watch = choice.source;
    this.watchControl.setStartCount(this.selection.chosenEvaluation()?.count ?? this.library.latestEvaluation()?.count ?? 0);
    if (choice.source !== previous.source || choice.start !== previous.start) this.player.restart();
    else this.player.wake();
    this.updateCaption();
  }

  private applyChoice(choice: WatchChoice): void {
    this.selection.choice = { ...choice };
    this.watchControl.show(choice);
    this.element.dataset.watch = choice.source;
    this.player.wake();
  }

  private setup(): RendererSetup {
    return { environment: this.environment, maxEpisodeSteps: this.maxEpisodeSteps, scene: this.scene, sceneMissing: this.sceneMissing };
  }

  /** The run shown live has ended, so nothing will come to play but what the page already has. */
  private get endedLive(): boolean {
    return this.progress.ended && this.modeKind === 'live';
  }

  /** No scene came, and none will: the run has ended (an evaluation's process sends its own). */
  private get sceneMissing(): boolean {
    return this.endedLive && this.scene === null;
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

  private context(): PlaybackContext {
    const best = this.library.bestEvaluation();
    return {
      checkpointName: this.checkpointName,
      state: this.progress.state,
      ended: this.progress.ended && this.checkpointName === null,
      completedEpisodes: this.progress.completedEpisodes,
      choice: this.selection.choice,
      evalAt: (step) => this.evalsByStep.get(step),
      isBest: (step) => best?.step === step,
    };
  }

  private show(frame: PlayedFrame, episode: RecordedEpisode): void {
    const labels = episodeLabels(episode, this.context());
    const drawn: PlayedFrame = { ...frame, title: labels.title, badge: labels.badge };
    this.lastFrame = drawn;
    const data = this.element.dataset;
    data.step = String(frame.step);
    if (data.badge !== labels.badge) data.badge = labels.badge;
    const now = performance.now();
    if (!this.reducedMotion.matches || !frame.continuous || now - this.lastDrawAt >= REDUCED_MOTION_REDRAW_MS) {
      this.renderer.draw(drawn);
      this.lastDrawAt = now;
    }
    if (this.player.isHolding) this.updateCaption();
    this.counterTimer ??= window.setTimeout(() => this.refreshCounter(), COUNTER_REFRESH_MS);
  }

  private passStarted(pass: EpisodePass): void {
    const { episode } = pass;
    this.element.dataset.playing = episode.phase === 'train' ? `train ${episode.episode}` : `eval ${episode.evaluation?.step ?? '?'} ${episode.evaluation?.index ?? episode.episode}`;
    this.updateCaption(episode);
    this.refreshCounter();
    this.onEpisodeShown(episode.phase, episode.phase === 'eval' ? (episode.evaluation?.index ?? episode.episode) : episode.episode);
  }

  /** Tests read these: an episode played from step 0 to its last, every step in order, and how long it took. */
  private passEnded(pass: EpisodePass): void {
    const { episode } = pass;
    const whole = episode.complete && pass.stepsPlayed === episode.length && pass.lastStep === (episode.length ?? 0) - 1;
    if (whole) this.wholePasses++;
    const data = this.element.dataset;
    data.wholePasses = String(this.wholePasses);
    data.lastPass = this.element.dataset.playing ?? '';
    data.lastPassSteps = String(pass.stepsPlayed);
    data.lastPassWhole = String(whole);
    data.lastPassMs = String(Math.round((pass.endedAt ?? performance.now()) - pass.startedAt));
  }

  private refreshCounter(): void {
    if (this.counterTimer !== null) window.clearTimeout(this.counterTimer);
    this.counterTimer = null;
    setText(this.frameCounter, String(this.player.framesPlayed));
    setText(this.skippedText, skippedNote(this.selection.skipped));
  }

  private updateCaption(playing = this.player.playing): void {
    const status = this.statusNote ? `${this.statusNote} ` : '';
    let text: string;
    let label: string;
    if (playing) {
      const labels = episodeLabels(playing, this.context());
      text = status + labels.caption;
      if (this.player.isHolding) text += holdingNote(this.selection.choice, this.library.hasEvaluations);
      label = labels.short;
    } else {
      text = this.statusNote ?? waitingNote(this.selection.choice) ?? this.idleMessage;
      if (this.endedLive) {
        const hint = this.progress.hasCheckpoints && this.progress.state !== 'interrupted' ? EVALUATE_HINT : null;
        text = [text, this.definition.restingNote?.(this.setup()), hint].filter(Boolean).join(' ');
      }
      label = text;
    }
    if (playing && this.reducedMotion.matches) text += ' Reduced motion: one still pose a second.';
    setText(this.caption, text);
    const animation = `${this.environment.title} animation`;
    this.canvas.setAttribute('aria-label', playing ? `${animation}, ${label}` : `${animation}: ${label}`);
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
