import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { MountainCarContinuous, MOUNTAIN_CAR_CONTINUOUS } from '../../src/agent/env/mountainCarContinuous';
import { Random } from '../../src/agent/random';

interface ReferenceStep {
  action: number;
  state: [number, number];
  reward: number;
  force: number;
  terminated: boolean;
  truncated: boolean;
}
interface ReferenceCase {
  name: string;
  note: string;
  goalVelocity: number;
  initial: [number, number];
  float32: boolean;
  elapsedSteps: number;
  steps: ReferenceStep[];
}

// Produced by test/fixtures/mountain-car-continuous-reference.py: Gymnasium's step() transcribed with
// NumPy 2's float32/float64 rules spelled out.
const cases = JSON.parse(
  readFileSync(path.join(__dirname, '../fixtures/mountain-car-continuous-reference.json'), 'utf8'),
) as ReferenceCase[];

function startFrom(c: ReferenceCase): MountainCarContinuous {
  const env = new MountainCarContinuous({ goalVelocity: c.goalVelocity });
  env.reset(0);
  env.state = { position: c.initial[0], velocity: c.initial[1], float32: c.float32 ? 1 : 0, elapsedSteps: c.elapsedSteps, lastForce: 0 };
  return env;
}

for (const c of cases) {
  test(`MountainCarContinuous matches Gymnasium bit for bit: ${c.name}`, () => {
    const env = startFrom(c);
    c.steps.forEach((expected, i) => {
      const r = env.step(expected.action);
      const at = `step ${i + 1} (action ${expected.action})`;
      assert.equal(env.state.position, expected.state[0], `${at} position`);
      assert.equal(env.state.velocity, expected.state[1], `${at} velocity`);
      assert.deepEqual(r.observation, expected.state, `${at} observation`);
      assert.equal(r.reward, expected.reward, `${at} reward`);
      assert.equal(r.terminated, expected.terminated, `${at} terminated`);
      assert.equal(r.truncated, expected.truncated, `${at} truncated`);
      assert.deepEqual(env.frame(), [expected.state[0], expected.force], `${at} frame`);
    });
  });
}

test('the fixture covers what the issue asks for', () => {
  const all = cases.flatMap((c) => c.steps.map((s) => ({ c, s })));
  const { minPosition, maxPosition } = MOUNTAIN_CAR_CONTINUOUS;
  assert.ok(all.some(({ s }) => s.state[0] === Math.fround(minPosition) && s.state[1] === 0), 'left wall zeroes the velocity');
  assert.ok(all.some(({ s }) => s.state[0] === Math.fround(maxPosition) && s.state[1] > 0 && !s.terminated), 'right wall keeps the velocity');
  assert.ok(all.some(({ s }) => Math.abs(s.action) > 1 && s.reward === -(Math.fround(s.action) ** 2) * 0.1), 'reward on the unclipped action');
  assert.ok(all.some(({ s }) => s.terminated && !s.truncated && s.reward > 99), 'goal step');
  assert.ok(all.some(({ s }) => s.terminated && s.truncated), 'terminated and truncated on the same step');
  assert.ok(cases.some((c) => c.steps.length === 999 && c.steps.at(-1)!.truncated && !c.steps.at(-2)!.truncated), '999-step truncation');
  assert.ok(cases.some((c) => c.goalVelocity > 0 && c.steps.some((s) => s.state[0] >= 0.45 && !s.terminated)), 'goal_velocity > 0');
  assert.ok(cases.some((c) => !c.float32) && cases.some((c) => c.float32), 'float64 and float32 starts');
});

test('the first step after a reset is float64 arithmetic: the same start stored as float32 steps differently', () => {
  const c = cases.find((k) => !k.float32 && k.steps.length > 1)!;
  const asFloat32 = startFrom({ ...c, float32: true });
  const r = asFloat32.step(c.steps[0].action);
  assert.notDeepEqual([...r.observation, r.reward], [...c.steps[0].state, c.steps[0].reward]);
});

test('reset: position ~ U(−0.6, −0.4) kept in float64, velocity 0, the observation float32, reproducible per seed', () => {
  const env = new MountainCarContinuous();
  let unrounded = 0;
  for (let seed = 0; seed < 300; seed++) {
    const obs = env.reset(seed);
    const { position, velocity, float32, elapsedSteps } = env.state;
    assert.ok(position >= -0.6 && position < -0.4, `position ${position}`);
    assert.equal(velocity, 0);
    assert.equal(float32, 0);
    assert.equal(elapsedSteps, 0);
    assert.deepEqual(obs, [Math.fround(position), 0]);
    if (Math.fround(position) !== position) unrounded++;
  }
  assert.ok(unrounded > 290, 'the state itself is not rounded to float32');
  assert.deepEqual(env.reset(42), new MountainCarContinuous().reset(42));
  const seeded = new MountainCarContinuous({ rng: new Random(9) });
  seeded.reset();
  assert.equal(seeded.state.position, new Random(9).uniform(-0.6, -0.4), 'the reset RNG passed in draws the position');
});

test('evaluation starts: evenly spaced positions over the reset range, velocity 0, float64, no RNG drawn', () => {
  const rng = new Random(3);
  const env = new MountainCarContinuous({ rng });
  const before = rng.getState();
  for (const n of [1, 2, 10, 37]) {
    const positions = Array.from({ length: n }, (_, e) => {
      const obs = env.resetToEvaluationStart(e, n);
      const { position, velocity, float32, elapsedSteps } = env.state;
      assert.deepEqual([velocity, float32, elapsedSteps], [0, 0, 0]);
      assert.deepEqual(obs, [Math.fround(position), 0]);
      assert.ok(position >= -0.6 && position < -0.4, `position ${position}`);
      return position;
    });
    positions.forEach((p, e) => e > 0 && assert.ok(Math.abs(p - positions[e - 1] - 0.2 / n) < 1e-12, 'spacing 0.2/n'));
    assert.deepEqual(positions, Array.from({ length: n }, (_, e) => (env.resetToEvaluationStart(e, n), env.state.position)));
  }
  assert.deepEqual(rng.getState(), before);
  assert.throws(() => env.resetToEvaluationStart(3, 3), /index/);
  assert.throws(() => env.resetToEvaluationStart(0, 0), /count/);
});

test('an action may be a number, an array or a Float32Array; a two-component one is refused', () => {
  const run = (action: number | ArrayLike<number>) => {
    const env = new MountainCarContinuous();
    env.reset(5);
    return [env.step(action), env.step(action)];
  };
  assert.deepEqual(run([0.3]), run(0.3));
  assert.deepEqual(run(new Float32Array([0.3])), run(0.3));
  assert.throws(() => run([0.3, 0.1]), /one-dimensional/);
});

test('the state setter refuses what Gymnasium could not hold', () => {
  const env = new MountainCarContinuous();
  env.reset(0);
  const good = env.state;
  assert.throws(() => (env.state = { ...good, position: Number.NaN }), /position must be a number/);
  assert.throws(() => (env.state = { ...good, float32: 2 }), /float32 must be 0 or 1/);
  assert.throws(() => (env.state = { ...good, elapsedSteps: -1 }), /elapsedSteps/);
  const { lastForce: _dropped, ...missing } = good;
  assert.throws(() => (env.state = missing as typeof good), /lastForce/);
  env.state = { ...good, position: 0.1, float32: 1 };
  assert.equal(env.state.position, Math.fround(0.1), 'a float32 state is stored as float32');
});
