/**
 * Starts trainers (detached, so that they outlive the window) or attaches to live ones, routes
 * their validated events, and keeps each run's history.
 *
 * Commands go down (start, pause, resume, checkpoint, stop, evaluate); events come up and are
 * folded into the run's RunHistory, then published to whoever listens (dashboard, tree, status
 * bar). When the window closes, detachable trainers are let go and go on training; a trainer that
 * had to be a child process (no sockets here) stops with a final checkpoint and its run is marked
 * interrupted, to be resumed in one click. The manager knows nothing of the vscode module: logs
 * and notifications are injected, so the routing and crash handling are testable in plain Node
 * with a fake trainer.
 */

import * as path from 'node:path';
import type { CheckpointManifest, DashboardCommand, EngineInfo, HostToTrainer, RunInfo, RunSnapshot, RunStatus, TrainerToHost } from '../shared/protocol';
import type { RunConfig } from '../shared/config';
import { taskFieldsOf } from '../shared/runFormat';
import { createRunDirectory, listCheckpoints, readRunInfo, updateRunStatus, writeRunInfo } from '../shared/node/runDirectory';
import { liveTrainerOf, type TrainerLock } from '../shared/node/trainerLock';
import { canServeTrainerSockets } from '../shared/node/trainerSocket';
import { CheckpointEvaluations, type EvaluationSession } from './checkpointEvaluation';
import { Disposable } from './disposable';
import { Emitter } from './events';
import { LiveRun, summarise, type LiveRunSummary, type RunLog } from './liveRun';
import { RunHistory, isTerminal, type HistoryChange } from './runHistory';
import { SocketTrainer } from './socketTrainer';
import { classifyExit, previewMessage, TrainerProcess, type TrainerExit, type TrainerHandle, type TrainerLauncher, type TrainerListeners } from './trainerProcess';

/** What the window does with its live runs when it closes (`ddpg.whenWindowCloses`). */
export type WindowClosePolicy = 'keepTraining' | 'stopWithCheckpoint';

export type TrainerAttacher = (runDir: string, lock: TrainerLock, listeners: TrainerListeners) => TrainerHandle;

/** A training trainer starts detached when it can; evaluations (and training without sockets) are children. */
const defaultLauncher: TrainerLauncher = (launch, listeners) =>
  launch.detached && launch.runDir !== undefined ? SocketTrainer.launchDetached({ ...launch, runDir: launch.runDir }, listeners) : TrainerProcess.launch(launch, listeners);

export type { EvaluationResult, EvaluationSession } from './checkpointEvaluation';
export type { LiveRunSummary, RunLog } from './liveRun';

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

export interface RunCrash {
  runId: string;
  runDir: string;
  reason: string;
  stderrTail: string[];
  log: RunLog;
}

export interface StartOptions {
  /** Checkpoint directory to continue from: the new run resumes its counters, networks and buffer. */
  resumeFrom?: string;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export class RunManager extends Disposable {
  private readonly live = new Map<string, LiveRun>();
  /** Histories of runs whose trainer ended in this window, kept so reopening the dashboard is instant. */
  private readonly ended = new Map<string, RunHistory>();
  /** Logs of ended runs: "Show Log" must still work after a crash. */
  private readonly endedLogs = new Map<string, RunLog>();
  private readonly evaluations: CheckpointEvaluations;
  private readonly launch: TrainerLauncher;
  private readonly attachTrainer: TrainerAttacher;
  private readonly stopTimeoutMs: number;
  private detachable: Promise<boolean> | undefined;
  /** Runs being attached: their history is loading. */
  private readonly attaching = new Set<string>();

  private readonly changeEmitter = this._register(new Emitter<RunChangeEvent>());
  private readonly eventEmitter = this._register(new Emitter<RunEvent>());
  private readonly crashEmitter = this._register(new Emitter<RunCrash>());
  /** A run's state, episodes or checkpoints changed, or it gained or lost its trainer. */
  readonly onDidChangeRun = this.changeEmitter.event;
  /** Every validated trainer event of a live run, after it was folded into the history. */
  readonly onDidReceiveEvent = this.eventEmitter.event;
  /** A trainer ended without a clean `exiting` + exit code 0. */
  readonly onDidCrash = this.crashEmitter.event;

  constructor(private readonly options: RunManagerOptions) {
    super();
    this.launch = options.launch ?? defaultLauncher;
    this.attachTrainer = options.attach ?? ((runDir, lock, listeners) => SocketTrainer.attach(runDir, lock, listeners));
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.evaluations = new CheckpointEvaluations({ trainerScript: options.trainerScript, createLog: (name) => options.createLog(name), launch: this.launch });
  }

  // ─── queries ────────────────────────────────────────────────────────────────────────────────

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  liveRuns(): LiveRunSummary[] {
    return [...this.live.values()].map((run) => summarise(run.history));
  }

  liveRun(runId: string): LiveRunSummary | undefined {
    const run = this.live.get(runId);
    return run ? summarise(run.history) : undefined;
  }

  /** The in-memory history of a run this window has seen (live or ended here). */
  history(runId: string): RunHistory | undefined {
    return this.live.get(runId)?.history ?? this.ended.get(runId);
  }

  logOf(runId: string): RunLog | undefined {
    return this.live.get(runId)?.log ?? this.endedLogs.get(runId);
  }

  /** The full snapshot of a run: from memory when this window knows it, else from its folder. */
  async snapshot(runId: string, runDir: string): Promise<RunSnapshot> {
    const live = this.live.get(runId);
    if (live) return live.history.snapshot(true);
    return (await this.loadHistory(runId, runDir)).snapshot(false);
  }

  /** A run's history from memory or, for runs this window never ran, freshly from disk. */
  async loadHistory(runId: string, runDir: string): Promise<RunHistory> {
    const known = this.history(runId);
    if (known && path.resolve(known.runDir) === path.resolve(runDir)) return known;
    return RunHistory.load(runDir);
  }

  // ─── training ───────────────────────────────────────────────────────────────────────────────

  /** Creates a run folder in `runsDir`, starts a trainer for it. Resolves once the process is started. */
  async startTraining(runsDir: string, config: RunConfig, options: StartOptions = {}): Promise<LiveRunSummary> {
    const { id, dir } = await createRunDirectory(runsDir);
    const created = new Date().toISOString();
    const info: RunInfo = { id, name: id, created, updated: created, config, ...taskFieldsOf(config), engine: null, seed: config.seed, status: 'starting' };
    // The trainer rewrites run.json once its engine is ready; writing it now makes the run visible
    // at once and gives a crash during start-up a file to be recorded in.
    await writeRunInfo(dir, info);
    return this.launchRun(new RunHistory(dir, info), config, options.resumeFrom);
  }

  /**
   * Continues an interrupted run in its own folder from its latest checkpoint, with its own
   * settings: the one click that undoes a window closing under a run that could not outlive it.
   */
  async resumeInterrupted(runDir: string): Promise<LiveRunSummary> {
    const info = await readRunInfo(runDir);
    if (this.live.has(info.id)) throw new Error(`run ${info.id} is already training`);
    const latest = (await listCheckpoints(runDir)).filter((c) => c.manifest).at(-1);
    if (!latest) throw new Error(`run ${info.id} has no checkpoint to resume from`);
    const history = await RunHistory.load(runDir);
    history.setState('starting');
    return this.launchRun(history, info.config, latest.dir);
  }

  private async launchRun(history: RunHistory, config: RunConfig, resumeFrom: string | undefined): Promise<LiveRunSummary> {
    const { runId: id, runDir: dir } = history;
    const log = this.logFor(id);
    log.info(`run ${id} in ${dir}${resumeFrom ? `, resuming from ${resumeFrom}` : ''}`);
    const detached = await this.trainersCanDetach();
    if (!detached) log.warn('trainer sockets are not available here: the run trains as a child of this window and stops (interrupted) when the window closes');
    let run: LiveRun | undefined;
    const trainer = this.launch({ script: this.options.trainerScript, cwd: dir, runDir: dir, detached }, this.listenersFor(() => run, log));
    run = new LiveRun(history, trainer, log);
    this.live.set(id, run);
    this.ended.delete(id);
    trainer.send({ type: 'start', runDir: dir, config, streamFrames: false, ...(resumeFrom ? { resumeFrom } : {}) });
    this.changeEmitter.fire({ runId: id, runDir: dir, change: { status: true, episodes: false, checkpoints: false }, liveness: true });
    const started = run;
    void trainer.exited.then((exit) => this.onExit(started, exit));
    return summarise(history);
  }

  /**
   * Attaches to a live trainer found by its lock (started by an earlier window, another one, or
   * the CLI). The history is read from disk while the trainer's first events (the run as it is
   * now, its latest rows from memory) wait; the reducer drops what both sides have, so no row is
   * lost or doubled and the step counter never goes back. Resolves with the run, or undefined
   * when it is already live here or being attached.
   */
  async attach(runDir: string, lock: TrainerLock): Promise<LiveRunSummary | undefined> {
    const id = lock.runId;
    if (this.live.has(id) || this.attaching.has(id)) return undefined;
    this.attaching.add(id);
    try {
      const log = this.logFor(id);
      let run: LiveRun | undefined;
      const early: TrainerToHost[] = [];
      const listeners = this.listenersFor(() => run, log, early);
      const trainer = this.attachTrainer(runDir, lock, listeners);
      let history: RunHistory;
      try {
        history = await RunHistory.load(runDir);
      } catch (err) {
        await trainer.detach?.();
        this.endedLogs.set(id, log);
        throw err;
      }
      const origin = lock.origin === 'cli' ? 'started from a terminal, ' : '';
      log.info(`attached to the trainer of ${id} (${origin}pid ${lock.pid}, since ${lock.startedAt}) in ${runDir}`);
      run = new LiveRun(history, trainer, log);
      this.live.set(id, run);
      this.ended.delete(id);
      for (const event of early.splice(0)) this.route(run, event);
      this.changeEmitter.fire({ runId: id, runDir, change: { status: true, episodes: true, checkpoints: true }, liveness: true });
      const attached = run;
      void trainer.exited.then((exit) => this.onExit(attached, exit));
      return summarise(history);
    } finally {
      this.attaching.delete(id);
    }
  }

  /** Listeners for a trainer whose LiveRun may not exist yet: events wait in `early` (or are dropped) until it does. */
  private listenersFor(current: () => LiveRun | undefined, log: RunLog, early?: TrainerToHost[]): TrainerListeners {
    return {
      onEvent: (event) => {
        const run = current();
        if (run) this.route(run, event);
        else early?.push(event);
      },
      onInvalidMessage: (message) => log.warn(`ignored an invalid message from the trainer: ${previewMessage(message)}`),
      onOutput: (line) => log.append(line),
    };
  }

  /** A run's log: the one this window already has for it (it ended or was let go here), else a new one. */
  private logFor(runId: string): RunLog {
    const known = this.endedLogs.get(runId);
    this.endedLogs.delete(runId);
    return known ?? this.options.createLog(`DDPG Run ${runId}`);
  }

  private trainersCanDetach(): Promise<boolean> {
    this.detachable ??= this.options.canDetach ? this.options.canDetach() : canServeTrainerSockets().then((r) => r.ok);
    return this.detachable;
  }

  pause(runId: string): boolean {
    return this.command(runId, { type: 'pause' });
  }

  resume(runId: string): boolean {
    return this.command(runId, { type: 'resume' });
  }

  /** Asks for a manual checkpoint; returns the request id echoed by the trainer's checkpoint event. */
  saveCheckpoint(runId: string): number | undefined {
    const run = this.live.get(runId);
    if (!run) return undefined;
    const requestId = run.nextRequestId++;
    return this.command(runId, { type: 'checkpoint', requestId }) ? requestId : undefined;
  }

  /** Stops a run (with a final checkpoint unless told otherwise); resolves once the trainer has exited. */
  async stop(runId: string, saveCheckpoint = true): Promise<void> {
    const run = this.live.get(runId);
    if (!run) return;
    if (!isTerminal(run.history.state)) {
      run.history.setState('stopping');
      this.fireChange(run, { status: true, episodes: false, checkpoints: false });
    }
    await run.trainer.stop(saveCheckpoint, this.stopTimeoutMs);
    await this.exitHandled(runId);
  }

  /** Runs a dashboard button: only on live runs, only the four commands the protocol allows. */
  dashboardCommand(runId: string, command: DashboardCommand): boolean {
    if (!this.live.has(runId)) return false;
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
    const run = this.live.get(runId);
    if (!run || run.framesWanted === enabled) return;
    run.framesWanted = enabled;
    this.command(runId, { type: 'setFrameStreaming', enabled });
  }

  /**
   * The window is closing. With keepTraining, trainers that can outlive it are let go and go on
   * training; the others (children, where sockets are impossible) stop with a final checkpoint and
   * their runs are marked interrupted. With stopWithCheckpoint, every run this window is attached
   * to stops (runs trained by the CLI in a terminal are the terminal's: they are let go). Evaluations end.
   */
  async closeWindow(policy: WindowClosePolicy, timeoutMs = this.stopTimeoutMs): Promise<void> {
    const runs = [...this.live.values()];
    await Promise.all([
      ...runs.map(async (run) => {
        const detach = run.trainer.detachable && run.trainer.detach && (policy === 'keepTraining' || run.trainer.origin === 'cli');
        if (detach) {
          run.log.info('the window is closing: the trainer goes on training (ddpg.whenWindowCloses: keepTraining)');
          await run.trainer.detach!();
        } else {
          run.interruptOnExit = policy === 'keepTraining';
          if (!isTerminal(run.history.state)) run.history.setState('stopping');
          await run.trainer.stop(true, timeoutMs);
        }
        await this.exitHandled(run.history.runId);
      }),
      this.evaluations.cancelAll('evaluation cancelled: the window is closing'),
    ]);
  }

  /** Stops every trainer (final checkpoints included), killing those that do not stop in time. */
  async stopAll(timeoutMs = this.stopTimeoutMs): Promise<void> {
    const runs = [...this.live.values()];
    await Promise.all([
      ...runs.map(async (run) => {
        if (!isTerminal(run.history.state)) run.history.setState('stopping');
        await run.trainer.stop(true, timeoutMs);
        await this.exitHandled(run.history.runId);
      }),
      this.evaluations.cancelAll('evaluation cancelled: the window is closing'),
    ]);
  }

  // ─── evaluation ─────────────────────────────────────────────────────────────────────────────

  /** Starts a trainer that evaluates a checkpoint deterministically; its events go to `onEvent`. */
  evaluate(manifest: CheckpointManifest, checkpointDir: string, episodes: number, onEvent: (event: TrainerToHost) => void): EvaluationSession {
    return this.evaluations.start(manifest, checkpointDir, episodes, onEvent);
  }

  // ─── internals ──────────────────────────────────────────────────────────────────────────────

  private command(runId: string, command: HostToTrainer): boolean {
    const run = this.live.get(runId);
    if (!run || isTerminal(run.history.state)) return false;
    if (!run.started && command.type !== 'stop') {
      run.pending.push(command);
      return true;
    }
    return run.trainer.send(command);
  }

  private route(run: LiveRun, event: TrainerToHost): void {
    switch (event.type) {
      case 'started':
        run.started = true;
        // Commands given while the trainer was building its engine, then the current frame wish.
        for (const command of run.pending.splice(0)) if (command.type !== 'setFrameStreaming') run.trainer.send(command);
        if (run.framesWanted) run.trainer.send({ type: 'setFrameStreaming', enabled: true });
        run.log.info(`started: engine ${describeEngine(event.engine)}`);
        break;
      case 'log':
        run.log[event.level](event.message);
        break;
      case 'error':
        run.lastError = event.message;
        run.log.error(event.stack ?? event.message);
        break;
      case 'checkpoint':
        run.log.info(`checkpoint ${event.manifest.name} (${event.manifest.reason}) at episode ${event.manifest.episode}, step ${event.manifest.step}`);
        break;
      default:
        break;
    }
    const change = run.history.apply(event);
    this.eventEmitter.fire({ runId: run.history.runId, event });
    if (change.status || change.episodes || change.checkpoints) this.fireChange(run, change);
  }

  private readonly exitHandling = new Map<string, Promise<void>>();

  /** Resolves once the exit of a run's trainer has been fully recorded. */
  private exitHandled(runId: string): Promise<void> {
    return this.exitHandling.get(runId) ?? Promise.resolve();
  }

  private onExit(run: LiveRun, exit: TrainerExit): Promise<void> {
    const runId = run.history.runId;
    if (exit.detached) {
      // Let go, not ended: the trainer goes on and its run.json is its own to write.
      if (this.live.get(runId) === run) this.live.delete(runId);
      this.ended.set(runId, run.history);
      this.endedLogs.set(runId, run.log);
      if (exit.lostConnection) run.log.warn(`detached: ${exit.lostConnection}`);
      this.fireChange(run, { status: true, episodes: false, checkpoints: false }, true);
      return Promise.resolve();
    }
    // The process is gone: the run stops being live before its final state is recorded, so no
    // one observes a 'crashed' or 'finished' run that still claims a live trainer.
    this.live.delete(runId);
    this.ended.set(runId, run.history);
    this.endedLogs.set(runId, run.log);
    const work = this.recordExit(run, exit).finally(() => {
      this.exitHandling.delete(runId);
      this.fireChange(run, { status: true, episodes: false, checkpoints: false }, true);
    });
    this.exitHandling.set(runId, work);
    return work;
  }

  private async recordExit(run: LiveRun, exit: TrainerExit): Promise<void> {
    const verdict = classifyExit(exit);
    const runDir = run.history.runDir;
    if (!verdict.crashed) {
      const status = run.interruptOnExit && exit.exitingStatus === 'stopped' ? 'interrupted' : exit.exitingStatus!;
      run.log.info(`trainer exited cleanly: ${status}`);
      if (status === 'interrupted') {
        run.history.setState(status);
        await updateRunStatus(runDir, status).catch((err: Error) => run.log.error(`could not mark the run as interrupted in run.json: ${err.message}`));
        return;
      }
      run.history.setState(status);
      // A trainer stopped before its engine was ready never rewrote the host's 'starting' run.json.
      await this.ensureFinalStatus(run, status);
      return;
    }
    const reason = run.lastError ? `${run.lastError} (${verdict.reason})` : verdict.reason;
    run.log.error(`run crashed: ${reason}`);
    const tail = run.trainer.stderrTail();
    // A trainer killed outright leaves its lock behind; whoever finds it stale clears it.
    await liveTrainerOf(runDir).catch(() => undefined);
    run.history.setState('crashed', reason);
    try {
      await updateRunStatus(runDir, 'crashed', reason);
    } catch (err) {
      run.log.error(`could not mark the run as crashed in run.json: ${(err as Error).message}`);
    }
    this.crashEmitter.fire({ runId: run.history.runId, runDir, reason, stderrTail: tail, log: run.log });
  }

  private async ensureFinalStatus(run: LiveRun, status: RunStatus): Promise<void> {
    try {
      const onDisk = await readRunInfo(run.history.runDir);
      if (!isTerminal(onDisk.status)) await updateRunStatus(run.history.runDir, status);
    } catch (err) {
      run.log.warn(`could not check the final status in run.json: ${(err as Error).message}`);
    }
  }

  private fireChange(run: LiveRun, change: HistoryChange, liveness = false): void {
    this.changeEmitter.fire({ runId: run.history.runId, runDir: run.history.runDir, change, liveness });
  }

  override dispose(): void {
    // Last resort: closeWindow() should have run already (deactivate). A trainer that can outlive
    // the window is let go (a reload must not end a run); a child left over is killed.
    for (const run of this.live.values()) {
      if (run.trainer.detachable && run.trainer.detach) void run.trainer.detach();
      else void run.trainer.kill('the extension was disposed');
    }
    void this.evaluations.cancelAll('the extension was disposed');
    for (const log of this.endedLogs.values()) log.dispose();
    super.dispose();
  }
}

function describeEngine(engine: EngineInfo): string {
  return `${engine.engine} (${engine.backend})`;
}
