/**
 * What the environment card says about the episode it plays: a short title and a badge for the
 * canvas ("Training episode 812", "Evaluation · start 3/10", "TRAINING" / "FINISHED"), the caption
 * under it ("training episode 812 — training is at 845", "evaluation at step 40,000, start 3 of
 * 10"), and the note of what was skipped.
 */

import type { EvalRow, RunStatus } from '../../src/shared/protocol';
import { formatInteger, formatReturn } from '../format';
import type { RecordedEpisode } from './frameQueue';
import type { SkipCounts, WatchChoice } from './watchSelection';

/** What the card knows of the run beside the episode itself. */
export interface PlaybackContext {
  /** 'evaluate': a checkpoint is being evaluated (its name, for the labels). */
  checkpointName: string | null;
  state: RunStatus;
  /** The run's trainer has ended: what plays is a recording of a finished run. */
  ended: boolean;
  completedEpisodes: number;
  choice: WatchChoice;
  /** The eval row of the evaluation at `step`, once it has arrived. */
  evalAt(step: number): EvalRow | undefined;
  /** The evaluation being played is the best one the page has. */
  isBest(step: number): boolean;
}

export interface EpisodeLabels {
  title: string;
  badge: string;
  caption: string;
  /** For the canvas's accessible name. */
  short: string;
}

const STATE_BADGES: Partial<Record<RunStatus, string>> = { finished: 'FINISHED', stopped: 'STOPPED', crashed: 'CRASHED', interrupted: 'INTERRUPTED' };

export function episodeLabels(episode: RecordedEpisode, context: PlaybackContext): EpisodeLabels {
  const badge = (context.ended && STATE_BADGES[context.state]) || (episode.phase === 'eval' ? 'EVALUATION' : 'TRAINING');
  if (episode.phase === 'train') {
    const at = Math.max(context.completedEpisodes, episode.episode);
    const progress = context.ended ? `, from the run's end (episode ${formatInteger(at)})` : ` — training is at ${formatInteger(at)}`;
    return {
      title: `Training episode ${formatInteger(episode.episode)}`,
      badge,
      caption: `Training episode ${formatInteger(episode.episode)}${progress}: the actor's action plus exploration noise.${loopNote(context, 'train')}`,
      short: `training episode ${episode.episode}`,
    };
  }
  const label = episode.evaluation;
  const index = label?.index ?? episode.episode;
  const count = label?.count ?? 0;
  const of = count > 0 ? ` of ${count}` : '';
  // A checkpoint's evaluation has its own returns (the results beside); the run's rows are the training-time ones.
  const row = label && context.checkpointName === null ? context.evalAt(label.step) : undefined;
  const episodeReturn = row?.returns[index - 1];
  const returnNote = episodeReturn !== undefined ? ` (return ${formatReturn(episodeReturn)})` : '';
  let what: string;
  let heading = 'Evaluation';
  if (context.checkpointName !== null) {
    what = `Checkpoint ${context.checkpointName}${label && label.step >= 0 ? ` (step ${formatInteger(label.step)})` : ''}, start ${index}${of}`;
  } else {
    const best = label !== null && context.choice.source === 'bestEvaluation' && context.isBest(label.step);
    const mean = row ? `, mean ${formatReturn(row.mean)}` : '';
    if (best) heading = 'Best evaluation';
    what = best
      ? `Best evaluation (step ${formatInteger(label.step)}${mean}), start ${index}${of}`
      : `Evaluation at step ${label && label.step >= 0 ? formatInteger(label.step) : '?'}, start ${index}${of}`;
  }
  return {
    title: `${heading} · start ${index}${count > 0 ? `/${count}` : ''}`,
    badge,
    caption: `${what}${returnNote}: the deterministic policy, without exploration noise.${loopNote(context, 'eval')}`,
    short: `evaluation, start ${index}${of}`,
  };
}

function loopNote(context: PlaybackContext, phase: RecordedEpisode['phase']): string {
  // Once the choice has moved on (the run ended) the episode finishing now is not what loops.
  if (!context.choice.loop || (phase === 'train') !== (context.choice.source === 'training')) return '';
  if (phase === 'train') return ' Replayed until the next one arrives.';
  return context.choice.start === 'all' ? ' All starts, on a loop.' : ' On a loop.';
}

/** Said after the caption when the episode has been played to its end and nothing else is due yet. */
export function holdingNote(choice: WatchChoice, hasEvaluation: boolean): string {
  if (choice.source === 'training') return ' Played to its end; the next whole episode follows.';
  if (!hasEvaluation) return '';
  return ' Played to its end; tick Loop to play it again.';
}

/** What the Watch choice is waiting for when it has nothing to play yet. */
export function waitingNote(choice: WatchChoice): string | null {
  if (choice.source === 'training') return null;
  return 'No evaluation has been streamed to this dashboard yet: evaluations play here as they run.';
}

export function skippedNote(skipped: SkipCounts): string {
  const parts: string[] = [];
  if (skipped.trainingEpisodes > 0) {
    parts.push(`skipped ${formatInteger(skipped.trainingEpisodes)} training episode${skipped.trainingEpisodes === 1 ? '' : 's'}`);
  }
  if (skipped.evaluations > 0) parts.push(`${parts.length > 0 ? '' : 'skipped '}${formatInteger(skipped.evaluations)} evaluation${skipped.evaluations === 1 ? '' : 's'}`);
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}
