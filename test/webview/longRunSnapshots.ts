/**
 * Snapshots of long synthetic runs for the chart tests and screenshots: a run thousands of
 * episodes long, and a run resumed from a checkpoint of another (whose history before the resume
 * point the trainer copies into the resumed run's metrics).
 */

import type { RunSnapshot, ShowRunMessage } from '../../src/shared/protocol';
import { SyntheticRun } from './syntheticRun';

/** A finished run of `episodes` episodes, as the host's showRun would carry it. */
export function longRunMessage(episodes: number): ShowRunMessage {
  const run = new SyntheticRun(episodes);
  const info = run.runInfo('finished');
  const snapshot: RunSnapshot = {
    run: { ...info, config: { ...info.config, episodes } },
    status: { ...run.status('finished'), totalEpisodes: episodes },
    episodes: run.episodes,
    evals: run.evals,
    checkpoints: run.checkpoints.slice(-8),
    live: false,
  };
  return { type: 'showRun', snapshot, mode: { kind: 'live' } };
}

export const PARENT_RUN_ID = '2025-11-22T09-00-00-pendulum';

/** A run resumed at episode `resumedAt` of its parent that has since trained to `episodes`. */
export function resumedRunMessage(resumedAt: number, episodes: number): ShowRunMessage {
  const message = longRunMessage(episodes);
  const checkpointRow = message.snapshot.episodes[resumedAt - 1];
  message.snapshot.run.resumedFrom = {
    runId: PARENT_RUN_ID,
    checkpoint: `/runs/${PARENT_RUN_ID}/checkpoints/ep${String(resumedAt).padStart(4, '0')}`,
    episode: checkpointRow.episode,
    step: checkpointRow.step,
  };
  return message;
}
