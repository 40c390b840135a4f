/**
 * Every message that crosses a process or webview boundary, defined once.
 *
 * host ⇄ trainer: Node IPC between the extension host and the forked trainer (src/agent/main.ts).
 * host ⇄ webview: postMessage between the extension host and the dashboard (webview/), and the
 * run comparison (webview/compare/).
 *
 * No vscode import, no DOM types: the trainer, the host and the webview all compile this file.
 * Messages arriving from another process or the webview are input, not trusted code: receivers
 * narrow them with the `is*` guards below before use.
 */

import type { AlgorithmId, RunConfig } from './config';
import type { EnvironmentId } from './environments';
import type { MujocoScene } from './mujocoScene';
import type { EnvironmentRef, StoredNetwork } from './runFormat';

// ─── Shared records (also the on-disk format of metrics.jsonl and checkpoint.json) ────────────

/**
 * 'interrupted': the window closed under a trainer that could not outlive it (no sockets where the
 * workspace lives); it stopped with a final checkpoint and the run can be resumed in place.
 */
export type RunStatus = 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'finished' | 'crashed' | 'interrupted';

/** Which numeric engine ran a run, and on which backend. */
export interface EngineInfo {
  engine: 'tfjs' | 'wasm';
  backend: string;
}

/** One finished training episode: a line of metrics.jsonl. */
export interface EpisodeRow {
  type: 'episode';
  episode: number; // 1-based
  /** Total environment steps taken by the run at the end of this episode. */
  step: number;
  return: number;
  length: number;
  /**
   * Means over the updates made during the episode; null while still warming up. An algorithm's
   * other statistics (TD3's q1/q2, SAC's alpha, entropy, alphaLoss) follow as further numeric
   * fields of the same row, named as the algorithm declares them.
   */
  criticLoss: number | null;
  actorLoss: number | null;
  meanQ: number | null;
  /** Seconds since the run (not this process) started training. */
  wallTime: number;
}

/** One deterministic evaluation (no noise, fixed evenly spaced starts): a line of metrics.jsonl. */
export interface EvalRow {
  type: 'eval';
  episode: number; // training episodes completed when it ran
  step: number;
  mean: number;
  std: number;
  returns: number[];
  wallTime: number;
}

export type MetricsRow = EpisodeRow | EvalRow;

export type CheckpointReason = 'manual' | 'periodic' | 'final' | 'best';

/** The deterministic evaluation a checkpoint is judged by (see CheckpointManifest.evaluation). */
export interface CheckpointEvaluation {
  mean: number;
  std: number;
  /** The step the evaluation ran at: the checkpoint's own, or earlier for "the latest before it". */
  step: number;
  episode: number;
}

/**
 * checkpoints/<name>/checkpoint.json, format version 2 (readers upgrade version 1 in memory:
 * src/shared/runFormat.ts).
 */
export interface CheckpointManifest {
  formatVersion: 2;
  algorithm: AlgorithmId;
  environment: EnvironmentRef;
  /** Every network of the algorithm, each a LayersModel folder; optimizer.bin follows the algorithm's optimizers. */
  networks: StoredNetwork[];
  name: string;
  runId: string;
  episode: number;
  step: number;
  /** Mean return of the last (up to) 10 training episodes. */
  recentReturn: number | null;
  /** The run's best evaluation when it was saved (not this checkpoint's own score: see `evaluation`). */
  bestEval: number | null;
  /**
   * The evaluation this checkpoint is judged by: for a best checkpoint the one that made it best,
   * for any other the latest at or before its step. null: no evaluation had run yet. Absent:
   * written before checkpoints recorded it.
   */
  evaluation?: CheckpointEvaluation | null;
  reason: CheckpointReason;
  created: string; // ISO 8601
  configHash: string;
  config: RunConfig;
  engine: EngineInfo;
  hasReplayBuffer: boolean;
}

/** run.json (version 2: algorithm and environment; readers fill them in for version 1 folders) */
export interface RunInfo {
  id: string;
  name: string;
  created: string; // ISO 8601
  updated: string;
  config: RunConfig;
  algorithm: AlgorithmId;
  environment: EnvironmentRef;
  /** The preset the run's settings started from, when one was applied. */
  preset?: string;
  engine: EngineInfo | null;
  seed: number;
  status: RunStatus;
  /** Present when this run continues from a checkpoint of another run. */
  resumedFrom?: { runId: string; checkpoint: string; episode: number; step: number };
  /** Last error, for crashed runs. */
  error?: string;
  /** What the configuration's checks warned about when the run started (a tau above 0.5 kept on purpose, …). */
  warnings?: string[];
}

export interface StatusSnapshot {
  state: RunStatus;
  episode: number; // episodes completed
  totalEpisodes: number | null; // null when the run is bounded by steps only
  step: number;
  totalSteps: number | null;
  stepsPerSecond: number;
  elapsedSeconds: number;
  latestEval: number | null;
  bestEval: number | null;
}

/**
 * Animation frames: the environment's frame() of consecutive steps, flattened, `stride` numbers a
 * step (the descriptor's frameLabels: Pendulum [θ, torque], MountainCar [position, force]; the
 * action is the one actually applied, after clipping).
 */
export interface FrameBatch {
  episode: number;
  /** Step within the episode of the first frame (0-based). */
  firstStep: number;
  /** 'train' while training, 'eval' for deterministic evaluation episodes. */
  phase: 'train' | 'eval';
  /** Numbers per step; data.length is a multiple of it. */
  stride: number;
  data: number[];
  /**
   * The episode's number of steps, on the batch that ends it: the episode is then complete (every
   * step from 0 was sent). Absent on the batches before, and from trainers that send fragments.
   */
  episodeLength?: number;
  /** On evaluation batches: which evaluation (the training step it ran at) and which of its fixed starts (1-based, of `count`). */
  evaluation?: FrameEvaluationLabel;
}

/** What a batch of evaluation frames belongs to: "evaluation at step 40,000, start 3 of 10". */
export interface FrameEvaluationLabel {
  /** Training steps taken when the evaluation ran (a checkpoint's step when a checkpoint is evaluated). */
  step: number;
  /** The start state, 1-based; equals the batch's `episode`. */
  index: number;
  count: number;
}

// ─── host → trainer ───────────────────────────────────────────────────────────────────────────

export interface StartTrainingCommand {
  type: 'start';
  runDir: string;
  config: RunConfig;
  /** Checkpoint directory to continue from (a new run resuming another). */
  resumeFrom?: string;
  streamFrames: boolean;
}
export interface EvaluateCommand {
  type: 'evaluate';
  checkpointDir: string;
  episodes: number;
  streamFrames: boolean;
}
export interface PauseCommand { type: 'pause' }
export interface ResumeCommand { type: 'resume' }
export interface SaveCheckpointCommand { type: 'checkpoint'; requestId: number }
export interface StopCommand { type: 'stop'; saveCheckpoint: boolean }
export interface SetFrameStreamingCommand { type: 'setFrameStreaming'; enabled: boolean }

export type HostToTrainer =
  | StartTrainingCommand
  | EvaluateCommand
  | PauseCommand
  | ResumeCommand
  | SaveCheckpointCommand
  | StopCommand
  | SetFrameStreamingCommand;

// ─── trainer → host ───────────────────────────────────────────────────────────────────────────

export interface StartedEvent { type: 'started'; engine: EngineInfo; run: RunInfo }
export interface StatusEvent { type: 'status'; status: StatusSnapshot }
export interface EpisodeEvent { type: 'episode'; row: EpisodeRow }
export interface EvalEvent { type: 'eval'; row: EvalRow }
export interface FramesEvent { type: 'frames'; frames: FrameBatch }
/** A MuJoCo environment's bodies and geoms, sent once after `started` (and before an evaluation's first frames): frames then only move the bodies. */
export interface SceneEvent { type: 'scene'; scene: MujocoScene }
export interface CheckpointEvent {
  type: 'checkpoint';
  dir: string;
  manifest: CheckpointManifest;
  /** Echoes SaveCheckpointCommand.requestId for manual checkpoints. */
  requestId?: number;
}
/** A checkpoint the trainer deleted (a periodic one pruned beyond keepPeriodicCheckpoints): it is no longer on disk. */
export interface CheckpointDeletedEvent { type: 'checkpointDeleted'; name: string; dir: string }
export interface LogEvent { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
export interface ErrorEvent { type: 'error'; message: string; stack?: string }
/** Result of an EvaluateCommand; the trainer exits after sending it. */
export interface EvaluationEvent {
  type: 'evaluation';
  checkpointDir: string;
  returns: number[];
  mean: number;
  std: number;
}
/** Last message before a clean exit. */
export interface ExitingEvent { type: 'exiting'; status: RunStatus }

export type TrainerToHost =
  | StartedEvent
  | StatusEvent
  | EpisodeEvent
  | EvalEvent
  | FramesEvent
  | SceneEvent
  | CheckpointEvent
  | CheckpointDeletedEvent
  | LogEvent
  | ErrorEvent
  | EvaluationEvent
  | ExitingEvent;

/**
 * Several trainer events in one IPC message, in the order they happened. A fast run ends hundreds
 * of episodes a second, and each message costs the host a pipe read, a parse and a dispatch; the
 * trainer gathers events for a few tens of milliseconds and sends them together. Never nested.
 */
export interface TrainerEventBatch { type: 'batch'; events: TrainerToHost[] }

/** What travels trainer → host: one event, or a batch of them (unpack with `unpackTrainerMessage`). */
export type TrainerMessage = TrainerToHost | TrainerEventBatch;

// ─── host → webview ───────────────────────────────────────────────────────────────────────────

/** Everything the dashboard needs to draw one run from scratch. */
export interface RunSnapshot {
  run: RunInfo;
  status: StatusSnapshot;
  episodes: EpisodeRow[];
  evals: EvalRow[];
  checkpoints: CheckpointManifest[];
  /** True when this run has a live trainer process that accepts commands. */
  live: boolean;
  /** A MuJoCo run's scene, when its trainer sent one this session. */
  scene?: MujocoScene;
}

export type DashboardMode =
  | { kind: 'live' }
  /** Inspecting a checkpoint: curves cut at its step, manifest shown. */
  | { kind: 'inspect'; checkpoint: CheckpointManifest; checkpointDir: string }
  /** Deterministic evaluation of a checkpoint; results arrive as an 'evaluation' trainer event. */
  | { kind: 'evaluate'; checkpoint: CheckpointManifest; checkpointDir: string; episodes: number };

export interface ShowRunMessage { type: 'showRun'; snapshot: RunSnapshot; mode: DashboardMode }
/** A trainer event for the run currently shown (forwarded as is after validation). */
export interface RunEventMessage { type: 'runEvent'; runId: string; event: TrainerToHost }
/**
 * Several trainer events for the run shown, in order: a fast run's events are posted in batches,
 * so that the page updates once per batch rather than once per event.
 */
export interface RunEventsMessage { type: 'runEvents'; runId: string; events: TrainerToHost[] }
export interface NoRunMessage { type: 'noRun' }

export type HostToWebview = ShowRunMessage | RunEventMessage | RunEventsMessage | NoRunMessage;

// ─── webview → host ───────────────────────────────────────────────────────────────────────────

export type DashboardCommand = 'pause' | 'resume' | 'stop' | 'checkpoint';

export interface ReadyMessage { type: 'ready' }
export interface DashboardCommandMessage { type: 'command'; runId: string; command: DashboardCommand }
/** The webview asks for animation frames only while it can show them. */
export interface FramesWantedMessage { type: 'framesWanted'; enabled: boolean }
/** "Watch this policy" while inspecting a checkpoint: run its deterministic episodes and play them. */
export interface WatchCheckpointMessage { type: 'watchCheckpoint' }
export interface WebviewErrorMessage { type: 'webviewError'; message: string }
/** A chart as a PNG (`data:image/png;base64,…`) for the host to save where the user chooses; `name` is the suggested file name. */
export interface ExportChartMessage { type: 'exportChart'; name: string; dataUrl: string }

export type WebviewToHost =
  | ReadyMessage
  | DashboardCommandMessage
  | FramesWantedMessage
  | WatchCheckpointMessage
  | WebviewErrorMessage
  | ExportChartMessage;

// ─── host ⇄ comparison webview (webview/compare/) ─────────────────────────────────────────────

/** One point of a run's smoothed training-return curve (the host smooths and thins it). */
export interface ReturnCurvePoint {
  episode: number;
  step: number;
  wallTime: number;
  /** Mean return of the trailing RETURN_SMOOTHING_EPISODES episodes ending at this one. */
  value: number;
}

/** Where a run first reached the solved threshold in a deterministic evaluation. */
export interface SolvedPoint {
  episode: number;
  step: number;
  wallTime: number;
}

export interface RunSummary {
  episodes: number;
  steps: number;
  wallTime: number;
  bestEval: number | null;
  finalEval: number | null;
  /** Mean return of the last (up to) 10 training episodes. */
  recentReturn: number | null;
  solved: SolvedPoint | null;
}

/** An evaluation without its per-episode returns (the comparison draws means). */
export type ComparedEval = Pick<EvalRow, 'episode' | 'step' | 'wallTime' | 'mean' | 'std'>;

export interface ComparedRun {
  run: RunInfo;
  /** The environment it trained on (runs written before environments were choices: Pendulum-v1). */
  environment: EnvironmentId;
  /** The algorithm that trained it (old runs: ddpg). */
  algorithm: AlgorithmId;
  /** Every evaluation, without the per-episode returns. */
  evals: ComparedEval[];
  /** The smoothed training-return curve, thinned to at most COMPARISON_CURVE_POINTS points. */
  returns: ReturnCurvePoint[];
  summary: RunSummary;
  /**
   * Runs with the same key train the same problem the same way: they differ only in seed, length
   * or runtime. The environment and the algorithm are part of it: runs of different ones are
   * never averaged together.
   */
  groupKey: string;
  /** Still training in this window: the comparison refreshes while any run is live. */
  live: boolean;
}

/** An environment present among the compared runs: it gets its own charts, with its own "solved" line. */
export interface ComparedEnvironment {
  id: EnvironmentId;
  title: string;
  /** The return at which a deterministic evaluation counts as solved; null where none is defined. */
  solvedThreshold: number | null;
  /** Says whose threshold it is: "solved (Gymnasium: 90)", "solved (DDPG Lab: -200)". */
  solvedLabel: string;
}

export interface ShowComparisonMessage {
  type: 'showComparison';
  runs: ComparedRun[];
  /** One per environment of the runs, in the order of each one's first run. */
  environments: ComparedEnvironment[];
  /** Settings (CONFIG_KEYS) whose values differ between the runs, in CONFIG_KEYS order. */
  differingSettings: string[];
  /** Folders that were asked for but could not be read, and why. */
  problems: Array<{ runDir: string; error: string }>;
}

export type HostToComparison = ShowComparisonMessage;

export interface RefreshComparisonMessage { type: 'refresh' }
/** Opens a run of the comparison in the dashboard. */
export interface OpenRunMessage { type: 'openRun'; runId: string }

export type ComparisonToHost = ReadyMessage | RefreshComparisonMessage | OpenRunMessage | WebviewErrorMessage;

// ─── guards ───────────────────────────────────────────────────────────────────────────────────

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

/**
 * One guard per message type, in a table keyed by every `type` of the union: adding a message
 * type without its guard does not compile. A guard sees a record whose `type` is its own.
 */
type GuardTable<M extends { type: string }> = { readonly [K in M['type']]: (message: Record<string, unknown>) => boolean };

function guardFrom<M extends { type: string }>(table: GuardTable<M>): (value: unknown) => value is M {
  return (value: unknown): value is M =>
    isRecord(value) && typeof value.type === 'string' && Object.prototype.hasOwnProperty.call(table, value.type) && table[value.type as M['type']](value);
}

const always = () => true;
const dashboardCommands: readonly string[] = ['pause', 'resume', 'stop', 'checkpoint'];
/** Evaluation episodes a host may ask for: ddpg.evalEpisodes' range. */
const MAX_EVALUATION_EPISODES = 1000;
const isPositiveInteger = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';
/** A chart at 4× device pixels is a few MB at most: anything larger is not a chart. */
export const MAX_CHART_DATA_URL_CHARS = 16 * 1024 * 1024;
const MAX_CHART_FILE_NAME = 200;
const isPngDataUrl = (v: unknown): v is string =>
  isString(v) && v.length <= MAX_CHART_DATA_URL_CHARS && v.length > PNG_DATA_URL_PREFIX.length && v.startsWith(PNG_DATA_URL_PREFIX);

/** Narrows a message from the webview; anything else (wrong shape, unknown type) is rejected. */
export const isWebviewToHost = guardFrom<WebviewToHost>({
  ready: always,
  command: (m) => isString(m.runId) && isString(m.command) && dashboardCommands.includes(m.command),
  framesWanted: (m) => isBoolean(m.enabled),
  watchCheckpoint: always,
  webviewError: (m) => isString(m.message),
  exportChart: (m) => isString(m.name) && m.name.length <= MAX_CHART_FILE_NAME && isPngDataUrl(m.dataUrl),
});

/** Narrows a message from the trainer process. Checks the envelope and the fields the host uses. */
export const isTrainerToHost = guardFrom<TrainerToHost>({
  started: (m) => isRecord(m.engine) && isRecord(m.run) && isString(m.run.id),
  status: (m) => isRecord(m.status) && isString(m.status.state) && isFiniteNumber(m.status.step),
  episode: (m) => isRecord(m.row) && m.row.type === 'episode' && isFiniteNumber(m.row.episode),
  eval: (m) => isRecord(m.row) && m.row.type === 'eval' && isFiniteNumber(m.row.mean),
  frames: (m) => isRecord(m.frames) && Array.isArray(m.frames.data),
  scene: (m) => isRecord(m.scene) && Array.isArray(m.scene.bodies) && Array.isArray(m.scene.geoms),
  checkpoint: (m) => isString(m.dir) && isRecord(m.manifest),
  checkpointDeleted: (m) => isString(m.name) && isString(m.dir),
  log: (m) => isString(m.message) && isString(m.level),
  error: (m) => isString(m.message),
  evaluation: (m) => Array.isArray(m.returns) && isFiniteNumber(m.mean),
  exiting: (m) => isString(m.status),
});

/**
 * Hands the events of one trainer message to `onEvent` in order: a batch's events one by one, any
 * other message as itself. Each event is validated on its own, as it would be if it had come
 * alone: an invalid one goes to `onInvalid` and costs only itself (a batch that is not one at all,
 * or a batch inside a batch, is invalid as a whole). A listener that throws does not cost the
 * events after it either: they are delivered, then the error is rethrown (several: AggregateError).
 */
export function unpackTrainerMessage(value: unknown, onEvent: (event: TrainerToHost) => void, onInvalid: (message: unknown) => void): void {
  if (!(isRecord(value) && value.type === 'batch')) {
    if (isTrainerToHost(value)) onEvent(value);
    else onInvalid(value);
    return;
  }
  if (!Array.isArray(value.events)) {
    onInvalid(value);
    return;
  }
  const errors: unknown[] = [];
  for (const event of value.events) {
    try {
      if (isTrainerToHost(event)) onEvent(event);
      else onInvalid(event);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} trainer event listeners failed`);
}

/** Narrows a message from the host (used by the trainer process). */
export const isHostToTrainer = guardFrom<HostToTrainer>({
  start: (m) => isString(m.runDir) && isRecord(m.config) && isBoolean(m.streamFrames) && (m.resumeFrom === undefined || isString(m.resumeFrom)),
  evaluate: (m) => isString(m.checkpointDir) && isPositiveInteger(m.episodes, MAX_EVALUATION_EPISODES) && isBoolean(m.streamFrames),
  pause: always,
  resume: always,
  checkpoint: (m) => isFiniteNumber(m.requestId),
  stop: (m) => isBoolean(m.saveCheckpoint),
  setFrameStreaming: (m) => isBoolean(m.enabled),
});

/** Narrows a message from the host (used by the webview). */
export const isHostToWebview = guardFrom<HostToWebview>({
  showRun: (m) => isRecord(m.snapshot) && isRecord(m.mode),
  runEvent: (m) => isString(m.runId) && isRecord(m.event),
  runEvents: (m) => isString(m.runId) && Array.isArray(m.events),
  noRun: always,
});

/** Narrows a message from the comparison webview. */
export const isComparisonToHost = guardFrom<ComparisonToHost>({
  ready: always,
  refresh: always,
  openRun: (m) => isString(m.runId),
  webviewError: (m) => isString(m.message),
});

function isComparedEnvironment(value: unknown): value is ComparedEnvironment {
  return (
    isRecord(value) &&
    isString(value.id) &&
    isString(value.title) &&
    (value.solvedThreshold === null || isFiniteNumber(value.solvedThreshold)) &&
    isString(value.solvedLabel)
  );
}

/**
 * Narrows a message from the host (used by the comparison webview). Every run must name an
 * environment the message describes: a run without one would have no chart to be drawn in.
 */
export const isHostToComparison = guardFrom<HostToComparison>({
  showComparison: (value) => {
    if (!Array.isArray(value.runs) || !Array.isArray(value.differingSettings) || !Array.isArray(value.problems)) return false;
    if (!Array.isArray(value.environments) || !value.environments.every(isComparedEnvironment)) return false;
    const environments = new Set<string>(value.environments.map((env) => env.id));
    if (environments.size !== value.environments.length) return false;
    return value.runs.every(
      (run) =>
        isRecord(run) &&
        isRecord(run.run) &&
        isString(run.run.id) &&
        isString(run.environment) &&
        environments.has(run.environment) &&
        isString(run.algorithm) &&
        isString(run.groupKey) &&
        Array.isArray(run.evals) &&
        Array.isArray(run.returns) &&
        isRecord(run.summary),
    );
  },
});
