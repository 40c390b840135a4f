/**
 * The run comparison webview panel, host side: one panel at a time, showing the runs the user
 * picked; a full `showComparison` on every `ready`, on Refresh, and (throttled) while a compared run
 * trains; revival after a window reload from the run ids the webview stores.
 */

import type * as vscode from 'vscode';
import { isComparisonToHost, type ComparisonToHost, type HostToComparison, type ShowComparisonMessage } from '../shared/protocol';
import { Disposable } from './disposable';
import { buildComparison, type ComparableHistory, type ComparisonSources, type ComparisonTarget } from './runComparison';
import type { RunManager } from './runManager';
import type { VSCode } from './vscodeApi';
import { WebviewChannel } from './webviewChannel';
import { createPagePanel, pageHtml, webviewPageOptions } from './webviewPage';

export const COMPARISON_VIEW_TYPE = 'ddpgLab.comparison';

/** A compared run that trains is re-sent at most this often: the curves move, but a full rebuild is not free. */
export const LIVE_REFRESH_MS = 2000;

/** The state the comparison webview stores with setState; the serializer reads `runIds`. */
export interface PersistedComparisonState {
  runIds?: unknown;
}

export interface ComparisonDependencies {
  runManager: Pick<RunManager, 'loadHistory' | 'isLive' | 'onDidReceiveEvent' | 'onDidChangeRun'>;
  extensionUri: vscode.Uri;
  /** Where a run lives when this window has not seen it (the current runs directory). */
  locateRun(runId: string): Promise<string | undefined>;
  /** Shows one run in the dashboard. */
  openRun(target: ComparisonTarget): void;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** LIVE_REFRESH_MS unless a test says otherwise. */
  liveRefreshMs?: number;
}

type Problems = ShowComparisonMessage['problems'];

export class ComparisonPanel extends Disposable {
  private readonly channel: WebviewChannel<HostToComparison>;
  private targets: ComparisonTarget[] = [];
  /** Runs asked for that could not even be located (a revived panel whose run folder is gone). */
  private missing: Problems = [];
  /** Bumped on every retarget and every send: a comparison built for an older one is dropped. */
  private generation = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  private disposedByUser = false;
  /**
   * Runs that were not training when read: a live refresh every 2 s must not re-parse their
   * metrics.jsonl (megabytes for a long run). Emptied by a retarget and by Refresh.
   */
  private settledHistories = new Map<string, Promise<ComparableHistory>>();
  /** Problems already written to the log, so a live refresh does not repeat them every 2 s. */
  private loggedProblems = new Set<string>();
  private readonly sources: ComparisonSources;

  constructor(
    api: VSCode,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ComparisonDependencies,
  ) {
    super();
    this._register({ dispose: () => clearTimeout(this.refreshTimer) });
    const runManager = deps.runManager;
    this.sources = {
      isLive: (runId) => runManager.isLive(runId),
      loadHistory: (runId, runDir) => {
        const cached = this.settledHistories.get(runId);
        if (cached) return cached;
        const loading = runManager.loadHistory(runId, runDir);
        if (!runManager.isLive(runId)) {
          this.settledHistories.set(runId, loading);
          // A folder that could not be read is tried again next time.
          loading.catch(() => this.settledHistories.delete(runId));
        }
        return loading;
      },
    };
    const webview = panel.webview;
    webview.options = webviewPageOptions(api, deps.extensionUri);
    this.channel = new WebviewChannel<HostToComparison>((message) => webview.postMessage(message));
    webview.html = pageHtml(api, webview, deps.extensionUri, {
      script: 'compare.js',
      styles: ['dashboard.css', 'compare.css'],
      title: 'DDPG: Compare Runs',
      rootTestId: 'comparison-root',
    });
    this._register(webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
    this._register(
      panel.onDidDispose(() => {
        this.disposedByUser = true;
        this.dispose();
      }),
    );
  }

  get runIds(): string[] {
    return this.targets.map((t) => t.runId);
  }

  show(targets: readonly ComparisonTarget[], missing: Problems = []): void {
    this.targets = [...targets];
    this.missing = [...missing];
    this.forgetLoadedRuns();
    this.panel.title = `DDPG: compare ${targets.length} runs`;
    this.refreshNow();
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** A compared run changed: send a fresh comparison soon (at most every LIVE_REFRESH_MS). */
  noteActivity(runId: string): void {
    if (this.refreshTimer || !this.targets.some((t) => t.runId === runId)) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      // A hidden panel's document is gone; it asks again with `ready` when it comes back.
      if (this.panel.visible) this.refreshNow();
    }, this.deps.liveRefreshMs ?? LIVE_REFRESH_MS);
  }

  private refreshNow(): void {
    this.generation++;
    if (this.channel.isReady) void this.send(this.generation);
  }

  private receive(message: unknown): void {
    if (!isComparisonToHost(message)) {
      this.deps.log.warn(`comparison: ignored an invalid message from the webview: ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    this.handle(message);
  }

  private handle(message: ComparisonToHost): void {
    switch (message.type) {
      case 'ready':
        this.channel.close();
        this.channel.discardQueued();
        this.generation++;
        void this.send(this.generation);
        return;
      case 'refresh':
        this.forgetLoadedRuns();
        this.refreshNow();
        return;
      case 'openRun': {
        const target = this.targets.find((t) => t.runId === message.runId);
        if (target) this.deps.openRun(target);
        else this.deps.log.warn(`comparison: asked to open run ${message.runId}, which is not compared here`);
        return;
      }
      case 'webviewError':
        this.deps.log.error(`comparison script error: ${message.message}`);
        return;
    }
  }

  private async send(generation: number): Promise<void> {
    const message = await buildComparison(this.sources, this.targets);
    message.problems.unshift(...this.missing);
    for (const problem of message.problems) {
      const line = `comparison: cannot read ${problem.runDir}: ${problem.error}`;
      if (this.loggedProblems.has(line)) continue;
      this.loggedProblems.add(line);
      this.deps.log.warn(line);
    }
    if (generation !== this.generation || this.isDisposed) return;
    this.channel.sendNow(message);
    this.channel.open();
  }

  private forgetLoadedRuns(): void {
    this.settledHistories = new Map();
    this.loggedProblems = new Set();
  }

  override dispose(): void {
    const wasDisposedByUser = this.disposedByUser;
    super.dispose();
    if (!wasDisposedByUser) this.panel.dispose();
  }
}

/** Owns the comparison panel (one at a time; a revived panel takes the role) and revives it after a reload. */
export class ComparisonController extends Disposable implements vscode.WebviewPanelSerializer<PersistedComparisonState> {
  private panel: ComparisonPanel | undefined;

  constructor(
    private readonly api: VSCode,
    private readonly deps: ComparisonDependencies,
  ) {
    super();
    this._register(api.window.registerWebviewPanelSerializer(COMPARISON_VIEW_TYPE, this));
    this._register(
      deps.runManager.onDidReceiveEvent(({ runId, event }) => {
        if (event.type === 'episode' || event.type === 'eval' || event.type === 'exiting' || event.type === 'started') this.panel?.noteActivity(runId);
      }),
    );
    // A crash or an exit changes the run's status without an event of its own.
    this._register(deps.runManager.onDidChangeRun(({ runId }) => this.panel?.noteActivity(runId)));
    this._register({ dispose: () => this.panel?.dispose() });
  }

  /** The runs compared in the open panel (for tests and scripts). */
  get comparedRunIds(): string[] | undefined {
    return this.panel?.runIds;
  }

  open(targets: readonly ComparisonTarget[]): ComparisonPanel {
    if (this.panel) this.panel.reveal();
    const panel = this.panel ?? this.adopt(createPagePanel(this.api, this.deps.extensionUri, COMPARISON_VIEW_TYPE, 'DDPG: Compare Runs', true));
    panel.show(targets);
    return panel;
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: PersistedComparisonState | undefined): Promise<void> {
    const adopted = this.adopt(webviewPanel);
    const runIds = Array.isArray(state?.runIds) ? state.runIds.filter((id): id is string => typeof id === 'string') : [];
    const targets: ComparisonTarget[] = [];
    const missing: Problems = [];
    for (const runId of runIds) {
      const runDir = await this.deps.locateRun(runId);
      if (runDir) targets.push({ runId, runDir });
      else missing.push({ runDir: runId, error: 'this run no longer exists in the runs directory' });
    }
    adopted.show(targets, missing);
  }

  private adopt(webviewPanel: vscode.WebviewPanel): ComparisonPanel {
    this.panel?.dispose();
    const created = new ComparisonPanel(this.api, webviewPanel, this.deps);
    webviewPanel.onDidDispose(() => {
      if (this.panel === created) this.panel = undefined;
    });
    this.panel = created;
    return created;
  }
}
