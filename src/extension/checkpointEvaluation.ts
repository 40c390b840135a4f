/**
 * Deterministic evaluations of checkpoints, each in a trainer child process of its own: short
 * jobs that belong to the window that asked (they end with it, unlike training runs). The result
 * resolves once the trainer exits cleanly after its `evaluation` event; anything else rejects
 * with the reason, and the log keeps the trainer's last output.
 */

import * as path from 'node:path';
import type { CheckpointManifest, TrainerToHost } from '../shared/protocol';
import { classifyExit, previewMessage, type TrainerHandle, type TrainerLauncher } from './trainerProcess';

export interface EvaluationResult {
  returns: number[];
  mean: number;
  std: number;
}

export interface EvaluationSession {
  readonly runId: string;
  readonly checkpointDir: string;
  /** Resolves with the result, or rejects with the reason the evaluation failed. */
  readonly result: Promise<EvaluationResult>;
  cancel(): Promise<void>;
}

/** Where an evaluation reports (a run log). */
export interface EvaluationLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  append(line: string): void;
}

export interface CheckpointEvaluationOptions {
  /** Absolute path of dist/trainer.js. */
  trainerScript: string;
  createLog(name: string): EvaluationLog;
  launch: TrainerLauncher;
}

export class CheckpointEvaluations {
  private readonly running = new Set<TrainerHandle>();

  constructor(private readonly options: CheckpointEvaluationOptions) {}

  /** Starts a trainer that evaluates a checkpoint over `episodes` episodes; its events go to `onEvent`. */
  start(manifest: CheckpointManifest, checkpointDir: string, episodes: number, onEvent: (event: TrainerToHost) => void): EvaluationSession {
    // No '/' in the name: VS Code derives the log file's name from it.
    const log = this.options.createLog(`DDPG Evaluation ${manifest.runId} ${manifest.name}`);
    log.info(`evaluating ${checkpointDir} over ${episodes} episodes`);
    let outcome: EvaluationResult | undefined;
    let reportedError: string | undefined;
    const trainer = this.options.launch(
      { script: this.options.trainerScript, cwd: path.dirname(checkpointDir) },
      {
        onEvent: (event) => {
          if (event.type === 'evaluation') outcome = { returns: event.returns, mean: event.mean, std: event.std };
          if (event.type === 'error') reportedError = event.message;
          if (event.type === 'log') log[event.level](event.message);
          onEvent(event);
        },
        onInvalidMessage: (message) => log.warn(`ignored an invalid message from the trainer: ${previewMessage(message)}`),
        onOutput: (line) => log.append(line),
      },
    );
    this.running.add(trainer);
    trainer.send({ type: 'evaluate', checkpointDir, episodes, streamFrames: true });
    const result = trainer.exited.then((exit) => {
      this.running.delete(trainer);
      const verdict = classifyExit(exit);
      if (outcome && !verdict.crashed) return outcome;
      const reason = reportedError ?? (verdict.crashed ? verdict.reason : 'the trainer exited without an evaluation result');
      log.error(`evaluation failed: ${reason}`);
      for (const line of trainer.stderrTail()) log.error(line);
      throw new Error(reason);
    });
    return {
      runId: manifest.runId,
      checkpointDir,
      result,
      cancel: async () => {
        await trainer.kill('evaluation cancelled');
      },
    };
  }

  /** Ends every evaluation still running; resolves once they are gone. */
  async cancelAll(reason: string): Promise<void> {
    await Promise.all([...this.running].map((trainer) => trainer.kill(reason)));
  }
}
