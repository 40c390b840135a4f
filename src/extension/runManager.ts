/**
 * Forks trainers, routes their validated events, and keeps each run's history.
 *
 * Commands go down (start, pause, resume, checkpoint, stop, evaluate); events come up and are
 * folded into the run's RunHistory, then published to whoever listens (dashboard, tree, status
 * bar). The manager knows nothing of the vscode module: logs and notifications are injected, so
 * the routing and crash handling are testable in plain Node with a fake trainer.
 */

import * as path from 'node:path';
import type { CheckpointManifest, DashboardCommand, EngineInfo, HostToTrainer, RunInfo, RunSnapshot, RunStatus, TrainerToHost } from '../shared/protocol';
import type { RunConfig } from '../shared/config';
import { taskFieldsOf } from '../shared/runFormat';
import { createRunDirectory, readRunInfo, updateRunStatus, writeRunInfo } from '../shared/node/runDirectory';
import { Disposable } from './disposable';
import { Emitter } from './events';
import { RunHistory, isTerminal, type HistoryChange } from './runHistory';
import { classifyExit, TrainerProcess, type TrainerExit, type TrainerHandle, type TrainerLauncher } from './trainerProcess';

/** A run's log (a LogOutputChannel in VS Code). */
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Raw process output. */
  append(line: string): void;
  show(): void;
  dispose(): void;
}

export interface RunManagerOptions {
  /** Absolute path of dist/trainer.js. */
  trainerScript: string;
  createLog(name: string): RunLog;
  launch?: TrainerLauncher;
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

export interface EvaluationResult {
  returns: number[];
  mean: number;
  std: number;
}

export interface EvaluationSession {
  readonly runId: string;
  readonly checkpointDir: string;
  /** Resolves with the result, or rejects with the reason the evaluation failed. */
  readonly result: Promise<EvaluationResult>;
  cancel(): Promise<void>;
}

/** A run that has a trainer process attached to it in this window. */
class LiveRun {
  readonly history: RunHistory;
  readonly trainer: TrainerHandle;
  readonly log: RunLog;
  /** Commands sent before the trainer announced `started` wait here: it ignores them until then. */
  readonly pending: HostToTrainer[] = [];
  started = false;
  framesWanted = false;
  nextRequestId = 1;
  lastError: string | undefined;

  constructor(history: RunHistory, trainer: TrainerHandle, log: RunLog) {
    this.history = history;
    this.trainer = trainer;
    this.log = log;
  }
}

export interface StartOptions {
  /** Checkpoint directory to continue from: the new run resumes its counters, networks and buffer. */
  resumeFrom?: string;
}

export interface LiveRunSummary {
  runId: string;
  runDir: string;
  name: string;
  state: RunStatus;
  episode: number;
  totalEpisodes: number | null;
  latestReturn: number | null;
  bestEval: number | null;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export class RunManager extends Disposable {
  private readonly live = new Map<string, LiveRun>();
  /** Histories of runs whose trainer ended in this window, kept so reopening the dashboard is instant. */
  private readonly ended = new Map<string, RunHistory>();
  /** Logs of ended runs: "Show Log" must still work after a crash. */
  private readonly endedLogs = new Map<string, RunLog>();
  private readonly evaluations = new Set<{ trainer: TrainerHandle }>();
  private readonly launch: TrainerLauncher;
  private readonly stopTimeoutMs: number;

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
    this.launch = options.launch ?? TrainerProcess.launch;
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
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

  /** Creates a run folder in `runsDir`, forks a trainer and starts it. Resolves once the process is forked. */
  async startTraining(runsDir: string, config: RunConfig, options: StartOptions = {}): Promise<LiveRunSummary> {
    const { id, dir } = await createRunDirectory(runsDir);
    const created = new Date().toISOString();
    const info: RunInfo = { id, name: id, created, updated: created, config, ...taskFieldsOf(config), engine: null, seed: config.seed, status: 'starting' };
    // The trainer rewrites run.json once its engine is ready; writing it now makes the run visible
    // at once and gives a crash during start-up a file to be recorded in.
    await writeRunInfo(dir, info);
    const history = new RunHistory(dir, info);
    const log = this.options.createLog(`DDPG Run ${id}`);
    log.info(`run ${id} in ${dir}${options.resumeFrom ? `, resuming from ${options.resumeFrom}` : ''}`);

    let run: LiveRun | undefined;
    const trainer = this.launch(
      { script: this.options.trainerScript, cwd: dir },
      {
        onEvent: (event) => run && this.route(run, event),
        onInvalidMessage: (message) => log.warn(`ignored an invalid message from the trainer: ${preview(message)}`),
        onOutput: (line) => log.append(line),
      },
    );
    run = new LiveRun(history, trainer, log);
    this.live.set(id, run);
    trainer.send({ type: 'start', runDir: dir, config, streamFrames: false, ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}) });
    this.changeEmitter.fire({ runId: id, runDir: dir, change: { status: true, episodes: false, checkpoints: false }, liveness: true });
    const started = run;
    void trainer.exited.then((exit) => this.onExit(started, exit));
    return summarise(history);
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

  /** Stops every trainer (final checkpoints included), killing those that do not stop in time. */
  async stopAll(timeoutMs = this.stopTimeoutMs): Promise<void> {
    const runs = [...this.live.values()];
    await Promise.all([
      ...runs.map(async (run) => {
        if (!isTerminal(run.history.state)) run.history.setState('stopping');
        await run.trainer.stop(true, timeoutMs);
        await this.exitHandled(run.history.runId);
      }),
      ...[...this.evaluations].map((e) => e.trainer.kill('evaluation cancelled: the window is closing')),
    ]);
  }

  // ─── evaluation ─────────────────────────────────────────────────────────────────────────────

  /** Forks a trainer that evaluates a checkpoint deterministically; its events go to `onEvent`. */
  evaluate(manifest: CheckpointManifest, checkpointDir: string, episodes: number, onEvent: (event: TrainerToHost) => void): EvaluationSession {
    // No '/' in the name: VS Code derives the log file's name from it.
    const log = this.options.createLog(`DDPG Evaluation ${manifest.runId} ${manifest.name}`);
    log.info(`evaluating ${checkpointDir} over ${episodes} episodes`);
    let outcome: EvaluationResult | undefined;
    let reportedError: string | undefined;
    const trainer = this.launch(
      { script: this.options.trainerScript, cwd: path.dirname(checkpointDir) },
      {
        onEvent: (event) => {
          if (event.type === 'evaluation') outcome = { returns: event.returns, mean: event.mean, std: event.std };
          if (event.type === 'error') reportedError = event.message;
          if (event.type === 'log') log[event.level](event.message);
          onEvent(event);
        },
        onInvalidMessage: (message) => log.warn(`ignored an invalid message from the trainer: ${preview(message)}`),
        onOutput: (line) => log.append(line),
      },
    );
    const entry = { trainer };
    this.evaluations.add(entry);
    trainer.send({ type: 'evaluate', checkpointDir, episodes, streamFrames: true });
    const result = trainer.exited.then((exit) => {
      this.evaluations.delete(entry);
      const verdict = classifyExit(exit);
      if (outcome && !verdict.crashed) return outcome;
      const reason = reportedError ?? (verdict.crashed ? verdict.reason : 'the trainer exited without an evaluation result');
      log.error(`evaluation failed: ${reason}`);
      for (const line of trainer.stderrTail()) log.error(line);
      throw new Error(reason);
    });
    return {
      runId: manifest.runId,
      checkpointDir,
      result,
      cancel: async () => {
        await trainer.kill('evaluation cancelled');
      },
    };
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
      const status = exit.exitingStatus!;
      run.log.info(`trainer exited cleanly: ${status}`);
      run.history.setState(status);
      // A trainer stopped before its engine was ready never rewrote the host's 'starting' run.json.
      await this.ensureFinalStatus(run, status);
      return;
    }
    const reason = run.lastError ? `${run.lastError} (${verdict.reason})` : verdict.reason;
    run.log.error(`run crashed: ${reason}`);
    const tail = run.trainer.stderrTail();
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
    // Last resort: stopAll() should have run already (deactivate); whatever is left is killed.
    for (const run of this.live.values()) void run.trainer.kill('the extension was disposed');
    for (const evaluation of this.evaluations) void evaluation.trainer.kill('the extension was disposed');
    for (const log of this.endedLogs.values()) log.dispose();
    super.dispose();
  }
}

function summarise(history: RunHistory): LiveRunSummary {
  return {
    runId: history.runId,
    runDir: history.runDir,
    name: history.info.name,
    state: history.state,
    episode: history.status.episode,
    totalEpisodes: history.status.totalEpisodes,
    latestReturn: history.latestReturn,
    bestEval: history.bestEval,
  };
}

function describeEngine(engine: EngineInfo): string {
  return `${engine.engine} (${engine.backend})`;
}

function preview(message: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(message) ?? String(message);
  } catch {
    text = String(message);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
