import assert from 'node:assert/strict';
import test, { before } from 'node:test';
import { ENVIRONMENT_IDS, ENVIRONMENTS, makeEnv, prepareEnvironment, type Environment, type StepResult } from '../../src/agent/env/index';
import { Pendulum } from '../../src/agent/env/pendulum';
import { Random } from '../../src/agent/random';

/** A fixed, state-independent action pattern inside and outside the action bounds. */
const actionAt = (env: Environment, k: number) => env.spec.actionHigh * 1.3 * Math.sin(0.21 * k);

function rollout(env: Environment, steps: number, from = 0): StepResult[] {
  return Array.from({ length: steps }, (_, k) => env.step(Array.from({ length: env.spec.actionSize }, (_, i) => actionAt(env, from + k + i))));
}

before(async () => {
  for (const id of ENVIRONMENT_IDS) await prepareEnvironment(id);
});

for (const id of ENVIRONMENT_IDS) {
  test(`makeEnv(${id}) follows its descriptor`, () => {
    const env = makeEnv(id, { rng: new Random(1) });
    const spec = ENVIRONMENTS[id];
    assert.equal(env.spec, spec);
    assert.equal(env.maxEpisodeSteps, spec.maxEpisodeSteps);
    assert.equal(env.reset(3).length, spec.observationSize);
    assert.equal(env.frame().length, spec.frameLabels.length);
    const r = env.step(new Array<number>(spec.actionSize).fill(0.5));
    assert.equal(r.observation.length, spec.observationSize);
    assert.deepEqual(env.observation(), r.observation);
    assert.equal(env.frame().length, spec.frameLabels.length);
    assert.equal(env.resetToEvaluationStart(0, 10).length, spec.observationSize);
  });

  test(`${id}: writing the state back replays the same steps bit for bit (also through JSON)`, () => {
    const env = makeEnv(id, { rng: new Random(11) });
    env.reset();
    rollout(env, 25);
    const saved = env.state;
    const expected = rollout(env, 40, 25);
    const expectedFrames = env.frame();
    env.state = saved;
    assert.deepEqual(rollout(env, 40, 25), expected);
    assert.deepEqual(env.frame(), expectedFrames);
    const fresh = makeEnv(id, { rng: new Random(99) });
    fresh.reset();
    fresh.state = JSON.parse(JSON.stringify(saved)) as typeof saved;
    assert.deepEqual(fresh.state, saved);
    assert.deepEqual(rollout(fresh, 40, 25), expected);
    assert.equal(fresh.state.elapsedSteps, 65);
  });

  test(`${id}: the time limit truncates at the descriptor's ${ENVIRONMENTS[id].maxEpisodeSteps} steps, or at maxEpisodeSteps`, () => {
    // Left alone, a MuJoCo robot falls (and terminates) long before its time limit: only a short one is checked there.
    const fallsOver = ENVIRONMENTS[id].canTerminate && ENVIRONMENTS[id].mujoco !== undefined;
    for (const [options, limit] of [
      ...(fallsOver ? [] : [[{}, ENVIRONMENTS[id].maxEpisodeSteps], [{ maxEpisodeSteps: 0 }, ENVIRONMENTS[id].maxEpisodeSteps]] as const),
      [{ maxEpisodeSteps: 7 }, 7],
    ] as const) {
      const env = makeEnv(id, options);
      assert.equal(env.maxEpisodeSteps, limit);
      env.reset(2);
      // Zero action from a reset state: neither environment gets anywhere near terminating.
      const flags = Array.from({ length: limit }, () => env.step(new Array<number>(env.spec.actionSize).fill(0)));
      assert.ok(flags.every((r) => !r.terminated));
      assert.deepEqual(
        flags.map((r) => r.truncated),
        flags.map((_, k) => k === limit - 1),
      );
    }
  });
}

test('makeEnv("Pendulum-v1", { g }) is today\'s Pendulum over 300 steps (with a reset at the 200-step limit)', () => {
  const env = makeEnv('Pendulum-v1', { g: 9.81, rng: new Random(5) });
  const pendulum = new Pendulum({ g: 9.81, rng: new Random(5) });
  assert.deepEqual(env.reset(), pendulum.reset());
  for (let k = 0; k < 300; k++) {
    const action = 2.5 * Math.sin(0.13 * k);
    const a = env.step(new Float32Array([action]));
    const b = pendulum.step(new Float32Array([action])[0]);
    assert.deepEqual(a, b, `step ${k}`);
    assert.deepEqual(env.frame(), [pendulum.state[0], pendulum.lastTorque]);
    assert.deepEqual(env.state, { theta: pendulum.state[0], thetaDot: pendulum.state[1], elapsedSteps: pendulum.elapsedSteps, lastTorque: pendulum.lastTorque });
    if (a.truncated) assert.deepEqual(env.reset(), pendulum.reset());
  }
});

test('Pendulum evaluation starts are the numbers evaluation.ts has always used, and draw nothing from the reset RNG', () => {
  const rng = new Random(8);
  const env = makeEnv('Pendulum-v1', { rng });
  const before = rng.getState();
  const offset = new Random(1_000_000).next();
  for (const n of [1, 10, 37]) {
    for (let e = 0; e < n; e++) {
      const obs = env.resetToEvaluationStart(e, n);
      const theta = -Math.PI + ((e + offset) * 2 * Math.PI) / n;
      const thetaDot = new Random(1_000_000 + 1 + e).uniform(-1, 1);
      assert.deepEqual(env.state, { theta, thetaDot, elapsedSteps: 0, lastTorque: 0 });
      assert.deepEqual(obs, [Math.cos(theta), Math.sin(theta), thetaDot]);
    }
  }
  assert.deepEqual(rng.getState(), before);
});

test('options take Gymnasium\'s keyword or the config key', () => {
  const steps = (env: Environment) => (env.reset(4), rollout(env, 30));
  assert.deepEqual(steps(makeEnv('Pendulum-v1', { g: 9.81 })), steps(makeEnv('Pendulum-v1', { gravity: 9.81 })));
  assert.notDeepEqual(steps(makeEnv('Pendulum-v1', { g: 9.81 })), steps(makeEnv('Pendulum-v1')));
  assert.deepEqual(steps(makeEnv('Pendulum-v1', { g: 10 })), steps(makeEnv('Pendulum-v1')));
  const goal = (options: object) => {
    const env = makeEnv('MountainCarContinuous-v0', options);
    env.reset(0);
    env.state = { position: 0.44, velocity: 0.02, float32: 1, elapsedSteps: 0, lastForce: 0 };
    return env.step(1).terminated;
  };
  assert.equal(goal({}), true);
  assert.equal(goal({ goal_velocity: 0.05 }), false);
  assert.equal(goal({ goalVelocity: 0.05 }), false);
  assert.equal(goal({ goal_velocity: 0.05, goalVelocity: 0.05 }), false, 'both names with one value');
  assert.doesNotThrow(() => makeEnv('Pendulum-v1', { g: undefined, maxEpisodeSteps: undefined, rng: undefined }));
});

test('an unknown environment id is an error that lists the known ones', () => {
  assert.throws(() => makeEnv('CartPole-v1'), (e: Error) => {
    assert.match(e.message, /unknown environment "CartPole-v1"/);
    for (const id of ENVIRONMENT_IDS) assert.ok(e.message.includes(id), `lists ${id}`);
    return true;
  });
});

test('bad options are errors that name the option', () => {
  const bad: Array<[string, object, RegExp]> = [
    ['Pendulum-v1', { g: 'abc' }, /option g \(or gravity\) must be a number in \[0, 100\], got "abc"/],
    ['Pendulum-v1', { g: -1 }, /option g \(or gravity\) must be a number in \[0, 100\], got -1/],
    ['Pendulum-v1', { gravity: 101 }, /option g \(or gravity\) .* got 101/],
    ['Pendulum-v1', { g: Number.NaN }, /option g .* got NaN/],
    ['Pendulum-v1', { g: 9.81, gravity: 10 }, /g \(9.81\) and gravity \(10\) are the same option/],
    ['Pendulum-v1', { gravityy: 9.81 }, /unknown option "gravityy"; it takes g \(or gravity\), maxEpisodeSteps, rng/],
    ['Pendulum-v1', { goal_velocity: 0 }, /unknown option "goal_velocity"/],
    ['MountainCarContinuous-v0', { goal_velocity: 0.5 }, /option goal_velocity \(or goalVelocity\) must be a number in \[0, 0.07\], got 0.5/],
    ['MountainCarContinuous-v0', { goalVelocity: '0' }, /option goal_velocity \(or goalVelocity\) .* got "0"/],
    ['MountainCarContinuous-v0', { maxEpisodeSteps: -3 }, /option maxEpisodeSteps must be a positive integer .* got -3/],
    ['MountainCarContinuous-v0', { maxEpisodeSteps: 2.5 }, /option maxEpisodeSteps .* got 2.5/],
    ['MountainCarContinuous-v0', { rng: { uniform: () => 0 } }, /option rng must be a Random/],
  ];
  for (const [id, options, message] of bad) {
    assert.throws(() => makeEnv(id, options), (e: Error) => {
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(`${id}: `), `names the environment: ${e.message}`);
      return true;
    });
  }
  assert.throws(() => makeEnv('Pendulum-v1', null as unknown as object), /options must be an object/);
});

test('the Pendulum state setter refuses a half-written state', () => {
  const env = makeEnv('Pendulum-v1');
  env.reset(0);
  const { lastTorque: _dropped, ...missing } = env.state;
  assert.throws(() => (env.state = missing), /Pendulum-v1 state: lastTorque must be a number/);
  assert.throws(() => (env.state = { ...env.state, elapsedSteps: 1.5 }), /elapsedSteps must be a non-negative integer/);
});
