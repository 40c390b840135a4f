/**
 * How a run gets its trainer in this window: a new run (its folder and run.json first), an
 * interrupted run continued in its own folder, or a live trainer found by its lock and attached
 * to. A training trainer starts detached, so that it outlives the window, when trainer sockets
 * are available here; otherwise it is a child of the window.
 */

import type { RunConfig } from '../shared/config';
import type { RunInfo, TrainerToHost } from '../shared/protocol';
import { taskFieldsOf } from '../shared/runFormat';
import { createRunDirectory, listCheckpoints, readRunInfo, writeRunInfo } from '../shared/node/runDirectory';
import type { TrainerLock } from '../shared/node/trainerLock';
import { canServeTrainerSockets } from '../shared/node/trainerSocket';
import { LiveRun, summarise, type LiveRunSummary, type RunLog } from './liveRun';
import { RunHistory } from './runHistory';
import type { RunRegistry } from './runRegistry';
import { SocketTrainer } from './socketTrainer';
import { previewMessage, TrainerProcess, type TrainerHandle, type TrainerLauncher, type TrainerListeners } from './trainerProcess';

export type TrainerAttacher = (runDir: string, lock: TrainerLock, listeners: TrainerListeners) => TrainerHandle;

/** A training trainer starts detached when it can; evaluations (and training without sockets) are children. */
export const defaultLauncher: TrainerLauncher = (launch, listeners) =>
  launch.detached && launch.runDir !== undefined ? SocketTrainer.launchDetached({ ...launch, runDir: launch.runDir }, listeners) : TrainerProcess.launch(launch, listeners);

const defaultAttacher: TrainerAttacher = (runDir, lock, listeners) => SocketTrainer.attach(runDir, lock, listeners);

export interface TrainerStartOptions {
  /** Absolute path of dist/trainer.js. */
  trainerScript: string;
  launch?: TrainerLauncher;
  attach?: TrainerAttacher;
  canDetach?: () => Promise<boolean>;
}

export interface StartOptions {
  /** Checkpoint directory to continue from: the new run resumes its counters, networks and buffer. */
  resumeFrom?: string;
}

export class TrainerStarts {
  private readonly launch: TrainerLauncher;
  private readonly attachTrainer: TrainerAttacher;
  private detachable: Promise<boolean> | undefined;
  /** Runs being attached: their history is loading. */
  private readonly attaching = new Set<string>();

  constructor(
    private readonly runs: RunRegistry,
    private readonly options: TrainerStartOptions,
  ) {
    this.launch = options.launch ?? defaultLauncher;
    this.attachTrainer = options.attach ?? defaultAttacher;
  }

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
    if (this.runs.isLive(info.id)) throw new Error(`run ${info.id} is already training`);
    const latest = (await listCheckpoints(runDir)).filter((c) => c.manifest).at(-1);
    if (!latest) throw new Error(`run ${info.id} has no checkpoint to resume from`);
    const history = await RunHistory.load(runDir);
    history.setState('starting');
    return this.launchRun(history, info.config, latest.dir);
  }

  private async launchRun(history: RunHistory, config: RunConfig, resumeFrom: string | undefined): Promise<LiveRunSummary> {
    const { runId: id, runDir: dir } = history;
    const log = this.runs.logFor(id);
    log.info(`run ${id} in ${dir}${resumeFrom ? `, resuming from ${resumeFrom}` : ''}`);
    const detached = await this.trainersCanDetach();
    if (!detached) log.warn('trainer sockets are not available here: the run trains as a child of this window and stops (interrupted) when the window closes');
    let run: LiveRun | undefined;
    const trainer = this.launch({ script: this.options.trainerScript, cwd: dir, runDir: dir, detached }, this.listenersFor(() => run, log));
    run = new LiveRun(history, trainer, log);
    this.runs.add(run);
    trainer.send({ type: 'start', runDir: dir, config, streamFrames: false, ...(resumeFrom ? { resumeFrom } : {}) });
    this.runs.announce(run, { status: true, episodes: false, checkpoints: false });
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
    if (this.runs.isLive(id) || this.attaching.has(id)) return undefined;
    this.attaching.add(id);
    try {
      const log = this.runs.logFor(id);
      let run: LiveRun | undefined;
      const early: TrainerToHost[] = [];
      const listeners = this.listenersFor(() => run, log, early);
      const trainer = this.attachTrainer(runDir, lock, listeners);
      let history: RunHistory;
      try {
        history = await RunHistory.load(runDir);
      } catch (err) {
        await trainer.detach?.();
        this.runs.keepLog(id, log);
        throw err;
      }
      const origin = lock.origin === 'cli' ? 'started from a terminal, ' : '';
      log.info(`attached to the trainer of ${id} (${origin}pid ${lock.pid}, since ${lock.startedAt}) in ${runDir}`);
      run = new LiveRun(history, trainer, log);
      this.runs.add(run);
      for (const event of early.splice(0)) this.runs.deliver(run, event);
      this.runs.announce(run, { status: true, episodes: true, checkpoints: true });
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
        if (run) this.runs.deliver(run, event);
        else early?.push(event);
      },
      onInvalidMessage: (message) => log.warn(`ignored an invalid message from the trainer: ${previewMessage(message)}`),
      onOutput: (line) => log.append(line),
    };
  }

  private trainersCanDetach(): Promise<boolean> {
    this.detachable ??= this.options.canDetach ? this.options.canDetach() : canServeTrainerSockets().then((r) => r.ok);
    return this.detachable;
  }
}
