import assert from 'node:assert/strict';
import test from 'node:test';
import type { Hopper } from '../../src/agent/env/mujoco/hopper';
import { Random } from '../../src/agent/random';
import { copy, data, makeMujoco, modelArrays, mujocoEnvironmentTests, prepareMujocoTests } from './mujocoTestSupport';

const ID = 'Hopper-v5';
prepareMujocoTests(ID);
mujocoEnvironmentTests(ID, 4);

const clip10 = (v: number) => Math.min(Math.max(v, -10), 10);
const sumOfSquares = (a: number[]) => a.reduce((sum, v) => sum + v * v, 0);
/** Gymnasium's Hopper is_healthy on qpos, qvel. */
const healthy = (qpos: number[], qvel: number[]) =>
  [...qpos.slice(2), ...qvel].every((s) => -100 < s && s < 100) && 0.7 < qpos[1] && -0.2 < qpos[2] && qpos[2] < 0.2;

test('Hopper-v5: the observation is qpos without rootx ‖ clip(qvel, ±10)', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  const qpos = [3, 1.25, 0.1, -0.2, -0.3, 0.4];
  const qvel = [12, -0.5, 1, -20, 3, 4];
  env.setState(qpos, qvel);
  assert.deepEqual(env.observation(), [...qpos.slice(1), ...qvel.map(clip10)]);
});

test('Hopper-v5: reward = (1.0 · Δx/dt + healthy) − 0.001 · Σ action², terminated when unhealthy', () => {
  const env = makeMujoco(ID, { rng: new Random(4) });
  env.reset();
  let sawTermination = false;
  for (let k = 0; k < 300; k++) {
    const action = [Math.sin(0.2 * k), Math.cos(0.3 * k), -0.8];
    const before = data(env).qpos[0];
    const { reward, terminated } = env.step(action);
    const qpos = copy(data(env).qpos);
    const qvel = copy(data(env).qvel);
    const xVelocity = (qpos[0] - before) / (0.002 * 4);
    const healthyReward = healthy(qpos, qvel) ? 1 : 0;
    const ctrlCost = 0.001 * sumOfSquares(action);
    assert.equal(reward, xVelocity + healthyReward - ctrlCost);
    assert.equal(terminated, !healthy(qpos, qvel));
    assert.deepEqual(env.info, {
      x_position: qpos[0],
      z_distance_from_origin: qpos[1] - modelArrays(env).qpos0[1],
      x_velocity: xVelocity,
      reward_forward: xVelocity,
      reward_ctrl: -ctrlCost,
      reward_survive: healthyReward,
    });
    if (terminated) {
      sawTermination = true;
      env.reset();
    }
  }
  assert.ok(sawTermination, 'this action pattern makes the hopper fall');
});

test('Hopper-v5: each health bound on its own, with strict bounds (is_healthy on states set)', () => {
  const env = makeMujoco(ID) as Hopper;
  env.reset(0);
  const still = [0, 0, 0, 0, 0, 0];
  const cases: Array<[string, number[], number[], boolean]> = [
    ['standing', [0, 1.25, 0, 0, 0, 0], still, true],
    ['z = 0.7', [0, 0.7, 0, 0, 0, 0], still, false],
    ['z just above 0.7', [0, 0.7000001, 0, 0, 0, 0], still, true],
    ['z very high', [0, 1e6, 0, 0, 0, 0], still, true],
    ['angle = 0.2', [0, 1.25, 0.2, 0, 0, 0], still, false],
    ['angle = −0.2', [0, 1.25, -0.2, 0, 0, 0], still, false],
    ['angle 0.19', [0, 1.25, 0.19, 0, 0, 0], still, true],
    ['a joint at 100', [0, 1.25, 0, 100, 0, 0], still, false],
    ['a velocity at −100', [0, 1.25, 0, 0, 0, 0], [0, 0, 0, 0, 0, -100], false],
    ['rootx is not bounded (state_vector()[2:] skips rootx and rootz)', [500, 1.25, 0, 0, 0, 0], still, true],
    ['but every velocity is, rootx\'s too', [0, 1.25, 0, 0, 0, 0], [150, 0, 0, 0, 0, 0], false],
  ];
  for (const [name, qpos, qvel, expected] of cases) {
    env.setState(qpos, qvel);
    assert.equal(healthy(qpos, qvel), expected, `${name}: Gymnasium's formula`);
    assert.equal(env.isHealthy(), expected, name);
  }
});

test('Hopper-v5: reset is init_qpos + U(±0.005), then init_qvel + U(±0.005)', () => {
  const env = makeMujoco(ID, { rng: new Random(3) });
  const observation = env.reset(17);
  const draws = new Random(17);
  const qpos = copy(modelArrays(env).qpos0).map((q) => q + draws.uniform(-0.005, 0.005));
  const qvel = new Array<number>(6).fill(0).map((v) => v + draws.uniform(-0.005, 0.005));
  assert.deepEqual(observation, [...qpos.slice(1), ...qvel]);
  assert.deepEqual(env.info, { x_position: qpos[0], z_distance_from_origin: qpos[1] - modelArrays(env).qpos0[1] });
});
