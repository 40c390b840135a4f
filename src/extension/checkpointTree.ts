/**
 * The Runs view: runs (newest first) → their checkpoints, as tree items. Live runs take their
 * state from the run manager; the rest come from the run index (what is on disk). Redraws on run
 * events and on the index's file changes.
 *
 * Every redraw of a run makes VS Code ask again for its row and, when it is expanded, for all of
 * its checkpoints, and each answer is a message to the workbench. So a live run's episodes and
 * checkpoints redraw it at most once a second (a change of state still redraws it within 300 ms),
 * and an expanded run with thousands of checkpoints less often still.
 */

import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { CheckpointManifest, RunInfo, RunStatus } from '../shared/protocol';
import { Disposable } from './disposable';
import { isTerminal } from './runHistory';
import type { RunIndex, RunIndexChange } from './runIndex';
import { algorithmTitle, checkpointDescription, checkpointLabel, environmentTitle, manifestMarkdown, runDescription } from './runLabels';
import type { RunManager } from './runManager';
import { systemClock, type ThrottleClock } from './runEventThrottle';
import type { VSCode } from './vscodeApi';

// statusBar.ts takes the return format from here.

export const RUNS_VIEW_ID = 'ddpgLab.runs';

export interface RunNode {
  readonly kind: 'run';
  readonly runDir: string;
  runId: string;
  info?: RunInfo;
  /** Why the folder could not be read as a run. */
  error?: string;
}

export interface CheckpointNode {
  readonly kind: 'checkpoint';
  readonly dir: string;
  runId: string;
  runDir: string;
  manifest?: CheckpointManifest;
  error?: string;
}

export type RunsTreeNode = RunNode | CheckpointNode;

export function isRunNode(value: unknown): value is RunNode {
  return typeof value === 'object' && value !== null && (value as RunNode).kind === 'run' && typeof (value as RunNode).runDir === 'string';
}

export function isCheckpointNode(value: unknown): value is CheckpointNode {
  return typeof value === 'object' && value !== null && (value as CheckpointNode).kind === 'checkpoint' && typeof (value as CheckpointNode).dir === 'string';
}

/** What the tree shows for a run; 'interrupted' is a run whose files say it is active but no trainer here runs it. */
export type DisplayedState = RunStatus | 'interrupted' | 'unreadable';

export function displayedState(state: RunStatus | undefined, live: boolean): DisplayedState {
  if (state === undefined) return 'unreadable';
  if (!live && !isTerminal(state)) return 'interrupted';
  return state;
}

/** Codicon and theme colour per state. */
export function stateIcon(state: DisplayedState): { id: string; color?: string } {
  switch (state) {
    case 'starting':
    case 'stopping':
      return { id: 'loading~spin' };
    case 'running':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'paused':
      return { id: 'debug-pause', color: 'charts.yellow' };
    case 'finished':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'stopped':
      return { id: 'debug-stop' };
    case 'crashed':
      return { id: 'error', color: 'errorForeground' };
    case 'interrupted':
      return { id: 'debug-disconnect', color: 'charts.orange' };
    case 'unreadable':
      return { id: 'warning', color: 'problemsWarningIcon.foreground' };
  }
}

/** How long a burst of changes is gathered before a redraw (a change of state, a new run, files of runs at rest). */
export const REFRESH_DELAY_MS = 300;
/** At most one redraw this often for what a live run changes all the time: its episodes and checkpoints. */
export const LIVE_REFRESH_INTERVAL_MS = 1000;
/**
 * Redrawing an expanded run sends VS Code all of its checkpoint rows again. A run that writes
 * checkpoints every few episodes at several hundred episodes a second has thousands: its redraws
 * are spaced so that they cost at most about this many rows a second.
 */
export const LIVE_ROWS_PER_SECOND = 1000;

/** The part of the vscode API the tree needs: tree items and their decorations. */
export type RunsTreeApi = Pick<VSCode, 'EventEmitter' | 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'ThemeColor' | 'MarkdownString'> & {
  window: Pick<VSCode['window'], 'showErrorMessage'>;
};

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<RunsTreeNode> {
  private readonly changeEmitter: vscode.EventEmitter<RunsTreeNode | RunsTreeNode[] | undefined | void>;
  readonly onDidChangeTreeData: vscode.Event<RunsTreeNode | RunsTreeNode[] | undefined | void>;
  /** Nodes are reused across refreshes: VS Code refreshes one element by object identity. */
  private readonly runNodes = new Map<string, RunNode>();
  private readonly checkpointNodes = new Map<string, CheckpointNode>();
  /** The state each run's row shows: a different one is redrawn promptly. */
  private readonly shownStates = new Map<RunNode, DisplayedState>();
  /** How many checkpoint rows each expanded run shows (what one redraw of it costs). */
  private readonly expandedRows = new Map<RunNode, number>();
  /** Whether VS Code has asked for the list of runs yet (a hidden view never has). */
  private rootListed = false;
  private pendingNodes = new Set<RunsTreeNode>();
  private pendingFull = false;
  private timer: unknown;
  private timerDueAt = Infinity;

  constructor(
    private readonly api: RunsTreeApi,
    private readonly runManager: RunManager,
    private readonly index: RunIndex,
    /** Told how many runs the root shows (drives the `ddpg.hasRuns` context key). */
    private readonly onRunCount: (count: number) => void,
    private readonly clock: ThrottleClock = systemClock,
  ) {
    super();
    this.changeEmitter = this._register(new api.EventEmitter<RunsTreeNode | RunsTreeNode[] | undefined | void>());
    this.onDidChangeTreeData = this.changeEmitter.event;
    this._register(
      runManager.onDidChangeRun(({ runId, runDir, change, liveness }) => {
        const node = this.runNodes.get(path.resolve(runDir));
        // A run not in the list yet needs the list redrawn, unless the list was never shown at all.
        if (liveness || (!node && this.rootListed)) this.scheduleRefresh();
        else if (!node) return;
        else if (this.stateChanged(node, runId)) this.scheduleRefresh(node);
        else if (change.status || change.episodes || change.checkpoints) this.scheduleRefresh(node, this.liveRefreshDelay(node));
      }),
    );
    this._register(index.onDidChange((change) => this.filesChanged(change)));
    this._register({ dispose: () => this.cancelTimer() });
  }

  get runsDirectory(): string {
    return this.index.runsDirectory;
  }

  setRunsDirectory(runsDir: string): void {
    if (!this.index.setRunsDirectory(runsDir)) return;
    this.runNodes.clear();
    this.checkpointNodes.clear();
    this.shownStates.clear();
    this.expandedRows.clear();
    this.refresh();
  }

  /** Full refresh now, everything read again from disk (the Refresh command). */
  refresh(): void {
    this.cancelTimer();
    this.pendingFull = false;
    this.pendingNodes.clear();
    this.index.invalidate();
    this.changeEmitter.fire();
  }

  /**
   * Coalesces bursts (an episode, a checkpoint and a status in the same instant) into one redraw,
   * due `delayMs` after the first of them at the latest; a more urgent change brings it forward.
   */
  scheduleRefresh(node?: RunsTreeNode, delayMs = REFRESH_DELAY_MS): void {
    if (node) this.pendingNodes.add(node);
    else this.pendingFull = true;
    const dueAt = this.clock.now() + delayMs;
    if (this.timer !== undefined && this.timerDueAt <= dueAt) return;
    this.cancelTimer();
    this.timerDueAt = dueAt;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = Infinity;
      const full = this.pendingFull;
      const nodes = [...this.pendingNodes];
      this.pendingFull = false;
      this.pendingNodes.clear();
      if (full) this.changeEmitter.fire();
      else if (nodes.length > 0) this.changeEmitter.fire(nodes);
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = Infinity;
  }

  /** How long a live run's routine changes wait for their redraw. */
  private liveRefreshDelay(node: RunNode): number {
    const rows = this.expandedRows.get(node) ?? 0;
    return Math.max(LIVE_REFRESH_INTERVAL_MS, Math.round((rows * 1000) / LIVE_ROWS_PER_SECOND));
  }

  /** The view expanded or collapsed a run (TreeView.onDidExpandElement / onDidCollapseElement). */
  setExpanded(element: RunsTreeNode, expanded: boolean): void {
    if (element.kind !== 'run') return;
    if (expanded) this.expandedRows.set(element, this.expandedRows.get(element) ?? 0);
    else this.expandedRows.delete(element);
  }

  /** True when the run's row shows another state than the run is in now. */
  private stateChanged(node: RunNode, runId: string): boolean {
    const shown = this.shownStates.get(node);
    if (shown === undefined) return false; // never drawn: nothing on screen is out of date
    const live = this.runManager.liveRun(runId);
    const state = live?.state ?? this.runManager.history(runId)?.state;
    return state !== undefined && displayedState(state, live !== undefined) !== shown;
  }

  /**
   * Redraws only the run a file belongs to; the whole list only when a run folder appears or
   * vanishes. A fast run writes checkpoints many times a second, and a full refresh while the user
   * expands a run would race with it (VS Code then loses the expanded item).
   */
  private filesChanged({ runDir, checkpoints }: RunIndexChange): void {
    const run = runDir === undefined ? undefined : this.runNodes.get(runDir);
    if (!run) this.scheduleRefresh();
    // A live run's own trainer writes its checkpoints: they come at the pace of its episodes.
    else this.scheduleRefresh(run, checkpoints && this.runManager.isLive(run.runId) ? this.liveRefreshDelay(run) : REFRESH_DELAY_MS);
  }

  async getChildren(element?: RunsTreeNode): Promise<RunsTreeNode[]> {
    if (!element) return this.runs();
    if (element.kind === 'run') return this.checkpointsOf(element);
    return [];
  }

  getParent(element: RunsTreeNode): RunsTreeNode | undefined {
    if (element.kind === 'checkpoint') return this.runNodes.get(path.resolve(element.runDir));
    return undefined;
  }

  /** Finds the run node of a run id (for reveal). */
  runNode(runId: string): RunNode | undefined {
    for (const node of this.runNodes.values()) if (node.runId === runId) return node;
    return undefined;
  }

  private async runs(): Promise<RunNode[]> {
    this.rootListed = true;
    let entries: Awaited<ReturnType<RunIndex['runs']>>;
    try {
      entries = await this.index.runs();
    } catch (err) {
      void this.api.window.showErrorMessage(`DDPG: cannot list runs in ${this.index.runsDirectory}: ${(err as Error).message}`);
      entries = [];
    }
    const seen = new Set<string>();
    const nodes: RunNode[] = [];
    for (const entry of entries) {
      const key = path.resolve(entry.dir);
      seen.add(key);
      nodes.push(this.runNodeFor(key, entry.info?.id ?? path.basename(entry.dir), entry.info, entry.error));
    }
    // A live run whose folder is elsewhere (the runs directory setting changed mid-run) still shows.
    for (const live of this.runManager.liveRuns()) {
      const key = path.resolve(live.runDir);
      if (seen.has(key)) continue;
      const history = this.runManager.history(live.runId);
      nodes.unshift(this.runNodeFor(key, live.runId, history?.info, undefined));
    }
    for (const [key, node] of [...this.runNodes]) {
      if (nodes.some((n) => n.runDir === key)) continue;
      this.runNodes.delete(key);
      this.shownStates.delete(node);
      this.expandedRows.delete(node);
      this.index.forget(key);
    }
    this.onRunCount(nodes.length);
    return nodes;
  }

  private runNodeFor(runDir: string, runId: string, info: RunInfo | undefined, error: string | undefined): RunNode {
    let node = this.runNodes.get(runDir);
    if (!node) {
      node = { kind: 'run', runDir, runId };
      this.runNodes.set(runDir, node);
    }
    node.runId = runId;
    node.info = info;
    node.error = error;
    return node;
  }

  private async checkpointsOf(run: RunNode): Promise<CheckpointNode[]> {
    if (run.error) return [];
    let entries: Awaited<ReturnType<RunIndex['checkpoints']>>;
    try {
      entries = await this.index.checkpoints(run.runDir);
    } catch (err) {
      void this.api.window.showErrorMessage(`DDPG: cannot list checkpoints of ${run.runId}: ${(err as Error).message}`);
      return [];
    }
    // VS Code asks for a run's children only while it is expanded.
    this.expandedRows.set(run, entries.length);
    // Shown newest first: the checkpoint one usually wants is the latest.
    return entries.reverse().map((entry) => {
      const key = path.resolve(entry.dir);
      let node = this.checkpointNodes.get(key);
      if (!node) {
        node = { kind: 'checkpoint', dir: key, runId: run.runId, runDir: run.runDir };
        this.checkpointNodes.set(key, node);
      }
      node.manifest = entry.manifest;
      node.error = entry.error;
      return node;
    });
  }

  /** Fills in what getTreeItem leaves out, when VS Code is about to show it (a hover). */
  resolveTreeItem(item: vscode.TreeItem, element: RunsTreeNode): vscode.TreeItem {
    if (element.kind === 'checkpoint' && element.manifest && item.tooltip === undefined) {
      item.tooltip = new this.api.MarkdownString(manifestMarkdown(element.manifest, element.dir));
    }
    return item;
  }

  async getTreeItem(element: RunsTreeNode): Promise<vscode.TreeItem> {
    return element.kind === 'run' ? this.runItem(element) : this.checkpointItem(element);
  }

  private async runItem(node: RunNode): Promise<vscode.TreeItem> {
    const api = this.api;
    const live = this.runManager.liveRun(node.runId);
    const history = this.runManager.history(node.runId);
    // A run this window does not train may have changed on disk since the list was read.
    if (!history && !node.error) node.info = await this.index.runInfo(node.runDir).catch(() => node.info);
    const info = history?.info ?? node.info;
    const item = new api.TreeItem(info?.name ?? node.runId, api.TreeItemCollapsibleState.Collapsed);
    item.id = `run:${node.runDir}`;
    const state = displayedState(live?.state ?? history?.state ?? info?.status, live !== undefined);
    this.shownStates.set(node, state);
    const icon = stateIcon(state);
    item.iconPath = new api.ThemeIcon(icon.id, icon.color ? new api.ThemeColor(icon.color) : undefined);
    item.contextValue = `ddpgRun.${state}${live ? '.live' : ''}`;
    if (node.error) {
      item.description = 'unreadable';
      item.tooltip = node.error;
      item.collapsibleState = api.TreeItemCollapsibleState.None;
      return item;
    }
    const environment = info ? environmentTitle(info.config) : undefined;
    if (history) {
      item.description = runDescription(environment, history.status.episode, history.status.totalEpisodes, history.bestEval);
    } else {
      const summary = await this.index.metricsSummary(node.runDir);
      const total = info && info.config.episodes > 0 ? info.config.episodes : null;
      item.description = runDescription(environment, summary.episode, total, summary.bestEval);
    }
    item.tooltip = this.runTooltip(node, info, state);
    // The state is shown only by the icon; screen readers get it in words.
    item.accessibilityInformation = { label: `${info?.name ?? node.runId}, ${state}, ${item.description}` };
    item.command = { command: 'ddpg.openDashboard', title: 'Open Dashboard', arguments: [node] };
    return item;
  }

  private runTooltip(node: RunNode, info: RunInfo | undefined, state: DisplayedState): vscode.MarkdownString {
    const md = new this.api.MarkdownString(undefined, true);
    md.appendMarkdown(`**${info?.name ?? node.runId}** — ${state}\n\n`);
    if (state === 'interrupted') md.appendMarkdown('No trainer runs it: its window closed under a trainer that could not outlive it, or the trainer was killed. Resume continues it from its latest checkpoint.\n\n');
    if (info) {
      md.appendText(`${algorithmTitle(info.config)} on ${environmentTitle(info.config)}\n`);
      md.appendMarkdown(`Created ${info.created}  \n`);
      if (info.engine) md.appendMarkdown(`Engine ${info.engine.engine} (${info.engine.backend})  \n`);
      md.appendMarkdown(`Seed ${info.seed}  \n`);
      if (info.resumedFrom) md.appendMarkdown(`Resumed from ${info.resumedFrom.runId} at episode ${info.resumedFrom.episode}  \n`);
      if (info.error) md.appendText(`Error: ${info.error}\n`);
    }
    md.appendText(`\n${node.runDir}`);
    return md;
  }

  private checkpointItem(node: CheckpointNode): vscode.TreeItem {
    const api = this.api;
    if (!node.manifest) {
      const item = new api.TreeItem(path.basename(node.dir), api.TreeItemCollapsibleState.None);
      item.id = `checkpoint:${node.dir}`;
      item.description = 'unreadable';
      item.tooltip = node.error ?? 'unreadable checkpoint';
      item.iconPath = new api.ThemeIcon('warning', new api.ThemeColor('problemsWarningIcon.foreground'));
      item.contextValue = 'ddpgCheckpointBroken';
      return item;
    }
    const manifest = node.manifest;
    const item = new api.TreeItem(checkpointLabel(manifest), api.TreeItemCollapsibleState.None);
    item.id = `checkpoint:${node.dir}`;
    item.description = checkpointDescription(manifest);
    // The manifest table is most of an item's size: it is built on hover (resolveTreeItem), not
    // sent with every row each time a run with hundreds of checkpoints is redrawn.
    const iconId = manifest.reason === 'best' ? 'star-full' : manifest.reason === 'final' ? 'flag' : manifest.reason === 'manual' ? 'bookmark' : 'save';
    item.iconPath = new api.ThemeIcon(iconId);
    item.contextValue = 'ddpgCheckpoint';
    item.command = { command: 'ddpg.inspectCheckpoint', title: 'Inspect Checkpoint', arguments: [node] };
    return item;
  }
}
