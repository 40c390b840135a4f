/**
 * The training loop: episodes, deterministic evaluation, checkpoints, events, and pause / resume /
 * checkpoint / stop that take effect within milliseconds even mid-episode.
 *
 * The loop is cooperative: it yields to the event loop every ~15 ms of work so that commands
 * arriving over IPC (or from a signal handler in the CLI) are seen promptly. It knows nothing of
 * VS Code: it reports through `emit` and writes the run directory. Its parts, each in its own file:
 * the evaluation schedule, the checkpoint policy, the resume state and the frame recorder.
 */

import * as path from 'node:path';
import { configHash, validateConfig, type RunConfig } from '../../shared/config';
import { ENVIRONMENTS } from '../../shared/environments';
import { sweepRunLeftovers } from '../../shared/node/leftovers';
import { CHECKPOINTS_DIR, MetricsWriter, readMetrics, writeRunInfo, writeScene } from '../../shared/node/runDirectory';
import type { CheckpointEvaluation, CheckpointManifest, CheckpointReason, EngineInfo, EpisodeRow, EvalRow, MetricsRow, RunInfo, RunStatus, StatusSnapshot, TrainerToHost } from '../../shared/protocol';
import { checkResumeCompatibility } from '../../shared/resumeCompatibility';
import { matchingPreset } from '../../shared/presets';
import { taskFieldsOf } from '../../shared/runFormat';
import { algorithmSpec, createAgent, type Agent } from '../algorithms/index';
import { UpdateAccumulator } from '../algorithms/updateStatistics';
import { loadCheckpoint, saveCheckpoint, shapeForConfig, type LoadedCheckpoint, type TrainerSnapshot } from '../checkpoint';
import type { Engine, ThreadUsage } from '../engine/engine';
import { createEngine } from '../engine/index';
import type { Environment } from '../env/environment';
import { prepareEnvironment } from '../env/index';
import { environmentFor } from '../environmentFor';
import { sceneEventOf } from '../sceneEvent';
import { evaluatePolicy, meanStd, yieldToEventLoop } from '../evaluation';
import { checkpointName, PeriodicCheckpoints } from './checkpointPolicy';
import { EvaluationSchedule } from './evaluationSchedule';
import { FrameRecorder } from './frameRecorder';
import { freshProgress, restoreSnapshot, takeSnapshot, type ResumableParts, type TrainingProgress } from './resumeState';

const YIELD_EVERY_MS = 15;
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
  /** The preset the configuration started from (recorded in run.json). */
  preset?: string;
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

/** run.json's preset field: the preset named, or the one the settings equal (a run started from the settings UI). */
const presetField = (preset: string | undefined) => (preset ? { preset } : {});

export class Trainer {
  readonly config: RunConfig;
  readonly runDir: string;
  readonly engine: Engine;
  readonly agent: Agent;
  readonly env: Environment;
  private readonly emit: Emit;
  private readonly metrics: MetricsWriter;
  private runInfo: RunInfo;

  private readonly progress: TrainingProgress;
  private readonly schedule: EvaluationSchedule;
  private readonly episodeStats: UpdateAccumulator;
  private readonly periodic: PeriodicCheckpoints;
  private readonly frames: FrameRecorder;
  private readonly solvedThreshold: number;
  /** What checkpoints are judged by. Not in the resume state: a resumed run reads them back from the history it copies. */
  private latestEvaluation: CheckpointEvaluation | null = null;
  private bestEvaluation: CheckpointEvaluation | null = null;
  /** Training seconds before this process started (resumed runs). */
  private wallTimeOffset = 0;
  private stepsAtProcessStart = 0;

  // Control state (not saved).
  private state: RunStatus = 'starting';
  private pauseRequested = false;
  private stopRequested: { saveCheckpoint: boolean } | null = null;
  private resumeSignalled = false;
  private checkpointRequests: number[] = [];
  private wake: (() => void) | null = null;
  private readonly stopWhenSolved: boolean;
  private activeSince = 0;
  private activeSeconds = 0;
  private lastStatus = 0;
  private rateWindow = { time: 0, step: 0, rate: 0 };

  private constructor(options: TrainerOptions, engine: Engine, runInfo: RunInfo) {
    this.config = options.config;
    this.runDir = options.runDir;
    this.emit = options.emit;
    this.engine = engine;
    this.stopWhenSolved = options.stopWhenSolved ?? false;
    this.runInfo = runInfo;
    this.metrics = new MetricsWriter(options.runDir);
    this.agent = createAgent(engine, options.config);
    this.env = environmentFor(options.config, this.agent.rng.env);
    this.progress = freshProgress(this.env.spec.observationSize);
    this.schedule = new EvaluationSchedule(options.config);
    this.episodeStats = new UpdateAccumulator(algorithmSpec(options.config.algorithm).statistics);
    this.periodic = new PeriodicCheckpoints(
      options.config.keepPeriodicCheckpoints,
      (message) => this.emit({ type: 'log', level: 'warn', message }),
      (dir) => this.emit({ type: 'checkpointDeleted', name: path.basename(dir), dir }),
    );
    this.frames = new FrameRecorder({
      stride: this.env.spec.frameLabels.length,
      stepSeconds: this.env.spec.dt,
      send: (frames) => this.emit({ type: 'frames', frames }),
      enabled: options.streamFrames ?? false,
    });
    this.solvedThreshold = ENVIRONMENTS[options.config.environment].solved.threshold;
  }

  /** Checks a resume, builds the engine, writes run.json, restores a checkpoint if asked, and announces the run. */
  static async create(options: TrainerOptions): Promise<Trainer> {
    const config = options.config;
    let resume: LoadedCheckpoint | undefined;
    if (options.resumeFrom) {
      resume = await loadCheckpoint(options.resumeFrom);
      const verdict = checkResumeCompatibility(resume.manifest, config);
      if (!verdict.ok) throw new Error(`cannot resume from ${options.resumeFrom}: ${verdict.reasons.join('; ')}`);
    }
    const shape = shapeForConfig(config);
    const engine =
      options.engine ??
      (await createEngine(config.engine, { algorithm: config.algorithm, shape, hyper: config, batchSize: config.batchSize }, (message) =>
        options.emit({ type: 'log', level: 'warn', message }),
      ));
    const created = new Date().toISOString();
    // Kept in run.json: a tau above 0.5 trained on purpose is still worth a word next to its results.
    const warnings = validateConfig(config).warnings.map((w) => w.message);
    const runInfo: RunInfo = {
      id: path.basename(options.runDir),
      name: options.name ?? path.basename(options.runDir),
      created,
      updated: created,
      config,
      ...taskFieldsOf(config),
      ...presetField(options.preset ?? matchingPreset(config)?.id),
      engine: engine.info,
      seed: config.seed,
      status: 'starting',
      ...(warnings.length > 0 ? { warnings } : {}),
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
    await prepareEnvironment(config.environment);
    const trainer = new Trainer(options, engine, runInfo);
    // A killed writer's leftovers go when a run starts: in its own folder and in the folder it resumes from.
    await sweepRunLeftovers(options.runDir);
    if (options.resumeFrom) await sweepRunLeftovers(path.dirname(path.dirname(options.resumeFrom)));
    if (resume) await trainer.restore(resume, options.resumeFrom!);
    else trainer.agent.initialiseNetworks(config.seed);
    const scene = sceneEventOf(trainer.env);
    // Kept in the folder for dashboards opened once the run has ended (the event reaches only those open now).
    const sceneNotSaved = scene ? await writeScene(options.runDir, scene.scene).then(() => undefined, (err: Error) => err.message) : undefined;
    await writeRunInfo(options.runDir, runInfo);
    // Nothing may be awaited from `started` on: a host answers it at once (frames wanted, pause), and
    // the process hands commands to this trainer only once create() has returned it.
    options.emit({ type: 'started', engine: engine.info, run: runInfo });
    if (scene) options.emit(scene);
    if (sceneNotSaved) options.emit({ type: 'log', level: 'warn', message: `${sceneNotSaved}: a dashboard opened after this run ends cannot draw its model` });
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
    this.frames.setEnabled(enabled);
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
      while (!this.limitReached() && !this.stopRequested && !(this.stopWhenSolved && this.progress.solved)) {
        this.step();
        if (!this.progress.inEpisode) {
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
      this.frames.flush();
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
    const active = this.activeSeconds + this.currentActive();
    return {
      status: this.state,
      episodes: this.progress.episode,
      steps: this.progress.totalSteps,
      wallTime,
      stepsPerSecond: active > 0 ? (this.progress.totalSteps - this.stepsAtProcessStart) / active : 0,
      stepsToSolve: this.progress.solved?.step ?? null,
      timeToSolveSeconds: this.progress.solved?.wallTime ?? null,
      finalEvalMean: this.progress.latestEval,
      bestEval: this.progress.bestEval,
    };
  }

  private limitReached(): boolean {
    const c = this.config;
    const p = this.progress;
    if (p.inEpisode) return c.totalSteps > 0 && p.totalSteps >= c.totalSteps;
    return (c.episodes > 0 && p.episode >= c.episodes) || (c.totalSteps > 0 && p.totalSteps >= c.totalSteps);
  }

  /** One environment step, with the updates due after it. */
  private step(): void {
    const p = this.progress;
    if (!p.inEpisode) {
      p.obs = this.env.reset();
      this.agent.noise.reset();
      p.episodeReturn = 0;
      this.episodeStats.reset();
      p.inEpisode = true;
      this.frames.startEpisode(p.episode + 1);
    }
    const action = this.agent.trainingAction(p.obs, p.totalSteps);
    const result = this.env.step(action);
    p.totalSteps++;
    p.episodeReturn += result.reward;
    if (this.frames.isRecording) this.frames.record(this.env.frame());
    // Bootstrap through truncation: only true termination cuts the TD target.
    this.agent.observe(p.obs, action, result.reward, result.observation, result.terminated, p.totalSteps, this.episodeStats);
    p.obs = result.observation;
    if (result.terminated || result.truncated) p.inEpisode = false;
  }

  private async finishEpisode(): Promise<void> {
    const p = this.progress;
    this.frames.endEpisode();
    p.episode++;
    const { criticLoss = null, actorLoss = null, meanQ = null, ...algorithmStatistics } = this.episodeStats.means();
    const losses = { criticLoss, actorLoss, meanQ };
    const row: EpisodeRow = {
      type: 'episode',
      episode: p.episode,
      step: p.totalSteps,
      return: p.episodeReturn,
      length: this.env.state.elapsedSteps,
      criticLoss,
      actorLoss,
      meanQ,
      wallTime: this.wallTime(),
      // The algorithm's own statistics (TD3's q1 and q2, SAC's alpha and entropy) as further fields.
      ...algorithmStatistics,
    };
    p.recentReturns.push(row.return);
    if (p.recentReturns.length > RECENT_EPISODES) p.recentReturns.shift();
    if (!Number.isFinite(row.return) || (losses.criticLoss !== null && !Number.isFinite(losses.criticLoss))) {
      this.emit({ type: 'log', level: 'warn', message: `episode ${row.episode}: non-finite return or loss (${row.return}, ${losses.criticLoss}); training has diverged` });
    }
    this.emit({ type: 'episode', row });
    const rows: MetricsRow[] = [row];
    let improved = false;
    if (this.schedule.dueAt(p.totalSteps, p.episode)) {
      const evalRow = await this.runEvaluation();
      rows.push(evalRow);
      improved = evalRow.mean === p.bestEval;
    }
    await this.metrics.append(rows);
    const c = this.config;
    if (improved && c.saveBestCheckpoint) await this.checkpoint('best');
    if (c.checkpointEveryEpisodes > 0 && p.episode % c.checkpointEveryEpisodes === 0) await this.checkpoint('periodic');
    this.maybeStatus(false);
  }

  private async runEvaluation(): Promise<EvalRow> {
    const p = this.progress;
    const returns = await evaluatePolicy((obs) => this.agent.greedyAction(obs), this.config, this.config.evalEpisodes, this.frames.evaluationSink(), p.totalSteps);
    const { mean, std } = meanStd(returns);
    const row: EvalRow = { type: 'eval', episode: p.episode, step: p.totalSteps, mean, std, returns, wallTime: this.wallTime() };
    p.latestEval = mean;
    p.lastEvalStep = p.totalSteps;
    if (p.bestEval === null || mean > p.bestEval) p.bestEval = mean;
    this.latestEvaluation = { mean, std, step: row.step, episode: row.episode };
    // The same test that saves a best checkpoint (finishEpisode): this evaluation is what makes it best.
    if (mean === p.bestEval) this.bestEvaluation = this.latestEvaluation;
    if (p.solved === null && mean >= this.solvedThreshold) p.solved = { step: p.totalSteps, wallTime: row.wallTime };
    this.emit({ type: 'eval', row });
    return row;
  }

  /** The run ends with an evaluation of the final policy unless one just ran. */
  private async finalEvaluation(): Promise<void> {
    const p = this.progress;
    if (p.lastEvalStep === p.totalSteps || p.totalSteps === 0) return;
    const row = await this.runEvaluation();
    await this.metrics.append([row]);
    if (row.mean === p.bestEval && this.config.saveBestCheckpoint) await this.checkpoint('best');
  }

  /** Pause, manual checkpoints, frames and status: everything that happens between steps. */
  private async serviceControl(): Promise<void> {
    this.frames.flushIfDue();
    this.maybeStatus(false);
    await this.saveRequestedCheckpoints();
    if (this.pauseRequested && !this.stopRequested) {
      this.pauseRequested = false;
      this.frames.flush();
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

  async checkpoint(reason: CheckpointReason, requestId?: number): Promise<string> {
    const p = this.progress;
    const algorithm = algorithmSpec(this.config.algorithm);
    const manifest: CheckpointManifest = {
      formatVersion: 2,
      ...taskFieldsOf(this.config),
      networks: [...algorithm.networks],
      name: checkpointName(reason, p.episode, p.totalSteps),
      runId: this.runInfo.id,
      episode: p.episode,
      step: p.totalSteps,
      recentReturn: p.recentReturns.length > 0 ? p.recentReturns.reduce((a, b) => a + b, 0) / p.recentReturns.length : null,
      bestEval: p.bestEval,
      evaluation: (reason === 'best' ? this.bestEvaluation : this.latestEvaluation) ?? null,
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
    if (reason === 'periodic') await this.periodic.added(dir);
    return dir;
  }

  private get parts(): ResumableParts {
    return { progress: this.progress, schedule: this.schedule, env: this.env, agent: this.agent, episodeStats: this.episodeStats };
  }

  /** Everything besides networks, optimizer and buffer that a resumed run needs to continue exactly. */
  snapshot(): TrainerSnapshot {
    return takeSnapshot(this.parts, this.wallTime());
  }

  private async restore(loaded: LoadedCheckpoint, checkpointDir: string): Promise<void> {
    const restored = restoreSnapshot(this.parts, loaded);
    this.wallTimeOffset = restored.wallTime;
    this.stepsAtProcessStart = this.progress.totalSteps;
    if (!restored.hadReplayBuffer) {
      this.emit({ type: 'log', level: 'warn', message: `checkpoint ${checkpointDir} has no replay buffer: training continues with an empty buffer` });
    }
    const evals = await this.copyHistoryFrom(path.dirname(path.dirname(checkpointDir)), this.progress.totalSteps);
    for (const row of evals) {
      this.latestEvaluation = { mean: row.mean, std: row.std, step: row.step, episode: row.episode };
      if (this.bestEvaluation === null || row.mean > this.bestEvaluation.mean) this.bestEvaluation = this.latestEvaluation;
    }
  }

  /**
   * A resumed run starts with the source run's curve up to the checkpoint, so its charts are
   * whole. Returns the evaluations it kept, in step order.
   */
  private async copyHistoryFrom(sourceRunDir: string, step: number): Promise<EvalRow[]> {
    if (path.resolve(sourceRunDir) === path.resolve(this.runDir)) {
      await this.metrics.truncateAfter(step);
      const kept = await readMetrics(this.runDir).catch(() => null);
      return (kept?.evals ?? []).filter((r) => r.step <= step);
    }
    const history = await readMetrics(sourceRunDir).catch(() => null);
    if (!history) return [];
    const rows: MetricsRow[] = [...history.episodes, ...history.evals]
      .filter((r) => r.step <= step)
      .sort((a, b) => a.step - b.step || (a.type === 'episode' ? -1 : 1));
    await this.metrics.append(rows);
    return rows.filter((r): r is EvalRow => r.type === 'eval');
  }

  // ─── events ──────────────────────────────────────────────────────────────────────────────────

  private maybeStatus(force: boolean): void {
    const t = now();
    if (!force && t - this.lastStatus < STATUS_EVERY_MS) return;
    this.lastStatus = t;
    this.emit({ type: 'status', status: this.statusSnapshot() });
  }

  statusSnapshot(): StatusSnapshot {
    const t = now();
    const w = this.rateWindow;
    const p = this.progress;
    if (this.state === 'running' && t - w.time >= 250) {
      const instant = ((p.totalSteps - w.step) * 1000) / (t - w.time);
      w.rate = w.rate === 0 ? instant : 0.5 * w.rate + 0.5 * instant;
      w.time = t;
      w.step = p.totalSteps;
    }
    return {
      state: this.state,
      episode: p.episode,
      totalEpisodes: this.config.episodes > 0 ? this.config.episodes : null,
      step: p.totalSteps,
      totalSteps: this.config.totalSteps > 0 ? this.config.totalSteps : null,
      stepsPerSecond: this.state === 'running' ? w.rate : 0,
      elapsedSeconds: this.wallTime(),
      latestEval: p.latestEval,
      bestEval: p.bestEval,
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
      this.rateWindow = { time: now(), step: this.progress.totalSteps, rate: this.rateWindow.rate };
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
