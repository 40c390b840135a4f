/**
 * The dashboard webview panel, host side: HTML with a fresh nonce, the ready handshake, history
 * replay, event forwarding, frame streaming on demand, evaluation sessions, and revival after a
 * window reload (WebviewPanelSerializer).
 *
 * retainContextWhenHidden stays off: a hidden panel's document is destroyed, and when it comes
 * back it says `ready` again and receives a fresh `showRun` snapshot built from the run history.
 */

import * as path from 'node:path';
import type * as vscode from 'vscode';
import {
  isWebviewToHost,
  type CheckpointManifest,
  type DashboardMode,
  type HostToWebview,
  type ShowRunMessage,
  type TrainerToHost,
  type WebviewToHost,
} from '../shared/protocol';
import { readCheckpointManifest } from '../shared/node/runDirectory';
import { Disposable } from './disposable';
import { RunEventThrottle } from './runEventThrottle';
import type { EvaluationSession, RunManager } from './runManager';
import type { VSCode } from './vscodeApi';
import { WebviewChannel } from './webviewChannel';
import { createPagePanel, pageHtml, webviewPageOptions } from './webviewPage';

export const DASHBOARD_VIEW_TYPE = 'ddpgLab.dashboard';

/** What a panel shows: a run in one of the three modes, or nothing yet. */
export interface DashboardTarget {
  runId: string;
  runDir: string;
  mode: DashboardMode;
}

/** The state the webview stores with setState; all the serializer gets back after a reload. */
export interface PersistedDashboardState {
  runId?: unknown;
  mode?: unknown;
}

export interface DashboardDependencies {
  runManager: RunManager;
  extensionUri: vscode.Uri;
  /** Where a run lives when this window has not seen it (the current runs directory). */
  locateRun(runId: string): Promise<string | undefined>;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

function titleFor(target: DashboardTarget | undefined): string {
  if (!target) return 'DDPG Dashboard';
  switch (target.mode.kind) {
    case 'live':
      return `DDPG: ${target.runId}`;
    case 'inspect':
      return `DDPG: ${target.runId} @ ep ${target.mode.checkpoint.episode}`;
    case 'evaluate':
      return `DDPG: evaluate ${target.runId} @ ep ${target.mode.checkpoint.episode}`;
  }
}

/** Live events are posted to the webview at most this often (a change of state at once). */
const LIVE_BATCH_MS = 100;

/** One webview panel and the conversation with the script inside it. */
export class DashboardPanel extends Disposable {
  private readonly channel: WebviewChannel<HostToWebview>;
  private target: DashboardTarget | undefined;
  private framesWanted = false;
  /** Bumped on every retarget and every `ready`: a snapshot built for an older one is dropped. */
  private generation = 0;
  private evaluation: EvaluationSession | undefined;
  /** Evaluation results and errors, replayed after each `ready` (frames are not: they are live only). */
  private evaluationEvents: TrainerToHost[] = [];
  private disposedByUser = false;
  /** Thins out statuses and frames of the live run shown (see RunEventThrottle), then batches them. */
  private readonly liveEvents = this._register(new RunEventThrottle((event) => this.batchLiveEvent(event)));
  /**
   * Live events waiting to be posted together. A fast run emits dozens of events a second, and
   * each post made the page update on its own: batching every ~100 ms cut the dashboard's CPU,
   * which on a small machine the trainer competes with (BENCHMARKS.md, Dashboard overhead).
   */
  private pendingLiveEvents: TrainerToHost[] = [];
  private liveFlushTimer: NodeJS.Timeout | undefined;

  private batchLiveEvent(event: TrainerToHost): void {
    const target = this.target;
    if (!target || target.mode.kind !== 'live') return;
    // Frames are live only: a webview that is not listening would replay them late, so they go.
    if (event.type === 'frames' && !this.channel.isReady) return;
    this.pendingLiveEvents.push(event);
    // The end of a run goes out at once, with what waited before it; a pause shows within 100 ms.
    if (event.type === 'exiting' || event.type === 'error') this.flushLiveEvents();
    else this.liveFlushTimer ??= setTimeout(() => this.flushLiveEvents(), LIVE_BATCH_MS);
  }

  /** Forgets held live events: they belong to a target no longer shown, or a snapshot is about to cover them. */
  private discardLiveEvents(): void {
    this.liveEvents.reset();
    clearTimeout(this.liveFlushTimer);
    this.liveFlushTimer = undefined;
    this.pendingLiveEvents = [];
  }

  private flushLiveEvents(): void {
    clearTimeout(this.liveFlushTimer);
    this.liveFlushTimer = undefined;
    const target = this.target;
    const events = this.channel.isReady ? this.pendingLiveEvents : this.pendingLiveEvents.filter((e) => e.type !== 'frames');
    this.pendingLiveEvents = [];
    if (!target || target.mode.kind !== 'live' || events.length === 0) return;
    this.channel.send({ type: 'runEvents', runId: target.runId, events });
  }

  constructor(
    private readonly api: VSCode,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardDependencies,
    private readonly onChange: () => void,
  ) {
    super();
    this._register({ dispose: () => clearTimeout(this.liveFlushTimer) });
    const webview = panel.webview;
    webview.options = webviewPageOptions(api, deps.extensionUri);
    this.channel = new WebviewChannel<HostToWebview>((message) => webview.postMessage(message));
    webview.html = pageHtml(api, webview, deps.extensionUri, {
      script: 'webview.js',
      styles: ['dashboard.css'],
      title: 'DDPG Dashboard',
      rootTestId: 'dashboard-root',
    });
    this._register(webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
    this._register(
      panel.onDidChangeViewState(() => {
        // Hidden, the document is destroyed (no retainContextWhenHidden) and VS Code drops posts to
        // it; shown again, it says `ready` and gets a fresh snapshot. The channel is left open so
        // that, should a document ever survive, it keeps receiving events.
        if (!panel.visible) this.setFramesWanted(false);
        this.onChange();
      }),
    );
    this._register(
      panel.onDidDispose(() => {
        this.disposedByUser = true;
        this.dispose();
      }),
    );
  }

  get currentTarget(): DashboardTarget | undefined {
    return this.target;
  }

  /** The evaluation this panel runs (mode 'evaluate'), if any. */
  get currentEvaluation(): EvaluationSession | undefined {
    return this.evaluation;
  }

  get isVisible(): boolean {
    return !this.disposedByUser && this.panel.visible;
  }

  get isActive(): boolean {
    return !this.disposedByUser && this.panel.active;
  }

  /** True when this panel animates the live run `runId` right now. */
  wantsFramesOf(runId: string): boolean {
    return this.framesWanted && this.channel.isReady && this.panel.visible && this.target?.runId === runId && this.target.mode.kind === 'live';
  }

  /** Shows a run (or a checkpoint of it). Starts an evaluation for mode 'evaluate'. */
  show(target: DashboardTarget | undefined): void {
    void this.evaluation?.cancel();
    this.evaluation = undefined;
    this.evaluationEvents = [];
    // A batch is labelled with the target when it leaves: events of the previous run must not go out as this one's.
    this.discardLiveEvents();
    this.target = target;
    this.panel.title = titleFor(target);
    if (target?.mode.kind === 'evaluate') this.startEvaluation(target, target.mode.checkpoint, target.mode.checkpointDir, target.mode.episodes);
    this.generation++;
    if (this.channel.isReady) void this.sendSnapshot(this.generation);
    this.onChange();
  }

  /** A trainer event of a live run: forwarded when this panel shows that run live. */
  forward(runId: string, event: TrainerToHost): void {
    if (this.target?.runId !== runId || this.target.mode.kind !== 'live') return;
    if (event.type === 'frames' && !this.wantsFramesOf(runId)) return;
    this.liveEvents.push(event);
  }

  /** The run gained or lost its trainer: redraw from a fresh snapshot so buttons match reality. */
  refreshIfShowing(runId: string): void {
    if (this.target?.runId !== runId || !this.channel.isReady) return;
    this.generation++;
    void this.sendSnapshot(this.generation);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  private receive(message: unknown): void {
    if (!isWebviewToHost(message)) {
      this.deps.log.warn(`dashboard: ignored an invalid message from the webview: ${safePreview(message)}`);
      return;
    }
    this.handle(message);
  }

  private handle(message: WebviewToHost): void {
    switch (message.type) {
      case 'ready':
        this.channel.close();
        this.channel.discardQueued(); // the snapshot below covers everything that was queued
        this.discardLiveEvents(); // and everything waiting for its batch
        this.generation++;
        void this.sendSnapshot(this.generation);
        return;
      case 'command': {
        if (this.target?.runId !== message.runId || !this.deps.runManager.isLive(message.runId)) {
          void this.api.window.showWarningMessage(`DDPG: run ${message.runId} is not training in this window, so it cannot ${message.command}.`);
          return;
        }
        this.deps.runManager.dashboardCommand(message.runId, message.command);
        return;
      }
      case 'framesWanted':
        this.setFramesWanted(message.enabled);
        return;
      case 'webviewError':
        this.deps.log.error(`dashboard script error: ${message.message}`);
        return;
    }
  }

  private setFramesWanted(enabled: boolean): void {
    if (this.framesWanted === enabled) return;
    this.framesWanted = enabled;
    this.onChange();
  }

  private async sendSnapshot(generation: number): Promise<void> {
    this.discardLiveEvents(); // the snapshot carries the latest status and every event held so far
    const target = this.target;
    let message: HostToWebview;
    try {
      message = target ? await this.buildShowRun(target) : { type: 'noRun' };
    } catch (err) {
      this.deps.log.error(`dashboard: cannot load run ${target?.runId}: ${(err as Error).message}`);
      void this.api.window.showErrorMessage(`DDPG: cannot show run ${target?.runId}: ${(err as Error).message}`);
      message = { type: 'noRun' };
    }
    if (generation !== this.generation || this.isDisposed) return;
    this.channel.sendNow(message);
    for (const event of this.evaluationEvents) if (target) this.channel.sendNow({ type: 'runEvent', runId: target.runId, event });
    this.channel.open();
    this.onChange();
  }

  private async buildShowRun(target: DashboardTarget): Promise<ShowRunMessage> {
    const manager = this.deps.runManager;
    if (target.mode.kind === 'live') {
      return { type: 'showRun', snapshot: await manager.snapshot(target.runId, target.runDir), mode: target.mode };
    }
    const history = await manager.loadHistory(target.runId, target.runDir);
    return { type: 'showRun', snapshot: history.snapshotUpTo(target.mode.checkpoint.step), mode: target.mode };
  }

  private startEvaluation(target: DashboardTarget, manifest: CheckpointManifest, checkpointDir: string, episodes: number): void {
    const session = this.deps.runManager.evaluate(manifest, checkpointDir, episodes, (event) => {
      if (this.evaluation !== session) return;
      if (event.type === 'frames') {
        this.channel.send({ type: 'runEvent', runId: target.runId, event }, true);
        return;
      }
      if (event.type === 'evaluation' || event.type === 'error') this.evaluationEvents.push(event);
      this.channel.send({ type: 'runEvent', runId: target.runId, event });
    });
    this.evaluation = session;
    session.result.then(
      (result) => {
        if (this.evaluation !== session) return;
        this.deps.log.info(`evaluation of ${checkpointDir}: mean ${result.mean.toFixed(1)} ± ${result.std.toFixed(1)} over ${result.returns.length} episodes`);
      },
      (err: Error) => {
        if (this.evaluation !== session) return;
        void this.api.window.showErrorMessage(`DDPG: evaluating checkpoint ${manifest.name} of ${manifest.runId} failed: ${err.message}`);
      },
    );
  }

  override dispose(): void {
    void this.evaluation?.cancel();
    this.evaluation = undefined;
    this.framesWanted = false;
    const wasDisposedByUser = this.disposedByUser;
    super.dispose();
    if (!wasDisposedByUser) this.panel.dispose();
    this.onChange();
  }
}

/**
 * Owns the dashboard panel (one at a time; a revived panel takes the role), routes run events to
 * it, decides which runs stream frames, and revives the panel after a reload.
 */
export class DashboardController extends Disposable implements vscode.WebviewPanelSerializer<PersistedDashboardState> {
  private panel: DashboardPanel | undefined;

  constructor(
    private readonly api: VSCode,
    private readonly deps: DashboardDependencies,
  ) {
    super();
    this._register(api.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, this));
    this._register(deps.runManager.onDidReceiveEvent(({ runId, event }) => this.panel?.forward(runId, event)));
    this._register(
      deps.runManager.onDidChangeRun(({ runId, liveness }) => {
        if (liveness) {
          this.panel?.refreshIfShowing(runId);
          this.updateFrameStreaming();
        }
      }),
    );
    this._register({ dispose: () => this.panel?.dispose() });
  }

  /** The run the user is looking at in the dashboard, if it is open and visible. */
  get visibleRunId(): string | undefined {
    return this.panel?.isVisible ? this.panel.currentTarget?.runId : undefined;
  }

  get currentTarget(): DashboardTarget | undefined {
    return this.panel?.currentTarget;
  }

  /** Opens (or reveals) the dashboard on `target`; without a target it keeps what it shows. */
  open(target?: DashboardTarget): DashboardPanel {
    if (this.panel) this.panel.reveal();
    const panel = this.panel ?? this.adopt(createPagePanel(this.api, this.deps.extensionUri, DASHBOARD_VIEW_TYPE, 'DDPG Dashboard', false));
    if (target) panel.show(target);
    return panel;
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: PersistedDashboardState | undefined): Promise<void> {
    const adopted = this.adopt(webviewPanel);
    adopted.show(await this.targetFromState(state));
  }

  /** Turns a stored webview state back into a target; an evaluation is revived as an inspection (it is not re-run). */
  async targetFromState(state: PersistedDashboardState | undefined): Promise<DashboardTarget | undefined> {
    if (!state || typeof state.runId !== 'string') return undefined;
    const runId = state.runId;
    const mode = state.mode as DashboardMode | undefined;
    if (mode && typeof mode === 'object' && (mode.kind === 'inspect' || mode.kind === 'evaluate') && typeof mode.checkpointDir === 'string') {
      try {
        const checkpoint = await readCheckpointManifest(mode.checkpointDir);
        return { runId, runDir: path.dirname(path.dirname(mode.checkpointDir)), mode: { kind: 'inspect', checkpoint, checkpointDir: mode.checkpointDir } };
      } catch (err) {
        this.deps.log.warn(`dashboard: the checkpoint shown before the reload is gone (${(err as Error).message}); showing the run`);
      }
    }
    const runDir = await this.deps.locateRun(runId);
    if (!runDir) {
      this.deps.log.warn(`dashboard: run ${runId} shown before the reload no longer exists`);
      return undefined;
    }
    return { runId, runDir, mode: { kind: 'live' } };
  }

  private adopt(webviewPanel: vscode.WebviewPanel): DashboardPanel {
    // One dashboard at a time: a second revived panel replaces the first.
    this.panel?.dispose();
    const created = new DashboardPanel(this.api, webviewPanel, this.deps, () => this.updateFrameStreaming());
    webviewPanel.onDidDispose(() => {
      if (this.panel === created) this.panel = undefined;
      this.updateFrameStreaming();
    });
    this.panel = created;
    return created;
  }

  /** Frames flow only for live runs a visible dashboard is animating. */
  updateFrameStreaming(): void {
    for (const run of this.deps.runManager.liveRuns()) {
      this.deps.runManager.setFrameStreaming(run.runId, this.panel?.wantsFramesOf(run.runId) ?? false);
    }
  }
}

function safePreview(message: unknown): string {
  try {
    const text = JSON.stringify(message) ?? String(message);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(message);
  }
}
