import assert from 'node:assert/strict';
import test from 'node:test';
import type { Ant } from '../../src/agent/env/mujoco/ant';
import { numpySum } from '../../src/agent/env/mujoco/numpyArithmetic';
import { Random } from '../../src/agent/random';
import { copy, data, makeMujoco, modelArrays, mujocoEnvironmentTests, prepareMujocoTests } from './mujocoTestSupport';

const ID = 'Ant-v5';
prepareMujocoTests(ID);
mujocoEnvironmentTests(ID, 5);

const clip1 = (v: number) => Math.min(Math.max(v, -1), 1);

/** numpy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src), written out for ≤ 128 elements. */
function npSum(a: number[]): number {
  if (a.length < 8) return a.reduce((s, v) => s + v, 0);
  const r = a.slice(0, 8);
  let i = 8;
  for (; i + 8 <= a.length; i += 8) for (let j = 0; j < 8; j++) r[j] += a[i + j];
  let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
  for (; i < a.length; i++) res += a[i];
  return res;
}
const npSumOfSquares = (a: number[]) => npSum(a.map((v) => v * v));

test('np.sum is pairwise from 8 elements on, as numpy adds (it differs from a left-to-right sum)', () => {
  const cancelling = [1, 1e16, -1e16, 1, 0, 0, 0, 0];
  assert.equal(cancelling.reduce((s, v) => s + v, 0), 1);
  assert.equal(numpySum(cancelling), 0);
  assert.equal(numpySum([1, 1e16, -1e16, 1, 0, 0, 0]), 1, 'below 8: left to right');
  const random = new Random(4);
  for (const n of [8, 9, 15, 16, 84, 127, 128]) {
    const values = Array.from({ length: n }, () => random.normal() * 10 ** random.int(12));
    assert.equal(numpySum(values), npSum(values), `${n} values`);
  }
});

test('Ant-v5: observation = qpos without x, y ‖ qvel ‖ clip(cfrc_ext, ±1) of bodies 1–13 (105 numbers)', () => {
  const env = makeMujoco(ID, { rng: new Random(1) });
  env.reset();
  for (let k = 0; k < 20; k++) env.step([1, -1, 1, -1, 1, -1, 1, -1].map((a) => a * Math.sin(0.4 * k)));
  const forces = copy(data(env).cfrc_ext);
  assert.ok(forces.slice(6).some((f) => Math.abs(f) > 1), 'some contact force is clipped');
  assert.ok(forces.slice(6).some((f) => f !== 0), 'the feet touch the floor');
  const observation = env.observation();
  assert.equal(observation.length, 105);
  assert.deepEqual(observation, [...copy(data(env).qpos).slice(2), ...copy(data(env).qvel), ...forces.slice(6).map(clip1)]);
});

test('Ant-v5: reward = (Δx/dt of the torso xpos × 1 + healthy) − (0.5 · Σ a² + 5e-4 · Σ clip(cfrc_ext)²), terms as Gymnasium sums them', () => {
  const env = makeMujoco(ID, { rng: new Random(2) });
  env.reset();
  for (let k = 0; k < 60; k++) {
    const action = Array.from({ length: 8 }, (_, i) => 1.3 * Math.sin(0.3 * k + i));
    const torsoBefore = copy(data(env).xpos).slice(3, 5);
    const { reward, terminated } = env.step(action);
    const torsoAfter = copy(data(env).xpos).slice(3, 5);
    const qpos = copy(data(env).qpos);
    const xVelocity = (torsoAfter[0] - torsoBefore[0]) / (0.01 * 5);
    const healthy = [...qpos, ...copy(data(env).qvel)].every(Number.isFinite) && 0.2 <= qpos[2] && qpos[2] <= 1;
    const ctrlCost = 0.5 * npSumOfSquares(action);
    const contactCost = 5e-4 * npSumOfSquares(copy(data(env).cfrc_ext).map(clip1));
    assert.equal(reward, xVelocity * 1 + (healthy ? 1 : 0) - (ctrlCost + contactCost));
    assert.equal(terminated, !healthy);
    assert.deepEqual(env.info, {
      x_position: qpos[0],
      y_position: qpos[1],
      distance_from_origin: Math.sqrt(qpos[0] ** 2 + qpos[1] ** 2),
      x_velocity: xVelocity,
      y_velocity: (torsoAfter[1] - torsoBefore[1]) / (0.01 * 5),
      reward_forward: xVelocity,
      reward_ctrl: -ctrlCost,
      reward_contact: -contactCost,
      reward_survive: healthy ? 1 : 0,
    });
  }
});

test('Ant-v5: the forward velocity is of the torso position mj_step left behind, one sub-step behind qpos (as Gymnasium reads it)', () => {
  const env = makeMujoco(ID, { rng: new Random(3) });
  env.reset();
  env.step([1, 1, 1, 1, 1, 1, 1, 1]);
  const stale = copy(data(env).xpos).slice(3, 6);
  const qpos = copy(data(env).qpos).slice(0, 3);
  assert.notDeepEqual(stale, qpos, 'xpos lags qpos after mj_step');
  env.mujoco.mj_kinematics(env.model, env.data);
  assert.deepEqual(copy(data(env).xpos).slice(3, 6), qpos, 'the free joint puts the torso at qpos');
});

test('Ant-v5: healthy means a finite state and 0.2 ≤ z ≤ 1.0, bounds included', () => {
  const env = makeMujoco(ID) as Ant;
  env.reset(0);
  const qpos = (z: number) => [0, 0, z, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const qvel = new Array<number>(14).fill(0);
  for (const [z, expected] of [[0.75, true], [0.2, true], [1, true], [0.19999, false], [1.00001, false]] as const) {
    env.setState(qpos(z), qvel);
    assert.equal(env.isHealthy(), expected, `z = ${z}`);
  }
});

test('Ant-v5: reset is init_qpos + U(±0.1) on all 15 (the quaternion too), then init_qvel + 0.1·N(0, 1)', () => {
  const env = makeMujoco(ID, { rng: new Random(3) });
  const observation = env.reset(19);
  const draws = new Random(19);
  const qpos = copy(modelArrays(env).qpos0).map((q) => q + draws.uniform(-0.1, 0.1));
  const qvel = new Array<number>(14).fill(0).map((v) => v + 0.1 * draws.normal());
  assert.deepEqual(observation.slice(0, 27), [...qpos.slice(2), ...qvel]);
  assert.deepEqual(copy(data(env).qpos), qpos);
  assert.deepEqual(env.info, { x_position: qpos[0], y_position: qpos[1], distance_from_origin: Math.sqrt(qpos[0] ** 2 + qpos[1] ** 2) });
});
