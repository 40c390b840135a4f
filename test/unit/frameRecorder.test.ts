/**
 * The frame recorder paces whole training episodes to the page's real-time playback: an episode
 * is recorded from its first step only once the previous one sent has had time to play.
 */

import assert from 'node:assert/strict';
import test from 'node:test';
import { FrameRecorder } from '../../src/agent/trainer/frameRecorder';
import type { FrameBatch } from '../../src/shared/protocol';

/** A recorder on a clock the test moves; Pendulum's dt (20 steps a second of playback). */
function setup(enabled = true) {
  let time = 0;
  const sent: FrameBatch[] = [];
  const recorder = new FrameRecorder({ stride: 2, stepSeconds: 0.05, send: (b) => sent.push(b), enabled, now: () => time });
  /** One training episode of `steps` steps, `msPerStep` of training each, flushing as the trainer's loop does. */
  const episode = (number: number, steps: number, msPerStep: number) => {
    recorder.startEpisode(number);
    for (let s = 0; s < steps; s++) {
      time += msPerStep;
      if (recorder.isRecording) recorder.record([s, 0]);
      recorder.flushIfDue();
    }
    recorder.endEpisode();
  };
  return { recorder, sent, episode, advance: (ms: number) => (time += ms) };
}

const recordedEpisodes = (sent: FrameBatch[]) => [...new Set(sent.map((b) => b.episode))];

test('faster than real time: one whole episode per playing time, the ones between are not recorded', () => {
  const { sent, episode } = setup();
  // 200 steps in 200 ms of training: 50× real time, so an episode plays for 10 s, 50 episodes' training.
  for (let e = 1; e <= 120; e++) episode(e, 200, 1);
  assert.deepEqual(recordedEpisodes(sent), [1, 51, 101]);
  for (const number of [1, 51, 101]) {
    const batches = sent.filter((b) => b.episode === number);
    assert.ok(batches.length >= 2, 'sent in batches of about 100 ms, not all at the end');
    assert.deepEqual(batches.map((b) => b.firstStep), batches.map((_, i) => batches.slice(0, i).reduce((n, b) => n + b.data.length / 2, 0)));
    assert.equal(batches.at(-1)!.episodeLength, 200);
    assert.ok(batches.slice(0, -1).every((b) => b.episodeLength === undefined));
    assert.deepEqual(batches.flatMap((b) => b.data.filter((_, i) => i % 2 === 0)), Array.from({ length: 200 }, (_, s) => s), 'every step, in order');
  }
});

test('slower than real time: every episode is recorded', () => {
  const { sent, episode } = setup();
  for (let e = 1; e <= 5; e++) episode(e, 50, 60);
  assert.deepEqual(recordedEpisodes(sent), [1, 2, 3, 4, 5]);
});

test('turned off mid-episode, that episode is dropped; turned on, the next episode to start is recorded whole', () => {
  const { recorder, sent, episode } = setup();
  recorder.startEpisode(1);
  recorder.record([0, 0]);
  recorder.setEnabled(false);
  recorder.record([1, 0]);
  recorder.endEpisode();
  assert.equal(sent.length, 0);
  episode(2, 10, 1);
  assert.equal(sent.length, 0, 'off: nothing recorded');
  recorder.setEnabled(true);
  episode(3, 10, 1);
  assert.deepEqual(recordedEpisodes(sent), [3], 'a page that just opened gets the next episode at once');
});

test('evaluation frames pass through whole with their labels, only while streaming is on', () => {
  const { recorder, sent } = setup();
  const sink = recorder.evaluationSink();
  assert.ok(sink);
  sink(2, 0, [0.5, 1], 2, { evaluation: { step: 4000, index: 2, count: 5 }, episodeLength: 1 });
  assert.deepEqual(sent, [{ episode: 2, firstStep: 0, phase: 'eval', stride: 2, data: [0.5, 1], evaluation: { step: 4000, index: 2, count: 5 }, episodeLength: 1 }]);
  recorder.setEnabled(false);
  sink(3, 0, [0.5, 1], 2, { evaluation: { step: 4000, index: 3, count: 5 } });
  assert.equal(sent.length, 1);
  assert.equal(recorder.evaluationSink(), undefined);
});
