import assert from 'node:assert/strict';
import test from 'node:test';
import { evaluatePolicy, evaluationStart, meanStd } from '../../src/agent/evaluation';

test('evaluation starts: evenly spaced angles covering the circle, fixed, with θ̇ in [-1, 1)', () => {
  for (const n of [1, 2, 10, 37]) {
    const starts = Array.from({ length: n }, (_, e) => evaluationStart(e, n));
    assert.deepEqual(starts, Array.from({ length: n }, (_, e) => evaluationStart(e, n)), 'deterministic');
    starts.forEach(([theta, thetaDot], e) => {
      assert.ok(theta >= -Math.PI && theta < Math.PI, `theta ${theta}`);
      assert.ok(thetaDot >= -1 && thetaDot < 1);
      if (e > 0) assert.ok(Math.abs(theta - starts[e - 1][0] - (2 * Math.PI) / n) < 1e-12, 'spacing 2π/n');
    });
  }
  // Every arc of the circle one spacing wide holds exactly one start: none is left out, none doubled.
  const ten = Array.from({ length: 10 }, (_, e) => evaluationStart(e, 10)[0]);
  const nearBottom = ten.filter((t) => Math.abs(t) > Math.PI - Math.PI / 10).length;
  assert.equal(nearBottom, 1);
});

test('evaluatePolicy runs full deterministic episodes and streams their frames', async () => {
  const frames: number[] = [];
  const zeroTorque = () => new Float32Array([0]);
  const returns = await evaluatePolicy(zeroTorque, { gravity: 10, maxEpisodeSteps: 30 }, 3, (_e, _s, data) => frames.push(...data));
  assert.equal(returns.length, 3);
  assert.equal(frames.length, 3 * 30 * 2);
  assert.deepEqual(await evaluatePolicy(zeroTorque, { gravity: 10, maxEpisodeSteps: 30 }, 3), returns, 'no randomness');
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: 1 });
});
