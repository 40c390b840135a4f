import assert from 'node:assert/strict';
import test from 'node:test';
import type { Batch } from '../../src/agent/engine/engine';
import { Random } from '../../src/agent/random';
import { ReplayBuffer } from '../../src/agent/replayBuffer';

function batchOf(n: number, obsDim: number, actDim: number): Batch {
  return {
    obs: new Float32Array(n * obsDim),
    action: new Float32Array(n * actDim),
    reward: new Float32Array(n),
    nextObs: new Float32Array(n * obsDim),
    terminated: new Float32Array(n),
  };
}

/** Transition i has obs [i, i+.1, i+.2], action [-i], reward i, nextObs obs+1, terminated on multiples of 5. */
function addTransition(buffer: ReplayBuffer, i: number) {
  buffer.add([i, i + 0.1, i + 0.2], [-i], i, [i + 1, i + 1.1, i + 1.2], i % 5 === 0);
}

test('ring buffer wraps around, overwriting the oldest', () => {
  const buffer = new ReplayBuffer(4, 3, 1);
  for (let i = 1; i <= 6; i++) addTransition(buffer, i);
  assert.equal(buffer.size, 4);
  assert.equal(buffer.position, 2);
  const snap = buffer.snapshot();
  assert.deepEqual(Array.from(snap.reward), [5, 6, 3, 4]);
  assert.deepEqual(Array.from(snap.terminated), [1, 0, 0, 0]);
  assert.deepEqual(Array.from(snap.obs.subarray(0, 3)).map((x) => +x.toFixed(4)), [5, 5.1, 5.2]);
  assert.deepEqual(Array.from(snap.nextObs.subarray(3, 6)).map((x) => +x.toFixed(4)), [7, 7.1, 7.2]);
  assert.deepEqual(Array.from(snap.action), [-5, -6, -3, -4]);
});

test('sampling returns whole, consistent transitions from the filled part only', () => {
  const buffer = new ReplayBuffer(100, 3, 1);
  for (let i = 1; i <= 30; i++) addTransition(buffer, i);
  const batch = batchOf(64, 3, 1);
  buffer.sampleInto(batch, new Random(1));
  for (let b = 0; b < 64; b++) {
    const i = batch.reward[b];
    assert.ok(i >= 1 && i <= 30 && Number.isInteger(i));
    assert.equal(batch.action[b], -i);
    assert.ok(Math.abs(batch.obs[b * 3 + 1] - (i + 0.1)) < 1e-5);
    assert.ok(Math.abs(batch.nextObs[b * 3 + 2] - (i + 1.2)) < 1e-5);
    assert.equal(batch.terminated[b], i % 5 === 0 ? 1 : 0);
  }
});

test('sampling is uniform over the stored transitions and reproducible under a seed', () => {
  const buffer = new ReplayBuffer(10, 3, 1);
  for (let i = 0; i < 10; i++) addTransition(buffer, i);
  const batch = batchOf(1000, 3, 1);
  const counts = new Array(10).fill(0);
  const rng = new Random(5);
  for (let k = 0; k < 20; k++) {
    buffer.sampleInto(batch, rng);
    for (const r of batch.reward) counts[r]++;
  }
  for (const c of counts) assert.ok(Math.abs(c - 2000) < 200, `count ${c}`);
  const a = batchOf(8, 3, 1);
  const b = batchOf(8, 3, 1);
  buffer.sampleInto(a, new Random(77));
  buffer.sampleInto(b, new Random(77));
  assert.deepEqual(a.reward, b.reward);
});

test('snapshot and restore reproduce the buffer exactly', () => {
  const buffer = new ReplayBuffer(8, 3, 1);
  for (let i = 1; i <= 11; i++) addTransition(buffer, i);
  const copy = new ReplayBuffer(8, 3, 1);
  copy.restore(buffer.snapshot());
  assert.equal(copy.position, buffer.position);
  assert.equal(copy.size, buffer.size);
  const x = batchOf(16, 3, 1);
  const y = batchOf(16, 3, 1);
  buffer.sampleInto(x, new Random(3));
  copy.sampleInto(y, new Random(3));
  assert.deepEqual(x, y);
  assert.throws(() => new ReplayBuffer(9, 3, 1).restore(buffer.snapshot()), /capacity 8 does not match 9/);
});

test('empty buffer and bad capacity are errors', () => {
  assert.throws(() => new ReplayBuffer(0, 3, 1), /positive integer/);
  assert.throws(() => new ReplayBuffer(4, 3, 1).sampleInto(batchOf(1, 3, 1), new Random(1)), /empty/);
});
