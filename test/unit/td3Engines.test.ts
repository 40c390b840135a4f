// Both TD3 engines (fused wasm, tfjs) against the float64 reference and against each other, over
// runs that mix delayed (critic-only) and full updates. Needs `npm run build` first (the .wasm).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Engine, NetworkShape } from '../../src/agent/engine/engine';
import { td3InitialParameters, td3ZeroOptimizerState } from '../../src/agent/engine/td3Parameters';
import { createTd3TfjsEngine } from '../../src/agent/engine/tfjs/td3TfjsEngine';
import { createTd3WasmEngine, type Td3WasmEngine } from '../../src/agent/engine/wasm/td3Engine';
import { Random } from '../../src/agent/random';
import { AGREEMENT, HYPER, loadBatch, normDifference, pendulumShape, relativeDifference } from '../helpers/engineComparison';
import { actorForward } from '../helpers/referenceDdpg';
import { referenceTd3Update, smoothedTargetActions, type Td3OptimizerLike, type Td3ParametersLike } from '../helpers/referenceTd3';
import { assertTd3StateClose, assertTd3StatsClose, copyTd3Batch, fillTd3Batch, orderOneTd3Parameters } from '../helpers/td3Comparison';

const UPDATES = 50;

interface Case {
  name: string;
  shape: NetworkShape;
  batch: number;
  policyDelay: number;
  /**
   * Whether every network entry is compared on its own. Not for a case whose gradients have
   * entries at float32 rounding level: Adam's first steps are ±lr whatever the gradient's size, so
   * such an entry's step flips sign between any two float32 implementations.
   */
  entrywise: boolean;
  params: (shape: NetworkShape) => ReturnType<typeof orderOneTd3Parameters>;
}

const CASES: Case[] = [
  { name: 'Pendulum, hidden [64, 64], batch 64, TD3 initialisation, delay 2', shape: pendulumShape([64, 64]), batch: 64, policyDelay: 2, entrywise: true, params: (s) => td3InitialParameters(s, new Random(21)) },
  { name: 'hidden [3, 5], batch 7, delay 3', shape: pendulumShape([3, 5]), batch: 7, policyDelay: 3, entrywise: true, params: (s) => orderOneTd3Parameters(s, 23) },
  {
    name: 'obs 5, act 2, actor [9, 6], critic [4, 11, 2], batch 10, delay 2',
    shape: { obsDim: 5, actDim: 2, actorHidden: [9, 6], criticHidden: [4, 11, 2], actionBound: 0.5 },
    batch: 10, policyDelay: 2, entrywise: true, params: (s) => orderOneTd3Parameters(s, 25),
  },
  {
    name: 'obs 11, act 6, actor [130], critic [5, 33], batch 13, delay 1',
    shape: { obsDim: 11, actDim: 6, actorHidden: [130], criticHidden: [5, 33], actionBound: 1 },
    batch: 13, policyDelay: 1, entrywise: false, params: (s) => orderOneTd3Parameters(s, 26, 0.2),
  },
];

type EngineFactory = (shape: NetworkShape, batchSize: number) => Promise<Engine>;
const ENGINES: Array<[string, EngineFactory]> = [
  ['wasm', (shape, batchSize) => createTd3WasmEngine({ shape, hyper: HYPER, batchSize }, { threads: 1 })],
  ['tfjs', (shape, batchSize) => createTd3TfjsEngine({ shape, hyper: HYPER, batchSize })],
];

for (const [engineName, create] of ENGINES) {
  for (const { name, shape, batch: batchSize, policyDelay, entrywise, params } of CASES) {
    describe(`TD3 ${engineName} engine vs float64 reference: ${name}`, () => {
      let engine: Engine;
      before(async () => {
        engine = await create(shape, batchSize);
      });
      after(() => engine.dispose());

      it(`agrees on every statistic, all six networks and three Adam states over ${UPDATES} updates`, () => {
        const start = params(shape);
        engine.setParameters(start);
        engine.setOptimizerState(td3ZeroOptimizerState(shape));
        // The chained reference follows its own state from the start; float32 rounding compounds
        // through the dynamics, so it is compared as whole vectors with a looser bound.
        let chained: { params: Td3ParametersLike; optimizer: Td3OptimizerLike } = { params: start, optimizer: td3ZeroOptimizerState(shape) };
        const rng = new Random(30);
        const batchArrays = engine.batch;
        for (let k = 0; k < UPDATES; k++) {
          fillTd3Batch(engine.batch, rng, shape.actionBound);
          const stepsActor = k % policyDelay === 0;
          const before = { params: engine.getParameters(), optimizer: engine.getOptimizerState() };
          const stats = engine.update({ actorAndTargets: stepsActor });
          const oneStep = referenceTd3Update(shape, HYPER, before.params, before.optimizer, engine.batch, stepsActor);
          assertTd3StatsClose(stats, oneStep.stats, stepsActor, `update ${k + 1}`);
          // Entry by entry for the networks where possible: Adam normalises a kink's effect on any one parameter.
          assertTd3StateClose(engine, oneStep.params, oneStep.optimizer, `update ${k + 1}`, AGREEMENT, entrywise ? relativeDifference : normDifference);
          if (!stepsActor) {
            const after = engine.getParameters();
            for (const untouched of ['actor', 'targetActor', 'targetCritic1', 'targetCritic2']) assert.deepEqual(after[untouched], before.params[untouched], `update ${k + 1}: ${untouched} unchanged`);
            assert.deepEqual(engine.getOptimizerState().actor, before.optimizer.actor, `update ${k + 1}: the actor's Adam state unchanged`);
          }
          chained = referenceTd3Update(shape, HYPER, chained.params, chained.optimizer, engine.batch, stepsActor);
          assertTd3StateClose(engine, chained.params, chained.optimizer, `update ${k + 1} of the chained run`, 10 * AGREEMENT);
        }
        assert.equal(engine.batch, batchArrays, 'the batch arrays are never reallocated');
        const end = engine.getParameters();
        for (const moved of ['actor', 'critic1', 'critic2', 'targetActor', 'targetCritic2']) {
          assert.ok(relativeDifference(end[moved], start[moved]) > 100 * AGREEMENT, `${moved} moved`);
        }
        assert.equal(engine.getOptimizerState().actor.step, Math.ceil(UPDATES / policyDelay));
        assert.equal(engine.getOptimizerState().critic2.step, UPDATES);
      });
    });
  }
}

describe('TD3 wasm engine vs tfjs engine: same parameters, same batches, delayed and full updates', () => {
  const shape = pendulumShape([64, 64]);
  let wasm: Engine;
  let tfjs: Engine;
  before(async () => {
    wasm = await createTd3WasmEngine({ shape, hyper: HYPER, batchSize: 64 });
    tfjs = await createTd3TfjsEngine({ shape, hyper: HYPER, batchSize: 64 });
  });
  after(() => {
    wasm.dispose();
    tfjs.dispose();
  });

  // Each update starts both from the wasm engine's state (one trajectory of 50 updates): two
  // float32 implementations chained apart part at the first ReLU kink and never meet again.
  it(`agree on statistics, parameters and Adam state at each of ${UPDATES} updates`, () => {
    wasm.setParameters(td3InitialParameters(shape, new Random(70)));
    wasm.setOptimizerState(td3ZeroOptimizerState(shape));
    const rng = new Random(71);
    for (let k = 0; k < UPDATES; k++) {
      fillTd3Batch(wasm.batch, rng, shape.actionBound);
      loadBatch(tfjs.batch, wasm.batch);
      tfjs.setParameters(wasm.getParameters());
      tfjs.setOptimizerState(wasm.getOptimizerState());
      const schedule = { actorAndTargets: k % 2 === 0 };
      const fromWasm = wasm.update(schedule);
      const fromTfjs = tfjs.update(schedule);
      assertTd3StatsClose(fromWasm, fromTfjs, schedule.actorAndTargets, `update ${k + 1}`);
      assertTd3StateClose(wasm, tfjs.getParameters(), tfjs.getOptimizerState(), `update ${k + 1}`, AGREEMENT, relativeDifference);
    }
  });
});

describe('TD3 target policy smoothing', () => {
  const shape: NetworkShape = { obsDim: 3, actDim: 2, actorHidden: [8], criticHidden: [7, 5], actionBound: 2 };

  for (const [engineName, create] of ENGINES) {
    it(`${engineName}: noise far beyond the bound is clipped to ±bound at s′ (the target uses the clipped action)`, async () => {
      const engine = await create(shape, 9);
      try {
        // Large weights saturate the target actor, so μ′(s′) + noise crosses the bound both ways.
        const params = orderOneTd3Parameters(shape, 40, 1.5);
        engine.setParameters(params);
        engine.setOptimizerState(td3ZeroOptimizerState(shape));
        fillTd3Batch(engine.batch, new Random(41), shape.actionBound);
        const noise = engine.batch.targetNoise;
        for (let k = 0; k < noise.length; k++) noise[k] = (k % 2 === 0 ? 1 : -1) * 3 * shape.actionBound;
        const nextActions = smoothedTargetActions(shape, params.targetActor, engine.batch.nextObs, noise, 9);
        assert.ok(nextActions.every((a) => Math.abs(a) === shape.actionBound), 'every smoothed action sits on the bound');
        const batch = copyTd3Batch(engine.batch);
        const stats = engine.update({ actorAndTargets: true });
        const expected = referenceTd3Update(shape, HYPER, params, td3ZeroOptimizerState(shape), batch, true);
        assertTd3StatsClose(stats, expected.stats, true, 'clipped smoothing');
        // Without the clip the targets would differ a lot: the reference with unclipped actions disagrees.
        const unclipped = actorForward(shape, params.targetActor, batch.nextObs, 9).map((a, k) => a + noise[k]);
        assert.ok(unclipped.some((a) => Math.abs(a) > 1.5 * shape.actionBound), 'the noise alone would leave the bound');
      } finally {
        engine.dispose();
      }
    });
  }
});

describe('TD3 wasm engine with a helper thread', () => {
  const shape: NetworkShape = { obsDim: 3, actDim: 1, actorHidden: [96, 130], criticHidden: [256, 64], actionBound: 2 };

  it('gives bit-identical statistics, parameters and optimizer state to one thread, delayed and full updates', async () => {
    const single = await createTd3WasmEngine({ shape, hyper: HYPER, batchSize: 50 }, { threads: 1 });
    const double = await createTd3WasmEngine({ shape, hyper: HYPER, batchSize: 50 }, { threads: 2 });
    try {
      assert.match(double.info.backend, /^wasm-(relaxed-)?simd-2threads$/);
      const start = orderOneTd3Parameters(shape, 90, 0.1);
      single.setParameters(start);
      double.setParameters(start);
      const rng = new Random(91);
      for (let k = 0; k < 8; k++) {
        fillTd3Batch(single.batch, rng, 2);
        loadBatch(double.batch, single.batch);
        const schedule = { actorAndTargets: k % 2 === 0 };
        assert.deepEqual(double.update(schedule), single.update(schedule), `update ${k + 1}`);
      }
      assert.deepEqual(double.getParameters(), single.getParameters());
      assert.deepEqual(double.getOptimizerState(), single.getOptimizerState());
      assert.equal(double.threadUsage().twoThreadUpdates, 8);
    } finally {
      single.dispose();
      double.dispose();
    }
  });

  it("'adaptive' switching between one and two threads mid-run changes nothing in the results", async () => {
    const single = await createTd3WasmEngine({ shape, hyper: HYPER, batchSize: 50 }, { threads: 1 });
    // Tiny windows and stretches: the policy switches modes every few updates, whatever it measures.
    const adaptive = await createTd3WasmEngine({ shape, hyper: HYPER, batchSize: 50 }, { threads: 'adaptive', threadPolicy: { window: 1, minStretch: 1, maxStretch: 2 } });
    try {
      assert.match(adaptive.info.backend, /^wasm-(relaxed-)?simd-adaptive-threads$/);
      const start = orderOneTd3Parameters(shape, 92, 0.1);
      single.setParameters(start);
      adaptive.setParameters(start);
      const rng = new Random(93);
      for (let k = 0; k < 30; k++) {
        fillTd3Batch(single.batch, rng, 2);
        loadBatch(adaptive.batch, single.batch);
        const schedule = { actorAndTargets: k % 3 === 0 };
        assert.deepEqual(adaptive.update(schedule), single.update(schedule), `update ${k + 1}`);
      }
      assert.deepEqual(adaptive.getParameters(), single.getParameters());
      assert.deepEqual(adaptive.getOptimizerState(), single.getOptimizerState());
      const usage = adaptive.threadUsage();
      assert.ok(usage.twoThreadUpdates > 0 && usage.twoThreadUpdates < 30, `both modes ran (${usage.twoThreadUpdates} of 30 on two threads)`);
    } finally {
      single.dispose();
      adaptive.dispose();
    }
  });
});

describe('TD3 wasm engine: act, state and errors', () => {
  const shape: NetworkShape = { obsDim: 4, actDim: 6, actorHidden: [8, 6], criticHidden: [7], actionBound: 0.4 };
  let engine: Td3WasmEngine;
  before(async () => {
    engine = await createTd3WasmEngine({ shape, hyper: HYPER, batchSize: 6 });
  });
  after(() => engine.dispose());

  it('act matches the reference actor for one observation and for more than one call takes', () => {
    const params = orderOneTd3Parameters(shape, 80, 1);
    engine.setParameters(params);
    const rng = new Random(81);
    for (const count of [1, 5, 700]) {
      const obs = Float32Array.from({ length: count * shape.obsDim }, () => rng.uniform(-4, 4));
      const actions = engine.act(obs, count);
      assert.ok(relativeDifference(actions, actorForward(shape, params.actor, obs, count)) < AGREEMENT, `count ${count}`);
      for (const a of actions) assert.ok(Math.abs(a) <= Math.fround(shape.actionBound), `action ${a} within ±${shape.actionBound} (in float32)`);
    }
  });

  it('get/set of parameters and optimizer state round-trip exactly, as copies', () => {
    const params = orderOneTd3Parameters(shape, 82);
    engine.setParameters(params);
    const got = engine.getParameters();
    assert.deepEqual(got, params);
    got.critic2.fill(9);
    assert.deepEqual(engine.getParameters(), params);
    const rng = new Random(83);
    const optimizer = td3ZeroOptimizerState(shape);
    for (const s of Object.values(optimizer)) {
      s.m.forEach((_, k) => (s.m[k] = rng.next()));
      s.v.forEach((_, k) => (s.v[k] = rng.next()));
      s.step = 1 + rng.int(20);
    }
    engine.setOptimizerState(optimizer);
    assert.deepEqual(engine.getOptimizerState(), optimizer);
  });

  it('names what is wrong with parameters or optimizer state of another shape or algorithm', () => {
    const params = orderOneTd3Parameters(shape, 84);
    assert.throws(() => engine.setParameters({ ...params, critic2: params.critic2.subarray(1) }), /critic2 has \d+ parameters; this network shape needs \d+/);
    const { targetCritic1: _dropped, ...ddpgLike } = params;
    assert.throws(() => engine.setParameters(ddpgLike), /targetCritic1 is missing/);
    const optimizer = td3ZeroOptimizerState(shape);
    assert.throws(() => engine.setOptimizerState({ ...optimizer, critic1: { ...optimizer.critic1, v: new Float32Array(2) } }), /critic1 optimizer state has \d+\/2 moments/);
  });

  it('a zero learning rate and τ = 1 copy the online networks into the targets on a full update only', () => {
    const params = orderOneTd3Parameters(shape, 88);
    engine.setParameters(params);
    engine.setOptimizerState(td3ZeroOptimizerState(shape));
    engine.setHyperparameters({ ...HYPER, actorLr: 0, criticLr: 0, tau: 1 });
    try {
      fillTd3Batch(engine.batch, new Random(89), shape.actionBound);
      engine.update({ actorAndTargets: false });
      assert.deepEqual(engine.getParameters(), params, 'a critic-only update with zero rates changes nothing');
      engine.update({ actorAndTargets: true });
      const after = engine.getParameters();
      assert.deepEqual(after.targetActor, params.actor);
      assert.deepEqual(after.targetCritic1, params.critic1);
      assert.deepEqual(after.targetCritic2, params.critic2);
    } finally {
      engine.setHyperparameters(HYPER);
    }
  });

  it('never grows its memory after creation, and throws after dispose', async () => {
    const memory = engine.batch.obs.buffer;
    fillTd3Batch(engine.batch, new Random(90), shape.actionBound);
    for (let k = 0; k < 5; k++) engine.update({ actorAndTargets: k % 2 === 0 });
    assert.equal(engine.batch.obs.buffer, memory);
    const short = await createTd3WasmEngine({ shape, hyper: HYPER, batchSize: 2 });
    short.dispose();
    assert.throws(() => short.update(), /disposed/);
    assert.throws(() => short.getParameters(), /disposed/);
  });
});

// A guard on the comparison itself: the state checks do detect a wrong update.
describe('TD3 comparison helpers', () => {
  it('a critic-only update is told apart from a full one by the state comparison', async () => {
    const shape = pendulumShape([8]);
    const engine = await createTd3WasmEngine({ shape, hyper: HYPER, batchSize: 8 });
    try {
      engine.setParameters(orderOneTd3Parameters(shape, 95));
      engine.setOptimizerState(td3ZeroOptimizerState(shape));
      fillTd3Batch(engine.batch, new Random(96), 2);
      const before = { params: engine.getParameters(), optimizer: engine.getOptimizerState() };
      engine.update({ actorAndTargets: false });
      const wrong = referenceTd3Update(shape, HYPER, before.params, before.optimizer, engine.batch, true);
      assert.ok(normDifference(engine.getParameters().actor, wrong.params.actor) > AGREEMENT);
    } finally {
      engine.dispose();
    }
  });
});
