import assert from 'node:assert/strict';
import test from 'node:test';
import type { Walker2d } from '../../src/agent/env/mujoco/walker2d';
import { Random } from '../../src/agent/random';
import { copy, data, makeMujoco, modelArrays, mujocoEnvironmentTests, prepareMujocoTests } from './mujocoTestSupport';

const ID = 'Walker2d-v5';
prepareMujocoTests(ID);
mujocoEnvironmentTests(ID, 4);

const clip10 = (v: number) => Math.min(Math.max(v, -10), 10);
const sumOfSquares = (a: number[]) => a.reduce((sum, v) => sum + v * v, 0);
/** Gymnasium's Walker2d is_healthy: only z and the torso angle. */
const healthy = (qpos: number[]) => 0.8 < qpos[1] && qpos[1] < 2 && -1 < qpos[2] && qpos[2] < 1;

test('Walker2d-v5: the model is v5\'s walker2d_v5.xml (both feet with friction 1.9)', () => {
  const env = makeMujoco(ID);
  const foot = (name: string) => env.mujoco.mj_name2id(env.model, env.mujoco.mjtObj.mjOBJ_GEOM.value, name);
  const friction = copy(modelArrays(env).geom_friction);
  assert.equal(friction[3 * foot('foot_geom')], 1.9);
  assert.equal(friction[3 * foot('foot_left_geom')], 1.9);
});

test('Walker2d-v5: the observation is qpos without rootx ‖ clip(qvel, ±10)', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  const qpos = [3, 1.25, 0.1, -0.2, -0.3, 0.4, -0.1, -0.2, 0.3];
  const qvel = [12, -0.5, 1, -20, 3, 4, 5, -6, 70];
  env.setState(qpos, qvel);
  assert.deepEqual(env.observation(), [...qpos.slice(1), ...qvel.map(clip10)]);
});

test('Walker2d-v5: reward = (1.0 · Δx/dt + healthy) − 0.001 · Σ action², terminated when unhealthy', () => {
  const env = makeMujoco(ID, { rng: new Random(4) });
  env.reset();
  let sawTermination = false;
  for (let k = 0; k < 400; k++) {
    const action = [Math.sin(0.2 * k), Math.cos(0.3 * k), -0.8, 1, -1, 0.5 * Math.sin(k)];
    const before = data(env).qpos[0];
    const { reward, terminated } = env.step(action);
    const qpos = copy(data(env).qpos);
    const xVelocity = (qpos[0] - before) / (0.002 * 4);
    const healthyReward = healthy(qpos) ? 1 : 0;
    const ctrlCost = 0.001 * sumOfSquares(action);
    assert.equal(reward, xVelocity + healthyReward - ctrlCost);
    assert.equal(terminated, !healthy(qpos));
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
  assert.ok(sawTermination, 'this action pattern makes the walker fall');
});

test('Walker2d-v5: the health bounds, strict, and nothing else (is_healthy on states set)', () => {
  const env = makeMujoco(ID) as Walker2d;
  env.reset(0);
  const still = new Array<number>(9).fill(0);
  const at = (z: number, angle: number, rest: number[] = [0, 0, 0, 0, 0, 0]) => [0, z, angle, ...rest];
  const cases: Array<[string, number[], number[], boolean]> = [
    ['standing', at(1.25, 0), still, true],
    ['z = 0.8', at(0.8, 0), still, false],
    ['z = 2', at(2, 0), still, false],
    ['z 1.99', at(1.99, 0), still, true],
    ['angle = 1', at(1.25, 1), still, false],
    ['angle = −1', at(1.25, -1), still, false],
    ['angle 0.99', at(1.25, 0.99), still, true],
    ['joints and velocities are not bounded', at(1.25, 0, [3, -3, 3, -3, 3, -3]), new Array<number>(9).fill(500), true],
  ];
  for (const [name, qpos, qvel, expected] of cases) {
    env.setState(qpos, qvel);
    assert.equal(healthy(qpos), expected, `${name}: Gymnasium's formula`);
    assert.equal(env.isHealthy(), expected, name);
  }
});

test('Walker2d-v5: reset is init_qpos + U(±0.005), then init_qvel + U(±0.005)', () => {
  const env = makeMujoco(ID, { rng: new Random(3) });
  const observation = env.reset(17);
  const draws = new Random(17);
  const qpos = copy(modelArrays(env).qpos0).map((q) => q + draws.uniform(-0.005, 0.005));
  const qvel = new Array<number>(9).fill(0).map((v) => v + draws.uniform(-0.005, 0.005));
  assert.deepEqual(observation, [...qpos.slice(1), ...qvel]);
  assert.deepEqual(env.info, { x_position: qpos[0], z_distance_from_origin: qpos[1] - modelArrays(env).qpos0[1] });
});
