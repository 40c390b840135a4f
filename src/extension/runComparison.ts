/**
 * Builds the comparison of several runs from their histories (memory for runs this window has
 * seen, the run folder otherwise). A run that cannot be read becomes a named problem, not a failed
 * comparison: the others are still worth seeing.
 */

import { SOLVED_RETURN } from '../agent/env/pendulum';
import { differingSettings, experimentKey, smoothedReturns, summarizeRun } from '../shared/comparison';
import type { ComparedRun, ShowComparisonMessage } from '../shared/protocol';
import type { RunHistory } from './runHistory';

export interface ComparisonTarget {
  runId: string;
  runDir: string;
}

export interface ComparisonSources {
  loadHistory(runId: string, runDir: string): Promise<RunHistory>;
  isLive(runId: string): boolean;
}

export function compareHistory(history: RunHistory, live: boolean, threshold = SOLVED_RETURN): ComparedRun {
  return {
    run: history.info,
    evals: history.evals.map(({ episode, step, wallTime, mean, std }) => ({ episode, step, wallTime, mean, std })),
    returns: smoothedReturns(history.episodes),
    summary: summarizeRun(history.episodes, history.evals, threshold),
    groupKey: experimentKey(history.info.config),
    live,
  };
}

export async function buildComparison(sources: ComparisonSources, targets: readonly ComparisonTarget[]): Promise<ShowComparisonMessage> {
  const loaded = await Promise.all(
    targets.map(async (target) => {
      try {
        return { target, history: await sources.loadHistory(target.runId, target.runDir) };
      } catch (err) {
        return { target, error: (err as Error).message ?? String(err) };
      }
    }),
  );
  const runs: ComparedRun[] = [];
  const problems: ShowComparisonMessage['problems'] = [];
  for (const entry of loaded) {
    if (entry.history) runs.push(compareHistory(entry.history, sources.isLive(entry.target.runId)));
    else problems.push({ runDir: entry.target.runDir, error: entry.error });
  }
  return {
    type: 'showComparison',
    runs,
    differingSettings: differingSettings(runs.map((r) => r.run.config)),
    problems,
    solvedThreshold: SOLVED_RETURN,
  };
}
