/**
 * The episodes the page keeps to play: the newest training episodes, and evaluations grouped by
 * the step they ran at (each a set of starts). Only what the Watch control can ask for is kept —
 * the newest training episodes, the latest evaluation, the best one and whatever is playing — so
 * memory stays bounded however long the run.
 */

import type { FrameBatch, FrameEvaluationLabel } from '../../src/shared/protocol';
import { RecordedEpisode } from './frameQueue';

/** One evaluation's starts, as they arrive. */
export interface EvaluationRecording {
  /** The training step it ran at (the key the eval rows share). */
  step: number;
  /** Its number of starts (0 when the batches did not say). */
  count: number;
  /** Start k at index k − 1. */
  starts: (RecordedEpisode | undefined)[];
}

/** Training episodes kept: the one playing may be older, the player holds that one itself. */
const TRAINING_EPISODES_KEPT = 3;
/** Evaluations kept while their row is still to come, besides the latest. */
const UNSCORED_EVALUATIONS_KEPT = 2;
/** Fallback key for evaluation frames that carry no label (an older trainer). */
const UNLABELLED_STEP = -1;

export class EpisodeLibrary {
  private training: RecordedEpisode[] = [];
  private readonly evaluations = new Map<number, EvaluationRecording>();
  /** Every evaluation step seen, in order of arrival, even those no longer kept: the skipped count needs them. */
  private readonly evaluationSteps: number[] = [];
  private latestStep: number | null = null;
  private scores = new Map<number, number>();
  /** Used for unlabelled evaluation frames: a checkpoint evaluation's step and episode count. */
  private fallbackEvaluation: { step: number; count: number } | null = null;

  /** Evaluation means by step (the eval rows): what "best" means. */
  setScores(scores: ReadonlyMap<number, number>): void {
    this.scores = new Map(scores);
  }

  setFallbackEvaluation(fallback: { step: number; count: number } | null): void {
    this.fallbackEvaluation = fallback;
  }

  /**
   * Files a batch under its episode. A batch that begins an episode not seen yet must start at
   * step 0: a page that joins mid-episode waits for the next whole one.
   * @returns the episode it extended or began, or null when it was not kept
   */
  add(batch: FrameBatch, now: number, keep: ReadonlySet<RecordedEpisode>): RecordedEpisode | null {
    return batch.phase === 'train' ? this.addTraining(batch, now) : this.addEvaluation(batch, now, keep);
  }

  latestTraining(): RecordedEpisode | null {
    return this.training.at(-1) ?? null;
  }

  latestEvaluation(): EvaluationRecording | null {
    return this.latestStep === null ? null : (this.evaluations.get(this.latestStep) ?? null);
  }

  /** The kept evaluation with the highest mean; without any score yet, the latest. */
  bestEvaluation(): EvaluationRecording | null {
    let best: EvaluationRecording | null = null;
    let bestScore = -Infinity;
    for (const recording of this.evaluations.values()) {
      const score = this.scores.get(recording.step);
      if (score !== undefined && score > bestScore) {
        best = recording;
        bestScore = score;
      }
    }
    return best ?? this.latestEvaluation();
  }

  evaluationAt(step: number): EvaluationRecording | null {
    return this.evaluations.get(step) ?? null;
  }

  scoreOf(step: number): number | null {
    return this.scores.get(step) ?? null;
  }

  /** Evaluations that arrived after the one at `from` and before the one at `to`. */
  evaluationsBetween(from: number, to: number): number {
    const a = this.evaluationSteps.indexOf(from);
    const b = this.evaluationSteps.indexOf(to);
    return a >= 0 && b > a ? b - a - 1 : 0;
  }

  get hasEvaluations(): boolean {
    return this.evaluations.size > 0;
  }

  clear(): void {
    this.training = [];
    this.evaluations.clear();
    this.evaluationSteps.length = 0;
    this.latestStep = null;
  }

  private addTraining(batch: FrameBatch, now: number): RecordedEpisode | null {
    const known = this.training.find((e) => e.episode === batch.episode);
    if (known) {
      known.append(batch);
      return known;
    }
    if (batch.firstStep !== 0) return null;
    const latest = this.latestTraining();
    // An older episode arriving late (or a restarted count) replaces nothing newer.
    if (latest && batch.episode < latest.episode) return null;
    const episode = new RecordedEpisode(batch, null, now);
    this.training.push(episode);
    if (this.training.length > TRAINING_EPISODES_KEPT) this.training.splice(0, this.training.length - TRAINING_EPISODES_KEPT);
    return episode;
  }

  private addEvaluation(batch: FrameBatch, now: number, keep: ReadonlySet<RecordedEpisode>): RecordedEpisode | null {
    const label = this.labelOf(batch);
    let recording = this.evaluations.get(label.step);
    if (!recording) {
      if (batch.firstStep !== 0) return null;
      recording = { step: label.step, count: label.count, starts: [] };
      this.evaluations.set(label.step, recording);
      this.evaluationSteps.push(label.step);
      this.latestStep = label.step;
      this.prune(keep);
    }
    recording.count = Math.max(recording.count, label.count, label.index);
    const known = recording.starts[label.index - 1];
    if (known) {
      known.append(batch);
      return known;
    }
    if (batch.firstStep !== 0) return null;
    const episode = new RecordedEpisode(batch, label, now);
    recording.starts[label.index - 1] = episode;
    return episode;
  }

  private labelOf(batch: FrameBatch): FrameEvaluationLabel {
    if (batch.evaluation) return batch.evaluation;
    const fallback = this.fallbackEvaluation;
    return { step: fallback?.step ?? UNLABELLED_STEP, index: batch.episode, count: fallback?.count ?? 0 };
  }

  /**
   * Keeps the latest evaluation, the best, any holding an episode in `keep`, and any whose row
   * (its mean) has not arrived yet: the row follows the frames, often in the same message, and
   * until then it may be the best. The oldest of those go first should rows never come.
   */
  private prune(keep: ReadonlySet<RecordedEpisode>): void {
    const best = this.bestEvaluation();
    let unscored = 0;
    for (const step of [...this.evaluations.keys()].reverse()) {
      const recording = this.evaluations.get(step)!;
      const playing = recording.starts.some((start) => start !== undefined && keep.has(start));
      if (step === this.latestStep || recording === best || playing) continue;
      if (!this.scores.has(step) && ++unscored <= UNSCORED_EVALUATIONS_KEPT) continue;
      this.evaluations.delete(step);
    }
  }
}
