/**
 * Everything known about one run, in memory: its info, latest status, episodes, evaluations and
 * checkpoints. Live runs build it from trainer events; finished runs load it from their folder.
 * The dashboard's `showRun` snapshot comes from here, so a reopened panel sees the whole history.
 * What an event means is decided by the shared reducer (src/shared/runState.ts), which the
 * dashboard's run model uses too; this class adds the folder and what loading it found.
 */

import type { EpisodeRow, EvalRow, RunInfo, RunSnapshot, RunStatus, StatusSnapshot, TrainerToHost } from '../shared/protocol';
import { listCheckpoints, readMetrics, readRunInfo } from '../shared/node/runDirectory';
import {
  applyTrainerEvent,
  runSnapshot,
  runStateFromRows,
  setLocalState,
  type CheckpointRecord,
  type RunState,
  type RunStateChange,
} from '../shared/runState';

export { isTerminal, statusFromFiles, TERMINAL_STATES, type CheckpointRecord } from '../shared/runState';

/** Which parts of a run an event changed (listeners redraw only what they show). */
export interface HistoryChange {
  /** The state or the count of completed episodes (what the Runs view and the status bar show). */
  status: boolean;
  /** Episodes or evaluations. */
  episodes: boolean;
  checkpoints: boolean;
}

export function historyChange(change: RunStateChange): HistoryChange {
  return { status: change.progress, episodes: change.episodes || change.evals, checkpoints: change.checkpoints.length > 0 || change.deletedCheckpoints.length > 0 };
}

export class RunHistory {
  readonly runDir: string;
  private readonly run: RunState;
  /** Lines of metrics.jsonl that could not be read when loading (a crash can leave half a line). */
  skippedMetricLines = 0;
  /** Checkpoint folders that could not be read, with the reason. */
  brokenCheckpoints: Array<{ dir: string; error: string }> = [];

  constructor(runDir: string, info: RunInfo, episodes: readonly EpisodeRow[] = [], evals: readonly EvalRow[] = [], checkpoints: readonly CheckpointRecord[] = []) {
    this.runDir = runDir;
    this.run = runStateFromRows(info, { episodes, evals, checkpoints });
  }

  static async load(runDir: string): Promise<RunHistory> {
    const [info, metrics, checkpoints] = await Promise.all([readRunInfo(runDir), readMetrics(runDir), listCheckpoints(runDir)]);
    const complete: CheckpointRecord[] = [];
    const broken: Array<{ dir: string; error: string }> = [];
    for (const entry of checkpoints) {
      if (entry.manifest) complete.push({ dir: entry.dir, manifest: entry.manifest });
      else broken.push({ dir: entry.dir, error: entry.error ?? 'unreadable' });
    }
    const history = new RunHistory(runDir, info, metrics.episodes, metrics.evals, complete);
    history.skippedMetricLines = metrics.skippedLines;
    history.brokenCheckpoints = broken;
    return history;
  }

  get info(): RunInfo {
    return this.run.info;
  }

  get status(): StatusSnapshot {
    return this.run.status;
  }

  get episodes(): readonly EpisodeRow[] {
    return this.run.episodes;
  }

  get evals(): readonly EvalRow[] {
    return this.run.evals;
  }

  get checkpoints(): readonly CheckpointRecord[] {
    return this.run.checkpoints;
  }

  get runId(): string {
    return this.run.info.id;
  }

  get state(): RunStatus {
    return this.run.status.state;
  }

  get bestEval(): number | null {
    return this.run.status.bestEval;
  }

  get latestReturn(): number | null {
    return this.run.episodes[this.run.episodes.length - 1]?.return ?? null;
  }

  /** Sets the state locally (e.g. 'stopping' the moment a stop is sent, 'crashed' after a crash). */
  setState(state: RunStatus, error?: string): void {
    setLocalState(this.run, state, error);
  }

  /** Folds one trainer event into the history. */
  apply(event: TrainerToHost): HistoryChange {
    return historyChange(applyTrainerEvent(this.run, event));
  }

  snapshot(live: boolean): RunSnapshot {
    return runSnapshot(this.run, live);
  }

  /** The history up to a checkpoint (its step), for inspecting a checkpoint. */
  snapshotUpTo(step: number): RunSnapshot {
    const full = this.snapshot(false);
    return {
      ...full,
      episodes: full.episodes.filter((e) => e.step <= step),
      evals: full.evals.filter((e) => e.step <= step),
      checkpoints: full.checkpoints.filter((c) => c.step <= step),
    };
  }
}
