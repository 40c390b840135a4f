/**
 * What a trainer's end leaves behind: the run's final state in its history and in run.json, and
 * for a crash the reason and the last lines of stderr to show the user. A clean exit keeps the
 * status the trainer announced, except that a child stopped because the window closed leaves its
 * run interrupted, to be resumed in one click.
 */

import type { RunStatus } from '../shared/protocol';
import { readRunInfo, updateRunStatus } from '../shared/node/runDirectory';
import { liveTrainerOf } from '../shared/node/trainerLock';
import type { LiveRun, RunLog } from './liveRun';
import { isTerminal } from './runHistory';
import { classifyExit, type TrainerExit } from './trainerProcess';

export interface RunCrash {
  runId: string;
  runDir: string;
  reason: string;
  stderrTail: string[];
  log: RunLog;
}

/** Records the end of a run's trainer (it was not let go); resolves with the crash to report, if it crashed. */
export async function recordTrainerExit(run: LiveRun, exit: TrainerExit): Promise<RunCrash | undefined> {
  const verdict = classifyExit(exit);
  const runDir = run.history.runDir;
  if (!verdict.crashed) {
    const status = run.interruptOnExit && exit.exitingStatus === 'stopped' ? 'interrupted' : exit.exitingStatus!;
    run.log.info(`trainer exited cleanly: ${status}`);
    if (status === 'interrupted') {
      run.history.setState(status);
      await updateRunStatus(runDir, status).catch((err: Error) => run.log.error(`could not mark the run as interrupted in run.json: ${err.message}`));
      return undefined;
    }
    run.history.setState(status);
    // A trainer stopped before its engine was ready never rewrote the host's 'starting' run.json.
    await ensureFinalStatus(run, status);
    return undefined;
  }
  const reason = run.lastError ? `${run.lastError} (${verdict.reason})` : verdict.reason;
  run.log.error(`run crashed: ${reason}`);
  const tail = run.trainer.stderrTail();
  // A trainer killed outright leaves its lock behind; whoever finds it stale clears it.
  await liveTrainerOf(runDir).catch(() => undefined);
  run.history.setState('crashed', reason);
  try {
    await updateRunStatus(runDir, 'crashed', reason);
  } catch (err) {
    run.log.error(`could not mark the run as crashed in run.json: ${(err as Error).message}`);
  }
  return { runId: run.history.runId, runDir, reason, stderrTail: tail, log: run.log };
}

async function ensureFinalStatus(run: LiveRun, status: RunStatus): Promise<void> {
  try {
    const onDisk = await readRunInfo(run.history.runDir);
    if (!isTerminal(onDisk.status)) await updateRunStatus(run.history.runDir, status);
  } catch (err) {
    run.log.warn(`could not check the final status in run.json: ${(err as Error).message}`);
  }
}
