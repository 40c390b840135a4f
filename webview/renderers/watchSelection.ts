/**
 * What plays next, given what the Watch control asks for and what the page has: the newest
 * training episode; one start, or every start in turn, of the latest or the best evaluation; and
 * whether to start over at the end. Decided only between episodes: whatever plays, plays whole.
 * It also counts what was passed over, so the page can say "skipped 31 training episodes".
 */

import type { EpisodeLibrary, EvaluationRecording } from './episodeLibrary';
import type { RecordedEpisode } from './frameQueue';

export type WatchSource = 'training' | 'latestEvaluation' | 'bestEvaluation';

export interface WatchChoice {
  source: WatchSource;
  /** Which evaluation start (1-based), or every start in turn. */
  start: number | 'all';
  loop: boolean;
}

export const DEFAULT_WATCH: WatchChoice = { source: 'training', start: 'all', loop: false };

export interface SkipCounts {
  trainingEpisodes: number;
  evaluations: number;
}

export class WatchSelection {
  choice: WatchChoice = { ...DEFAULT_WATCH };
  readonly skipped: SkipCounts = { trainingEpisodes: 0, evaluations: 0 };

  constructor(private readonly library: EpisodeLibrary) {}

  /** The evaluation the choice points at (latest or best), if the page has one. */
  chosenEvaluation(): EvaluationRecording | null {
    if (this.choice.source === 'latestEvaluation') return this.library.latestEvaluation();
    if (this.choice.source === 'bestEvaluation') return this.library.bestEvaluation();
    return null;
  }

  /**
   * The episode to play after `previous` (just finished, or null to start afresh). Returns
   * `previous` itself to play it again, null to hold its last pose until something arrives.
   * Skipped counts move only when `commit` is set: the player also asks just to look.
   */
  next(previous: RecordedEpisode | null, commit = true): RecordedEpisode | null {
    const next = this.choice.source === 'training' ? this.nextTraining(previous) : this.nextEvaluationStart(previous);
    if (commit && next && previous && next !== previous) this.countSkipped(previous, next);
    return next;
  }

  resetCounts(): void {
    this.skipped.trainingEpisodes = 0;
    this.skipped.evaluations = 0;
  }

  private nextTraining(previous: RecordedEpisode | null): RecordedEpisode | null {
    const newest = this.library.latestTraining();
    if (newest && newest !== previous && !(previous?.phase === 'train' && newest.episode < previous.episode)) return newest;
    return this.again(previous);
  }

  private nextEvaluationStart(previous: RecordedEpisode | null): RecordedEpisode | null {
    const evaluation = this.chosenEvaluation();
    if (!evaluation) return null;
    const start = this.choice.start;
    const inThisEvaluation = previous?.phase === 'eval' && previous.evaluation?.step === evaluation.step;
    if (start !== 'all') {
      const target = evaluation.starts[start - 1] ?? null;
      return target !== previous ? target : this.again(previous);
    }
    if (!inThisEvaluation || !previous?.evaluation) return evaluation.starts[0] ?? null;
    const following = previous.evaluation.index + 1;
    const count = evaluation.count || evaluation.starts.length;
    if (following <= count) return evaluation.starts[following - 1] ?? null;
    return this.choice.loop ? (evaluation.starts[0] ?? null) : null;
  }

  /** At the end with nothing new: the same episode again when looping, if it is whole. */
  private again(previous: RecordedEpisode | null): RecordedEpisode | null {
    return this.choice.loop && previous && !previous.broken ? previous : null;
  }

  private countSkipped(previous: RecordedEpisode, next: RecordedEpisode): void {
    if (previous.phase === 'train' && next.phase === 'train') {
      this.skipped.trainingEpisodes += Math.max(0, next.episode - previous.episode - 1);
    } else if (this.choice.source === 'latestEvaluation' && previous.evaluation && next.evaluation && previous.evaluation.step !== next.evaluation.step) {
      this.skipped.evaluations += this.library.evaluationsBetween(previous.evaluation.step, next.evaluation.step);
    }
  }
}
