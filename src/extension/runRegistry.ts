/**
 * The runs this window holds and what it tells about them. A live run has a trainer attached
 * here; a run whose trainer ended or was let go here keeps its history and its log, so that
 * reopening its dashboard is instant and Show Log still works after a crash. A live run's
 * trainer events are folded into its history here and then published, its exit is recorded
 * here, and a checkpoint deleted by hand leaves its history here: the dashboard, the Runs view and
 * the status bar hear all of it through the events.
 */

import * as path from 'node:path';
import type { CheckpointManifest, TrainerToHost } from '../shared/protocol';
import { Disposable } from './disposable';
import { Emitter } from './events';
import type { LiveRun, RunLog } from './liveRun';
import type { HistoryChange, RunHistory } from './runHistory';
import { recordTrainerExit, type RunCrash } from './trainerExit';
import type { TrainerExit } from './trainerProcess';

export interface RunChangeEvent {
  runId: string;
  runDir: string;
  change: HistoryChange;
  /** True when the run gained or lost its trainer (started, exited). */
  liveness: boolean;
}

export interface RunEvent {
  runId: string;
  event: TrainerToHost;
}

export class RunRegistry extends Disposable {
  private readonly live = new Map<string, LiveRun>();
  /** Histories of runs whose trainer ended in this window, kept so reopening the dashboard is instant. */
  private readonly ended = new Map<string, RunHistory>();
  /** Logs of ended runs: "Show Log" must still work after a crash. */
  private readonly endedLogs = new Map<string, RunLog>();
  private readonly exitHandling = new Map<string, Promise<void>>();

  private readonly changeEmitter = this._register(new Emitter<RunChangeEvent>());
  private readonly eventEmitter = this._register(new Emitter<RunEvent>());
  private readonly crashEmitter = this._register(new Emitter<RunCrash>());
  readonly onDidChangeRun = this.changeEmitter.event;
  readonly onDidReceiveEvent = this.eventEmitter.event;
  readonly onDidCrash = this.crashEmitter.event;

  constructor(private readonly createLog: (name: string) => RunLog) {
    super();
  }

  // ─── queries ────────────────────────────────────────────────────────────────────────────────

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  liveRun(runId: string): LiveRun | undefined {
    return this.live.get(runId);
  }

  liveRuns(): LiveRun[] {
    return [...this.live.values()];
  }

  /** The in-memory history of a run this window has seen (live or ended here). */
  history(runId: string): RunHistory | undefined {
    return this.live.get(runId)?.history ?? this.ended.get(runId);
  }

  logOf(runId: string): RunLog | undefined {
    return this.live.get(runId)?.log ?? this.endedLogs.get(runId);
  }

  // ─── live runs ──────────────────────────────────────────────────────────────────────────────

  /** A run's log: the one this window already has for it (it ended or was let go here), else a new one. */
  logFor(runId: string): RunLog {
    const known = this.endedLogs.get(runId);
    this.endedLogs.delete(runId);
    return known ?? this.createLog(`DDPG Run ${runId}`);
  }

  /** Keeps the log of a run whose trainer could not be taken on, for Show Log. */
  keepLog(runId: string, log: RunLog): void {
    this.endedLogs.set(runId, log);
  }

  /** The run is live from now on: its events are delivered, its commands reach the trainer. */
  add(run: LiveRun): void {
    const runId = run.history.runId;
    this.live.set(runId, run);
    this.ended.delete(runId);
  }

  /** Tells that the run gained its trainer, and records the trainer's exit when it comes. */
  announce(run: LiveRun, change: HistoryChange): void {
    this.fireChange(run.history, change, true);
    void run.trainer.exited.then((exit) => this.onExit(run, exit));
  }

  /** A validated event of a live run's trainer: folded into the history, then published. */
  deliver(run: LiveRun, event: TrainerToHost): void {
    const change = run.receive(event);
    this.eventEmitter.fire({ runId: run.history.runId, event });
    if (change.status || change.episodes || change.checkpoints) this.fireChange(run.history, change);
  }

  fireChange(history: RunHistory, change: HistoryChange, liveness = false): void {
    this.changeEmitter.fire({ runId: history.runId, runDir: history.runDir, change, liveness });
  }

  /** Resolves once the exit of a run's trainer has been fully recorded. */
  exitHandled(runId: string): Promise<void> {
    return this.exitHandling.get(runId) ?? Promise.resolve();
  }

  private onExit(run: LiveRun, exit: TrainerExit): Promise<void> {
    const runId = run.history.runId;
    if (exit.detached) {
      // Let go, not ended: the trainer goes on and its run.json is its own to write.
      if (this.live.get(runId) === run) this.live.delete(runId);
      this.retire(run);
      if (exit.lostConnection) run.log.warn(`detached: ${exit.lostConnection}`);
      this.fireChange(run.history, { status: true, episodes: false, checkpoints: false }, true);
      return Promise.resolve();
    }
    // The process is gone: the run stops being live before its final state is recorded, so no
    // one observes a 'crashed' or 'finished' run that still claims a live trainer.
    this.live.delete(runId);
    this.retire(run);
    const work = recordTrainerExit(run, exit)
      .then((crash) => crash && this.crashEmitter.fire(crash))
      .finally(() => {
        this.exitHandling.delete(runId);
        this.fireChange(run.history, { status: true, episodes: false, checkpoints: false }, true);
      });
    this.exitHandling.set(runId, work);
    return work;
  }

  private retire(run: LiveRun): void {
    this.ended.set(run.history.runId, run.history);
    this.endedLogs.set(run.history.runId, run.log);
  }

  // ─── checkpoints deleted by hand ────────────────────────────────────────────────────────────

  /**
   * A checkpoint folder is gone and no trainer said so: the user deleted it (Delete Checkpoint,
   * or outside VS Code, found when its run was read again). The history held here forgets it, and
   * listeners hear it as they hear a trainer pruning one, so a dashboard's list and the Runs view
   * drop it at once. `saved` is the checkpoint the caller saw go: a history holding another one
   * under that name (a best checkpoint rewritten meanwhile) keeps it.
   */
  forgetDeletedCheckpoint(runId: string, runDir: string, checkpointDir: string, saved?: Pick<CheckpointManifest, 'created' | 'step'>): void {
    const name = path.basename(checkpointDir);
    const known = this.history(runId);
    const held = known && path.resolve(known.runDir) === path.resolve(runDir) ? known : undefined;
    if (held) {
      const record = held.checkpoints.find((c) => c.manifest.name === name);
      // Gone from the history already: its trainer pruned it, or this is the second word of it.
      if (!record) return;
      if (saved && (record.manifest.created !== saved.created || record.manifest.step !== saved.step)) return;
    }
    const event: TrainerToHost = { type: 'checkpointDeleted', name, dir: checkpointDir };
    const change = held?.apply(event) ?? { status: false, episodes: false, checkpoints: true };
    this.eventEmitter.fire({ runId, event });
    this.changeEmitter.fire({ runId, runDir, change, liveness: false });
  }

  override dispose(): void {
    for (const log of this.endedLogs.values()) log.dispose();
    super.dispose();
  }
}
