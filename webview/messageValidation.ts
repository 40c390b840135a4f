/**
 * Deep checks of what the host sends. `isHostToWebview` vets only the envelope; the dashboard
 * draws every number it receives, so rows, snapshots and frame batches are checked field by field
 * here and anything malformed is dropped instead of reaching Chart.js or the canvas.
 */

import type {
  CheckpointManifest,
  DashboardMode,
  EpisodeRow,
  EvalRow,
  FrameBatch,
  RunInfo,
  RunSnapshot,
  RunStatus,
  StatusSnapshot,
} from '../src/shared/protocol';
import { MUJOCO_POSE_FIELDS } from '../src/shared/mujocoEnvironments';
import { isMujocoScene, MAX_SCENE_BODIES } from '../src/shared/mujocoScene';

export { isMujocoScene } from '../src/shared/mujocoScene';

type UnknownRecord = Record<string, unknown>;

const isRecord = (value: unknown): value is UnknownRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNumberOrNull = (value: unknown): value is number | null => value === null || isFiniteNumber(value);
const isString = (value: unknown): value is string => typeof value === 'string';

const RUN_STATUSES: readonly string[] = ['starting', 'running', 'paused', 'stopping', 'stopped', 'finished', 'crashed', 'interrupted'];

export function isRunStatus(value: unknown): value is RunStatus {
  return isString(value) && RUN_STATUSES.includes(value);
}

export function isEpisodeRow(value: unknown): value is EpisodeRow {
  return (
    isRecord(value) &&
    value.type === 'episode' &&
    isFiniteNumber(value.episode) &&
    isFiniteNumber(value.step) &&
    isFiniteNumber(value.return) &&
    isNumberOrNull(value.criticLoss) &&
    isNumberOrNull(value.actorLoss) &&
    isNumberOrNull(value.meanQ)
  );
}

export function isEvalRow(value: unknown): value is EvalRow {
  return (
    isRecord(value) &&
    value.type === 'eval' &&
    isFiniteNumber(value.episode) &&
    isFiniteNumber(value.step) &&
    isFiniteNumber(value.mean) &&
    isFiniteNumber(value.std) &&
    Array.isArray(value.returns)
  );
}

export function isStatusSnapshot(value: unknown): value is StatusSnapshot {
  return (
    isRecord(value) &&
    isRunStatus(value.state) &&
    isFiniteNumber(value.episode) &&
    isNumberOrNull(value.totalEpisodes) &&
    isFiniteNumber(value.step) &&
    isNumberOrNull(value.totalSteps) &&
    isFiniteNumber(value.stepsPerSecond) &&
    isFiniteNumber(value.elapsedSeconds) &&
    isNumberOrNull(value.latestEval) &&
    isNumberOrNull(value.bestEval)
  );
}

export function isCheckpointManifest(value: unknown): value is CheckpointManifest {
  return (
    isRecord(value) &&
    isString(value.name) &&
    isFiniteNumber(value.episode) &&
    isFiniteNumber(value.step) &&
    isNumberOrNull(value.recentReturn) &&
    isNumberOrNull(value.bestEval) &&
    isString(value.reason) &&
    isString(value.created)
  );
}

export function isRunInfo(value: unknown): value is RunInfo {
  return (
    isRecord(value) &&
    isString(value.id) &&
    isString(value.name) &&
    isString(value.created) &&
    isRecord(value.config) &&
    (value.engine === null || (isRecord(value.engine) && isString(value.engine.engine))) &&
    isRunStatus(value.status)
  );
}

const MAX_ACTION_SIZE = 64;

/** Numbers per step a frame batch may carry: every moving body's pose of the largest scene, and its actions. */
export const MAX_FRAME_STRIDE = (MAX_SCENE_BODIES - 1) * MUJOCO_POSE_FIELDS.length + MAX_ACTION_SIZE;

const isCount = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min;

/** "Evaluation at step 40,000, start 3 of 10": a start within its count, when the count is known. */
function isFrameEvaluationLabel(value: unknown): boolean {
  return isRecord(value) && isCount(value.step, 0) && isCount(value.index, 1) && isCount(value.count, 0) && (value.count === 0 || value.index <= value.count);
}

/**
 * A frame batch holds whole steps of `stride` numbers each (Pendulum: [θ, torque], MountainCar:
 * [position, force]), so its data is a multiple of a sane stride, and only finite numbers. The
 * labels are optional (older trainers send none) but, when present, must make sense: an
 * episode's length is at least the steps it has sent, evaluation labels only on evaluation frames.
 */
export function isFrameBatch(value: unknown): value is FrameBatch {
  if (!isRecord(value)) return false;
  const { data, stride } = value;
  if (!isCount(value.episode, 0) || !isCount(value.firstStep, 0)) return false;
  if (value.phase !== 'train' && value.phase !== 'eval') return false;
  if (value.evaluation !== undefined && (value.phase !== 'eval' || !isFrameEvaluationLabel(value.evaluation))) return false;
  if (value.episodeLength !== undefined && !(isCount(value.episodeLength, 1) && Array.isArray(data) && typeof stride === 'number' && value.episodeLength >= value.firstStep + data.length / stride)) return false;
  const validStride = typeof stride === 'number' && Number.isInteger(stride) && stride >= 1 && stride <= MAX_FRAME_STRIDE;
  if (!validStride || !Array.isArray(data) || data.length % stride !== 0) return false;
  return data.every(isFiniteNumber);
}

export function isDashboardMode(value: unknown): value is DashboardMode {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'live':
      return true;
    case 'inspect':
      return isCheckpointManifest(value.checkpoint) && isString(value.checkpointDir);
    case 'evaluate':
      return isCheckpointManifest(value.checkpoint) && isString(value.checkpointDir) && isFiniteNumber(value.episodes);
    default:
      return false;
  }
}

/**
 * The snapshot with malformed rows filtered out, or null when its core (run, status) is unusable.
 * Rows are sorted and de-duplicated because the charts require increasing x values.
 */
export function readSnapshot(value: unknown): RunSnapshot | null {
  if (!isRecord(value) || !isRunInfo(value.run) || !isStatusSnapshot(value.status)) return null;
  const episodes = (Array.isArray(value.episodes) ? value.episodes : []).filter(isEpisodeRow);
  const evals = (Array.isArray(value.evals) ? value.evals : []).filter(isEvalRow);
  const checkpoints = (Array.isArray(value.checkpoints) ? value.checkpoints : []).filter(isCheckpointManifest);
  return {
    run: value.run,
    status: value.status,
    episodes: increasingBy(episodes, (row) => row.episode),
    evals: increasingBy(evals, (row) => row.step),
    checkpoints,
    live: value.live === true,
    ...(isMujocoScene(value.scene) ? { scene: value.scene } : {}),
  };
}

function increasingBy<T>(rows: T[], key: (row: T) => number): T[] {
  const sorted = [...rows].sort((a, b) => key(a) - key(b));
  return sorted.filter((row, index) => index === 0 || key(row) > key(sorted[index - 1]));
}
