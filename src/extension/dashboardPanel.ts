/**
 * One dashboard webview panel, host side: HTML with a fresh nonce, the ready handshake, history
 * replay, event forwarding, frame streaming on demand and evaluation sessions. Which panel shows
 * what, and reviving them after a reload, is DashboardPanels' business (dashboardPanels.ts).
 *
 * retainContextWhenHidden stays off: a hidden panel's document is destroyed, and when it comes
 * back it says `ready` again and receives a fresh `showRun` snapshot built from the run history.
 */

import type * as vscode from 'vscode';
import { ENVIRONMENTS, isEnvironmentId } from '../shared/environments';
import { readScene } from '../shared/node/runDirectory';
import {
  isWebviewToHost,
  type CheckpointManifest,
  type HostToWebview,
  type RunSnapshot,
  type ShowRunMessage,
  type TrainerToHost,
  type WebviewToHost,
} from '../shared/protocol';
import { saveExportedChart } from './chartExport';
import { targetKey, titleFor, type DashboardTarget } from './dashboardTarget';
import { Disposable } from './disposable';
import { RunEventThrottle } from './runEventThrottle';
import type { EvaluationSession, RunManager } from './runManager';
import type { VSCode } from './vscodeApi';
import { WebviewChannel } from './webviewChannel';
import { pageHtml, webviewPageOptions } from './webviewPage';

export type { DashboardTarget, PersistedDashboardState } from './dashboardTarget';

export const DASHBOARD_VIEW_TYPE = 'ddpgLab.dashboard';

export interface DashboardDependencies {
  runManager: RunManager;
  extensionUri: vscode.Uri;
  /** Where a run lives when this window has not seen it (the current runs directory). */
  locateRun(runId: string): Promise<string | undefined>;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

/** Live events are posted to the webview at most this often (a change of state at once). */
const LIVE_BATCH_MS = 100;
/**
 * The evaluation steps a panel keeps to replay: ten 1000-step MuJoCo episodes. A longer evaluation
 * still plays live; a page that comes late or reloads gets its first episodes.
 */
const MAX_REPLAYED_EVALUATION_FRAMES = 10_000;

/** One webview panel and the conversation with the script inside it. */
export class DashboardPanel extends Disposable {
  private readonly channel: WebviewChannel<HostToWebview>;
  private target: DashboardTarget | undefined;
  private framesWanted = false;
  /** Bumped on every retarget and every `ready`: a snapshot built for an older one is dropped. */
  private generation = 0;
  private evaluation: EvaluationSession | undefined;
  /** How the evaluation shown ended; a deterministic one that succeeded is not worth running again. */
  private evaluationOutcome: 'running' | 'succeeded' | 'failed' = 'running';
  /** The evaluation's events, frames included up to a budget, replayed after each `ready`. */
  private evaluationEvents: TrainerToHost[] = [];
  private evaluationFramesKept = 0;
  private disposedByUser = false;
  /** Thins out statuses of the live run shown (see RunEventThrottle), then batches its events. */
  private readonly liveEvents = this._register(new RunEventThrottle((event) => this.batchLiveEvent(event)));
  /**
   * Live events waiting to be posted together. A fast run emits dozens of events a second, and
   * each post made the page update on its own: batching every ~100 ms cut the dashboard's CPU,
   * which on a small machine the trainer competes with (BENCHMARKS.md, Dashboard overhead).
   */
  private pendingLiveEvents: TrainerToHost[] = [];
  private liveFlushTimer: NodeJS.Timeout | undefined;
  private snapshots = 0;
  private liveBatches = 0;
  /** Damaged scene.json files already named in the log: every `ready` reads the file again. */
  private readonly reportedScenes = new Set<string>();

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
    this.liveBatches++;
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

  /** True when `target` is this panel's to show (see targetKey). */
  shows(target: DashboardTarget | undefined): boolean {
    return targetKey(this.target) === targetKey(target);
  }

  /** Full snapshots posted so far (one per `ready`, retarget and change of liveness): for tests and logs. */
  get snapshotsSent(): number {
    return this.snapshots;
  }

  /** Batches of live events sent to the page so far (posted, or queued until it listens): a checkpoint's panel gets none. */
  get liveBatchesSent(): number {
    return this.liveBatches;
  }

  /** The page has said `ready` and receives what is posted (until it is hidden and reloads). */
  get isListening(): boolean {
    return this.channel.isReady;
  }

  // A disposed panel's properties throw in VS Code: ask only while it is open.
  get isVisible(): boolean {
    return !this.isDisposed && this.panel.visible;
  }

  get isActive(): boolean {
    return !this.isDisposed && this.panel.active;
  }

  /** True when this panel animates the live run `runId` right now. */
  wantsFramesOf(runId: string): boolean {
    return this.framesWanted && this.channel.isReady && this.isVisible && this.target?.runId === runId && this.target.mode.kind === 'live';
  }

  /** Shows a run (or a checkpoint of it). Starts an evaluation for mode 'evaluate'. */
  show(target: DashboardTarget | undefined): void {
    // A revived panel can be closed while its target is still being read from disk.
    if (this.isDisposed) return;
    void this.evaluation?.cancel();
    this.evaluation = undefined;
    this.evaluationEvents = [];
    this.evaluationFramesKept = 0;
    // A batch is labelled with the target when it leaves: events of the previous run must not go out as this one's.
    this.discardLiveEvents();
    this.target = target;
    this.panel.title = titleFor(target);
    if (target?.mode.kind === 'evaluate') this.startEvaluation(target, target.mode.checkpoint, target.mode.checkpointDir, target.mode.episodes);
    this.generation++;
    if (this.channel.isReady) void this.sendSnapshot(this.generation);
    this.onChange();
  }

  /**
   * Asked to show what it already shows (`shows(target)`): it keeps its page as it is, except that
   * an evaluation that failed, or one asked for with another number of episodes, runs again.
   */
  reopen(target: DashboardTarget): void {
    const shown = this.target?.mode;
    if (target.mode.kind !== 'evaluate' || shown?.kind !== 'evaluate') return;
    if (this.evaluationOutcome === 'failed' || shown.episodes !== target.mode.episodes) this.show(target);
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
      case 'watchCheckpoint': {
        // "Watch this policy": the inspected checkpoint, evaluated with its frames in the same panel.
        const target = this.target;
        if (target?.mode.kind !== 'inspect') return;
        const { checkpoint, checkpointDir } = target.mode;
        this.show({ ...target, mode: { kind: 'evaluate', checkpoint, checkpointDir, episodes: checkpoint.config.evalEpisodes } });
        return;
      }
      case 'webviewError':
        this.deps.log.error(`dashboard script error: ${message.message}`);
        return;
      case 'exportChart':
        saveExportedChart(this.api, this.target?.runDir, message.name, message.dataUrl, this.deps.log).catch((err: Error) => {
          void this.api.window.showErrorMessage(`DDPG: cannot save the chart: ${err.message}`);
        });
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
    this.snapshots++;
    for (const event of this.evaluationEvents) if (target) this.channel.sendNow({ type: 'runEvent', runId: target.runId, event });
    this.channel.open();
    this.onChange();
  }

  private async buildShowRun(target: DashboardTarget): Promise<ShowRunMessage> {
    const manager = this.deps.runManager;
    const snapshot =
      target.mode.kind === 'live'
        ? await manager.snapshot(target.runId, target.runDir)
        : (await manager.loadHistory(target.runId, target.runDir)).snapshotUpTo(target.mode.checkpoint.step);
    return { type: 'showRun', snapshot: await this.withStoredScene(snapshot, target.runDir), mode: target.mode };
  }

  /**
   * A MuJoCo run's scene from its folder, when no trainer sent one to this window (the run ended
   * before the window saw it, or the window reloaded since): without it the page cannot draw the
   * model. A folder written before scenes were saved has none, and the page says so; a damaged
   * file is named in the log and costs only the 3D view.
   */
  private async withStoredScene(snapshot: RunSnapshot, runDir: string): Promise<RunSnapshot> {
    const id = snapshot.run.environment?.id;
    const environment = isEnvironmentId(id) ? ENVIRONMENTS[id] : undefined;
    if (snapshot.scene || !environment?.mujoco) return snapshot;
    try {
      const scene = await readScene(runDir, environment);
      return scene ? { ...snapshot, scene } : snapshot;
    } catch (err) {
      const problem = (err as Error).message;
      if (!this.reportedScenes.has(problem)) {
        this.reportedScenes.add(problem);
        this.deps.log.warn(`dashboard: ${problem}; run ${snapshot.run.id} is shown without its 3D model`);
      }
      return snapshot;
    }
  }

  private startEvaluation(target: DashboardTarget, manifest: CheckpointManifest, checkpointDir: string, episodes: number): void {
    const session = this.deps.runManager.evaluate(manifest, checkpointDir, episodes, (event) => {
      if (this.evaluation !== session) return;
      if (event.type === 'frames') {
        // Kept as well as sent: a short evaluation (five HalfCheetah episodes take ~2 s) can be over
        // before a new panel's page says `ready`, and a page that reloads has lost what it played.
        const steps = event.frames.data.length / event.frames.stride;
        if (this.evaluationFramesKept + steps <= MAX_REPLAYED_EVALUATION_FRAMES) {
          this.evaluationEvents.push(event);
          this.evaluationFramesKept += steps;
        }
        this.channel.send({ type: 'runEvent', runId: target.runId, event }, true);
        return;
      }
      // The scene too: a page that reloads mid-evaluation needs it to draw the frames still to come.
      if (event.type === 'evaluation' || event.type === 'error' || event.type === 'scene') this.evaluationEvents.push(event);
      this.channel.send({ type: 'runEvent', runId: target.runId, event });
    });
    this.evaluation = session;
    this.evaluationOutcome = 'running';
    session.result.then(
      (result) => {
        if (this.evaluation !== session) return;
        this.evaluationOutcome = 'succeeded';
        this.deps.log.info(`evaluation of ${checkpointDir}: mean ${result.mean.toFixed(1)} ± ${result.std.toFixed(1)} over ${result.returns.length} episodes`);
      },
      (err: Error) => {
        if (this.evaluation !== session) return;
        this.evaluationOutcome = 'failed';
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

function safePreview(message: unknown): string {
  try {
    const text = JSON.stringify(message) ?? String(message);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(message);
  }
}
