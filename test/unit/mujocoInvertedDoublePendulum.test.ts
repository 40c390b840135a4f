import assert from 'node:assert/strict';
import test from 'node:test';
import { Random } from '../../src/agent/random';
import { copy, data, makeMujoco, modelArrays, mujocoEnvironmentTests, prepareMujocoTests } from './mujocoTestSupport';

const ID = 'InvertedDoublePendulum-v5';
prepareMujocoTests(ID);
mujocoEnvironmentTests(ID, 5);

const clip10 = (v: number) => Math.min(Math.max(v, -10), 10);

test('InvertedDoublePendulum-v5: observation = x, sin θ1, sin θ2, cos θ1, cos θ2, clip(qvel, ±10), clip(qfrc_constraint[0], ±10)', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  env.setState([0.2, 0.3, -0.4], [1, 20, -30]);
  const qfrc = copy(data(env).qfrc_constraint);
  assert.deepEqual(env.observation(), [0.2, Math.sin(0.3), Math.sin(-0.4), Math.cos(0.3), Math.cos(-0.4), 1, 10, -10, clip10(qfrc[0])]);
  // Driven into the slider's limit, the cart's constraint force is large: the observation clips it.
  env.setState([0.98, 0, 0], [8, 0, 0]);
  let clipped = false;
  for (let k = 0; k < 10; k++) {
    const { observation } = env.step([1]);
    const force = data(env).qfrc_constraint[0];
    assert.equal(observation[8], clip10(force));
    assert.deepEqual(observation.slice(5, 8), copy(data(env).qvel).map(clip10));
    if (Math.abs(force) > 10) clipped = true;
  }
  assert.ok(clipped, 'the limit pushed back with more than 10');
});

test('InvertedDoublePendulum-v5: reward = 10·alive − (0.01 x² + (y − 2)²) − (1e-3 ω1² + 5e-3 ω2²) at the tip site, in that order', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  const tip = env.mujoco.mj_name2id(env.model, env.mujoco.mjtObj.mjOBJ_SITE.value, 'tip');
  assert.equal(tip, 0, 'Gymnasium reads site_xpos[0]: the tip');
  for (const [qpos, qvel] of [
    [[0.1, 0.05, -0.02], [0.3, -0.5, 1.2]],
    [[-0.3, -0.1, 0.2], [0, 2, -2]],
  ]) {
    env.setState(qpos, qvel);
    const { reward, terminated } = env.step([0.4]);
    const site = copy(data(env).site_xpos);
    const [x, y] = [site[0], site[2]];
    const [, v1, v2] = copy(data(env).qvel);
    assert.ok(y > 1);
    const distancePenalty = 0.01 * x ** 2 + (y - 2) ** 2;
    const velocityPenalty = 1e-3 * v1 ** 2 + 5e-3 * v2 ** 2;
    assert.equal(terminated, false);
    assert.equal(reward, 10 - distancePenalty - velocityPenalty);
    assert.deepEqual(env.info, { reward_survive: 10, distance_penalty: -distancePenalty, velocity_penalty: -velocityPenalty });
  }
});

test('InvertedDoublePendulum-v5: terminated once the tip is at or below height 1, and then no alive bonus', () => {
  const env = makeMujoco(ID);
  env.reset(0);
  env.setState([0, 0.9, 0.6], [0, 0, 0]);
  const { reward, terminated } = env.step([0]);
  const site = copy(data(env).site_xpos);
  assert.ok(site[2] <= 1, `tip height ${site[2]}`);
  assert.equal(terminated, true);
  assert.equal(env.info.reward_survive, 0);
  assert.equal(reward, 0 - (0.01 * site[0] ** 2 + (site[2] - 2) ** 2) - (1e-3 * data(env).qvel[1] ** 2 + 5e-3 * data(env).qvel[2] ** 2));
});

test('InvertedDoublePendulum-v5: reset is init_qpos + U(±0.1), then init_qvel + 0.1·N(0, 1)', () => {
  const env = makeMujoco(ID, { rng: new Random(3) });
  const observation = env.reset(8);
  const draws = new Random(8);
  const qpos = copy(modelArrays(env).qpos0).map((q) => q + draws.uniform(-0.1, 0.1));
  const qvel = [0, 0, 0].map((v) => v + draws.normal() * 0.1);
  assert.deepEqual(copy(data(env).qpos), qpos);
  assert.deepEqual(copy(data(env).qvel), qvel);
  assert.deepEqual(observation.slice(0, 8), [qpos[0], Math.sin(qpos[1]), Math.sin(qpos[2]), Math.cos(qpos[1]), Math.cos(qpos[2]), ...qvel.map(clip10)]);
});
