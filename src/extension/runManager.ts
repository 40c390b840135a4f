/**
 * The one object the rest of the extension asks about runs and tells to act on them: it starts
 * trainers (detached, so that they outlive the window) or attaches to live ones (trainerStarts.ts),
 * keeps each run's history and publishes its changes (runRegistry.ts), and sends the trainers
 * their commands (start, pause, resume, checkpoint, stop, evaluate).
 *
 * When the window closes, detachable trainers are let go and go on training; a trainer that had
 * to be a child process (no sockets here) stops with a final checkpoint and its run is marked
 * interrupted, to be resumed in one click. The manager knows nothing of the vscode module: logs
 * and notifications are injected, so the routing and crash handling are testable in plain Node
 * with a fake trainer.
 */

import * as path from 'node:path';
import type { CheckpointManifest, DashboardCommand, HostToTrainer, RunSnapshot, TrainerToHost } from '../shared/protocol';
import type { RunConfig } from '../shared/config';
import type { TrainerLock } from '../shared/node/trainerLock';
import { CheckpointEvaluations, type EvaluationSession } from './checkpointEvaluation';
import { Disposable } from './disposable';
import { summarise, type LiveRunSummary, type RunLog } from './liveRun';
import { RunHistory, isTerminal } from './runHistory';
import { RunRegistry } from './runRegistry';
import { defaultLauncher, TrainerStarts, type StartOptions, type TrainerAttacher } from './trainerStarts';
import type { TrainerLauncher } from './trainerProcess';

export type { EvaluationResult, EvaluationSession } from './checkpointEvaluation';
export type { LiveRunSummary, RunLog } from './liveRun';
export type { RunChangeEvent, RunEvent } from './runRegistry';
export type { RunCrash } from './trainerExit';
export type { StartOptions, TrainerAttacher } from './trainerStarts';

/** What the window does with its live runs when it closes (`ddpg.whenWindowCloses`). */
export type WindowClosePolicy = 'keepTraining' | 'stopWithCheckpoint';

export interface RunManagerOptions {
  /** Absolute path of dist/trainer.js. */
  trainerScript: string;
  createLog(name: string): RunLog;
  launch?: TrainerLauncher;
  /** Connects to a live trainer found by its lock file. */
  attach?: TrainerAttacher;
  /** Whether trainers can serve a socket here (else training falls back to a child process). */
  canDetach?: () => Promise<boolean>;
  /** How long a trainer gets to stop (final checkpoint included) before it is killed. */
  stopTimeoutMs?: number;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export class RunManager extends Disposable {
  private readonly runs: RunRegistry;
  private readonly starts: TrainerStarts;
  private readonly evaluations: CheckpointEvaluations;
  private readonly stopTimeoutMs: number;

  /** A run's state, episodes or checkpoints changed, or it gained or lost its trainer. */
  readonly onDidChangeRun: RunRegistry['onDidChangeRun'];
  /**
   * Every validated trainer event of a live run, after it was folded into the history; and a
   * `checkpointDeleted` of any run when a checkpoint is deleted by hand (forgetDeletedCheckpoint).
   */
  readonly onDidReceiveEvent: RunRegistry['onDidReceiveEvent'];
  /** A trainer ended without a clean `exiting` + exit code 0. */
  readonly onDidCrash: RunRegistry['onDidCrash'];

  constructor(options: RunManagerOptions) {
    super();
    this.runs = this._register(new RunRegistry((name) => options.createLog(name)));
    this.onDidChangeRun = this.runs.onDidChangeRun;
    this.onDidReceiveEvent = this.runs.onDidReceiveEvent;
    this.onDidCrash = this.runs.onDidCrash;
    const launch = options.launch ?? defaultLauncher;
    this.starts = new TrainerStarts(this.runs, { trainerScript: options.trainerScript, launch, attach: options.attach, canDetach: options.canDetach });
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.evaluations = new CheckpointEvaluations({ trainerScript: options.trainerScript, createLog: (name) => options.createLog(name), launch });
  }

  // ─── queries ────────────────────────────────────────────────────────────────────────────────

  isLive(runId: string): boolean {
    return this.runs.isLive(runId);
  }

  liveRuns(): LiveRunSummary[] {
    return this.runs.liveRuns().map((run) => summarise(run.history));
  }

  liveRun(runId: string): LiveRunSummary | undefined {
    const run = this.runs.liveRun(runId);
    return run ? summarise(run.history) : undefined;
  }

  /** The in-memory history of a run this window has seen (live or ended here). */
  history(runId: string): RunHistory | undefined {
    return this.runs.history(runId);
  }

  logOf(runId: string): RunLog | undefined {
    return this.runs.logOf(runId);
  }

  /** The full snapshot of a run: from memory when this window knows it, else from its folder. */
  async snapshot(runId: string, runDir: string): Promise<RunSnapshot> {
    const live = this.runs.liveRun(runId);
    if (live) return live.history.snapshot(true);
    return (await this.loadHistory(runId, runDir)).snapshot(false);
  }

  /** A run's history from memory or, for runs this window never ran, freshly from disk. */
  async loadHistory(runId: string, runDir: string): Promise<RunHistory> {
    const known = this.history(runId);
    if (known && path.resolve(known.runDir) === path.resolve(runDir)) return known;
    return RunHistory.load(runDir);
  }

  /**
   * A checkpoint folder was deleted without its trainer saying so (Delete Checkpoint, or outside VS
   * Code): the history held here forgets it and listeners hear a `checkpointDeleted`; `saved`, the
   * checkpoint the caller saw go, keeps a newer one of the same name (RunRegistry).
   */
  forgetDeletedCheckpoint(runId: string, runDir: string, checkpointDir: string, saved?: Pick<CheckpointManifest, 'created' | 'step'>): void {
    this.runs.forgetDeletedCheckpoint(runId, runDir, checkpointDir, saved);
  }

  // ─── training ───────────────────────────────────────────────────────────────────────────────

  /** Creates a run folder in `runsDir`, starts a trainer for it. Resolves once the process is started. */
  startTraining(runsDir: string, config: RunConfig, options: StartOptions = {}): Promise<LiveRunSummary> {
    return this.starts.startTraining(runsDir, config, options);
  }

  /** Continues an interrupted run in its own folder from its latest checkpoint, with its own settings. */
  resumeInterrupted(runDir: string): Promise<LiveRunSummary> {
    return this.starts.resumeInterrupted(runDir);
  }

  /** Attaches to a live trainer found by its lock; undefined when it is already live here or being attached. */
  attach(runDir: string, lock: TrainerLock): Promise<LiveRunSummary | undefined> {
    return this.starts.attach(runDir, lock);
  }

  pause(runId: string): boolean {
    return this.command(runId, { type: 'pause' });
  }

  resume(runId: string): boolean {
    return this.command(runId, { type: 'resume' });
  }

  /** Asks for a manual checkpoint; returns the request id echoed by the trainer's checkpoint event. */
  saveCheckpoint(runId: string): number | undefined {
    const run = this.runs.liveRun(runId);
    if (!run) return undefined;
    const requestId = run.nextRequestId++;
    return this.command(runId, { type: 'checkpoint', requestId }) ? requestId : undefined;
  }

  /** Stops a run (with a final checkpoint unless told otherwise); resolves once the trainer has exited. */
  async stop(runId: string, saveCheckpoint = true): Promise<void> {
    const run = this.runs.liveRun(runId);
    if (!run) return;
    if (!isTerminal(run.history.state)) {
      run.history.setState('stopping');
      this.runs.fireChange(run.history, { status: true, episodes: false, checkpoints: false });
    }
    await run.trainer.stop(saveCheckpoint, this.stopTimeoutMs);
    await this.runs.exitHandled(runId);
  }

  /** Runs a dashboard button: only on live runs, only the four commands the protocol allows. */
  dashboardCommand(runId: string, command: DashboardCommand): boolean {
    if (!this.runs.isLive(runId)) return false;
    switch (command) {
      case 'pause':
        return this.pause(runId);
      case 'resume':
        return this.resume(runId);
      case 'checkpoint':
        return this.saveCheckpoint(runId) !== undefined;
      case 'stop':
        void this.stop(runId);
        return true;
    }
  }

  /** Turns animation frames on or off for a run; remembered and re-sent once the trainer has started. */
  setFrameStreaming(runId: string, enabled: boolean): void {
    const run = this.runs.liveRun(runId);
    if (!run || run.framesWanted === enabled) return;
    run.framesWanted = enabled;
    this.command(runId, { type: 'setFrameStreaming', enabled });
  }

  private command(runId: string, command: HostToTrainer): boolean {
    return this.runs.liveRun(runId)?.command(command) ?? false;
  }

  /**
   * The window is closing. With keepTraining, trainers that can outlive it are let go and go on
   * training; the others (children, where sockets are impossible) stop with a final checkpoint and
   * their runs are marked interrupted. With stopWithCheckpoint, every run this window is attached
   * to stops (runs trained by the CLI in a terminal are the terminal's: they are let go). Evaluations end.
   */
  async closeWindow(policy: WindowClosePolicy, timeoutMs = this.stopTimeoutMs): Promise<void> {
    await Promise.all([
      ...this.runs.liveRuns().map(async (run) => {
        const detach = run.trainer.detachable && run.trainer.detach && (policy === 'keepTraining' || run.trainer.origin === 'cli');
        if (detach) {
          run.log.info('the window is closing: the trainer goes on training (ddpg.whenWindowCloses: keepTraining)');
          await run.trainer.detach!();
        } else {
          run.interruptOnExit = policy === 'keepTraining';
          if (!isTerminal(run.history.state)) run.history.setState('stopping');
          await run.trainer.stop(true, timeoutMs);
        }
        await this.runs.exitHandled(run.history.runId);
      }),
      this.evaluations.cancelAll('evaluation cancelled: the window is closing'),
    ]);
  }

  /** Stops every trainer (final checkpoints included), killing those that do not stop in time. */
  async stopAll(timeoutMs = this.stopTimeoutMs): Promise<void> {
    await Promise.all([
      ...this.runs.liveRuns().map(async (run) => {
        if (!isTerminal(run.history.state)) run.history.setState('stopping');
        await run.trainer.stop(true, timeoutMs);
        await this.runs.exitHandled(run.history.runId);
      }),
      this.evaluations.cancelAll('evaluation cancelled: the window is closing'),
    ]);
  }

  // ─── evaluation ─────────────────────────────────────────────────────────────────────────────

  /** Starts a trainer that evaluates a checkpoint deterministically; its events go to `onEvent`. */
  evaluate(manifest: CheckpointManifest, checkpointDir: string, episodes: number, onEvent: (event: TrainerToHost) => void): EvaluationSession {
    return this.evaluations.start(manifest, checkpointDir, episodes, onEvent);
  }

  override dispose(): void {
    // Last resort: closeWindow() should have run already (deactivate). A trainer that can outlive
    // the window is let go (a reload must not end a run); a child left over is killed.
    for (const run of this.runs.liveRuns()) {
      if (run.trainer.detachable && run.trainer.detach) void run.trainer.detach();
      else void run.trainer.kill('the extension was disposed');
    }
    void this.evaluations.cancelAll('the extension was disposed');
    super.dispose();
  }
}
