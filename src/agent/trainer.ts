/**
 * The training loop: episodes, deterministic evaluation, checkpoints, events, and pause / resume /
 * checkpoint / stop that take effect within milliseconds even mid-episode.
 *
 * The loop is cooperative: it yields to the event loop every ~15 ms of work so that commands
 * arriving over IPC (or from a signal handler in the CLI) are seen promptly. It knows nothing of
 * VS Code: it reports through `emit` and writes the run directory.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type {
  CheckpointManifest,
  CheckpointReason,
  EngineInfo,
  EpisodeRow,
  EvalRow,
  MetricsRow,
  RunInfo,
  RunStatus,
  StatusSnapshot,
  TrainerToHost,
} from '../shared/protocol';
import { loadCheckpoint, saveCheckpoint, type LoadedCheckpoint, type TrainerSnapshot } from './checkpoint';
import { configHash, type RunConfig } from '../shared/config';
import { DdpgAgent, networkShapeFor, UpdateAccumulator } from './ddpg';
import type { Engine, ThreadUsage } from './engine/engine';
import { createEngine } from './engine/index';
import { Pendulum, PENDULUM, SOLVED_RETURN } from './env/pendulum';
import { evaluatePolicy, meanStd, yieldToEventLoop } from './evaluation';
import { CHECKPOINTS_DIR, MetricsWriter, readMetrics, writeRunInfo } from '../shared/node/runDirectory';

const YIELD_EVERY_MS = 15;
const FRAME_BATCH_MS = 100;
const STATUS_EVERY_MS = 500;
const RECENT_EPISODES = 10;

export type Emit = (event: TrainerToHost) => void;

export interface TrainerOptions {
  runDir: string;
  config: RunConfig;
  emit: Emit;
  /** Checkpoint directory to continue from. */
  resumeFrom?: string;
  streamFrames?: boolean;
  /** Stop as soon as an evaluation solves the task (benchmarks). */
  stopWhenSolved?: boolean;
  /** Injected engine (tests); otherwise created from config.engine. */
  engine?: Engine;
  name?: string;
}

export interface TrainingSummary {
  status: RunStatus;
  episodes: number;
  steps: number;
  wallTime: number;
  stepsPerSecond: number;
  stepsToSolve: number | null;
  timeToSolveSeconds: number | null;
  finalEvalMean: number | null;
  bestEval: number | null;
}

const now = () => performance.now();

export class Trainer {
  readonly config: RunConfig;
  readonly runDir: string;
  readonly engine: Engine;
  readonly agent: DdpgAgent;
  readonly env: Pendulum;
  private readonly emit: Emit;
  private readonly metrics: MetricsWriter;
  private runInfo: RunInfo;

  // Counters (all saved in checkpoints).
  private episode = 0;
  private totalSteps = 0;
  private episodeReturn = 0;
  private inEpisode = false;
  private obs: number[] = [0, 0, 0];
  private nextEvalStep = 0;
  private nextEvalEpisode = 0;
  private bestEval: number | null = null;
  private latestEval: number | null = null;
  private lastEvalStep = -1;
  private recentReturns: number[] = [];
  private solved: { step: number; wallTime: number } | null = null;
  private readonly episodeStats = new UpdateAccumulator();
  /** This run's periodic checkpoints still on disk, oldest first (keepPeriodicCheckpoints prunes it). */
  private readonly periodicCheckpoints: string[] = [];
  /** Training seconds before this process started (resumed runs). */
  private wallTimeOffset = 0;

  // Control state (not saved).
  private state: RunStatus = 'starting';
  private pauseRequested = false;
  private stopRequested: { saveCheckpoint: boolean } | null = null;
  private resumeSignalled = false;
  private checkpointRequests: number[] = [];
  private wake: (() => void) | null = null;
  private streamFrames: boolean;
  private readonly stopWhenSolved: boolean;
  private activeSince = 0;
  private activeSeconds = 0;
  private frames: number[] = [];
  private framesFirstStep = 0;
  private lastFrameFlush = 0;
  private lastStatus = 0;
  private rateWindow = { time: 0, step: 0, rate: 0 };

  private constructor(options: TrainerOptions, engine: Engine, runInfo: RunInfo) {
    this.config = options.config;
    this.runDir = options.runDir;
    this.emit = options.emit;
    this.engine = engine;
    this.streamFrames = options.streamFrames ?? false;
    this.stopWhenSolved = options.stopWhenSolved ?? false;
    this.runInfo = runInfo;
    this.metrics = new MetricsWriter(options.runDir);
    this.agent = new DdpgAgent(engine, options.config, options.config.seed);
    this.env = new Pendulum({ g: options.config.gravity, maxEpisodeSteps: options.config.maxEpisodeSteps, rng: this.agent.rng.env });
    this.nextEvalStep = options.config.evalEverySteps;
    this.nextEvalEpisode = options.config.evalEveryEpisodes;
  }

  /** Builds the engine, writes run.json, restores a checkpoint if asked, and announces the run. */
  static async create(options: TrainerOptions): Promise<Trainer> {
    const config = options.config;
    let resume: LoadedCheckpoint | undefined;
    if (options.resumeFrom) {
      resume = await loadCheckpoint(options.resumeFrom);
      assertSameNetworks(config, resume.manifest.config, options.resumeFrom);
    }
    const shape = networkShapeFor(config, { obsDim: PENDULUM.obsDim, actDim: PENDULUM.actDim, maxTorque: PENDULUM.maxTorque });
    const engine =
      options.engine ??
      (await createEngine(config.engine, { shape, hyper: config, batchSize: config.batchSize }, (message) =>
        options.emit({ type: 'log', level: 'warn', message }),
      ));
    const created = new Date().toISOString();
    const runInfo: RunInfo = {
      id: path.basename(options.runDir),
      name: options.name ?? path.basename(options.runDir),
      created,
      updated: created,
      config,
      engine: engine.info,
      seed: config.seed,
      status: 'starting',
      ...(resume
        ? {
            resumedFrom: {
              runId: resume.manifest.runId,
              checkpoint: options.resumeFrom!,
              episode: resume.manifest.episode,
              step: resume.manifest.step,
            },
          }
        : {}),
    };
    const trainer = new Trainer(options, engine, runInfo);
    if (resume) await trainer.restore(resume, options.resumeFrom!);
    else trainer.agent.initialiseNetworks(config.seed);
    await writeRunInfo(options.runDir, runInfo);
    options.emit({ type: 'started', engine: engine.info, run: runInfo });
    return trainer;
  }

  // ─── commands (take effect at the next step boundary) ────────────────────────────────────────

  pause(): void {
    if (this.state === 'running') this.pauseRequested = true;
    this.notify();
  }
  resume(): void {
    this.pauseRequested = false;
    this.resumeSignalled = true;
    this.notify();
  }
  requestCheckpoint(requestId: number): void {
    this.checkpointRequests.push(requestId);
    this.notify();
  }
  stop(saveCheckpoint: boolean): void {
    this.stopRequested = { saveCheckpoint };
    this.notify();
  }
  setFrameStreaming(enabled: boolean): void {
    this.streamFrames = enabled;
    if (!enabled) this.frames = [];
  }
  get status(): RunStatus {
    return this.state;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  // ─── the loop ────────────────────────────────────────────────────────────────────────────────

  async run(): Promise<TrainingSummary> {
    await this.setState('running');
    let lastYield = now();
    try {
      while (!this.limitReached() && !this.stopRequested && !(this.stopWhenSolved && this.solved)) {
        this.step();
        if (!this.inEpisode) {
          await this.finishEpisode();
          lastYield = now(); // its writes already let the event loop run
        }
        if (this.pauseRequested || this.checkpointRequests.length > 0 || now() - lastYield > YIELD_EVERY_MS) {
          await this.serviceControl();
          lastYield = now();
        }
      }
      const stopped = this.stopRequested !== null;
      if (!stopped) await this.finalEvaluation();
      if (!stopped || this.stopRequested!.saveCheckpoint) await this.checkpoint('final');
      this.flushFrames();
      await this.setState(stopped ? 'stopped' : 'finished');
    } catch (err) {
      await this.setState('crashed', (err as Error).message).catch(() => {});
      throw err;
    } finally {
      this.engine.dispose();
    }
    return this.summary();
  }

  summary(): TrainingSummary {
    const wallTime = this.wallTime();
    return {
      status: this.state,
      episodes: this.episode,
      steps: this.totalSteps,
      wallTime,
      stepsPerSecond: this.activeSeconds + this.currentActive() > 0 ? this.stepsThisProcess / (this.activeSeconds + this.currentActive()) : 0,
      stepsToSolve: this.solved?.step ?? null,
      timeToSolveSeconds: this.solved?.wallTime ?? null,
      finalEvalMean: this.latestEval,
      bestEval: this.bestEval,
    };
  }

  private stepsAtProcessStart = 0;
  private get stepsThisProcess(): number {
    return this.totalSteps - this.stepsAtProcessStart;
  }

  private limitReached(): boolean {
    const c = this.config;
    if (this.inEpisode) return c.totalSteps > 0 && this.totalSteps >= c.totalSteps;
    return (c.episodes > 0 && this.episode >= c.episodes) || (c.totalSteps > 0 && this.totalSteps >= c.totalSteps);
  }

  /** One environment step, with the updates due after it. */
  private step(): void {
    if (!this.inEpisode) {
      this.obs = this.env.reset();
      this.agent.noise.reset();
      this.episodeReturn = 0;
      this.episodeStats.reset();
      this.inEpisode = true;
      this.framesFirstStep = 0;
    }
    const action = this.agent.trainingAction(this.obs, this.totalSteps);
    const result = this.env.step(action[0]);
    this.totalSteps++;
    this.episodeReturn += result.reward;
    if (this.streamFrames) this.frames.push(this.env.state[0], this.env.lastTorque);
    // Bootstrap through truncation: only true termination cuts the TD target.
    this.agent.observe(this.obs, action, result.reward, result.observation, result.terminated, this.totalSteps, this.episodeStats);
    this.obs = result.observation;
    if (result.terminated || result.truncated) this.inEpisode = false;
  }

  private async finishEpisode(): Promise<void> {
    // When episodes end faster than frame batches are due, their frames are dropped: the
    // dashboard plays 20 steps/s and would skip them anyway, and the IPC channel stays light.
    this.flushFramesIfDue();
    this.frames = [];
    this.episode++;
    const losses = this.episodeStats.means();
    const row: EpisodeRow = {
      type: 'episode',
      episode: this.episode,
      step: this.totalSteps,
      return: this.episodeReturn,
      length: this.env.elapsedSteps,
      criticLoss: losses.criticLoss,
      actorLoss: losses.actorLoss,
      meanQ: losses.meanQ,
      wallTime: this.wallTime(),
    };
    this.recentReturns.push(row.return);
    if (this.recentReturns.length > RECENT_EPISODES) this.recentReturns.shift();
    if (!Number.isFinite(row.return) || (losses.criticLoss !== null && !Number.isFinite(losses.criticLoss))) {
      this.emit({ type: 'log', level: 'warn', message: `episode ${row.episode}: non-finite return or loss (${row.return}, ${losses.criticLoss}); training has diverged` });
    }
    this.emit({ type: 'episode', row });
    const rows: MetricsRow[] = [row];
    const c = this.config;
    let evalDue = false;
    if (c.evalEverySteps > 0 && this.totalSteps >= this.nextEvalStep) {
      evalDue = true;
      while (this.nextEvalStep <= this.totalSteps) this.nextEvalStep += c.evalEverySteps;
    }
    if (c.evalEveryEpisodes > 0 && this.episode >= this.nextEvalEpisode) {
      evalDue = true;
      while (this.nextEvalEpisode <= this.episode) this.nextEvalEpisode += c.evalEveryEpisodes;
    }
    let improved = false;
    if (evalDue) {
      const evalRow = await this.runEvaluation();
      rows.push(evalRow);
      improved = evalRow.mean === this.bestEval;
    }
    await this.metrics.append(rows);
    if (improved && c.saveBestCheckpoint) await this.checkpoint('best');
    if (c.checkpointEveryEpisodes > 0 && this.episode % c.checkpointEveryEpisodes === 0) await this.checkpoint('periodic');
    this.maybeStatus(false);
  }

  private async runEvaluation(): Promise<EvalRow> {
    const returns = await evaluatePolicy((obs) => this.agent.greedyAction(obs), this.config, this.config.evalEpisodes);
    const { mean, std } = meanStd(returns);
    const row: EvalRow = { type: 'eval', episode: this.episode, step: this.totalSteps, mean, std, returns, wallTime: this.wallTime() };
    this.latestEval = mean;
    this.lastEvalStep = this.totalSteps;
    if (this.bestEval === null || mean > this.bestEval) this.bestEval = mean;
    if (this.solved === null && mean >= SOLVED_RETURN) this.solved = { step: this.totalSteps, wallTime: row.wallTime };
    this.emit({ type: 'eval', row });
    return row;
  }

  /** The run ends with an evaluation of the final policy unless one just ran. */
  private async finalEvaluation(): Promise<void> {
    if (this.lastEvalStep === this.totalSteps || this.totalSteps === 0) return;
    const row = await this.runEvaluation();
    await this.metrics.append([row]);
    if (row.mean === this.bestEval && this.config.saveBestCheckpoint) await this.checkpoint('best');
  }

  /** Pause, manual checkpoints, frames and status: everything that happens between steps. */
  private async serviceControl(): Promise<void> {
    this.flushFramesIfDue();
    this.maybeStatus(false);
    await this.saveRequestedCheckpoints();
    if (this.pauseRequested && !this.stopRequested) {
      this.pauseRequested = false;
      this.flushFrames();
      this.resumeSignalled = false;
      await this.setState('paused');
      while (!this.stopRequested && !this.resumeSignalled) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        // A checkpoint request wakes the loop too; it is saved while staying paused.
        await this.saveRequestedCheckpoints();
      }
      this.resumeSignalled = false;
      if (!this.stopRequested) await this.setState('running');
    }
    await yieldToEventLoop();
  }

  private async saveRequestedCheckpoints(): Promise<void> {
    while (this.checkpointRequests.length > 0) {
      const requestId = this.checkpointRequests.shift()!;
      await this.checkpoint('manual', requestId);
    }
  }

  // ─── checkpoints ─────────────────────────────────────────────────────────────────────────────

  private checkpointName(reason: CheckpointReason): string {
    if (reason === 'best') return 'best';
    const tag = `ep${String(this.episode).padStart(4, '0')}-step${this.totalSteps}`;
    return reason === 'periodic' ? tag : `${reason}-${tag}`;
  }

  async checkpoint(reason: CheckpointReason, requestId?: number): Promise<string> {
    const manifest: CheckpointManifest = {
      formatVersion: 1,
      name: this.checkpointName(reason),
      runId: this.runInfo.id,
      episode: this.episode,
      step: this.totalSteps,
      recentReturn: this.recentReturns.length > 0 ? this.recentReturns.reduce((a, b) => a + b, 0) / this.recentReturns.length : null,
      bestEval: this.bestEval,
      reason,
      created: new Date().toISOString(),
      configHash: configHash(this.config),
      config: this.config,
      engine: this.engine.info,
      hasReplayBuffer: this.config.saveReplayBuffer,
    };
    const dir = await saveCheckpoint(path.join(this.runDir, CHECKPOINTS_DIR), {
      manifest,
      parameters: this.engine.getParameters(),
      optimizer: this.engine.getOptimizerState(),
      trainer: this.snapshot(),
      buffer: this.config.saveReplayBuffer ? this.agent.buffer.snapshot() : undefined,
    });
    this.emit({ type: 'checkpoint', dir, manifest, ...(requestId !== undefined ? { requestId } : {}) });
    if (reason === 'periodic') await this.prunePeriodicCheckpoints(dir);
    return dir;
  }

  /**
   * Keeps the newest keepPeriodicCheckpoints periodic checkpoints of this run: a fast run that
   * checkpoints every few episodes would otherwise fill the disk (1.2 GB in 3 minutes at a tiny
   * network). A folder that cannot be removed is reported and left; training goes on.
   */
  private async prunePeriodicCheckpoints(newest: string): Promise<void> {
    this.periodicCheckpoints.push(newest);
    const keep = this.config.keepPeriodicCheckpoints;
    while (keep > 0 && this.periodicCheckpoints.length > keep) {
      const oldest = this.periodicCheckpoints.shift()!;
      try {
        await fs.rm(oldest, { recursive: true, force: true });
      } catch (err) {
        this.emit({ type: 'log', level: 'warn', message: `could not delete old periodic checkpoint ${oldest}: ${(err as Error).message}` });
      }
    }
  }

  /** Everything besides networks, optimizer and buffer that a resumed run needs to continue exactly. */
  snapshot(): TrainerSnapshot {
    const r = this.agent.rng;
    return {
      episode: this.episode,
      totalSteps: this.totalSteps,
      episodeReturn: this.episodeReturn,
      inEpisode: this.inEpisode,
      obs: [...this.obs],
      envState: [...this.env.state] as [number, number],
      envElapsedSteps: this.env.elapsedSteps,
      nextEvalStep: this.nextEvalStep,
      nextEvalEpisode: this.nextEvalEpisode,
      bestEval: this.bestEval,
      latestEval: this.latestEval,
      lastEvalStep: this.lastEvalStep,
      recentReturns: [...this.recentReturns],
      solved: this.solved,
      episodeStats: this.episodeStats.getState(),
      wallTime: this.wallTime(),
      random: { env: r.env.getState(), noise: r.noise.getState(), sample: r.sample.getState(), warmup: r.warmup.getState() },
      noise: this.agent.noise.getState(),
    };
  }

  private async restore(loaded: LoadedCheckpoint, checkpointDir: string): Promise<void> {
    this.engine.setParameters(loaded.parameters);
    this.engine.setOptimizerState(loaded.optimizer);
    const s = loaded.trainer;
    this.episode = s.episode;
    this.totalSteps = s.totalSteps;
    this.stepsAtProcessStart = s.totalSteps;
    this.episodeReturn = s.episodeReturn;
    this.inEpisode = s.inEpisode;
    this.obs = [...s.obs];
    this.env.state = [...s.envState];
    this.env.elapsedSteps = s.envElapsedSteps;
    // Schedules continue from the checkpoint unless the new config changed the period.
    this.nextEvalStep = this.config.evalEverySteps === loaded.manifest.config.evalEverySteps ? s.nextEvalStep : this.totalSteps + this.config.evalEverySteps;
    this.nextEvalEpisode = this.config.evalEveryEpisodes === loaded.manifest.config.evalEveryEpisodes ? s.nextEvalEpisode : this.episode + this.config.evalEveryEpisodes;
    this.bestEval = s.bestEval;
    this.latestEval = s.latestEval;
    this.lastEvalStep = s.lastEvalStep;
    this.recentReturns = [...s.recentReturns];
    this.solved = s.solved;
    this.episodeStats.setState(s.episodeStats);
    this.wallTimeOffset = s.wallTime;
    const r = this.agent.rng;
    r.env.setState(s.random.env);
    r.noise.setState(s.random.noise);
    r.sample.setState(s.random.sample);
    r.warmup.setState(s.random.warmup);
    this.agent.noise.setState(s.noise);
    if (loaded.buffer) this.agent.buffer.restore(loaded.buffer);
    else this.emit({ type: 'log', level: 'warn', message: `checkpoint ${checkpointDir} has no replay buffer: training continues with an empty buffer` });
    await this.copyHistoryFrom(path.dirname(path.dirname(checkpointDir)), s.totalSteps);
  }

  /** A resumed run starts with the source run's curve up to the checkpoint, so its charts are whole. */
  private async copyHistoryFrom(sourceRunDir: string, step: number): Promise<void> {
    if (path.resolve(sourceRunDir) === path.resolve(this.runDir)) {
      await this.metrics.truncateAfter(step);
      return;
    }
    const history = await readMetrics(sourceRunDir).catch(() => null);
    if (!history) return;
    const rows: MetricsRow[] = [...history.episodes, ...history.evals]
      .filter((r) => r.step <= step)
      .sort((a, b) => a.step - b.step || (a.type === 'episode' ? -1 : 1));
    await this.metrics.append(rows);
  }

  // ─── events ──────────────────────────────────────────────────────────────────────────────────

  private flushFramesIfDue(): void {
    if (now() - this.lastFrameFlush >= FRAME_BATCH_MS) this.flushFrames();
  }

  private flushFrames(): void {
    this.lastFrameFlush = now();
    if (this.frames.length === 0) return;
    this.emit({ type: 'frames', frames: { episode: this.episode + 1, firstStep: this.framesFirstStep, phase: 'train', stride: 2, data: this.frames } });
    this.framesFirstStep += this.frames.length / 2;
    this.frames = [];
  }

  private maybeStatus(force: boolean): void {
    const t = now();
    if (!force && t - this.lastStatus < STATUS_EVERY_MS) return;
    this.lastStatus = t;
    this.emit({ type: 'status', status: this.statusSnapshot() });
  }

  statusSnapshot(): StatusSnapshot {
    const t = now();
    const w = this.rateWindow;
    if (this.state === 'running' && t - w.time >= 250) {
      const instant = ((this.totalSteps - w.step) * 1000) / (t - w.time);
      w.rate = w.rate === 0 ? instant : 0.5 * w.rate + 0.5 * instant;
      w.time = t;
      w.step = this.totalSteps;
    }
    return {
      state: this.state,
      episode: this.episode,
      totalEpisodes: this.config.episodes > 0 ? this.config.episodes : null,
      step: this.totalSteps,
      totalSteps: this.config.totalSteps > 0 ? this.config.totalSteps : null,
      stepsPerSecond: this.state === 'running' ? w.rate : 0,
      elapsedSeconds: this.wallTime(),
      latestEval: this.latestEval,
      bestEval: this.bestEval,
    };
  }

  private currentActive(): number {
    return this.state === 'running' ? (now() - this.activeSince) / 1000 : 0;
  }

  /** Seconds spent training (pauses excluded), including earlier processes of a resumed run. */
  private wallTime(): number {
    return this.wallTimeOffset + this.activeSeconds + this.currentActive();
  }

  private async setState(state: RunStatus, error?: string): Promise<void> {
    if (this.state === 'running') this.activeSeconds += (now() - this.activeSince) / 1000;
    if (state === 'running') {
      this.activeSince = now();
      // A new measuring window; the rate measured before a pause stands until it has data.
      this.rateWindow = { time: now(), step: this.totalSteps, rate: this.rateWindow.rate };
    }
    this.state = state;
    this.runInfo = { ...this.runInfo, status: state, updated: new Date().toISOString(), ...(error ? { error } : {}) };
    await writeRunInfo(this.runDir, this.runInfo);
    this.maybeStatus(true);
  }

  get engineInfo(): EngineInfo {
    return this.engine.info;
  }

  /** How the engine spread updates over threads (null for an engine with one thread only). */
  get engineThreadUsage(): ThreadUsage | null {
    return this.engine.threadUsage?.() ?? null;
  }
}

function assertSameNetworks(config: RunConfig, saved: RunConfig, checkpointDir: string): void {
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (!same(config.actorHidden, saved.actorHidden) || !same(config.criticHidden, saved.criticHidden)) {
    throw new Error(
      `checkpoint ${checkpointDir} has networks actor [${saved.actorHidden}] / critic [${saved.criticHidden}], ` +
        `but the configuration asks for actor [${config.actorHidden}] / critic [${config.criticHidden}]`,
    );
  }
  if (config.bufferSize !== saved.bufferSize && !Number.isNaN(saved.bufferSize)) {
    throw new Error(`checkpoint ${checkpointDir} has bufferSize ${saved.bufferSize}, but the configuration asks for ${config.bufferSize}`);
  }
}
