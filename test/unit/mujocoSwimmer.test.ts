import assert from 'node:assert/strict';
import test from 'node:test';
import { Random } from '../../src/agent/random';
import { copy, data, makeMujoco, modelArrays, mujocoEnvironmentTests, prepareMujocoTests } from './mujocoTestSupport';

const ID = 'Swimmer-v5';
prepareMujocoTests(ID);
mujocoEnvironmentTests(ID, 4);

const sumOfSquares = (a: number[]) => a.reduce((sum, v) => sum + v * v, 0);

test('Swimmer-v5: the observation is qpos without the x and y sliders ‖ qvel', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  const qpos = [1, 2, 0.3, -0.4, 0.5];
  const qvel = [0.1, -0.2, 3, -4, 50];
  env.setState(qpos, qvel);
  assert.deepEqual(env.observation(), [...qpos.slice(2), ...qvel]);
});

test('Swimmer-v5: reward = 1.0 · Δx/dt − 1e-4 · Σ action², info with positions and velocities, never terminating', () => {
  const env = makeMujoco(ID, { rng: new Random(2) });
  env.reset();
  for (let k = 0; k < 60; k++) {
    const action = [Math.sin(0.5 * k), Math.cos(0.5 * k)];
    const [xBefore, yBefore] = copy(data(env).qpos);
    const { reward, terminated } = env.step(action);
    const [x, y] = copy(data(env).qpos);
    const dt = 0.01 * 4;
    const xVelocity = (x - xBefore) / dt;
    const ctrlCost = 1e-4 * sumOfSquares(action);
    assert.equal(reward, 1.0 * xVelocity - ctrlCost);
    assert.deepEqual(env.info, {
      x_position: x,
      y_position: y,
      distance_from_origin: Math.sqrt(x * x + y * y),
      x_velocity: xVelocity,
      y_velocity: (y - yBefore) / dt,
      reward_forward: xVelocity,
      reward_ctrl: -ctrlCost,
    });
    assert.equal(terminated, false);
  }
});

test('Swimmer-v5: reset is init_qpos + U(±0.1), then init_qvel + U(±0.1)', () => {
  const env = makeMujoco(ID, { rng: new Random(3) });
  const observation = env.reset(5);
  const draws = new Random(5);
  const qpos = copy(modelArrays(env).qpos0).map((q) => q + draws.uniform(-0.1, 0.1));
  const qvel = new Array<number>(5).fill(0).map((v) => v + draws.uniform(-0.1, 0.1));
  assert.deepEqual(observation, [...qpos.slice(2), ...qvel]);
  assert.deepEqual(env.info, { x_position: qpos[0], y_position: qpos[1], distance_from_origin: Math.sqrt(qpos[0] ** 2 + qpos[1] ** 2) });
});
