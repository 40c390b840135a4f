/**
 * A fake VS Code for the dashboard harness page: `acquireVsCodeApi` (once per page, state kept in
 * sessionStorage across reloads as VS Code keeps it across panel revivals) and a simulated
 * extension host that answers `ready` with a run snapshot and then streams a synthetic run the way
 * the real host and trainer do: faster than real time, whole training episodes at the rate the
 * page plays them (in ~100 ms batches, the last one saying the episode's length), every
 * evaluation's starts whole, episode rows, evaluations every 5 episodes, checkpoints, status,
 * answers to Pause/Resume/Save/Stop, and "Watch this policy" while inspecting.
 *
 * Query parameters: scenario (see HarnessScenario), environment (an EnvironmentId; Pendulum-v1 by
 * default), theme (dark|light|high-contrast), stream=0 (send the snapshot only), respond=0 (do not answer commands), episodes=N (episodes
 * completed in the live snapshot), rate=N (simulated training steps per 100 ms batch).
 */

import type {
  CheckpointManifest,
  DashboardMode,
  EvaluationEvent,
  FrameBatch,
  HostToWebview,
  RunSnapshot,
  RunStatus,
  TrainerToHost,
} from '../../../src/shared/protocol';
import { DEFAULT_ENVIRONMENT, ENVIRONMENTS, isEnvironmentId } from '../../../src/shared/environments';
import type { HarnessHandle, HarnessScenario } from '../harnessTypes';
import { simulateEpisode, SYNTHETIC_ENGINE, SyntheticRun, type SimulatedEpisode } from '../syntheticRun';
import { applyTheme, applyThemeFromQuery, collectCspViolations, installFakeVsCodeApi } from './fakeVsCode.mjs';

declare global {
  interface Window {
    harness?: HarnessHandle;
  }
}

const SCENARIOS: readonly HarnessScenario[] = ['live', 'starting', 'inspect', 'evaluate', 'none'];
const STATE_KEY = 'ddpg-harness-state';
const BATCH_INTERVAL_MS = 100;
/** The trainer reports status about twice a second. */
const STATUS_EVERY_BATCHES = 5;
const EVALUATION_EPISODES = 5;

const params = new URLSearchParams(location.search);
const scenario = SCENARIOS.find((s) => s === params.get('scenario')) ?? 'live';
const requestedEnvironment = params.get('environment');
const environment = isEnvironmentId(requestedEnvironment) ? requestedEnvironment : DEFAULT_ENVIRONMENT;
const streaming = params.get('stream') !== '0';
const answersCommands = params.get('respond') !== '0';
const initialEpisodes = Math.max(0, Math.min(150, Number(params.get('episodes') ?? 60) || 0));
const stepsPerBatch = Math.max(1, Number(params.get('rate') ?? 40) || 40);

applyThemeFromQuery(params);
const cspViolations = collectCspViolations();

// ─── The simulated host and trainer ───────────────────────────────────────────────────────────

class FakeHost {
  readonly posted: unknown[] = [];
  private readonly run: SyntheticRun;
  private state: RunStatus;
  private live: boolean;
  private engineKnown: boolean;
  private mode: DashboardMode;
  private framesWanted = false;
  private ready = false;
  private frozen = false;
  private timer: number | null = null;
  private episodeInProgress: SimulatedEpisode | null = null;
  private stepsSent = 0;
  private batches = 0;
  private evaluationStarted = false;
  /** The episode in progress is sent to the page (whole), as the trainer's frame recorder decides. */
  private recording = false;
  private recordingStartedAt = 0;
  private nextRecordingAt = -Infinity;
  private readonly replayedEvaluationEvents: TrainerToHost[] = [];

  constructor(private readonly scenario: HarnessScenario) {
    const finishedRun = scenario === 'inspect' || scenario === 'evaluate';
    this.run = new SyntheticRun(finishedRun ? 150 : scenario === 'starting' ? 0 : initialEpisodes, environment);
    this.state = finishedRun ? 'finished' : scenario === 'starting' ? 'starting' : 'running';
    this.live = !finishedRun;
    this.engineKnown = scenario !== 'starting';
    if (scenario === 'inspect') {
      this.mode = { kind: 'inspect', checkpoint: this.checkpoint('ep0075'), checkpointDir: this.checkpointDir('ep0075') };
    } else if (scenario === 'evaluate') {
      this.mode = { kind: 'evaluate', checkpoint: this.checkpoint('best'), checkpointDir: this.checkpointDir('best'), episodes: EVALUATION_EPISODES };
    } else {
      this.mode = { kind: 'live' };
    }
  }

  get runId(): string {
    return this.run.runInfo(this.state).id;
  }

  freeze(): void {
    this.frozen = true;
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
  }

  /** A message from the webview. VS Code delivers them asynchronously; so does the harness. */
  receive(message: unknown): void {
    this.posted.push(message);
    const { type } = message as { type?: unknown };
    window.setTimeout(() => {
      if (type === 'ready') this.onReady();
      else if (type === 'framesWanted') this.framesWanted = (message as { enabled?: unknown }).enabled === true;
      else if (type === 'command' && answersCommands) this.onCommand((message as { command?: unknown }).command);
      else if (type === 'watchCheckpoint' && answersCommands) this.watchCheckpoint();
    }, 0);
  }

  private checkpointDir(name: string): string {
    return `/runs/${this.runId}/checkpoints/${name}`;
  }

  private checkpoint(name: string): CheckpointManifest {
    const found = this.run.checkpoints.find((c) => c.name === name);
    if (!found) throw new Error(`the synthetic run has no checkpoint ${name}`);
    return found;
  }

  private send(message: HostToWebview): void {
    if (this.frozen) return;
    window.postMessage(message, '*');
  }

  private event(event: TrainerToHost): void {
    this.send({ type: 'runEvent', runId: this.runId, event });
  }

  private snapshot(): RunSnapshot {
    const cutAt = this.mode.kind === 'live' ? Infinity : this.mode.checkpoint.step;
    return {
      run: this.run.runInfo(this.state, this.engineKnown ? SYNTHETIC_ENGINE : null),
      status: this.run.status(this.state, this.stepsSent),
      episodes: this.run.episodes.filter((row) => row.step <= cutAt),
      evals: this.run.evals.filter((row) => row.step <= cutAt),
      checkpoints: [...this.run.checkpoints],
      live: this.live,
    };
  }

  /** Like the real host: every `ready` gets the whole history again. */
  private onReady(): void {
    this.send(scenario === 'none' ? { type: 'noRun' } : { type: 'showRun', snapshot: this.snapshot(), mode: this.mode });
    for (const event of this.replayedEvaluationEvents) this.event(event);
    if (this.ready || !streaming) return;
    this.ready = true;
    if (this.scenario === 'live') this.startTraining();
    if (this.scenario === 'starting') window.setTimeout(() => this.announceStart(), 1500);
    if (this.scenario === 'evaluate') this.runEvaluation();
  }

  private announceStart(): void {
    this.engineKnown = true;
    this.state = 'running';
    this.event({ type: 'started', engine: SYNTHETIC_ENGINE, run: this.run.runInfo('running') });
    this.event({ type: 'status', status: this.run.status('running') });
    this.startTraining();
  }

  private startTraining(): void {
    if (this.timer === null && !this.frozen) this.timer = window.setInterval(() => this.trainBatch(), BATCH_INTERVAL_MS);
  }

  private trainBatch(): void {
    if (this.state !== 'running') return;
    if (!this.episodeInProgress) {
      this.episodeInProgress = this.run.simulateNextEpisode();
      // Like the trainer: an episode is recorded whole once the one sent before has played at real time.
      this.recording = this.framesWanted && performance.now() >= this.nextRecordingAt;
      if (this.recording) this.recordingStartedAt = performance.now();
    }
    const { length: steps, stride, frames } = this.episodeInProgress;
    const count = Math.min(stepsPerBatch, steps - this.stepsSent);
    if (this.recording && this.framesWanted) {
      const data = frames.slice(stride * this.stepsSent, stride * (this.stepsSent + count));
      const last = this.stepsSent + count >= steps;
      this.event({ type: 'frames', frames: { episode: this.run.nextEpisode, firstStep: this.stepsSent, phase: 'train', stride, data, ...(last ? { episodeLength: steps } : {}) } });
    }
    this.stepsSent += count;
    if (++this.batches % STATUS_EVERY_BATCHES === 0) this.event({ type: 'status', status: this.run.status('running', this.stepsSent) });
    if (this.stepsSent < steps) return;

    if (this.recording) this.nextRecordingAt = this.recordingStartedAt + steps * ENVIRONMENTS[environment].dt * 1000 - BATCH_INTERVAL_MS;
    const { row, evaluation, checkpoints } = this.run.finishEpisode(this.episodeInProgress);
    this.episodeInProgress = null;
    this.stepsSent = 0;
    this.event({ type: 'episode', row });
    if (evaluation && this.framesWanted) this.streamEvaluation(row.episode, row.step, this.run.config.evalEpisodes);
    if (evaluation) this.event({ type: 'eval', row: evaluation });
    for (const manifest of checkpoints) this.event({ type: 'checkpoint', dir: this.checkpointDir(manifest.name), manifest });
    if (this.run.finished) this.finish('finished');
    else this.event({ type: 'status', status: this.run.status('running') });
  }

  private finish(state: 'finished' | 'stopped'): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    const final = this.run.saveCheckpoint('final', 'final');
    this.event({ type: 'checkpoint', dir: this.checkpointDir('final'), manifest: final });
    this.state = state;
    this.live = false;
    this.event({ type: 'status', status: this.run.status(state) });
    this.event({ type: 'exiting', status: state });
  }

  private onCommand(command: unknown): void {
    if (!this.live) return;
    switch (command) {
      case 'pause':
      case 'resume':
        window.setTimeout(() => {
          this.state = command === 'pause' ? 'paused' : 'running';
          this.event({ type: 'status', status: this.run.status(this.state, this.stepsSent) });
        }, 150);
        return;
      case 'checkpoint':
        window.setTimeout(() => {
          const manifest = this.run.saveCheckpoint(`manual-ep${String(this.run.episodes.length).padStart(4, '0')}`, 'manual');
          this.event({ type: 'checkpoint', dir: this.checkpointDir(manifest.name), manifest, requestId: 1 });
        }, 300);
        return;
      case 'stop':
        this.state = 'stopping';
        this.event({ type: 'status', status: this.run.status('stopping', this.stepsSent) });
        window.setTimeout(() => this.finish('stopped'), 400);
        return;
    }
  }

  /** An evaluation's starts, each whole and labelled, as the trainer streams them before its row. */
  private streamEvaluation(trainedEpisodes: number, step: number, count: number): void {
    for (let index = 1; index <= count; index++) {
      const { length, stride, frames } = simulateEpisode(trainedEpisodes, 100_000 + index - 1, 'eval', this.run.config);
      for (let first = 0; first < length; first += 100) {
        const data = frames.slice(stride * first, stride * (first + 100));
        const last = first + 100 >= length;
        this.event({ type: 'frames', frames: { episode: index, firstStep: first, phase: 'eval', stride, data, evaluation: { step, index, count }, ...(last ? { episodeLength: length } : {}) } });
      }
    }
  }

  /** "Watch this policy": like the host, the inspected checkpoint is evaluated in the same panel. */
  private watchCheckpoint(): void {
    if (this.mode.kind !== 'inspect') return;
    this.mode = { kind: 'evaluate', checkpoint: this.mode.checkpoint, checkpointDir: this.mode.checkpointDir, episodes: EVALUATION_EPISODES };
    this.send({ type: 'showRun', snapshot: this.snapshot(), mode: this.mode });
    this.runEvaluation();
  }

  /**
   * Evaluates the checkpoint as the trainer process does: deterministic episodes from fixed seeds
   * at full speed (all frames within a second), each whole and labelled, then the result, then exit.
   */
  private runEvaluation(): void {
    if (this.evaluationStarted || this.mode.kind !== 'evaluate') return;
    this.evaluationStarted = true;
    const { checkpoint, checkpointDir } = this.mode;
    const episodes = Array.from({ length: this.mode.episodes }, (_, i) =>
      simulateEpisode(checkpoint.episode, 100_000 + i, 'eval', this.run.config),
    );
    const batches: FrameBatch[] = [];
    const count = episodes.length;
    episodes.forEach(({ length, stride, frames }, index) => {
      for (let first = 0; first < length; first += 100) {
        const labels = { evaluation: { step: checkpoint.step, index: index + 1, count }, ...(first + 100 >= length ? { episodeLength: length } : {}) };
        batches.push({ episode: index + 1, firstStep: first, phase: 'eval', stride, data: frames.slice(stride * first, stride * (first + 100)), ...labels });
      }
    });
    let next = 0;
    const timer = window.setInterval(() => {
      const batch = batches[next++];
      if (batch) {
        this.event({ type: 'frames', frames: batch });
        return;
      }
      window.clearInterval(timer);
      const returns = episodes.map((e) => e.return);
      const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
      const std = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / returns.length);
      const result: EvaluationEvent = { type: 'evaluation', checkpointDir, returns, mean, std };
      this.replayedEvaluationEvents.push(result);
      this.event(result);
      this.event({ type: 'exiting', status: 'finished' });
    }, 40);
  }
}

const host = new FakeHost(scenario);

const vscodeApi = installFakeVsCodeApi((message) => host.receive(message), STATE_KEY);

window.harness = {
  scenario,
  posted: host.posted,
  get savedState() {
    return vscodeApi.savedState;
  },
  cspViolations,
  runId: host.runId,
  send: (message: unknown) => window.postMessage(message, '*'),
  setTheme: applyTheme,
  freeze: () => host.freeze(),
};
