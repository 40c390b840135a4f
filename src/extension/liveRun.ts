/**
 * What the run manager holds for a run with a trainer attached in this window (started here or
 * attached to): its history, its log, and the conversation with its trainer (commands held until
 * it has started, what each event means for the trainer and the log). And the summary of it that
 * views show.
 */

import type { EngineInfo, HostToTrainer, RunStatus, TrainerToHost } from '../shared/protocol';
import { isTerminal, type HistoryChange, type RunHistory } from './runHistory';
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

  /** Sends a command to the trainer, or holds it until the trainer has started; false once the run has ended. */
  command(command: HostToTrainer): boolean {
    if (isTerminal(this.history.state)) return false;
    if (!this.started && command.type !== 'stop') {
      this.pending.push(command);
      return true;
    }
    return this.trainer.send(command);
  }

  /** A validated event of the trainer: acted on, logged, then folded into the history. */
  receive(event: TrainerToHost): HistoryChange {
    switch (event.type) {
      case 'started':
        this.started = true;
        // Commands given while the trainer was building its engine, then the current frame wish.
        for (const command of this.pending.splice(0)) if (command.type !== 'setFrameStreaming') this.trainer.send(command);
        if (this.framesWanted) this.trainer.send({ type: 'setFrameStreaming', enabled: true });
        this.log.info(`started: engine ${describeEngine(event.engine)}`);
        break;
      case 'log':
        this.log[event.level](event.message);
        break;
      case 'error':
        this.lastError = event.message;
        this.log.error(event.stack ?? event.message);
        break;
      case 'checkpoint':
        this.log.info(`checkpoint ${event.manifest.name} (${event.manifest.reason}) at episode ${event.manifest.episode}, step ${event.manifest.step}`);
        break;
      default:
        break;
    }
    return this.history.apply(event);
  }
}

function describeEngine(engine: EngineInfo): string {
  return `${engine.engine} (${engine.backend})`;
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
