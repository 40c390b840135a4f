/**
 * The status bar item while training: episode and latest return of the run in view (or the most
 * recent live one); a click opens its dashboard. Hidden when nothing trains.
 */

import type * as vscode from 'vscode';
import { Disposable } from './disposable';
import { formatReturn } from './runLabels';
import type { LiveRunSummary, RunManager } from './runManager';
import type { VSCode } from './vscodeApi';

/** A live run's episodes redraw the item at most this often; a start, an end or a change of state at once. */
const UPDATE_INTERVAL_MS = 500;

export function statusBarText(run: LiveRunSummary, othersLive: number): string {
  const episodes = run.totalEpisodes ? `${run.episode}/${run.totalEpisodes}` : `${run.episode}`;
  const more = othersLive > 0 ? ` (+${othersLive})` : '';
  switch (run.state) {
    case 'starting':
      return `$(loading~spin) DDPG starting…${more}`;
    case 'paused':
      return `$(debug-pause) DDPG paused · ep ${episodes}${more}`;
    case 'stopping':
      return `$(loading~spin) DDPG stopping · ep ${episodes}${more}`;
    default:
      return `$(pulse) DDPG ep ${episodes} · R ${formatReturn(run.latestReturn)}${more}`;
  }
}

export class TrainingStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly api: VSCode,
    private readonly runManager: RunManager,
    /** The run the dashboard shows, preferred when it is live. */
    private readonly runInView: () => string | undefined,
  ) {
    super();
    this.item = this._register(api.window.createStatusBarItem('ddpgLab.training', api.StatusBarAlignment.Left, 50));
    this.item.name = 'DDPG Training';
    this._register(runManager.onDidChangeRun(({ runId, liveness }) => this.scheduleUpdate(liveness || this.stateChanged(runId))));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.update();
  }

  private timer: NodeJS.Timeout | undefined;
  /** The run and state the item shows, and what it last sent to VS Code. */
  private shown: { runId: string; state: string } | undefined;
  private shownText: string | undefined;
  private shownTooltip: string | undefined;

  private stateChanged(runId: string): boolean {
    return this.shown?.runId === runId && this.runManager.liveRun(runId)?.state !== this.shown.state;
  }

  /**
   * A fast run changes hundreds of times a second, and every change of the item is a message to
   * the workbench: it is redrawn at most every UPDATE_INTERVAL_MS (a run starting or ending, or
   * pausing, resuming or stopping, redraws at once), and only what changed is set.
   */
  private scheduleUpdate(immediately: boolean): void {
    if (immediately) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.update();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, UPDATE_INTERVAL_MS);
  }

  update(): void {
    const live = this.runManager.liveRuns();
    if (live.length === 0) {
      if (this.shown !== undefined) this.item.hide();
      this.shown = undefined;
      this.shownText = undefined;
      this.shownTooltip = undefined;
      return;
    }
    const inView = this.runInView();
    const run = live.find((r) => r.runId === inView) ?? live[live.length - 1];
    const text = statusBarText(run, live.length - 1);
    const lines = [
      `**DDPG run ${run.name}** — ${run.state}\n\n`,
      `Episode ${run.episode}${run.totalEpisodes ? ` of ${run.totalEpisodes}` : ''}  \n`,
      `Latest return ${formatReturn(run.latestReturn)}  \n`,
      `Best evaluation ${formatReturn(run.bestEval)}\n\n`,
      live.length > 1 ? `${live.length - 1} more run(s) training.\n\n` : '',
      'Click to open the dashboard.',
    ];
    const tooltip = lines.join('');
    const runChanged = this.shown?.runId !== run.runId;
    if (text !== this.shownText) this.item.text = text;
    if (tooltip !== this.shownTooltip) {
      const markdown = new this.api.MarkdownString(undefined, true);
      markdown.appendMarkdown(tooltip);
      this.item.tooltip = markdown;
    }
    if (runChanged) this.item.command = { command: 'ddpg.openDashboard', title: 'Open Dashboard', arguments: [run.runId] };
    if (this.shown === undefined) this.item.show();
    this.shown = { runId: run.runId, state: run.state };
    this.shownText = text;
    this.shownTooltip = tooltip;
  }
}
