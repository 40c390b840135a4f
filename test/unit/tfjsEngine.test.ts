import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type * as TF from '@tensorflow/tfjs';

import type { Batch, Engine, NetworkParameters, NetworkShape, UpdateHyperparameters } from '../../src/agent/engine/engine';
import { actorLayers, criticLayers, initialParameters, parameterCount, zeroOptimizerState } from '../../src/agent/engine/parameters';
import { BACKEND_ENV_VAR, findWasmDirectory, loadTensorFlow } from '../../src/agent/engine/tfjs/backend';
import { createTfjsEngine } from '../../src/agent/engine/tfjs/tfjsEngine';
import { Random } from '../../src/agent/random';
import {
  actorForward,
  actorLossAndGradient,
  adamStep,
  criticLossAndGradient,
  referenceUpdate,
  softUpdate,
  tdTargets,
  toReferenceOptimizerState,
  toReferenceParameters,
} from '../helpers/referenceDdpg';
import {
  AGREEMENT,
  assertParametersCopiedBothWays,
  assertRestoredStateReplays,
  assertStateAgrees,
  fillBatch,
  HYPER,
  orderOneParameters,
  pendulumShape,
  relativeDifference,
  runBesideReference,
  scalarDifference,
  stateDifferences,
  type AgreementCase,
} from '../helpers/engineComparison';

const UPDATES = 25;

let tf: typeof TF;
let backend: string;
/** Process-wide crash listeners added by the first load (the test runner installs its own earlier). */
let listenersAddedByLoad: number;
before(async () => {
  const count = () => process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;
  const before = count();
  ({ tf, backend } = await loadTensorFlow());
  listenersAddedByLoad = count() - before;
});

describe('tfjs backend loader', () => {
  it('loads once and returns the same TensorFlow.js on every call', async () => {
    const again = await loadTensorFlow();
    assert.equal(again.tf, tf);
    assert.equal(again.backend, backend);
    assert.equal(tf.getBackend(), backend);
    const forced = process.env[BACKEND_ENV_VAR];
    if (forced) assert.equal(backend, forced, `${BACKEND_ENV_VAR} forces the backend`);
    else assert.ok(['tensorflow', 'wasm'].includes(backend), `the fastest backend that loads here, got ${backend}`);
  });

  it("leaves no process-wide crash listeners behind (emscripten's would swallow the trainer's error handling)", () => {
    assert.equal(listenersAddedByLoad, 0);
  });

  it('finds the tfjs-backend-wasm binaries when running from source', () => {
    const dir = findWasmDirectory();
    assert.ok(dir.endsWith(path.sep), 'a prefix that file names are appended to');
    assert.ok(fs.existsSync(`${dir}tfjs-backend-wasm-simd.wasm`) && fs.existsSync(`${dir}tfjs-backend-wasm.wasm`));
  });

  it(`rejects an unknown ${BACKEND_ENV_VAR} with the allowed values`, async () => {
    const saved = process.env[BACKEND_ENV_VAR];
    process.env[BACKEND_ENV_VAR] = 'webgpu';
    try {
      await assert.rejects(loadTensorFlow(), /DDPG_TFJS_BACKEND="webgpu" is not a tfjs backend; use one of tensorflow, wasm, cpu/);
    } finally {
      if (saved === undefined) delete process.env[BACKEND_ENV_VAR];
      else process.env[BACKEND_ENV_VAR] = saved;
    }
    assert.equal(tf.getBackend(), backend, 'a failed request leaves the active backend alone');
  });

  it('says why the "tensorflow" backend is unavailable when tfjs-node is not installed', async (t) => {
    if (backend === 'tensorflow') return t.skip('tfjs-node is installed here');
    await assert.rejects(loadTensorFlow('tensorflow'), /needs @tensorflow\/tfjs-node, which did not load/);
    assert.equal(tf.getBackend(), backend);
  });
});

const AGREEMENT_CASES: AgreementCase[] = [
  { name: 'Pendulum, hidden [64, 64], batch 64, DDPG initialisation', shape: pendulumShape([64, 64]), batch: 64, params: (s) => initialParameters(s, new Random(21)) },
  { name: 'hidden [1], batch 5', shape: pendulumShape([1]), batch: 5, params: (s) => orderOneParameters(s, 22, 1) },
  {
    name: 'actor [3, 5], critic [5, 3], batch 7',
    shape: { obsDim: 3, actDim: 1, actorHidden: [3, 5], criticHidden: [5, 3], actionBound: 2 },
    batch: 7,
    params: (s) => orderOneParameters(s, 23),
  },
  {
    name: 'obs 4, act 2, actor [6], critic [4, 7, 2], batch 9',
    shape: { obsDim: 4, actDim: 2, actorHidden: [6], criticHidden: [4, 7, 2], actionBound: 0.5 },
    batch: 9,
    params: (s) => orderOneParameters(s, 24),
  },
];

for (const { name, shape, batch: batchSize, params: makeParams } of AGREEMENT_CASES) {
  describe(`tfjs engine vs float64 reference: ${name}`, () => {
    let engine: Engine;
    before(async () => {
      engine = await createTfjsEngine({ shape, hyper: HYPER, batchSize });
    });
    after(() => engine.dispose());

    it(`agrees on losses, all four networks and both Adam states over ${UPDATES} consecutive updates`, () => {
      // Each update on its own, from the engine's own state: every entry must agree; the chained
      // reference keeps the whole state, moments included, close as vectors.
      runBesideReference(engine, makeParams(shape), UPDATES, 'parameters and moments', (step, _before, oneStep) =>
        assertStateAgrees(engine, oneStep.params, oneStep.optimizer, relativeDifference, `update ${step}`),
      );
    });
  });
}

describe('tfjs engine: the agreement test catches a wrong update', () => {
  const shape: NetworkShape = { obsDim: 3, actDim: 1, actorHidden: [3, 5], criticHidden: [5, 3], actionBound: 2 };
  let engine: Engine;
  let start: NetworkParameters;
  let batch: Batch;
  before(async () => {
    engine = await createTfjsEngine({ shape, hyper: HYPER, batchSize: 7 });
    start = orderOneParameters(shape, 40);
    engine.setParameters(start);
    engine.setOptimizerState(zeroOptimizerState(shape));
    fillBatch(engine.batch, new Random(41), 2);
    batch = engine.batch;
    engine.update();
  });
  after(() => engine.dispose());

  /** A reference update with one deliberate mistake, built from the oracle's primitives. */
  function mistakenUpdate(mistake: 'actor through the old critic' | 'tau as retention' | 'no bias correction') {
    const p = toReferenceParameters(start);
    const o = toReferenceOptimizerState(zeroOptimizerState(shape));
    const oldCritic = p.critic.slice();
    const y = tdTargets(shape, HYPER.gamma, p.targetActor, p.targetCritic, batch);
    const critic = criticLossAndGradient(shape, p.critic, batch.obs, batch.action, y, 7);
    adamStep(p.critic, critic.gradient, o.critic, HYPER.criticLr);
    const actor = actorLossAndGradient(shape, p.actor, mistake === 'actor through the old critic' ? oldCritic : p.critic, batch.obs, 7);
    if (mistake === 'no bias correction') {
      // Adam without bias correction on the actor: m and v alone.
      for (let k = 0; k < p.actor.length; k++) {
        const g = actor.gradient[k];
        o.actor.m[k] = 0.1 * g;
        o.actor.v[k] = 0.001 * g * g;
        p.actor[k] -= (HYPER.actorLr * o.actor.m[k]) / (Math.sqrt(o.actor.v[k]) + 1e-8);
      }
      o.actor.step = 1;
    } else adamStep(p.actor, actor.gradient, o.actor, HYPER.actorLr);
    const tau = mistake === 'tau as retention' ? 1 - HYPER.tau : HYPER.tau;
    softUpdate(p.targetActor, p.actor, tau);
    softUpdate(p.targetCritic, p.critic, tau);
    return { params: p, optimizer: o };
  }

  it('the engine agrees with the correct reference', () => {
    const expected = referenceUpdate(shape, HYPER, start, zeroOptimizerState(shape), batch);
    assertStateAgrees(engine, expected.params, expected.optimizer, relativeDifference, 'correct reference');
  });

  for (const mistake of ['actor through the old critic', 'tau as retention', 'no bias correction'] as const) {
    it(`…and disagrees with a reference that steps the ${mistake}`, () => {
      const wrong = mistakenUpdate(mistake);
      const differences = stateDifferences(engine, wrong.params, wrong.optimizer);
      assert.ok(Math.max(...Object.values(differences)) > 10 * AGREEMENT, JSON.stringify(differences));
    });
  }
});

describe('tfjs engine: soft update', () => {
  const shape = pendulumShape([4]);
  let engine: Engine;
  before(async () => {
    // Zero learning rates leave the online networks bit-for-bit unchanged by the Adam steps.
    engine = await createTfjsEngine({ shape, hyper: { ...HYPER, actorLr: 0, criticLr: 0 }, batchSize: 3 });
    fillBatch(engine.batch, new Random(50), 2);
  });
  after(() => engine.dispose());

  /** Values exactly representable in float32, so that τ-mixing is exact too. */
  function dyadic(size: number, offset: number): Float32Array {
    return Float32Array.from({ length: size }, (_, k) => ((k * 7 + offset) % 16) / 8 - 1);
  }

  function dyadicParameters(): NetworkParameters {
    const a = parameterCount(actorLayers(shape));
    const c = parameterCount(criticLayers(shape));
    return { actor: dyadic(a, 1), critic: dyadic(c, 2), targetActor: dyadic(a, 9), targetCritic: dyadic(c, 4) };
  }

  it('τ = 1 copies the online networks into the targets', () => {
    const p = dyadicParameters();
    engine.setParameters(p);
    engine.setHyperparameters({ ...HYPER, actorLr: 0, criticLr: 0, tau: 1 });
    engine.update();
    const after = engine.getParameters();
    assert.deepEqual(after.actor, p.actor);
    assert.deepEqual(after.targetActor, p.actor);
    assert.deepEqual(after.targetCritic, p.critic);
  });

  it('τ mixes: target ← τ·online + (1 − τ)·target, exactly', () => {
    const p = dyadicParameters();
    engine.setParameters(p);
    engine.setHyperparameters({ ...HYPER, actorLr: 0, criticLr: 0, tau: 0.25 });
    engine.update();
    const after = engine.getParameters();
    assert.deepEqual(after.targetActor, p.targetActor.map((t, k) => 0.25 * p.actor[k] + 0.75 * t));
    assert.deepEqual(after.targetCritic, p.targetCritic.map((t, k) => 0.25 * p.critic[k] + 0.75 * t));
    assert.notDeepEqual(after.targetActor, p.targetActor);
  });
});

describe('tfjs engine: state in and out', () => {
  const shape: NetworkShape = { obsDim: 3, actDim: 1, actorHidden: [8, 6], criticHidden: [7], actionBound: 2 };
  let engine: Engine;
  before(async () => {
    engine = await createTfjsEngine({ shape, hyper: HYPER, batchSize: 6 });
  });
  after(() => engine.dispose());

  it('getParameters returns exactly what setParameters was given, as copies both ways', () => {
    assertParametersCopiedBothWays(engine, orderOneParameters(shape, 60));
  });

  it('rejects parameters or optimizer state of the wrong size', () => {
    const p = orderOneParameters(shape, 61);
    assert.throws(() => engine.setParameters({ ...p, targetCritic: p.targetCritic.subarray(1) }), /targetCritic has \d+ parameters; this network shape needs \d+/);
    const o = zeroOptimizerState(shape);
    assert.throws(() => engine.setOptimizerState({ ...o, actor: { ...o.actor, v: new Float32Array(3) } }), /actor optimizer state has \d+\/3 moments/);
    assert.throws(() => engine.setOptimizerState({ ...o, critic: { ...o.critic, step: -1 } }), /non-negative integer/);
  });

  it('a restored state replays the same updates bit for bit', () => {
    assertRestoredStateReplays(engine, 62);
  });

  it('the restored Adam step count matters (bias correction uses t = step + 1)', () => {
    const p = orderOneParameters(shape, 65);
    fillBatch(engine.batch, new Random(66), 2);
    const run = (step: number) => {
      const o = zeroOptimizerState(shape);
      o.actor.step = step;
      o.critic.step = step;
      engine.setParameters(p);
      engine.setOptimizerState(o);
      engine.update();
      return { params: engine.getParameters(), optimizer: engine.getOptimizerState(), o };
    };
    for (const step of [0, 7]) {
      const result = run(step);
      const expected = referenceUpdate(shape, HYPER, p, result.o, engine.batch);
      assert.equal(result.optimizer.actor.step, step + 1);
      assertStateAgrees(engine, expected.params, expected.optimizer, relativeDifference, `starting from step ${step}`);
    }
  });

  it('setHyperparameters takes effect on the next update', () => {
    const p = orderOneParameters(shape, 67);
    const o = zeroOptimizerState(shape);
    fillBatch(engine.batch, new Random(68), 2);
    const changed: UpdateHyperparameters = { gamma: 0.5, tau: 0.3, actorLr: 2e-2, criticLr: 1e-4 };
    engine.setParameters(p);
    engine.setOptimizerState(o);
    engine.setHyperparameters(changed);
    const stats = engine.update();
    const expected = referenceUpdate(shape, changed, p, o, engine.batch);
    const old = referenceUpdate(shape, HYPER, p, o, engine.batch);
    assert.ok(scalarDifference(stats.criticLoss, expected.stats.criticLoss) < AGREEMENT, 'γ changes the TD targets');
    assertStateAgrees(engine, expected.params, expected.optimizer, relativeDifference, 'changed hyperparameters');
    assert.ok(Math.max(...Object.values(stateDifferences(engine, old.params, old.optimizer))) > 10 * AGREEMENT);
    engine.setHyperparameters(HYPER);
    assert.throws(() => engine.setHyperparameters({ ...HYPER, tau: Number.NaN }), /tau must be a finite number/);
  });
});

describe('tfjs engine: act()', () => {
  const shape = pendulumShape([64, 64]);
  let engine: Engine;
  before(async () => {
    engine = await createTfjsEngine({ shape, hyper: HYPER, batchSize: 16 });
  });
  after(() => engine.dispose());

  function observations(count: number, seed: number): Float32Array {
    const rng = new Random(seed);
    return Float32Array.from({ length: count * shape.obsDim }, () => rng.uniform(-1.5, 1.5));
  }

  it('matches the reference actor for one observation and for large batches', () => {
    const p = orderOneParameters(shape, 70, 0.3);
    engine.setParameters(p);
    // 1 runs on the host; 400 × ~4.5k multiply-adds goes through tfjs.
    for (const count of [1, 3, 400]) {
      const obs = observations(count, 71 + count);
      const actions = engine.act(obs, count);
      assert.equal(actions.length, count * shape.actDim);
      const expected = actorForward(shape, p.actor, obs, count);
      assert.ok(relativeDifference(actions, expected) < 1e-5, `count ${count}: ${relativeDifference(actions, expected)}`);
    }
  });

  it('follows the actor after every update and every setParameters', () => {
    const obs = observations(1, 80);
    engine.setParameters(orderOneParameters(shape, 81, 0.3));
    engine.setOptimizerState(zeroOptimizerState(shape));
    const before = engine.act(obs, 1)[0];
    fillBatch(engine.batch, new Random(82), 2);
    engine.update();
    const afterUpdate = engine.act(obs, 1)[0];
    assert.notEqual(afterUpdate, before);
    assert.ok(Math.abs(afterUpdate - actorForward(shape, engine.getParameters().actor, obs, 1)[0]) < 1e-5);
    const replaced = orderOneParameters(shape, 83, 0.3);
    engine.setParameters(replaced);
    assert.ok(Math.abs(engine.act(obs, 1)[0] - actorForward(shape, replaced.actor, obs, 1)[0]) < 1e-5);
  });

  it('stays within ±actionBound even when tanh saturates', () => {
    engine.setParameters(orderOneParameters(shape, 90, 3));
    for (const count of [1, 400]) {
      const actions = engine.act(observations(count, 91), count);
      assert.ok(actions.every((a) => Math.abs(a) <= shape.actionBound));
      assert.ok(actions.some((a) => Math.abs(a) > 0.999 * shape.actionBound), 'the sample saturates');
    }
  });

  it('rejects too few observations', () => {
    assert.throws(() => engine.act(new Float32Array(5), 2), /2 observations need 6 values; got 5/);
  });
});

describe('tfjs engine: lifecycle', () => {
  it('reports itself, validates its options, frees every tensor on dispose and refuses use afterwards', async () => {
    const baseline = tf.memory().numTensors;
    const shape = pendulumShape([16, 16]);
    const engine = await createTfjsEngine({ shape, hyper: HYPER, batchSize: 32 });
    assert.deepEqual(engine.info, { engine: 'tfjs', backend });
    assert.equal(engine.batchSize, 32);
    assert.deepEqual(engine.shape, shape);
    assert.equal(engine.batch.obs.length, 32 * 3);
    assert.equal(engine.batch.terminated.length, 32);
    assert.ok(tf.memory().numTensors > baseline);
    engine.dispose();
    assert.equal(tf.memory().numTensors, baseline);
    assert.throws(() => engine.update(), /disposed/);
    assert.throws(() => engine.act(new Float32Array(3), 1), /disposed/);
    await assert.rejects(createTfjsEngine({ shape, hyper: HYPER, batchSize: 0 }), /batchSize must be a positive integer; got 0/);
    await assert.rejects(createTfjsEngine({ shape: { ...shape, criticHidden: [16, 0] }, hyper: HYPER, batchSize: 4 }), /criticHidden\[1\] must be a positive integer/);
  });

  it('leaks no tensors over many updates, actions and state round trips', async () => {
    const shape = pendulumShape([16, 16]);
    const engine = await createTfjsEngine({ shape, hyper: HYPER, batchSize: 32 });
    try {
      const rng = new Random(100);
      const cycle = () => {
        fillBatch(engine.batch, rng, 2);
        engine.update();
        engine.act(engine.batch.obs, 1);
        engine.act(new Float32Array(3 * 5000), 5000);
        engine.setParameters(engine.getParameters());
        engine.setOptimizerState(engine.getOptimizerState());
      };
      cycle();
      const settled = tf.memory().numTensors;
      for (let k = 0; k < 60; k++) cycle();
      assert.equal(tf.memory().numTensors, settled);
    } finally {
      engine.dispose();
    }
  });
});
