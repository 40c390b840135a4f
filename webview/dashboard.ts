/**
 * The dashboard controller: turns host messages into model updates and tells each view what
 * changed. It owns the page layout (header, mode banner, the environment's animation beside the
 * status, charts, hyperparameters) and the `framesWanted` handshake.
 */

import { DEFAULT_ENVIRONMENT, ENVIRONMENTS, environmentOf } from '../src/shared/environments';
import { isTrainerToHost, type DashboardCommand, type DashboardMode, type HostToWebview } from '../src/shared/protocol';
import { ChartsPanel } from './charts/chartsPanel';
import { element } from './dom';
import type { ErrorReporter } from './errorReporting';
import { formatInteger } from './format';
import type { HostBridge } from './hostBridge';
import { isDashboardMode, isFrameBatch, readSnapshot } from './messageValidation';
import { EmptyState } from './panels/emptyState';
import { HyperparameterTable } from './panels/hyperparameterTable';
import { ModeBanner } from './panels/modeBanner';
import { RunHeader } from './panels/runHeader';
import { StatusPanel } from './panels/statusPanel';
import { Toasts } from './panels/toasts';
import { EnvironmentPanel } from './renderers/environmentPanel';
import { RunModel, type ModelChange } from './runModel';
import { readPalette, watchTheme } from './theme';

function sameMode(a: DashboardMode, b: DashboardMode): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'live' || b.kind === 'live') return true;
  return a.checkpointDir === b.checkpointDir;
}

export class Dashboard {
  private model: RunModel | null = null;
  private readonly emptyState = new EmptyState();
  private readonly header = new RunHeader();
  private readonly banner = new ModeBanner(() => this.bridge.post({ type: 'watchCheckpoint' }));
  private readonly animation: EnvironmentPanel;
  private readonly status: StatusPanel;
  private readonly charts: ChartsPanel;
  private readonly hyperparameters: HyperparameterTable;
  private readonly toasts = new Toasts();
  private readonly content: HTMLElement;
  private readonly topGrid: HTMLElement;
  private framesWanted: boolean | null = null;

  constructor(
    root: HTMLElement,
    private readonly bridge: HostBridge,
    private readonly reportError: ErrorReporter,
  ) {
    const palette = readPalette();
    const view = bridge.state;
    const updateView = bridge.updateState.bind(bridge);
    this.status = new StatusPanel((command) => this.sendCommand(command));
    this.animation = new EnvironmentPanel(
      palette,
      ENVIRONMENTS[DEFAULT_ENVIRONMENT],
      view.speed,
      (speed) => updateView({ speed }),
      (phase, episode) => this.status.showPlayingEpisode(phase, episode),
    );
    this.charts = new ChartsPanel(palette, view, updateView, (name, dataUrl) => this.bridge.post({ type: 'exportChart', name, dataUrl }));
    this.hyperparameters = new HyperparameterTable(view.hyperparametersOpen, view.onlyChangedHyperparameters, updateView);
    this.topGrid = element('div', { className: 'top-grid' }, [this.animation.element, this.status.element]);
    this.content = element('main', { className: 'dashboard' }, [
      this.header.element,
      this.banner.element,
      this.topGrid,
      this.charts.element,
      this.hyperparameters.element,
    ]);
    this.content.hidden = true;
    root.replaceChildren(this.emptyState.element, this.content, this.toasts.element);

    watchTheme((next) => {
      this.animation.setPalette(next);
      this.charts.setPalette(next);
    });
    document.addEventListener('visibilitychange', () => this.updateFramesWanted());
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'showRun':
        this.showRun(message.snapshot, message.mode);
        break;
      case 'runEvent':
        this.applyRunEvents(message.runId, [message.event]);
        break;
      case 'runEvents':
        this.applyRunEvents(message.runId, message.events);
        break;
      case 'noRun':
        this.model = null;
        this.animation.reset();
        this.content.hidden = true;
        this.emptyState.showNoRun();
        this.emptyState.element.hidden = false;
        this.bridge.updateState({ runId: undefined, mode: undefined });
        this.updateFramesWanted();
        break;
    }
  }

  private showRun(rawSnapshot: unknown, rawMode: unknown): void {
    const snapshot = readSnapshot(rawSnapshot);
    if (!snapshot || !isDashboardMode(rawMode)) {
      this.reportError(new Error('showRun carried a snapshot or mode the dashboard cannot read'), 'message from host');
      return;
    }
    const previous = this.model;
    const model = new RunModel(snapshot, rawMode);
    this.model = model;
    // The host re-sends the whole history when the panel is revealed; the animation may go on, and
    // the page stays where the user scrolled. New content starts at its top (its banner and
    // evaluation results), not wherever the previous content was scrolled to.
    if (!previous || previous.runId !== model.runId || !sameMode(previous.mode, model.mode)) {
      this.animation.reset();
      window.scrollTo(0, 0);
    }

    this.emptyState.element.hidden = true;
    this.content.hidden = false;
    this.content.dataset.mode = model.mode.kind;
    // Inspecting a checkpoint plays nothing and steers nothing: the banner and the curves say it all.
    this.topGrid.hidden = model.mode.kind === 'inspect';
    this.header.showRun(model.run);
    this.header.showState(model.status.state);
    this.banner.show(model.mode);
    this.showEnvironment(model);
    this.animation.showScene(model.scene ?? null);
    this.animation.setMode(model.mode);
    this.status.showRun(model);
    this.charts.setRun(model.run);
    this.charts.setRows(model.episodes, model.evals, model.mode.kind === 'live' ? null : model.mode.checkpoint.step);
    this.hyperparameters.show(model.run.config as unknown as Record<string, unknown>);
    this.updateAnimationNote();
    this.bridge.updateState({ runId: model.runId, mode: model.mode });
    this.updateFramesWanted();
  }

  /** Applies events to the model in order, then updates the page once for all of them. */
  private applyRunEvents(runId: string, events: unknown[]): void {
    const model = this.model;
    if (!model || runId !== model.runId) return;
    const changes = new Set<ModelChange>();
    for (const event of events) {
      if (!isTrainerToHost(event)) continue;
      if (event.type === 'frames') {
        if (model.mode.kind !== 'inspect' && isFrameBatch(event.frames)) this.animation.enqueue(event.frames);
        continue;
      }
      for (const change of model.apply(event)) changes.add(change);
    }
    if (changes.size > 0) this.render(model, changes);
  }

  private render(model: RunModel, changes: Set<ModelChange>): void {
    if (changes.has('run')) {
      this.header.showRun(model.run);
      this.showEnvironment(model);
      this.charts.setRun(model.run);
      this.hyperparameters.show(model.run.config as unknown as Record<string, unknown>);
    }
    if (changes.has('status')) {
      this.header.showState(model.status.state);
      this.status.showStatus(model);
      this.updateAnimationNote();
      this.updateFramesWanted();
    }
    if (changes.has('episodes')) this.status.showStatus(model);
    if (changes.has('episodes') || changes.has('evals')) this.charts.rowsChanged();
    if (changes.has('checkpoint')) {
      this.status.showCheckpoints(model);
      this.status.controls.checkpointSaved();
      // Whether there is a checkpoint to evaluate is part of what an ended run's card suggests.
      this.updateAnimationNote();
      // Quiet by default: only a checkpoint the user asked for gets a toast. Automatic ones (a
      // best one every few episodes) show in the checkpoint list, not over the charts.
      for (const checkpoint of model.takeAnnouncedCheckpoints()) {
        if (checkpoint.reason !== 'manual') continue;
        this.toasts.show(`Checkpoint saved: ${checkpoint.name}`, `manual · episode ${formatInteger(checkpoint.episode)}`);
      }
    }
    if (changes.has('scene')) this.animation.showScene(model.scene ?? null);
    if (changes.has('evaluation')) this.status.showEvaluation(model);
    if (changes.has('problem')) this.status.showProblem(model);
  }

  private sendCommand(command: DashboardCommand): void {
    if (!this.model) return;
    this.bridge.post({ type: 'command', runId: this.model.runId, command });
  }

  /** The run's environment, and its time limit: the run's own, or the environment's when 0. */
  private showEnvironment(model: RunModel): void {
    const environment = environmentOf(model.run.config);
    const setting = (model.run.config as { maxEpisodeSteps?: unknown }).maxEpisodeSteps;
    const maxEpisodeSteps = typeof setting === 'number' && setting > 0 ? setting : environment.maxEpisodeSteps;
    this.animation.showEnvironment(environment, maxEpisodeSteps);
  }

  /** What the animation's caption says when frames are not flowing. */
  private updateAnimationNote(): void {
    const model = this.model;
    if (!model) return;
    let note: string | null = null;
    let idle = 'Waiting for the first frames…';
    if (model.mode.kind === 'inspect') {
      note = 'No animation while inspecting a checkpoint: Watch this policy plays its deterministic episodes.';
    } else if (model.mode.kind === 'evaluate') {
      idle = 'Loading the checkpoint for evaluation…';
    } else if (model.status.state === 'paused') {
      note = 'Paused: the animation continues when training resumes.';
    } else if (!model.live) {
      idle = 'This run is not running, so there are no frames to play.';
      if (model.status.state === 'finished') note = 'Training finished.';
      else if (model.status.state === 'crashed') note = 'The trainer crashed; see the error beside.';
      else if (model.status.state === 'stopped') note = 'Training stopped.';
      else if (model.status.state === 'interrupted') note = 'Training was interrupted when its window closed; Resume in the Runs view continues it.';
    }
    this.animation.setNotes(note, idle);
    this.animation.showRunProgress({
      state: model.status.state,
      ended: !model.live,
      completedEpisodes: model.completedEpisodes,
      evals: model.evals,
      hasCheckpoints: model.checkpoints.length > 0,
    });
  }

  /** The host streams frames only while the panel is visible and has something to play. */
  private updateFramesWanted(): void {
    const model = this.model;
    const wanted = document.visibilityState === 'visible' && !!model && model.live && model.mode.kind !== 'inspect';
    if (wanted === this.framesWanted) return;
    this.framesWanted = wanted;
    this.bridge.post({ type: 'framesWanted', enabled: wanted });
  }
}
