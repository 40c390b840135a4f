/**
 * The notifications a run earns by ending: a finished run whose dashboard is not in view says so
 * with its result and an Open button (a run that trains for an hour in the background otherwise
 * ends unnoticed); a crash always says so (it needs attention), with its log. A run stopped by
 * the user, or watched finishing in its dashboard, says nothing: the user knows.
 */

import type { StatusSnapshot } from '../shared/protocol';
import { formatScore } from '../shared/checkpointScore';
import { Disposable } from './disposable';
import type { RunCrash, RunManager } from './runManager';
import type { VSCode } from './vscodeApi';

export type RunNotificationsApi = { window: Pick<VSCode['window'], 'showInformationMessage' | 'showErrorMessage'> };

export interface RunNotificationSources {
  runManager: Pick<RunManager, 'onDidChangeRun' | 'onDidCrash' | 'history' | 'isLive'>;
  /** True while a dashboard shows this run where the user can see it. */
  isShowing(runId: string): boolean;
  /** Shows the run's dashboard. */
  open(run: { runId: string; runDir: string }): void;
  /** Shows the run's log (DDPG: Show Run Log). */
  showLog(runId: string): void;
}

export const OPEN = 'Open';
export const SHOW_LOG = 'Show Log';

export class RunNotifications extends Disposable {
  /** Runs already announced: a run ends once, whatever the events say after. */
  private readonly announced = new Set<string>();

  constructor(
    private readonly api: RunNotificationsApi,
    private readonly sources: RunNotificationSources,
  ) {
    super();
    const manager = sources.runManager;
    this._register(
      manager.onDidChangeRun(({ runId, runDir, liveness }) => {
        if (liveness && !manager.isLive(runId)) this.ended(runId, runDir);
      }),
    );
    this._register(manager.onDidCrash((crash) => this.crashed(crash)));
  }

  private ended(runId: string, runDir: string): void {
    const history = this.sources.runManager.history(runId);
    if (!history || history.state !== 'finished' || this.announced.has(runId)) return;
    this.announced.add(runId);
    if (this.sources.isShowing(runId)) return;
    const text = `DDPG: run ${history.info.name || runId} finished: ${describeResult(history.status)}.`;
    void this.api.window.showInformationMessage(text, OPEN).then((choice) => {
      if (choice === OPEN) this.sources.open({ runId, runDir });
    });
  }

  private crashed(crash: RunCrash): void {
    if (this.announced.has(crash.runId)) return;
    this.announced.add(crash.runId);
    const status = this.sources.runManager.history(crash.runId)?.status;
    const last = crash.stderrTail.filter((l) => l.trim() !== '').slice(-3).join(' ⏎ ');
    const progress = status && status.step > 0 ? ` after ${describeProgress(status)}` : '';
    const text =
      `DDPG: run ${crash.runId} crashed${progress}: ${crash.reason}. Its files are kept in ${crash.runDir}.` + (last ? ` Last output: ${last}` : '');
    const buttons = this.sources.isShowing(crash.runId) ? [SHOW_LOG] : [OPEN, SHOW_LOG];
    void this.api.window.showErrorMessage(text, ...buttons).then((choice) => {
      if (choice === SHOW_LOG) this.sources.showLog(crash.runId);
      if (choice === OPEN) this.sources.open({ runId: crash.runId, runDir: crash.runDir });
    });
  }
}

/** "final eval −145.2, best −141.0 · 20,000 steps in 2 min 10 s" */
export function describeResult(status: Pick<StatusSnapshot, 'latestEval' | 'bestEval' | 'step' | 'elapsedSeconds'>): string {
  const evaluation =
    status.latestEval === null ? 'not evaluated' : `final eval ${formatScore(status.latestEval)}${status.bestEval === null ? '' : `, best ${formatScore(status.bestEval)}`}`;
  return `${evaluation} · ${describeProgress(status)}`;
}

function describeProgress(status: Pick<StatusSnapshot, 'step' | 'elapsedSeconds'>): string {
  return `${Math.round(status.step).toLocaleString('en-US')} steps in ${formatDuration(status.elapsedSeconds)}`;
}

export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes} min ${total % 60} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
