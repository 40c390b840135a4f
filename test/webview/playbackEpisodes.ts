/**
 * Trainer events of whole episodes, as the trainer's frame recorder sends them, for the playback
 * tests and screenshots: a training episode or an evaluation start in ~100 ms batches, the last
 * one carrying the episode's length; an evaluation's starts with its eval row.
 */

import type { RunConfig } from '../../src/shared/config';
import type { EvalRow, FrameBatch, FrameEvaluationLabel, TrainerToHost } from '../../src/shared/protocol';
import { simulateEpisode, syntheticConfig, type SimulatedEpisode } from './syntheticRun';

/** Steps per batch: the synthetic trainer's 40 steps per 100 ms. */
const STEPS_PER_BATCH = 40;

export function episodeBatches(simulated: SimulatedEpisode, episode: number, phase: FrameBatch['phase'], evaluation?: FrameEvaluationLabel, steps = simulated.length): FrameBatch[] {
  const batches: FrameBatch[] = [];
  const { stride, frames } = simulated;
  for (let first = 0; first < steps; first += STEPS_PER_BATCH) {
    const count = Math.min(STEPS_PER_BATCH, steps - first);
    const last = first + count >= simulated.length;
    batches.push({
      episode, firstStep: first, phase, stride, data: frames.slice(first * stride, (first + count) * stride),
      ...(evaluation ? { evaluation } : {}),
      ...(last ? { episodeLength: simulated.length } : {}),
    });
  }
  return batches;
}

const framesEvents = (batches: FrameBatch[]): TrainerToHost[] => batches.map((frames) => ({ type: 'frames', frames }));

/** Training episode `episode` of the synthetic run, whole (or only its first `steps`: a fragment). */
export function trainingEpisode(episode: number, config: RunConfig = syntheticConfig(), steps?: number): TrainerToHost[] {
  const simulated = simulateEpisode(episode, episode, 'train', config);
  return framesEvents(episodeBatches(simulated, episode, 'train', undefined, steps));
}

/**
 * An evaluation after `trainedEpisodes` at `step`: every start whole, then its row. `mean`
 * overrides the row's mean, so a test can say which evaluation is the best.
 */
export function evaluation(trainedEpisodes: number, step: number, count: number, mean?: number, config: RunConfig = syntheticConfig()): { frames: TrainerToHost[]; row: EvalRow; events: TrainerToHost[] } {
  const frames: TrainerToHost[] = [];
  const returns: number[] = [];
  for (let index = 1; index <= count; index++) {
    const simulated = simulateEpisode(trainedEpisodes, 100_000 + index - 1, 'eval', config);
    returns.push(simulated.return);
    frames.push(...framesEvents(episodeBatches(simulated, index, 'eval', { step, index, count })));
  }
  const average = returns.reduce((a, b) => a + b, 0) / count;
  const std = Math.sqrt(returns.reduce((a, r) => a + (r - average) ** 2, 0) / count);
  const row: EvalRow = { type: 'eval', episode: trainedEpisodes, step, mean: mean ?? average, std, returns, wallTime: step / 800 };
  return { frames, row, events: [...frames, { type: 'eval', row }] };
}
