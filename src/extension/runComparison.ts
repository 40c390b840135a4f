/**
 * Builds the comparison of several runs from their histories (memory for runs this window has
 * seen, the run folder otherwise). A run that cannot be read becomes a named problem, not a failed
 * comparison: the others are still worth seeing. Each run is judged by its own environment's
 * "solved" threshold, from the environment descriptors.
 */

import {
  algorithmOfConfig,
  comparedEnvironments,
  differingSettings,
  environmentOfConfig,
  experimentKey,
  smoothedReturns,
  summarizeRun,
} from '../shared/comparison';
import type { ComparedRun, EpisodeRow, EvalRow, RunInfo, ShowComparisonMessage } from '../shared/protocol';

export interface ComparisonTarget {
  runId: string;
  runDir: string;
}

/** What a comparison reads of a run's history (a RunHistory; the page's test data builds one by hand). */
export interface ComparableHistory {
  readonly info: RunInfo;
  readonly episodes: readonly EpisodeRow[];
  readonly evals: readonly EvalRow[];
}

export interface ComparisonSources {
  loadHistory(runId: string, runDir: string): Promise<ComparableHistory>;
  isLive(runId: string): boolean;
}

export function compareHistory(history: ComparableHistory, live: boolean): ComparedRun {
  const config = history.info.config;
  const environment = environmentOfConfig(config);
  return {
    run: history.info,
    environment: environment.id,
    algorithm: algorithmOfConfig(config),
    evals: history.evals.map(({ episode, step, wallTime, mean, std }) => ({ episode, step, wallTime, mean, std })),
    returns: smoothedReturns(history.episodes),
    summary: summarizeRun(history.episodes, history.evals, environment.solved.threshold),
    groupKey: experimentKey(config),
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
    environments: comparedEnvironments(runs.map((run) => run.environment)),
    differingSettings: differingSettings(runs.map((r) => r.run.config)),
    problems,
  };
}
