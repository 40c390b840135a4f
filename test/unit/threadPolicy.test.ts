import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AdaptiveThreadPolicy, type ThreadCount } from '../../src/agent/engine/wasm/threadPolicy';

/** Drives the policy for `updates` updates with a fixed update time per mode; returns the modes it ran. */
function drive(policy: AdaptiveThreadPolicy, updates: number, msFor: (threads: ThreadCount, update: number) => number): ThreadCount[] {
  const modes: ThreadCount[] = [];
  for (let k = 0; k < updates; k++) {
    const threads = policy.threads;
    modes.push(threads);
    policy.record(msFor(threads, k));
  }
  return modes;
}

const count = (modes: ThreadCount[], threads: ThreadCount) => modes.filter((m) => m === threads).length;
const OPTIONS = { window: 10, minStretch: 100, maxStretch: 800, margin: 0.1 };

describe('adaptive thread policy', () => {
  it('probes two threads, then one, then settles on two when they are clearly faster', () => {
    const policy = new AdaptiveThreadPolicy(OPTIONS);
    const modes = drive(policy, 2000, (threads) => (threads === 2 ? 1.1 : 1.9));
    assert.deepEqual(modes.slice(0, 20), [...Array<number>(10).fill(2), ...Array<number>(10).fill(1)]);
    assert.equal(modes[20], 2);
    // Re-probing one thread costs a window per stretch, and stretches double: 100, 200, 400, 800, 800.
    assert.ok(count(modes, 1) <= 10 + 5 * 10, `${count(modes, 1)} updates on one thread`);
    assert.equal(policy.switches, 0);
  });

  it('keeps one thread when two are not faster by the margin (same speed, twice the CPU)', () => {
    const policy = new AdaptiveThreadPolicy(OPTIONS);
    const modes = drive(policy, 2000, (threads) => (threads === 2 ? 1.85 : 1.9));
    assert.ok(modes.slice(20).filter((m) => m === 2).length <= 5 * 10, 'only probe windows on two threads');
    assert.equal(modes[modes.length - 1], 1);
  });

  it('follows the machine: switches when the other mode becomes faster, and back', () => {
    const policy = new AdaptiveThreadPolicy(OPTIONS);
    // Two threads win for the first 1000 updates, then a neighbour takes the second core.
    const modes = drive(policy, 3000, (threads, k) => (threads === 2 ? (k < 1000 ? 1.1 : 3.5) : 1.9));
    assert.equal(modes[900], 2);
    const afterChange = modes.slice(1000);
    const backToOne = afterChange.indexOf(1);
    assert.ok(backToOne >= 0 && backToOne <= 800 + 10, `back to one thread ${backToOne} updates after the change`);
    assert.equal(modes[2999], 1);
    assert.equal(policy.switches, 1);
  });

  it('is not fooled by one slow update in a window (median, not mean)', () => {
    const policy = new AdaptiveThreadPolicy(OPTIONS);
    // The first update on two threads pays for waking the helper.
    const modes = drive(policy, 200, (threads, k) => (threads === 2 ? (k === 0 ? 40 : 1.1) : 1.9));
    assert.equal(modes[199], 2);
  });

  it('rejects nonsensical options', () => {
    assert.throws(() => new AdaptiveThreadPolicy({ window: 0 }), /window must be a positive integer/);
    assert.throws(() => new AdaptiveThreadPolicy({ minStretch: 10, maxStretch: 5 }), /minStretch ≤ maxStretch/);
    assert.throws(() => new AdaptiveThreadPolicy({ margin: 1 }), /margin must be in \[0, 1\)/);
  });
});
