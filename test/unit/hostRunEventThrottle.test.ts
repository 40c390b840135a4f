/** Statuses to the dashboard are thinned; nothing else is (frames neither), and the last status always arrives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStatus, TrainerToHost } from '../../src/shared/protocol';
import { RunEventThrottle } from '../../src/extension/runEventThrottle';
import { ManualClock } from '../helpers/hostFakes';

const status = (state: RunStatus, step: number): TrainerToHost => ({
  type: 'status',
  status: { state, episode: 0, totalEpisodes: null, step, totalSteps: null, stepsPerSecond: 0, elapsedSeconds: 0, latestEval: null, bestEval: null },
});
const frames = (firstStep: number): TrainerToHost => ({ type: 'frames', frames: { episode: 1, firstStep, phase: 'train', stride: 2, data: [0, 0] } });
const episode = (n: number): TrainerToHost => ({
  type: 'episode',
  row: { type: 'episode', episode: n, step: n, return: 0, length: 1, criticLoss: null, actorLoss: null, meanQ: null, wallTime: 0 },
});
const describe = (e: TrainerToHost) => (e.type === 'status' ? `status:${e.status.state}:${e.status.step}` : e.type === 'frames' ? `frames:${e.frames.firstStep}` : e.type === 'episode' ? `episode:${e.row.episode}` : e.type);

function setup() {
  const clock = new ManualClock();
  const sent: string[] = [];
  const throttle = new RunEventThrottle((e) => sent.push(describe(e)), { statusIntervalMs: 200 }, clock);
  return { clock, sent, throttle };
}

test('statuses within the interval collapse to the latest, sent when the interval ends', () => {
  const { clock, sent, throttle } = setup();
  throttle.push(status('running', 1));
  clock.advance(10);
  throttle.push(status('running', 2));
  clock.advance(10);
  throttle.push(status('running', 3));
  assert.deepEqual(sent, ['status:running:1']);
  clock.advance(180);
  assert.deepEqual(sent, ['status:running:1', 'status:running:3']);
});

test('a change of state is sent at once', () => {
  const { clock, sent, throttle } = setup();
  throttle.push(status('running', 1));
  clock.advance(5);
  throttle.push(status('running', 2));
  throttle.push(status('paused', 3));
  assert.deepEqual(sent, ['status:running:1', 'status:paused:3']);
  clock.advance(500);
  assert.deepEqual(sent, ['status:running:1', 'status:paused:3'], 'the superseded running status is not sent late');
});

test('episodes always pass, in order; the held status is flushed before exiting', () => {
  const { clock, sent, throttle } = setup();
  throttle.push(status('running', 1));
  throttle.push(episode(1));
  throttle.push(status('running', 2));
  throttle.push(episode(2));
  throttle.push({ type: 'exiting', status: 'finished' });
  assert.deepEqual(sent, ['status:running:1', 'episode:1', 'episode:2', 'status:running:2', 'exiting']);
  clock.advance(1000);
  assert.equal(sent.length, 5);
});

test('frame batches all pass, however close together: each belongs to an episode played whole', () => {
  const { clock, sent, throttle } = setup();
  throttle.push(frames(0));
  clock.advance(20);
  throttle.push(frames(10));
  clock.advance(40);
  throttle.push(frames(20));
  assert.deepEqual(sent, ['frames:0', 'frames:10', 'frames:20']);
});

test('reset forgets a held status', () => {
  const { clock, sent, throttle } = setup();
  throttle.push(status('running', 1));
  throttle.push(status('running', 2));
  throttle.reset();
  clock.advance(1000);
  assert.deepEqual(sent, ['status:running:1']);
  throttle.push(status('running', 3));
  assert.deepEqual(sent, ['status:running:1', 'status:running:3'], 'after a reset the next status goes at once');
});
