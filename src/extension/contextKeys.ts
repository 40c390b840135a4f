/**
 * Context keys that decide which DDPG commands and buttons are shown: Pause only while a run is
 * running, Resume only while one is paused, and so on. The palette's follow every live run; the
 * dashboard title bar's follow the run of the dashboard panel in front only, so that its buttons
 * never act on a run other than the one shown beneath them.
 */

import type { RunStatus } from '../shared/protocol';
import type { DisposableLike } from './disposable';
import type { Event } from './events';
import type { RunManager } from './runManager';
import type { VSCode } from './vscodeApi';

export const CONTEXT_KEYS = {
  canPause: 'ddpg.canPause',
  canResume: 'ddpg.canResume',
  canStop: 'ddpg.canStop',
  canSaveCheckpoint: 'ddpg.canSaveCheckpoint',
  hasLiveRun: 'ddpg.hasLiveRun',
  dashboardCanPause: 'ddpg.dashboardCanPause',
  dashboardCanResume: 'ddpg.dashboardCanResume',
  dashboardCanStop: 'ddpg.dashboardCanStop',
  dashboardCanSaveCheckpoint: 'ddpg.dashboardCanSaveCheckpoint',
  hasRuns: 'ddpg.hasRuns',
  extensionTestsEnabled: 'ddpg.extensionTestsEnabled',
} as const;

/** The states in which each command means something. */
export const COMMAND_STATES = {
  pause: ['running'],
  resume: ['paused'],
  stop: ['starting', 'running', 'paused'],
  checkpoint: ['running', 'paused'],
} as const satisfies Record<string, readonly RunStatus[]>;

export type RunCommandKind = keyof typeof COMMAND_STATES;

export function allows(kind: RunCommandKind, state: RunStatus): boolean {
  return (COMMAND_STATES[kind] as readonly RunStatus[]).includes(state);
}

export function runContextKeys(liveStates: readonly RunStatus[]): Record<string, boolean> {
  return {
    [CONTEXT_KEYS.canPause]: liveStates.some((s) => allows('pause', s)),
    [CONTEXT_KEYS.canResume]: liveStates.some((s) => allows('resume', s)),
    [CONTEXT_KEYS.canStop]: liveStates.some((s) => allows('stop', s)),
    [CONTEXT_KEYS.canSaveCheckpoint]: liveStates.some((s) => allows('checkpoint', s)),
    [CONTEXT_KEYS.hasLiveRun]: liveStates.length > 0,
  };
}

/** The title bar's keys for the run of the dashboard in front: its state, or undefined when that panel shows no live run. */
export function dashboardContextKeys(state: RunStatus | undefined): Record<string, boolean> {
  const can = (kind: RunCommandKind) => state !== undefined && allows(kind, state);
  return {
    [CONTEXT_KEYS.dashboardCanPause]: can('pause'),
    [CONTEXT_KEYS.dashboardCanResume]: can('resume'),
    [CONTEXT_KEYS.dashboardCanStop]: can('stop'),
    [CONTEXT_KEYS.dashboardCanSaveCheckpoint]: can('checkpoint'),
  };
}

/** Which run the dashboard title bar acts on (DashboardPanels). */
export interface TitleBarRunSource {
  readonly titleBarRunId: string | undefined;
  readonly onDidChangeTitleBarRun: Event<string | undefined>;
}

/** Keeps the run context keys in step with the run manager, calling setContext only on change. */
export class ContextKeys implements DisposableLike {
  private readonly current = new Map<string, unknown>();
  private readonly subscriptions: DisposableLike[] = [];
  private titleBarRunId: string | undefined;

  constructor(
    private readonly api: VSCode,
    private readonly runManager: RunManager,
  ) {
    // Episodes do not change which commands apply; a change of state or liveness may.
    this.subscriptions.push(runManager.onDidChangeRun(({ change, liveness }) => (liveness || change.status) && this.update()));
    this.update();
  }

  /** From now on the title bar's keys follow `source`'s run. */
  followTitleBarRun(source: TitleBarRunSource): void {
    this.titleBarRunId = source.titleBarRunId;
    this.subscriptions.push(
      source.onDidChangeTitleBarRun((runId) => {
        this.titleBarRunId = runId;
        this.update();
      }),
    );
    this.update();
  }

  update(): void {
    const keys = {
      ...runContextKeys(this.runManager.liveRuns().map((r) => r.state)),
      ...dashboardContextKeys(this.titleBarRunId === undefined ? undefined : this.runManager.liveRun(this.titleBarRunId)?.state),
    };
    for (const [key, value] of Object.entries(keys)) this.set(key, value);
  }

  set(key: string, value: unknown): void {
    if (this.current.get(key) === value) return;
    this.current.set(key, value);
    void this.api.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}
