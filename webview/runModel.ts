/**
 * The run being shown, as the dashboard knows it: built from a `showRun` snapshot and advanced by
 * trainer events. It only holds data and reports what changed; the views decide how to draw it.
 * What an event means is decided by the shared reducer (src/shared/runState.ts), which the host's
 * run history uses too; this class adds what only a page has: the checks of untrusted input, the
 * mode, liveness, the evaluation result and the last problem.
 */

import type {
  CheckpointManifest,
  DashboardMode,
  EpisodeRow,
  EvalRow,
  RunInfo,
  RunSnapshot,
  StatusSnapshot,
  TrainerToHost,
} from '../src/shared/protocol';
import type { MujocoScene } from '../src/shared/mujocoScene';
import { applyTrainerEvent, isTerminal, runStateFromSnapshot, type RunState, type RunStateChange } from '../src/shared/runState';
import {
  isCheckpointManifest,
  isEpisodeRow,
  isEvalRow,
  isMujocoScene,
  isRunInfo,
  isRunStatus,
  isStatusSnapshot,
} from './messageValidation';

export type ModelChange = 'run' | 'status' | 'episodes' | 'evals' | 'checkpoint' | 'evaluation' | 'problem' | 'scene';

export interface EvaluationResult {
  returns: number[];
  mean: number;
  std: number;
}

export interface RunProblem {
  level: 'warn' | 'error';
  message: string;
}

function modelChanges(change: RunStateChange): ModelChange[] {
  const changes: ModelChange[] = [];
  if (change.info) changes.push('run');
  if (change.status || change.episodes || change.evals) changes.push('status');
  if (change.episodes) changes.push('episodes');
  if (change.evals) changes.push('evals');
  if (change.checkpoints.length > 0 || change.deletedCheckpoints.length > 0) changes.push('checkpoint');
  return changes;
}

export class RunModel {
  private readonly state: RunState;
  /** When the status arrived (performance.now()), to advance the elapsed time between updates. */
  statusReceivedAt: number;
  live: boolean;
  readonly mode: DashboardMode;
  evaluation: EvaluationResult | null = null;
  problem: RunProblem | null = null;
  /** Checkpoints announced since the page last showed them (takeAnnouncedCheckpoints), oldest first. */
  private announcedCheckpoints: CheckpointManifest[] = [];

  constructor(snapshot: RunSnapshot, mode: DashboardMode) {
    this.state = runStateFromSnapshot(snapshot);
    this.statusReceivedAt = performance.now();
    this.live = snapshot.live && !isTerminal(this.state.status.state);
    this.mode = mode;
    if (snapshot.run.error) this.problem = { level: 'error', message: snapshot.run.error };
  }

  get run(): RunInfo {
    return this.state.info;
  }

  get status(): StatusSnapshot {
    return this.state.status;
  }

  /** Kept in place for the whole life of the model: the charts hold these arrays. */
  get episodes(): readonly EpisodeRow[] {
    return this.state.episodes;
  }

  get evals(): readonly EvalRow[] {
    return this.state.evals;
  }

  get checkpoints(): CheckpointManifest[] {
    return this.state.checkpoints.map((c) => c.manifest);
  }

  get runId(): string {
    return this.state.info.id;
  }

  /** A MuJoCo run's bodies and geoms, once its trainer (or the evaluation's) has sent them. */
  get scene(): MujocoScene | undefined {
    return this.state.scene;
  }

  /** Episodes completed: the reducer keeps the status's count level with the newest episode row. */
  get completedEpisodes(): number {
    return this.state.status.episode;
  }

  /** The latest evaluation's mean: an eval row newer than the last status is folded into it. */
  get latestEval(): number | null {
    return this.state.status.latestEval;
  }

  get bestEval(): number | null {
    return this.state.status.bestEval;
  }

  /** The checkpoints announced since the last call, oldest first: each deserves its toast. */
  takeAnnouncedCheckpoints(): CheckpointManifest[] {
    const announced = this.announcedCheckpoints;
    this.announcedCheckpoints = [];
    return announced;
  }

  /**
   * Applies one trainer event; malformed events change nothing. Frames are not model data.
   * Outside live mode the events come from an evaluation process, not the run's trainer: its
   * lifecycle (started, status, exiting) says nothing about the run and is not applied.
   */
  apply(event: TrainerToHost): ModelChange[] {
    // The same model's scene whoever sends it: the run's trainer, or the process evaluating its checkpoint.
    if (event.type === 'scene') {
      if (!isMujocoScene(event.scene)) return [];
      applyTrainerEvent(this.state, event);
      return ['scene'];
    }
    if (this.mode.kind !== 'live' && event.type !== 'evaluation' && event.type !== 'log' && event.type !== 'error') return [];
    if (event.type === 'exiting' && !isRunStatus(event.status)) {
      // A trainer that says it exits has exited, whatever it calls its state.
      this.live = false;
      return ['status'];
    }
    if (!isWellFormed(event)) return [];
    switch (event.type) {
      case 'evaluation':
        this.evaluation = { returns: [...event.returns], mean: event.mean, std: event.std };
        return ['evaluation'];
      case 'log':
        if (event.level !== 'warn' && event.level !== 'error') return [];
        this.problem = { level: event.level, message: event.message };
        return ['problem'];
      case 'error':
        // The run's info records the error too, but the page shows it as the problem only.
        applyTrainerEvent(this.state, event);
        this.problem = { level: 'error', message: event.message };
        return ['problem'];
      case 'frames':
        return [];
      default:
        break;
    }
    const change = applyTrainerEvent(this.state, event.type === 'started' ? { ...event, engine: event.engine ?? event.run.engine } : event);
    if (event.type === 'status') this.statusReceivedAt = performance.now();
    if (isTerminal(this.state.status.state) || event.type === 'exiting') this.live = false;
    this.announcedCheckpoints.push(...change.checkpoints.map((c) => c.manifest));
    // A status always redraws the status line: its speed and elapsed time move even when the figures compared are equal.
    if (event.type === 'status' || event.type === 'exiting') change.status = true;
    return modelChanges(change);
  }
}

/** The host forwards trainer events after checking only their envelope: the fields drawn are checked here. */
function isWellFormed(event: TrainerToHost): boolean {
  switch (event.type) {
    case 'started':
      return isRunInfo(event.run);
    case 'status':
      return isStatusSnapshot(event.status);
    case 'episode':
      return isEpisodeRow(event.row);
    case 'eval':
      return isEvalRow(event.row);
    case 'checkpoint':
      return isCheckpointManifest(event.manifest);
    case 'evaluation':
      return event.returns.every((r) => typeof r === 'number' && Number.isFinite(r)) && typeof event.std === 'number' && Number.isFinite(event.std);
    default:
      return true;
  }
}
