/**
 * The status bar item while training: episode and latest return of the run in view (or the most
 * recent live one); a click opens its dashboard. Hidden when nothing trains.
 */

import type * as vscode from 'vscode';
import { Disposable } from './disposable';
import { formatReturn } from './checkpointTree';
import type { LiveRunSummary, RunManager } from './runManager';
import type { VSCode } from './vscodeApi';

const UPDATE_INTERVAL_MS = 250;

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
    this._register(runManager.onDidChangeRun(({ liveness }) => this.scheduleUpdate(liveness)));
    this._register({ dispose: () => clearTimeout(this.timer) });
    this.update();
  }

  private timer: NodeJS.Timeout | undefined;

  /**
   * A fast run changes hundreds of times a second; the item is redrawn at most every
   * UPDATE_INTERVAL_MS (a run starting or ending redraws at once).
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
      this.item.hide();
      return;
    }
    const inView = this.runInView();
    const run = live.find((r) => r.runId === inView) ?? live[live.length - 1];
    this.item.text = statusBarText(run, live.length - 1);
    const tooltip = new this.api.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**DDPG run ${run.name}** — ${run.state}\n\n`);
    tooltip.appendMarkdown(`Episode ${run.episode}${run.totalEpisodes ? ` of ${run.totalEpisodes}` : ''}  \n`);
    tooltip.appendMarkdown(`Latest return ${formatReturn(run.latestReturn)}  \n`);
    tooltip.appendMarkdown(`Best evaluation ${formatReturn(run.bestEval)}\n\n`);
    if (live.length > 1) tooltip.appendMarkdown(`${live.length - 1} more run(s) training.\n\n`);
    tooltip.appendMarkdown('Click to open the dashboard.');
    this.item.tooltip = tooltip;
    this.item.command = { command: 'ddpg.openDashboard', title: 'Open Dashboard', arguments: [run.runId] };
    this.item.show();
  }
}
