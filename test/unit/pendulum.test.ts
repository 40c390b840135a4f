import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { Pendulum, angleNormalize, floorMod } from '../../src/agent/env/pendulum';

interface ReferenceCase {
  name: string;
  g: number;
  initial: [number, number];
  steps: Array<{ action: number; state: [number, number]; reward: number; obs: [number, number, number] }>;
}

// Produced by test/fixtures/pendulum-reference.py: Gymnasium's step() transcribed in numpy (float64).
const cases = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/pendulum-reference.json'), 'utf8')) as ReferenceCase[];

const close = (actual: number, expected: number, what: string, tol = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

for (const c of cases) {
  test(`Pendulum matches Gymnasium step by step: ${c.name}`, () => {
    const env = new Pendulum({ g: c.g });
    env.reset(0);
    env.state = [...c.initial];
    c.steps.forEach((expected, i) => {
      const r = env.step(expected.action);
      close(env.state[0], expected.state[0], `step ${i} theta`);
      close(env.state[1], expected.state[1], `step ${i} thetaDot`);
      close(r.reward, expected.reward, `step ${i} reward`);
      r.observation.forEach((o, k) => close(o, expected.obs[k], `step ${i} obs[${k}]`));
      assert.equal(r.terminated, false);
    });
  });
}

test('angle normalisation follows Python floor-modulo for negative angles', () => {
  // Python: ((-4 + pi) % (2 pi)) - pi == 2.2831853071795862; JavaScript's % would give -0.858…
  close(angleNormalize(-4), 2.2831853071795862, 'angleNormalize(-4)');
  close(floorMod(-1, 3), 2, 'floorMod(-1, 3)');
  close(floorMod(-7.5, 2), 0.5, 'floorMod(-7.5, 2)');
  for (const x of [-100, -7, -Math.PI - 1e-9, -1, 0, 1, Math.PI - 1e-9, 7, 100]) {
    const y = angleNormalize(x);
    assert.ok(y >= -Math.PI && y < Math.PI, `angleNormalize(${x}) = ${y} out of [-pi, pi)`);
    close(Math.cos(y), Math.cos(x), `cos preserved for ${x}`, 1e-9);
  }
});

test('reward is computed on the pre-step state with the clipped torque', () => {
  const env = new Pendulum();
  env.reset(0);
  env.state = [Math.PI, 1];
  const r = env.step(10);
  // normalize(pi) = -pi; cost = pi^2 + 0.1*1 + 0.001*2^2
  close(r.reward, -(Math.PI ** 2 + 0.1 + 0.004), 'reward');
  assert.equal(env.lastTorque, 2);
});

test('never terminates; truncates exactly at the time limit', () => {
  const env = new Pendulum({ maxEpisodeSteps: 200 });
  env.reset(3);
  for (let i = 1; i <= 200; i++) {
    const r = env.step(0);
    assert.equal(r.terminated, false);
    assert.equal(r.truncated, i === 200, `step ${i}`);
  }
  const short = new Pendulum({ maxEpisodeSteps: 5 });
  short.reset(1);
  const flags = Array.from({ length: 5 }, () => short.step(1).truncated);
  assert.deepEqual(flags, [false, false, false, false, true]);
});

test('reset draws theta in [-pi, pi) and thetaDot in [-1, 1), reproducibly per seed', () => {
  const env = new Pendulum();
  const seen: number[][] = [];
  for (let s = 0; s < 500; s++) {
    const obs = env.reset(s);
    const [th, thdot] = env.state;
    assert.ok(th >= -Math.PI && th < Math.PI);
    assert.ok(thdot >= -1 && thdot < 1);
    close(obs[0], Math.cos(th), 'cos');
    close(obs[1], Math.sin(th), 'sin');
    assert.equal(obs[2], thdot);
    seen.push([th, thdot]);
  }
  assert.deepEqual(env.reset(42), new Pendulum().reset(42));
  // Spread: the 500 draws cover the whole range, not a corner of it.
  const thetas = seen.map((s) => s[0]);
  assert.ok(Math.min(...thetas) < -2.9 && Math.max(...thetas) > 2.9);
  // Without a seed the stream continues (different start).
  const a = env.reset(7);
  const b = env.reset();
  assert.notDeepEqual(a, b);
});
