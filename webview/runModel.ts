/**
 * The run being shown, as the dashboard knows it: built from a `showRun` snapshot and advanced by
 * trainer events. It only holds data and reports what changed; the views decide how to draw it.
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
import {
  isCheckpointManifest,
  isEpisodeRow,
  isEvalRow,
  isRunInfo,
  isRunStatus,
  isStatusSnapshot,
} from './messageValidation';

export type ModelChange = 'run' | 'status' | 'episodes' | 'evals' | 'checkpoint' | 'evaluation' | 'problem';

export interface EvaluationResult {
  returns: number[];
  mean: number;
  std: number;
}

export interface RunProblem {
  level: 'warn' | 'error';
  message: string;
}

/** States after which the trainer accepts no more commands. */
const FINAL_STATES: readonly string[] = ['stopped', 'finished', 'crashed'];

export class RunModel {
  run: RunInfo;
  status: StatusSnapshot;
  /** Means of the eval rows that arrived after the last status (which does not know them yet). */
  private evalsSinceStatus: number[] = [];
  /** When the status arrived (performance.now()), to advance the elapsed time between updates. */
  statusReceivedAt: number;
  readonly episodes: EpisodeRow[];
  readonly evals: EvalRow[];
  readonly checkpoints: CheckpointManifest[];
  live: boolean;
  readonly mode: DashboardMode;
  evaluation: EvaluationResult | null = null;
  problem: RunProblem | null = null;
  /** Checkpoints announced since the page last showed them (takeAnnouncedCheckpoints), oldest first. */
  private announcedCheckpoints: CheckpointManifest[] = [];

  constructor(snapshot: RunSnapshot, mode: DashboardMode) {
    this.run = snapshot.run;
    this.status = snapshot.status;
    this.statusReceivedAt = performance.now();
    this.episodes = [...snapshot.episodes];
    this.evals = [...snapshot.evals];
    this.checkpoints = [...snapshot.checkpoints];
    this.live = snapshot.live && !FINAL_STATES.includes(snapshot.status.state);
    this.mode = mode;
    if (snapshot.run.error) this.problem = { level: 'error', message: snapshot.run.error };
  }

  get runId(): string {
    return this.run.id;
  }

  /** Episodes completed: the status may lag behind the newest episode row, or run ahead of it. */
  get completedEpisodes(): number {
    const lastRow = this.episodes[this.episodes.length - 1];
    return Math.max(this.status.episode, lastRow?.episode ?? 0);
  }

  /**
   * The latest evaluation's mean. The trainer sends an eval row up to a status interval before
   * the status that reports it (and the best checkpoint it caused in between): until that status
   * comes, the row is the news. A status sent after the row already includes it.
   */
  get latestEval(): number | null {
    return this.evalsSinceStatus.length > 0 ? this.evalsSinceStatus[this.evalsSinceStatus.length - 1] : this.status.latestEval;
  }

  get bestEval(): number | null {
    return this.evalsSinceStatus.reduce<number | null>((best, mean) => (best === null || mean > best ? mean : best), this.status.bestEval);
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
    if (this.mode.kind !== 'live' && event.type !== 'evaluation' && event.type !== 'log' && event.type !== 'error') return [];
    switch (event.type) {
      case 'started':
        if (!isRunInfo(event.run)) return [];
        this.run = { ...event.run, engine: event.engine ?? event.run.engine };
        return ['run'];
      case 'status':
        if (!isStatusSnapshot(event.status)) return [];
        this.status = event.status;
        this.statusReceivedAt = performance.now();
        this.evalsSinceStatus = [];
        if (FINAL_STATES.includes(event.status.state)) this.live = false;
        return ['status'];
      case 'episode': {
        if (!isEpisodeRow(event.row)) return [];
        const last = this.episodes[this.episodes.length - 1];
        // The host may replay an episode the snapshot already had; the charts need increasing x.
        if (last && (event.row.episode <= last.episode || event.row.step < last.step)) return [];
        this.episodes.push(event.row);
        return ['episodes', 'status'];
      }
      case 'eval': {
        if (!isEvalRow(event.row)) return [];
        const last = this.evals[this.evals.length - 1];
        if (last && event.row.step <= last.step) return [];
        this.evals.push(event.row);
        this.evalsSinceStatus.push(event.row.mean);
        return ['evals', 'status'];
      }
      case 'checkpoint': {
        if (!isCheckpointManifest(event.manifest)) return [];
        const known = this.checkpoints.findIndex((c) => c.name === event.manifest.name);
        if (known >= 0) this.checkpoints[known] = event.manifest;
        else this.checkpoints.push(event.manifest);
        this.announcedCheckpoints.push(event.manifest);
        return ['checkpoint'];
      }
      case 'evaluation':
        if (!event.returns.every((r) => typeof r === 'number' && Number.isFinite(r))) return [];
        if (typeof event.std !== 'number' || !Number.isFinite(event.std)) return [];
        this.evaluation = { returns: [...event.returns], mean: event.mean, std: event.std };
        return ['evaluation'];
      case 'log':
        if (event.level !== 'warn' && event.level !== 'error') return [];
        this.problem = { level: event.level, message: event.message };
        return ['problem'];
      case 'error':
        this.problem = { level: 'error', message: event.message };
        return ['problem'];
      case 'exiting':
        this.live = false;
        if (isRunStatus(event.status)) this.status = { ...this.status, state: event.status };
        return ['status'];
      case 'frames':
        return [];
    }
  }
}
