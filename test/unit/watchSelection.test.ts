/**
 * The page's choice of what to play, without a browser: which episodes the library keeps, what
 * the Watch choice plays next, and what it counts as skipped.
 */

import assert from 'node:assert/strict';
import test from 'node:test';
import type { FrameBatch } from '../../src/shared/protocol';
import { EpisodeLibrary } from '../../webview/renderers/episodeLibrary';
import { RecordedEpisode } from '../../webview/renderers/frameQueue';
import { WatchSelection } from '../../webview/renderers/watchSelection';

const none = new Set<RecordedEpisode>();

function whole(episode: number, phase: FrameBatch['phase'] = 'train', evaluation?: FrameBatch['evaluation'], steps = 3): FrameBatch {
  return { episode, firstStep: 0, phase, stride: 1, data: Array.from({ length: steps }, (_, i) => i), episodeLength: steps, ...(evaluation ? { evaluation } : {}) };
}

function addEvaluation(library: EpisodeLibrary, step: number, count: number): void {
  for (let index = 1; index <= count; index++) library.add(whole(index, 'eval', { step, index, count }), 0, none);
}

test('an episode is whole only from step 0 to its length; a gap breaks it; one begun mid-way is not kept', () => {
  const library = new EpisodeLibrary();
  assert.equal(library.add({ episode: 5, firstStep: 2, phase: 'train', stride: 1, data: [1] }, 0, none), null, 'joined mid-episode');
  const episode = library.add({ episode: 6, firstStep: 0, phase: 'train', stride: 1, data: [0, 1] }, 0, none)!;
  assert.equal(episode.complete, false);
  library.add({ episode: 6, firstStep: 2, phase: 'train', stride: 1, data: [2], episodeLength: 3 }, 0, none);
  assert.deepEqual([episode.complete, episode.steps, episode.length], [true, 3, 3]);
  const gapped = library.add({ episode: 7, firstStep: 0, phase: 'train', stride: 1, data: [0] }, 0, none)!;
  library.add({ episode: 7, firstStep: 2, phase: 'train', stride: 1, data: [2], episodeLength: 3 }, 0, none);
  assert.deepEqual([gapped.broken, gapped.complete], [true, false]);
});

test('training: the newest after the one played, the skipped counted, the same again only when looping', () => {
  const library = new EpisodeLibrary();
  const selection = new WatchSelection(library);
  const first = library.add(whole(61), 0, none)!;
  assert.equal(selection.next(null), first);
  library.add(whole(62), 0, none);
  const newest = library.add(whole(70), 0, none)!;
  assert.equal(selection.next(first), newest);
  assert.equal(selection.skipped.trainingEpisodes, 8);
  assert.equal(selection.next(newest), null, 'nothing newer: hold');
  selection.choice = { ...selection.choice, loop: true };
  assert.equal(selection.next(newest), newest);
});

test('evaluations: one start or all in turn, latest or best, and the best survives newer evaluations', () => {
  const library = new EpisodeLibrary();
  const selection = new WatchSelection(library);
  addEvaluation(library, 1000, 3);
  library.setScores(new Map([[1000, -150]]));
  addEvaluation(library, 2000, 3);
  // The row of 2000 has not arrived: it may be the best, so 1000 and 2000 are both kept.
  addEvaluation(library, 3000, 3);
  library.setScores(new Map([[1000, -150], [2000, -300], [3000, -400]]));
  addEvaluation(library, 4000, 3);
  assert.equal(library.evaluationAt(2000), null, 'neither latest nor best: forgotten');
  assert.ok(library.evaluationAt(1000) && library.evaluationAt(4000));

  selection.choice = { source: 'bestEvaluation', start: 'all', loop: false };
  const starts = library.evaluationAt(1000)!.starts;
  assert.equal(selection.next(null), starts[0]);
  assert.equal(selection.next(starts[0]!), starts[1]);
  assert.equal(selection.next(starts[2]!), null, 'after the last start, without Loop: hold');
  selection.choice = { ...selection.choice, loop: true };
  assert.equal(selection.next(starts[2]!), starts[0], 'with Loop: the first again');

  selection.choice = { source: 'latestEvaluation', start: 2, loop: false };
  const latest = library.evaluationAt(4000)!.starts[1]!;
  assert.equal(selection.next(null), latest, 'a new choice starts afresh');
  assert.equal(selection.next(latest), null);
  addEvaluation(library, 5000, 3);
  addEvaluation(library, 6000, 3);
  assert.equal(selection.next(latest), library.evaluationAt(6000)!.starts[1]);
  assert.equal(selection.skipped.evaluations, 1, 'the evaluation at 5000 was passed over');
});
