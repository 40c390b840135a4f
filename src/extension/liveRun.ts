/**
 * What the run manager holds for a run with a trainer attached in this window (started here or
 * attached to), and the summary of it that views show.
 */

import type { HostToTrainer, RunStatus } from '../shared/protocol';
import type { RunHistory } from './runHistory';
import type { TrainerHandle } from './trainerProcess';

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

/** A run that has a trainer process attached to it in this window. */
export class LiveRun {
  readonly history: RunHistory;
  readonly trainer: TrainerHandle;
  readonly log: RunLog;
  /** Commands sent before the trainer announced `started` wait here: it ignores them until then. */
  readonly pending: HostToTrainer[] = [];
  started = false;
  framesWanted = false;
  nextRequestId = 1;
  lastError: string | undefined;
  /** A child trainer stopped because the window closed: its run is interrupted, not stopped. */
  interruptOnExit = false;

  constructor(history: RunHistory, trainer: TrainerHandle, log: RunLog) {
    this.history = history;
    this.trainer = trainer;
    this.log = log;
  }
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

export function summarise(history: RunHistory): LiveRunSummary {
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
