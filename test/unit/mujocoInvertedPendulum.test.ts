import assert from 'node:assert/strict';
import test from 'node:test';
import { EVALUATION_SEED_BASE } from '../../src/agent/env/evaluationStarts';
import { Random } from '../../src/agent/random';
import { copy, data, makeMujoco, modelArrays, mujocoEnvironmentTests, prepareMujocoTests } from './mujocoTestSupport';

const ID = 'InvertedPendulum-v5';
prepareMujocoTests(ID);
prepareMujocoTests('HalfCheetah-v5');
mujocoEnvironmentTests(ID, 2);

test('InvertedPendulum-v5: the observation is qpos ‖ qvel (cart position, pole angle, their velocities)', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  env.setState([0.3, -0.1], [0.5, 1.5]);
  assert.deepEqual(env.observation(), [0.3, -0.1, 0.5, 1.5]);
  const { observation } = env.step([1]);
  assert.deepEqual(observation, [...copy(data(env).qpos), ...copy(data(env).qvel)]);
});

test('InvertedPendulum-v5: reward 1 while |angle| ≤ 0.2, and 0 with termination once it leaves (v5 gives no reward on the falling step)', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  env.setState([0, 0.05], [0, 0]);
  const upright = env.step([0]);
  assert.ok(Math.abs(upright.observation[1]) <= 0.2);
  assert.deepEqual([upright.reward, upright.terminated, env.info.reward_survive], [1, false, 1]);
  env.setState([0, 0.19], [0, 3]);
  const falling = env.step([0]);
  assert.ok(Math.abs(falling.observation[1]) > 0.2, `angle ${falling.observation[1]}`);
  assert.deepEqual([falling.reward, falling.terminated, falling.truncated, env.info.reward_survive], [0, true, false, 0]);
  env.setState([0, -0.19], [0, -3]);
  assert.equal(env.step([0]).terminated, true, 'either side');
  // The boundary itself is healthy: Gymnasium terminates on |angle| > 0.2 only.
  for (let k = 0; k < 200; k++) {
    env.setState([0, -0.25 + 0.0025 * k], [0, 0]);
    const r = env.step([0]);
    assert.equal(r.terminated, Math.abs(r.observation[1]) > 0.2);
    assert.equal(r.reward, r.terminated ? 0 : 1);
  }
});

test('InvertedPendulum-v5: reset is init_qpos + U(±0.01) on qpos, then init_qvel + U(±0.01) on qvel, in that order', () => {
  const env = makeMujoco(ID, { rng: new Random(4) });
  const observation = env.reset(21);
  const draws = new Random(21);
  const init = copy(modelArrays(env).qpos0);
  const qpos = init.map((q) => q + draws.uniform(-0.01, 0.01));
  const qvel = [0, 0].map((v) => v + draws.uniform(-0.01, 0.01));
  assert.deepEqual(observation, [...qpos, ...qvel]);
  assert.deepEqual(env.info, {});
});

test('InvertedPendulum-v5: evaluation episode e resets with the noise of Random(EVALUATION_SEED_BASE + 1 + e)', () => {
  const env = makeMujoco(ID);
  for (const e of [0, 1, 7]) {
    const draws = new Random(EVALUATION_SEED_BASE + 1 + e);
    const expected = [0, 0, 0, 0].map(() => draws.uniform(-0.01, 0.01));
    assert.deepEqual(env.resetToEvaluationStart(e, 10), expected);
  }
});

test('InvertedPendulum-v5: MuJoCo clamps the force to the ctrlrange ±3 (the action is not rescaled)', () => {
  const a = makeMujoco(ID);
  const b = makeMujoco(ID);
  a.reset(1);
  b.reset(1);
  assert.deepEqual(a.step([3]).observation, b.step([30]).observation);
  assert.throws(() => a.step([1, 2]), /takes 1 action components, got 2/);
});

test('InvertedPendulum-v5: steps stay right after MuJoCo\'s heap grows (which detaches every earlier view of it)', () => {
  const grown = makeMujoco(ID);
  const calm = makeMujoco(ID);
  grown.reset(3);
  calm.reset(3);
  const qposView = data(grown).qpos;
  for (let k = 0; k < 5; k++) assert.deepEqual(grown.step([Math.sin(k)]), calm.step([Math.sin(k)]));
  const others = [];
  while (qposView.length !== 0 && others.length < 5000) others.push(makeMujoco('HalfCheetah-v5'));
  assert.equal(qposView.length, 0, 'the heap grew: an earlier view is detached');
  for (let k = 5; k < 20; k++) assert.deepEqual(grown.step([Math.sin(k)]), calm.step([Math.sin(k)]));
  assert.deepEqual(grown.state, calm.state);
  for (const other of others) other.dispose();
});
