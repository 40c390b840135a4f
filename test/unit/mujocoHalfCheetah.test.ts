import assert from 'node:assert/strict';
import test from 'node:test';
import { Random } from '../../src/agent/random';
import { copy, data, makeMujoco, modelArrays, mujocoEnvironmentTests, prepareMujocoTests } from './mujocoTestSupport';

const ID = 'HalfCheetah-v5';
prepareMujocoTests(ID);
mujocoEnvironmentTests(ID, 5);

const sumOfSquares = (a: number[]) => a.reduce((sum, v) => sum + v * v, 0);

test('HalfCheetah-v5: the observation is qpos without rootx ‖ qvel (17 numbers, velocities not clipped)', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  const qpos = [5, 0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.1, 0.2];
  const qvel = [20, -1, 2, -3, 4, -5, 6, -7, 15];
  env.setState(qpos, qvel);
  assert.deepEqual(env.observation(), [...qpos.slice(1), ...qvel]);
});

test('HalfCheetah-v5: reward = 1.0 · (x_after − x_before)/dt − 0.1 · Σ action², info as Gymnasium reports it, no termination', () => {
  const env = makeMujoco(ID, { rng: new Random(1) });
  env.reset();
  for (let k = 0; k < 40; k++) {
    const action = [0.9, -0.5, 0.3, -1, 1, 0.2].map((a, i) => a * Math.cos(0.3 * k + i));
    const before = data(env).qpos[0];
    const { reward, terminated, truncated } = env.step(action);
    const after = data(env).qpos[0];
    const xVelocity = (after - before) / (0.01 * 5);
    const ctrlCost = 0.1 * sumOfSquares(action);
    assert.equal(reward, 1.0 * xVelocity - ctrlCost);
    assert.deepEqual(env.info, { x_position: after, x_velocity: xVelocity, reward_forward: xVelocity, reward_ctrl: -ctrlCost });
    assert.deepEqual([terminated, truncated], [false, false]);
  }
});

test('HalfCheetah-v5: the control cost is of the action as given, MuJoCo clamps what it applies', () => {
  const a = makeMujoco(ID);
  const b = makeMujoco(ID);
  a.reset(2);
  b.reset(2);
  const ra = a.step([1, 1, 1, 1, 1, 1]);
  const rb = b.step([2, 2, 2, 2, 2, 2]);
  assert.deepEqual(ra.observation, rb.observation);
  assert.equal(a.info.reward_ctrl, -(0.1 * 6));
  assert.equal(b.info.reward_ctrl, -(0.1 * 24));
});

test('HalfCheetah-v5: reset is init_qpos + U(±0.1), then init_qvel + 0.1·N(0, 1); reset info has x_position', () => {
  const env = makeMujoco(ID, { rng: new Random(3) });
  const observation = env.reset(13);
  const draws = new Random(13);
  const qpos = copy(modelArrays(env).qpos0).map((q) => q + draws.uniform(-0.1, 0.1));
  const qvel = new Array<number>(9).fill(0).map((v) => v + 0.1 * draws.normal());
  assert.deepEqual(observation, [...qpos.slice(1), ...qvel]);
  assert.deepEqual(env.info, { x_position: qpos[0] });
});
