/**
 * Everything known about one run, in memory: its info, latest status, episodes, evaluations and
 * checkpoints. Live runs build it from trainer events; finished runs load it from their folder.
 * The dashboard's `showRun` snapshot comes from here, so a reopened panel sees the whole history.
 */

import type { CheckpointManifest, EpisodeRow, EvalRow, RunInfo, RunSnapshot, RunStatus, StatusSnapshot, TrainerToHost } from '../shared/protocol';
import { listCheckpoints, readMetrics, readRunInfo } from '../shared/node/runDirectory';

export interface CheckpointRecord {
  dir: string;
  manifest: CheckpointManifest;
}

/** Which parts of a run an event changed (listeners redraw only what they show). */
export interface HistoryChange {
  status: boolean;
  episodes: boolean;
  checkpoints: boolean;
}

const NO_CHANGE: HistoryChange = { status: false, episodes: false, checkpoints: false };

export const TERMINAL_STATES: readonly RunStatus[] = ['stopped', 'finished', 'crashed'];

export function isTerminal(state: RunStatus): boolean {
  return TERMINAL_STATES.includes(state);
}

/** A status for a run that has no live trainer, reconstructed from its files. */
export function statusFromFiles(info: RunInfo, episodes: readonly EpisodeRow[], evals: readonly EvalRow[]): StatusSnapshot {
  const lastEpisode = episodes[episodes.length - 1];
  const lastEval = evals[evals.length - 1];
  const best = evals.reduce<number | null>((b, e) => (b === null || e.mean > b ? e.mean : b), null);
  return {
    state: info.status,
    episode: lastEpisode?.episode ?? 0,
    totalEpisodes: info.config.episodes > 0 ? info.config.episodes : null,
    step: Math.max(lastEpisode?.step ?? 0, lastEval?.step ?? 0),
    totalSteps: info.config.totalSteps > 0 ? info.config.totalSteps : null,
    stepsPerSecond: 0,
    elapsedSeconds: Math.max(lastEpisode?.wallTime ?? 0, lastEval?.wallTime ?? 0),
    latestEval: lastEval?.mean ?? null,
    bestEval: best,
  };
}

export class RunHistory {
  readonly runDir: string;
  info: RunInfo;
  status: StatusSnapshot;
  readonly episodes: EpisodeRow[];
  readonly evals: EvalRow[];
  readonly checkpoints: CheckpointRecord[];
  /** Lines of metrics.jsonl that could not be read when loading (a crash can leave half a line). */
  skippedMetricLines = 0;
  /** Checkpoint folders that could not be read, with the reason. */
  brokenCheckpoints: Array<{ dir: string; error: string }> = [];

  constructor(runDir: string, info: RunInfo, episodes: EpisodeRow[] = [], evals: EvalRow[] = [], checkpoints: CheckpointRecord[] = []) {
    this.runDir = runDir;
    this.info = info;
    this.episodes = episodes;
    this.evals = evals;
    this.checkpoints = checkpoints;
    this.status = statusFromFiles(info, episodes, evals);
  }

  static async load(runDir: string): Promise<RunHistory> {
    const [info, metrics, checkpoints] = await Promise.all([readRunInfo(runDir), readMetrics(runDir), listCheckpoints(runDir)]);
    const complete: CheckpointRecord[] = [];
    const broken: Array<{ dir: string; error: string }> = [];
    for (const entry of checkpoints) {
      if (entry.manifest) complete.push({ dir: entry.dir, manifest: entry.manifest });
      else broken.push({ dir: entry.dir, error: entry.error ?? 'unreadable' });
    }
    const history = new RunHistory(runDir, info, metrics.episodes, metrics.evals, complete);
    history.skippedMetricLines = metrics.skippedLines;
    history.brokenCheckpoints = broken;
    return history;
  }

  get runId(): string {
    return this.info.id;
  }

  get state(): RunStatus {
    return this.status.state;
  }

  get bestEval(): number | null {
    if (this.status.bestEval !== null) return this.status.bestEval;
    return this.evals.reduce<number | null>((b, e) => (b === null || e.mean > b ? e.mean : b), null);
  }

  get latestReturn(): number | null {
    return this.episodes[this.episodes.length - 1]?.return ?? null;
  }

  /** Set once a stop was sent: status events still in flight must not flip the run back to 'running'. */
  private stopRequested = false;

  /** Sets the state locally (e.g. 'stopping' the moment a stop is sent, 'crashed' after a crash). */
  setState(state: RunStatus, error?: string): void {
    if (state === 'stopping') this.stopRequested = true;
    this.status = { ...this.status, state };
    this.info = { ...this.info, status: state, ...(error !== undefined ? { error } : {}) };
  }

  /** Folds one trainer event into the history. */
  apply(event: TrainerToHost): HistoryChange {
    switch (event.type) {
      case 'started':
        this.info = { ...event.run, engine: event.engine };
        return { ...NO_CHANGE, status: true };
      case 'status': {
        const before = this.status;
        const state = this.stopRequested && !isTerminal(event.status.state) ? 'stopping' : event.status.state;
        this.status = { ...event.status, state };
        this.info = { ...this.info, status: state };
        return { ...NO_CHANGE, status: before.state !== state || before.episode !== event.status.episode };
      }
      case 'episode': {
        const last = this.episodes[this.episodes.length - 1];
        // A replayed or duplicated row must not draw the curve twice.
        if (last && event.row.episode <= last.episode) return NO_CHANGE;
        this.episodes.push(event.row);
        this.status = { ...this.status, episode: event.row.episode, step: Math.max(this.status.step, event.row.step) };
        return { ...NO_CHANGE, episodes: true };
      }
      case 'eval': {
        const last = this.evals[this.evals.length - 1];
        if (last && event.row.step < last.step) return NO_CHANGE;
        if (last && last.step === event.row.step && last.mean === event.row.mean) return NO_CHANGE;
        this.evals.push(event.row);
        const best = this.status.bestEval === null ? event.row.mean : Math.max(this.status.bestEval, event.row.mean);
        this.status = { ...this.status, latestEval: event.row.mean, bestEval: best };
        return { ...NO_CHANGE, episodes: true };
      }
      case 'checkpoint': {
        const record = { dir: event.dir, manifest: event.manifest };
        const existing = this.checkpoints.findIndex((c) => c.dir === event.dir);
        if (existing >= 0) this.checkpoints[existing] = record;
        else this.checkpoints.push(record);
        this.checkpoints.sort((a, b) => a.manifest.step - b.manifest.step || a.dir.localeCompare(b.dir));
        return { ...NO_CHANGE, checkpoints: true };
      }
      case 'error':
        this.info = { ...this.info, error: event.message };
        return NO_CHANGE;
      case 'exiting':
        this.setState(event.status);
        return { ...NO_CHANGE, status: true };
      case 'frames':
      case 'log':
      case 'evaluation':
        return NO_CHANGE;
    }
  }

  snapshot(live: boolean): RunSnapshot {
    return {
      run: this.info,
      status: this.status,
      episodes: [...this.episodes],
      evals: [...this.evals],
      checkpoints: this.checkpoints.map((c) => c.manifest),
      live,
    };
  }

  /** The history up to a checkpoint (its step), for inspecting a checkpoint. */
  snapshotUpTo(step: number): RunSnapshot {
    const full = this.snapshot(false);
    return {
      ...full,
      episodes: full.episodes.filter((e) => e.step <= step),
      evals: full.evals.filter((e) => e.step <= step),
      checkpoints: full.checkpoints.filter((c) => c.step <= step),
    };
  }
}
