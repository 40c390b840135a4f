/**
 * What every MuJoCo environment's test checks the same way: the physics is MuJoCo's (a step is
 * exactly frame_skip mj_step calls plus mj_rnePostConstraint on a second copy of the simulation),
 * resume is bit for bit (also through JSON, also into another environment), evaluation starts are
 * fixed and draw nothing from the run's RNG, and frame() / scene() have the descriptor's shape.
 * Each environment's own file then checks its observation, reward terms and termination.
 */

import assert from 'node:assert/strict';
import test, { before } from 'node:test';
import type { MjData } from 'mujoco-js';
import { ENVIRONMENTS, makeEnv, prepareEnvironment, type EnvironmentId } from '../../src/agent/env/index';
import type { MujocoEnvironment } from '../../src/agent/env/mujoco/mujocoEnvironment';
import { Random } from '../../src/agent/random';

export function prepareMujocoTests(id: EnvironmentId): void {
  before(() => prepareEnvironment(id));
}

export function makeMujoco(id: EnvironmentId, options: object = {}): MujocoEnvironment {
  return makeEnv(id, options) as MujocoEnvironment;
}

/** A fixed action pattern that also leaves the action bounds now and then. */
export function actionAt(env: MujocoEnvironment, k: number): number[] {
  return Array.from({ length: env.spec.actionSize }, (_, i) => env.spec.actionHigh * 1.2 * Math.sin(0.37 * k + 1.1 * i));
}

export const copy = (values: ArrayLike<number>) => Array.from(values);

/** The MjData arrays the tests read (mujoco-js types them as any). */
export interface DataArrays {
  time: number;
  qpos: Float64Array;
  qvel: Float64Array;
  ctrl: Float64Array;
  xpos: Float64Array;
  xquat: Float64Array;
  site_xpos: Float64Array;
  cfrc_ext: Float64Array;
  qfrc_constraint: Float64Array;
}

/** The MjModel arrays the tests read. */
export interface ModelArrays {
  qpos0: Float64Array;
  actuator_ctrlrange: Float64Array;
  geom_friction: Float64Array;
}

export const data = (env: MujocoEnvironment) => env.data as unknown as DataArrays;
export const modelArrays = (env: MujocoEnvironment) => env.model as unknown as ModelArrays;

/** A second MjData of the same model, in the environment's current integration state. */
function twin(env: MujocoEnvironment): { raw: MjData; arrays: DataArrays } {
  const { mujoco, model } = env;
  const kind = mujoco.mjtState.mjSTATE_INTEGRATION.value;
  const raw = new mujoco.MjData(model);
  mujoco.mj_setState(model, raw, env.state.physics, kind);
  const arrays: unknown = raw;
  return { raw, arrays: arrays as DataArrays };
}

export function mujocoEnvironmentTests(id: EnvironmentId, frameSkip: number): void {
  const spec = ENVIRONMENTS[id];

  test(`${id}: a step is ${frameSkip} × mj_step then mj_rnePostConstraint, with the action as ctrl`, () => {
    const env = makeMujoco(id, { rng: new Random(3) });
    env.reset();
    assert.equal(env.frameSkip, frameSkip);
    assert.equal(env.dt, env.model.opt.timestep * frameSkip);
    assert.ok(Math.abs(env.dt - spec.dt) < 1e-12, `descriptor dt ${spec.dt} vs ${env.dt}`);
    for (let k = 0; k < 30; k++) {
      const { raw, arrays } = twin(env);
      const action = actionAt(env, k);
      env.step(action);
      arrays.ctrl.set(action);
      for (let i = 0; i < frameSkip; i++) env.mujoco.mj_step(env.model, raw);
      env.mujoco.mj_rnePostConstraint(env.model, raw);
      for (const field of ['qpos', 'qvel', 'xpos', 'xquat', 'cfrc_ext', 'qfrc_constraint', 'site_xpos'] as const) {
        assert.deepEqual(copy(data(env)[field]), copy(arrays[field]), `${field} at step ${k}`);
      }
      assert.equal(data(env).time, arrays.time);
      raw.delete();
    }
  });

  test(`${id}: reset draws from the RNG it was given; a seed re-seeds it; reset restores mj_resetData's state`, () => {
    const a = makeMujoco(id, { rng: new Random(5) });
    const b = makeMujoco(id, { rng: new Random(6) });
    assert.deepEqual(a.reset(42), b.reset(42));
    assert.deepEqual(a.state, b.state);
    assert.notDeepEqual(a.reset(), a.reset(42 + 1));
    a.reset(7);
    assert.equal(data(a).time, 0);
    assert.equal(a.state.elapsedSteps, 0);
    assert.deepEqual(copy(data(a).ctrl), new Array(spec.actionSize).fill(0));
    assert.deepEqual(a.frame().slice(-spec.actionSize), new Array(spec.actionSize).fill(0));
  });

  test(`${id}: evaluation starts are fixed per episode and draw nothing from the run's RNG`, () => {
    const rng = new Random(9);
    const env = makeMujoco(id, { rng });
    const other = makeMujoco(id, { rng: new Random(10) });
    const before = rng.getState();
    const starts = Array.from({ length: 5 }, (_, e) => env.resetToEvaluationStart(e, 5));
    assert.deepEqual(rng.getState(), before);
    assert.equal(new Set(starts.map((s) => JSON.stringify(s))).size, 5, 'distinct starts');
    assert.deepEqual(other.resetToEvaluationStart(3, 5), starts[3]);
    assert.deepEqual(other.resetToEvaluationStart(3, 10), starts[3], 'episode e starts the same whatever the count');
    env.step(actionAt(env, 0));
    assert.deepEqual(env.resetToEvaluationStart(2, 5), starts[2], 'a step in between changes nothing');
    assert.equal(env.state.elapsedSteps, 0);
    assert.throws(() => env.resetToEvaluationStart(5, 5), RangeError);
  });

  test(`${id}: the state resumes bit for bit, also through JSON into another environment, mid-episode`, () => {
    const env = makeMujoco(id, { rng: new Random(11) });
    env.reset();
    for (let k = 0; k < 25; k++) env.step(actionAt(env, k));
    const saved = env.state;
    const rollout = (target: MujocoEnvironment) =>
      Array.from({ length: 40 }, (_, k) => ({ ...target.step(actionAt(target, 25 + k)), frame: target.frame(), info: { ...target.info } }));
    const expected = rollout(env);
    const expectedState = env.state;
    env.state = saved;
    assert.deepEqual(env.observation(), makeMujocoRestored(id, saved).observation(), 'observation right after restoring');
    assert.deepEqual(rollout(env), expected);
    const fresh = makeMujoco(id, { rng: new Random(99) });
    fresh.reset();
    fresh.state = JSON.parse(JSON.stringify(saved)) as typeof saved;
    assert.deepEqual(fresh.state, saved);
    assert.deepEqual(rollout(fresh), expected);
    assert.deepEqual(fresh.state, expectedState);
    assert.equal(fresh.state.elapsedSteps, 65);
  });

  test(`${id}: a half-written state is refused and changes nothing`, () => {
    const env = makeMujoco(id);
    env.reset(1);
    const good = env.state;
    for (const bad of [
      { ...good, physics: good.physics.slice(1) },
      { ...good, physics: good.physics.map((v, i) => (i === 1 ? Number.NaN : v)) },
      { ...good, lastAction: [] },
      { ...good, xpos: undefined as unknown as number[] },
      { ...good, elapsedSteps: -1 },
    ]) {
      assert.throws(() => (env.state = bad), /state/);
      assert.deepEqual(env.state, good);
    }
  });

  test(`${id}: frame() is each moving body's xpos and xquat, then the action; scene() lists the model's bodies and geoms`, () => {
    const env = makeMujoco(id, { rng: new Random(2) });
    env.reset();
    const action = actionAt(env, 4);
    env.step(action);
    const frame = env.frame();
    assert.equal(frame.length, spec.frameLabels.length);
    const nbody = env.model.nbody;
    assert.equal(frame.length, 7 * (nbody - 1) + spec.actionSize);
    for (let b = 1; b < nbody; b++) {
      assert.deepEqual(frame.slice(7 * (b - 1), 7 * (b - 1) + 3), copy(data(env).xpos).slice(3 * b, 3 * b + 3));
      assert.deepEqual(frame.slice(7 * (b - 1) + 3, 7 * b), copy(data(env).xquat).slice(4 * b, 4 * b + 4));
    }
    assert.deepEqual(frame.slice(-spec.actionSize), action);
    const scene = env.scene();
    assert.equal(env.scene(), scene, 'built once');
    assert.deepEqual(JSON.parse(JSON.stringify(scene)), scene, 'plain data');
    assert.equal(scene.bodies.length, nbody);
    assert.deepEqual(scene.bodies.slice(1).map((b) => b.name), [...spec.mujoco!.bodies]);
    assert.equal(scene.geoms.length, env.model.ngeom);
    for (const geom of scene.geoms) {
      assert.ok(geom.body >= 0 && geom.body < nbody);
      assert.equal(geom.size.length, 3);
      assert.equal(geom.pos.length, 3);
      assert.equal(geom.quat.length, 4);
      assert.equal(geom.rgba.length, 4);
      assert.ok(['plane', 'sphere', 'capsule', 'ellipsoid', 'cylinder', 'box'].includes(geom.type), geom.type);
    }
  });

  test(`${id}: the descriptor matches the compiled model`, () => {
    const env = makeMujoco(id);
    assert.equal(env.model.nu, spec.actionSize);
    const range = copy(modelArrays(env).actuator_ctrlrange);
    for (let i = 0; i < spec.actionSize; i++) assert.deepEqual([range[2 * i], range[2 * i + 1]], [spec.actionLow, spec.actionHigh]);
    assert.equal(env.reset(0).length, spec.observationSize);
    assert.equal(spec.observationLabels.length, spec.observationSize);
    assert.equal(spec.renderer, 'mujoco');
    env.dispose();
    env.dispose();
    assert.throws(() => env.reset(), /disposed/);
  });
}

function makeMujocoRestored(id: EnvironmentId, state: MujocoEnvironment['state']): MujocoEnvironment {
  const env = makeMujoco(id);
  env.state = JSON.parse(JSON.stringify(state)) as typeof state;
  return env;
}
