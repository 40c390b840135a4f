import assert from 'node:assert/strict';
import test from 'node:test';
import { Random } from '../../src/agent/random';

test('same seed, same stream; different seeds differ', () => {
  const a = new Random(123);
  const b = new Random(123);
  const c = new Random(124);
  const sa = Array.from({ length: 100 }, () => a.nextUint32());
  const sb = Array.from({ length: 100 }, () => b.nextUint32());
  const sc = Array.from({ length: 100 }, () => c.nextUint32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
  assert.ok(sa.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
});

test('saved state restores the exact continuation, including a pending normal', () => {
  const r = new Random(9);
  r.normal(); // leaves a spare Box–Muller variate pending
  const state = r.getState();
  const expected = [r.normal(), r.next(), r.int(17), r.normal(), r.normal()];
  const restored = new Random(0);
  restored.setState(JSON.parse(JSON.stringify(state)) as typeof state);
  assert.deepEqual([restored.normal(), restored.next(), restored.int(17), restored.normal(), restored.normal()], expected);
});

test('uniform, int and normal have the right statistics', () => {
  const r = new Random(2024);
  const n = 200_000;
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const u = r.next();
    sum += u;
    sumSq += u * u;
    min = Math.min(min, u);
    max = Math.max(max, u);
  }
  assert.ok(min >= 0 && max < 1);
  assert.ok(Math.abs(sum / n - 0.5) < 0.005);
  assert.ok(Math.abs(sumSq / n - sum ** 2 / n ** 2 - 1 / 12) < 0.002);

  const counts = new Array(7).fill(0);
  for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `int(7) bucket ${c}`);

  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s1 += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s1 / n) < 0.01, `normal mean ${s1 / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 0.015, `normal variance ${s2 / n}`);
});

test('int rejects n <= 0', () => {
  assert.throws(() => new Random(1).int(0), /n > 0/);
});
