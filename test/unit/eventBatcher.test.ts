/**
 * The trainer's outgoing event batching (src/agent/eventBatcher.ts) against a fake clock: what
 * waits, what goes at once, that order never changes and that nothing is left queued.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBatcher, type SentCallback } from '../../src/agent/eventBatcher';
import type { CheckpointManifest, RunStatus, TrainerMessage, TrainerToHost } from '../../src/shared/protocol';

function harness(maxEvents = 100) {
  const sent: { message: TrainerMessage; onSent?: SentCallback }[] = [];
  const timers = new Map<number, { callback: () => void; due: number }>();
  let now = 0;
  let nextId = 1;
  const batcher = new EventBatcher({
    send: (message, onSent) => sent.push({ message, onSent }),
    intervalMs: 50,
    maxEvents,
    setTimer: (callback, ms) => {
      timers.set(nextId, { callback, due: now + ms });
      return nextId++;
    },
    clearTimer: (handle) => timers.delete(handle as number),
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...timers]) {
      if (timer.due <= now) {
        timers.delete(id);
        timer.callback();
      }
    }
  };
  /** The events of every message sent so far, unpacked, in order. */
  const delivered = () => sent.flatMap(({ message }) => (message.type === 'batch' ? message.events : [message]));
  return { batcher, sent, timers, advance, delivered };
}

const episode = (n: number): TrainerToHost => ({
  type: 'episode',
  row: { type: 'episode', episode: n, step: n * 60, return: -n, length: 60, criticLoss: null, actorLoss: null, meanQ: null, wallTime: n / 100 },
});
const status = (state: RunStatus): TrainerToHost => ({
  type: 'status',
  status: { state, episode: 0, totalEpisodes: null, step: 0, totalSteps: null, stepsPerSecond: 0, elapsedSeconds: 0, latestEval: null, bestEval: null },
});
const checkpoint = (requestId?: number): TrainerToHost => ({
  type: 'checkpoint',
  dir: '/runs/r/checkpoints/x',
  manifest: {} as CheckpointManifest,
  ...(requestId !== undefined ? { requestId } : {}),
});
const log = (message: string): TrainerToHost => ({ type: 'log', level: 'warn', message });

test('routine events wait for the interval and go out as one batch, in order, with one timer', () => {
  const h = harness();
  h.batcher.push(status('running')); // the first status is a new state: sent at once
  h.sent.length = 0;
  for (let n = 1; n <= 5; n++) h.batcher.push(episode(n));
  h.batcher.push(status('running'));
  h.batcher.push(log('slow'));
  h.batcher.push(checkpoint()); // periodic
  assert.equal(h.sent.length, 0, 'nothing before the interval');
  assert.equal(h.timers.size, 1);
  h.advance(49);
  assert.equal(h.sent.length, 0);
  h.advance(1);
  assert.equal(h.sent.length, 1);
  const message = h.sent[0].message;
  assert.equal(message.type, 'batch');
  assert.deepEqual(message.type === 'batch' && message.events, [episode(1), episode(2), episode(3), episode(4), episode(5), status('running'), log('slow'), checkpoint()]);
  assert.equal(h.batcher.queued, 0);
  assert.equal(h.timers.size, 0, 'no timer while nothing is queued');
  h.advance(1000);
  assert.equal(h.sent.length, 1, 'no empty messages');
});

test('an event that is alone when the interval ends is sent as itself, not as a batch of one', () => {
  const h = harness();
  h.batcher.push(episode(1));
  h.advance(50);
  assert.deepEqual(h.sent.map((s) => s.message), [episode(1)]);
});

test('events someone waits on go at once, after everything queued before them, in the same message', () => {
  const urgent: TrainerToHost[] = [
    { type: 'started', engine: { engine: 'wasm', backend: 'x' } as never, run: { id: 'r' } as never },
    checkpoint(7),
    { type: 'error', message: 'boom' },
    { type: 'evaluation', checkpointDir: '/c', returns: [-1], mean: -1, std: 0 },
    { type: 'exiting', status: 'finished' },
  ];
  for (const event of urgent) {
    const h = harness();
    h.batcher.push(episode(1));
    h.batcher.push(episode(2));
    h.batcher.push(event);
    assert.equal(h.sent.length, 1, `${event.type} is not held back`);
    assert.deepEqual(h.sent[0].message, { type: 'batch', events: [episode(1), episode(2), event] });
    assert.equal(h.timers.size, 0, `${event.type}: the pending timer is cancelled`);
    h.advance(100);
    assert.equal(h.sent.length, 1);
  }
});

test('a status goes at once when its state is new (pause, resume, stop acknowledged); a repeated state waits', () => {
  const h = harness();
  const sentNow = (event: TrainerToHost) => {
    const before = h.sent.length;
    h.batcher.push(event);
    return h.sent.length > before;
  };
  assert.equal(sentNow(status('running')), true);
  assert.equal(sentNow(status('running')), false);
  assert.equal(sentNow(episode(1)), false);
  assert.equal(sentNow(status('paused')), true);
  assert.equal(sentNow(status('paused')), false);
  assert.equal(sentNow(status('running')), true);
  assert.equal(sentNow(status('stopped')), true);
  h.advance(50);
  assert.deepEqual(h.delivered(), [status('running'), status('running'), episode(1), status('paused'), status('paused'), status('running'), status('stopped')]);
});

test('a state seen in a queued status is not new again', () => {
  const h = harness();
  h.batcher.push(status('running'));
  h.batcher.push(episode(1));
  h.batcher.push(status('running'));
  assert.equal(h.batcher.queued, 2);
});

test('an event pushed with a callback goes at once, and the callback belongs to the message carrying it', () => {
  const h = harness();
  h.batcher.push(episode(1));
  h.batcher.push(log('queued'));
  const calls: (Error | null)[] = [];
  h.batcher.push(log('last words'), (error) => calls.push(error));
  assert.equal(h.sent.length, 1);
  assert.deepEqual(h.sent[0].message, { type: 'batch', events: [episode(1), log('queued'), log('last words')] });
  assert.equal(calls.length, 0, 'called by the channel, not by the batcher');
  h.sent[0].onSent?.(null);
  assert.deepEqual(calls, [null]);
});

test('flush sends what is queued at once; with nothing queued it only reports success', () => {
  const h = harness();
  h.batcher.push(episode(1));
  h.batcher.flush();
  assert.deepEqual(h.sent.map((s) => s.message), [episode(1)]);
  assert.equal(h.timers.size, 0);
  let reported: Error | null | undefined;
  h.batcher.flush((error) => (reported = error));
  assert.equal(reported, null);
  assert.equal(h.sent.length, 1);
});

test('a burst longer than maxEvents is cut into batches of maxEvents without waiting', () => {
  const h = harness(4);
  for (let n = 1; n <= 10; n++) h.batcher.push(episode(n));
  assert.deepEqual(h.sent.map((s) => (s.message.type === 'batch' ? s.message.events.length : 1)), [4, 4]);
  assert.equal(h.batcher.queued, 2);
  h.advance(50);
  assert.deepEqual(h.delivered(), Array.from({ length: 10 }, (_, i) => episode(i + 1)));
});

test('the timer starts with the first queued event, so no event waits longer than the interval', () => {
  const h = harness();
  h.batcher.push(episode(1));
  h.advance(30);
  h.batcher.push(episode(2));
  h.advance(20);
  assert.equal(h.sent.length, 1, 'episode 1 waited 50 ms, not 50 ms after the latest event');
  h.batcher.push(episode(3));
  h.advance(49);
  assert.equal(h.sent.length, 1);
  h.advance(1);
  assert.deepEqual(h.delivered(), [episode(1), episode(2), episode(3)]);
});
