import assert from 'node:assert/strict';
import test from 'node:test';
import { Random } from '../../src/agent/random';
import { copy, data, makeMujoco, modelArrays, mujocoEnvironmentTests, prepareMujocoTests } from './mujocoTestSupport';

const ID = 'Reacher-v5';
prepareMujocoTests(ID);
mujocoEnvironmentTests(ID, 2);

const sumOfSquares = (a: number[]) => a.reduce((sum, v) => sum + v * v, 0);

/** get_body_com(fingertip) − get_body_com(target), read from MuJoCo's xpos. */
function fingertipToTarget(env: ReturnType<typeof makeMujoco>): number[] {
  const body = (name: string) => env.mujoco.mj_name2id(env.model, env.mujoco.mjtObj.mjOBJ_BODY.value, name);
  const xpos = copy(data(env).xpos);
  const [tip, target] = [body('fingertip'), body('target')];
  return [0, 1, 2].map((i) => xpos[3 * tip + i] - xpos[3 * target + i]);
}

test('Reacher-v5: observation = cos θ, sin θ of both joints, the target (qpos[2:]), the arm velocities, fingertip − target (x, y)', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  env.setState([0.4, -1.2, 0.1, -0.15], [2, -3, 0, 0]);
  const v = fingertipToTarget(env);
  assert.deepEqual(env.observation(), [Math.cos(0.4), Math.cos(-1.2), Math.sin(0.4), Math.sin(-1.2), 0.1, -0.15, 2, -3, v[0], v[1]]);
  const { observation } = env.step([0.5, -0.5]);
  const after = fingertipToTarget(env);
  assert.deepEqual(observation.slice(-2), after.slice(0, 2));
});

test('Reacher-v5: reward = −‖fingertip − target‖ − Σ action², after the step (v5), never terminating', () => {
  const env = makeMujoco(ID, { rng: new Random(2) });
  env.reset();
  for (let k = 0; k < 50; k++) {
    const action = [Math.sin(0.3 * k), 1.5 * Math.cos(0.2 * k)];
    const { reward, terminated, truncated } = env.step(action);
    const v = fingertipToTarget(env);
    const rewardDist = -Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) * 1;
    const rewardCtrl = -sumOfSquares(action) * 1;
    assert.equal(reward, rewardDist + rewardCtrl);
    assert.deepEqual(env.info, { reward_dist: rewardDist, reward_ctrl: rewardCtrl });
    assert.equal(terminated, false);
    assert.equal(truncated, k === 49, 'Reacher-v5 is limited to 50 steps');
  }
});

test('Reacher-v5: reset draws the arm U(±0.1), then targets in U(±0.2)² until one lies within 0.2, then the arm velocities U(±0.005)', () => {
  const env = makeMujoco(ID, { rng: new Random(1) });
  let rejections = 0;
  for (let seed = 0; seed < 30; seed++) {
    env.reset(seed);
    const draws = new Random(seed);
    const qpos = copy(modelArrays(env).qpos0).map((q) => draws.uniform(-0.1, 0.1) + q);
    let goal: number[];
    for (;;) {
      goal = [draws.uniform(-0.2, 0.2), draws.uniform(-0.2, 0.2)];
      if (Math.hypot(goal[0], goal[1]) < 0.2) break;
      rejections++;
    }
    const qvel = [0, 0, 0, 0].map((v) => v + draws.uniform(-0.005, 0.005));
    assert.deepEqual(copy(data(env).qpos), [qpos[0], qpos[1], ...goal]);
    assert.deepEqual(copy(data(env).qvel), [qvel[0], qvel[1], 0, 0]);
  }
  assert.ok(rejections > 0, 'some targets were drawn again');
});
