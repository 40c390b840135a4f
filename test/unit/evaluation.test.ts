import assert from 'node:assert/strict';
import test from 'node:test';
import { evaluatePolicy, meanStd } from '../../src/agent/evaluation';
import { makeEnv } from '../../src/agent/env/index';
import { resolveConfig, type RunConfig } from '../../src/shared/config';

function startsOf(id: string, n: number, fields: string[]): number[][] {
  const env = makeEnv(id);
  return Array.from({ length: n }, (_, e) => {
    env.resetToEvaluationStart(e, n);
    const state = env.state;
    return fields.map((f) => state[f] as number);
  });
}

function config(overrides: Partial<RunConfig>): RunConfig {
  const { config, errors } = resolveConfig(overrides);
  assert.ok(config, JSON.stringify(errors));
  return config;
}

test('Pendulum evaluation starts: evenly spaced angles covering the circle, fixed, with θ̇ in [-1, 1)', () => {
  for (const n of [1, 2, 10, 37]) {
    const starts = startsOf('Pendulum-v1', n, ['theta', 'thetaDot']);
    assert.deepEqual(starts, startsOf('Pendulum-v1', n, ['theta', 'thetaDot']), 'deterministic');
    starts.forEach(([theta, thetaDot], e) => {
      assert.ok(theta >= -Math.PI && theta < Math.PI, `theta ${theta}`);
      assert.ok(thetaDot >= -1 && thetaDot < 1);
      if (e > 0) assert.ok(Math.abs(theta - starts[e - 1][0] - (2 * Math.PI) / n) < 1e-12, 'spacing 2π/n');
    });
  }
  // Every arc of the circle one spacing wide holds exactly one start: none is left out, none doubled.
  const ten = startsOf('Pendulum-v1', 10, ['theta']).map(([t]) => t);
  const nearBottom = ten.filter((t) => Math.abs(t) > Math.PI - Math.PI / 10).length;
  assert.equal(nearBottom, 1);
});

test('MountainCarContinuous evaluation starts: evenly spaced positions over the reset range, at rest', () => {
  const starts = startsOf('MountainCarContinuous-v0', 10, ['position', 'velocity']);
  starts.forEach(([position, velocity], e) => {
    assert.ok(position >= -0.6 && position < -0.4, `position ${position}`);
    assert.equal(velocity, 0);
    if (e > 0) assert.ok(Math.abs(position - starts[e - 1][0] - 0.02) < 1e-12, 'spacing 0.2/n');
  });
});

test('evaluatePolicy runs full deterministic episodes and streams their frames with their stride', async () => {
  const frames: number[] = [];
  const strides = new Set<number>();
  const zeroTorque = () => new Float32Array([0]);
  const pendulum = config({ maxEpisodeSteps: 30 });
  const labels: string[] = [];
  const returns = await evaluatePolicy(zeroTorque, pendulum, 3, (episode, firstStep, data, stride, label) => {
    frames.push(...data);
    strides.add(stride);
    if (label.episodeLength !== undefined) labels.push(`${episode}: ${label.evaluation.index}/${label.evaluation.count} at ${label.evaluation.step}, ${firstStep + data.length / stride} of ${label.episodeLength}`);
  }, 1234);
  assert.equal(returns.length, 3);
  assert.equal(frames.length, 3 * 30 * 2);
  assert.deepEqual([...strides], [2]);
  assert.deepEqual(labels, ['1: 1/3 at 1234, 30 of 30', '2: 2/3 at 1234, 30 of 30', '3: 3/3 at 1234, 30 of 30'], 'each episode ends with a batch that says so');
  assert.deepEqual(await evaluatePolicy(zeroTorque, pendulum, 3), returns, 'no randomness');
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: 1 });
});

test('evaluatePolicy on MountainCarContinuous: 999-step episodes by default, ended early at the flag', async () => {
  const idle = await evaluatePolicy(() => new Float32Array([0]), config({ environment: 'MountainCarContinuous-v0' }), 2);
  assert.deepEqual(idle, [0, 0], 'no force: no cost and no goal in 999 steps');
  let steps = 0;
  // Bang-bang control on the velocity's sign rocks the car up the hill well within the limit.
  const env = makeEnv('MountainCarContinuous-v0');
  const rocking = (obs: ArrayLike<number>) => new Float32Array([obs[1] >= 0 ? 1 : -1]);
  const returns = await evaluatePolicy((obs) => (steps++, rocking(obs)), config({ environment: 'MountainCarContinuous-v0' }), 1);
  assert.ok(returns[0] > 80 && steps < env.maxEpisodeSteps, `return ${returns[0]} after ${steps} steps`);
});
