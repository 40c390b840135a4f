// The fused WebAssembly engine against the float64 reference and the TensorFlow.js engine.
// Needs `npm run build` first (the .wasm is built into dist/).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { Batch, Engine, NetworkShape, OptimizerState } from '../../src/agent/engine/engine';
import { actorLayers, criticLayers, initialParameters, zeroOptimizerState } from '../../src/agent/engine/parameters';
import { createTfjsEngine } from '../../src/agent/engine/tfjs/tfjsEngine';
import { autoThreads, createWasmEngine, locateModule, type WasmEngine, type WasmSimdLevel } from '../../src/agent/engine/wasm/wasmEngine';
import { Random } from '../../src/agent/random';
import { actorForward, referenceUpdate, type ParametersLike } from '../helpers/referenceDdpg';
import {
  AGREEMENT,
  assertParametersCopiedBothWays,
  assertRestoredStateReplays,
  assertStateAgrees,
  fillBatch,
  HYPER,
  loadBatch,
  normDifference,
  orderOneParameters,
  pendulumShape,
  relativeDifference,
  runBesideReference,
  scalarDifference,
  type AgreementCase,
} from '../helpers/engineComparison';

const UPDATES = 50;

/** The SIMD levels this runtime can run; both are tested where both load. */
const LEVELS: WasmSimdLevel[] = (['simd', 'relaxed-simd'] as const).filter((level) => {
  try {
    locateModule(level);
    return true;
  } catch {
    return false;
  }
});

/**
 * A hidden pre-activation within this fraction of its layer's largest of zero sits on a ReLU kink:
 * float32 rounding (~1e-7 of the layer's largest) may put it on either side, and whether that sample's gradient flows
 * through the unit changes a whole column of the gradient by ~1/batch. Any two correct float32
 * implementations can then differ far beyond 1e-4 in the gradient and Adam's moments (a
 * parameter moves little: Adam normalises the step).
 */
const KINK_MARGIN = 1e-6;

/** Float64 forward pass; returns the output and how close (relatively) a hidden pre-activation came to zero. */
function forwardWithKinkDistance(layers: Array<[number, number]>, params: ArrayLike<number>, input: ArrayLike<number>, count: number): { output: Float64Array; kink: number } {
  let x = Float64Array.from(input);
  let offset = 0;
  let kink = Infinity;
  layers.forEach(([inputs, outputs], layer) => {
    const z = new Float64Array(count * outputs);
    for (let n = 0; n < count; n++) {
      for (let j = 0; j < outputs; j++) {
        let sum = params[offset + inputs * outputs + j];
        for (let i = 0; i < inputs; i++) sum += x[n * inputs + i] * params[offset + i * outputs + j];
        z[n * outputs + j] = sum;
      }
    }
    offset += inputs * outputs + outputs;
    if (layer < layers.length - 1) {
      const scale = z.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (const v of z) kink = Math.min(kink, Math.abs(v) / Math.max(scale, 1e-30));
      x = z.map((v) => Math.max(v, 0));
    } else x = z;
  });
  return { output: x, kink };
}

/**
 * How close the forward passes that an update differentiates come to a ReLU kink: the critic on
 * (s, a) before its step, the actor on s, and the stepped critic on (s, μ(s)).
 */
function updateKinkDistance(shape: NetworkShape, before: ParametersLike, steppedCritic: ArrayLike<number>, batch: Batch): number {
  const count = batch.reward.length;
  const join = (actions: ArrayLike<number>) => {
    const width = shape.obsDim + shape.actDim;
    const rows = new Float64Array(count * width);
    for (let n = 0; n < count; n++) {
      for (let i = 0; i < shape.obsDim; i++) rows[n * width + i] = batch.obs[n * shape.obsDim + i];
      for (let i = 0; i < shape.actDim; i++) rows[n * width + shape.obsDim + i] = actions[n * shape.actDim + i];
    }
    return rows;
  };
  const critic = forwardWithKinkDistance(criticLayers(shape), before.critic, join(batch.action), count);
  const actor = forwardWithKinkDistance(actorLayers(shape), before.actor, batch.obs, count);
  const mu = actor.output.map((z) => Math.tanh(z) * shape.actionBound);
  const throughCritic = forwardWithKinkDistance(criticLayers(shape), steppedCritic, join(mu), count);
  return Math.min(critic.kink, actor.kink, throughCritic.kink);
}

const CASES: AgreementCase[] = [
  { name: 'Pendulum, hidden [64, 64], batch 64, DDPG initialisation', shape: pendulumShape([64, 64]), batch: 64, params: (s) => initialParameters(s, new Random(21)) },
  { name: 'hidden [1], batch 5', shape: pendulumShape([1]), batch: 5, params: (s) => orderOneParameters(s, 22, 1) },
  { name: 'hidden [3, 5], batch 7', shape: pendulumShape([3, 5]), batch: 7, params: (s) => orderOneParameters(s, 23) },
  {
    name: 'actor [130], critic [5, 130], batch 13',
    shape: { obsDim: 3, actDim: 1, actorHidden: [130], criticHidden: [5, 130], actionBound: 2 },
    batch: 13,
    params: (s) => orderOneParameters(s, 24, 0.2),
  },
  {
    name: 'obs 5, act 3, actor [9, 6], critic [4, 11, 2], batch 10',
    shape: { obsDim: 5, actDim: 3, actorHidden: [9, 6], criticHidden: [4, 11, 2], actionBound: 0.5 },
    batch: 10,
    params: (s) => orderOneParameters(s, 25),
  },
];

for (const level of LEVELS) {
  for (const { name, shape, batch: batchSize, params: makeParams } of CASES) {
    describe(`wasm engine (${level}) vs float64 reference: ${name}`, () => {
      let engine: Engine;
      before(async () => {
        engine = await createWasmEngine({ shape, hyper: HYPER, batchSize }, { simd: level });
      });
      after(() => engine.dispose());

      it(`agrees on losses, all four networks and both Adam states over ${UPDATES} consecutive updates`, () => {
        const memory = engine.batch.obs.buffer;
        let kinkUpdates = 0;
        // This update alone, from the engine's own state: every entry agrees (away from kinks, the
        // whole state entry by entry; on one, the parameters as vectors). The chained reference
        // keeps the networks and the losses together (the moments would not survive a kink, see
        // KINK_MARGIN).
        runBesideReference(engine, makeParams(shape), UPDATES, 'parameters', (step, before, oneStep) => {
          if (updateKinkDistance(shape, before.params, oneStep.params.critic, engine.batch) > KINK_MARGIN) {
            assertStateAgrees(engine, oneStep.params, oneStep.optimizer, relativeDifference, `update ${step}`);
          } else {
            kinkUpdates++;
            assertStateAgrees(engine, oneStep.params, oneStep.optimizer, normDifference, `update ${step} (at a ReLU kink)`, 'parameters');
          }
        });
        assert.ok(kinkUpdates <= UPDATES / 5, `${kinkUpdates} of ${UPDATES} updates sat on a ReLU kink: too few were compared entry by entry`);
        assert.equal(engine.batch.obs.buffer, memory, 'wasm memory never grew after creation');
        assert.equal(engine.batch.obs.length, batchSize * shape.obsDim, 'the batch views are still attached');
      });
    });
  }
}

describe('wasm engine vs tfjs engine: same parameters, same batches', () => {
  const shape = pendulumShape([64, 64]);
  let wasm: Engine;
  let tfjs: Engine;
  before(async () => {
    wasm = await createWasmEngine({ shape, hyper: HYPER, batchSize: 64 });
    tfjs = await createTfjsEngine({ shape, hyper: HYPER, batchSize: 64 });
  });
  after(() => {
    wasm.dispose();
    tfjs.dispose();
  });

  // Each update starts both engines from the same state (the wasm engine's, so the run is one
  // trajectory of 50 consecutive updates): two float32 implementations chained independently part
  // at the first ReLU kink (KINK_MARGIN) and never meet again; the float64 reference comparison
  // above shows that the wasm engine's own chain stays on course.
  it(`agree on losses, parameters and Adam state at each of ${UPDATES} consecutive updates`, () => {
    wasm.setParameters(initialParameters(shape, new Random(70)));
    wasm.setOptimizerState(zeroOptimizerState(shape));
    const start = wasm.getParameters();
    const rng = new Random(71);
    let kinkUpdates = 0;
    for (let step = 1; step <= UPDATES; step++) {
      fillBatch(wasm.batch, rng, shape.actionBound);
      loadBatch(tfjs.batch, wasm.batch);
      const before = { params: wasm.getParameters(), optimizer: wasm.getOptimizerState() };
      tfjs.setParameters(before.params);
      tfjs.setOptimizerState(before.optimizer);
      const fromWasm = wasm.update();
      const fromTfjs = tfjs.update();
      for (const key of ['criticLoss', 'actorLoss', 'meanQ'] as const) {
        assert.ok(scalarDifference(fromWasm[key], fromTfjs[key]) < AGREEMENT, `update ${step}: ${key} wasm ${fromWasm[key]} vs tfjs ${fromTfjs[key]}`);
      }
      const steppedCritic = referenceUpdate(shape, HYPER, before.params, before.optimizer, wasm.batch).params.critic;
      if (updateKinkDistance(shape, before.params, steppedCritic, wasm.batch) > KINK_MARGIN) {
        assertStateAgrees(wasm, tfjs.getParameters(), tfjs.getOptimizerState(), relativeDifference, `update ${step}`);
      } else {
        kinkUpdates++;
        assertStateAgrees(wasm, tfjs.getParameters(), tfjs.getOptimizerState(), normDifference, `update ${step} (at a ReLU kink)`, 'parameters');
      }
    }
    assert.ok(kinkUpdates <= UPDATES / 5, `${kinkUpdates} of ${UPDATES} updates sat on a ReLU kink: too few were compared entry by entry`);
    assert.ok(relativeDifference(wasm.getParameters().actor, start.actor) > 100 * AGREEMENT, 'the actor moved');
  });
});

describe('wasm engine: info, act and state', () => {
  const shape: NetworkShape = { obsDim: 3, actDim: 1, actorHidden: [8, 6], criticHidden: [7], actionBound: 2 };
  let engine: Engine;
  before(async () => {
    engine = await createWasmEngine({ shape, hyper: HYPER, batchSize: 6 });
  });
  after(() => engine.dispose());

  it('says what it is', () => {
    assert.equal(engine.info.engine, 'wasm');
    assert.match(engine.info.backend, /^wasm-(relaxed-)?simd$/);
    assert.equal(engine.batchSize, 6);
    assert.deepEqual(engine.shape, shape);
  });

  it('act matches the reference actor and stays within ±bound, for one observation and for more than one call takes', () => {
    // Large weights saturate the tanh, so the bound is actually reached.
    const params = orderOneParameters(shape, 80, 3);
    engine.setParameters(params);
    const rng = new Random(81);
    for (const count of [1, 5, 300, 700]) {
      const obs = Float32Array.from({ length: count * 3 }, () => rng.uniform(-4, 4));
      const actions = engine.act(obs, count);
      assert.equal(actions.length, count);
      const expected = actorForward(shape, params.actor, obs, count);
      assert.ok(relativeDifference(actions, expected) < AGREEMENT, `count ${count}`);
      for (const a of actions) assert.ok(Math.abs(a) <= shape.actionBound, `action ${a} within ±${shape.actionBound}`);
      assert.ok(actions.some((a) => Math.abs(a) > 0.99 * shape.actionBound), 'the tanh saturates somewhere');
    }
  });

  it('getParameters and getOptimizerState return exactly what was set, as copies', () => {
    const p = orderOneParameters(shape, 82);
    assertParametersCopiedBothWays(engine, p);

    const rng = new Random(83);
    const moments = (size: number) => Float32Array.from({ length: size }, () => rng.next());
    const o: OptimizerState = {
      actor: { m: moments(p.actor.length), v: moments(p.actor.length), step: 17 },
      critic: { m: moments(p.critic.length), v: moments(p.critic.length), step: 4 },
    };
    engine.setOptimizerState(o);
    assert.deepEqual(engine.getOptimizerState(), o);
  });

  it('rejects parameters or optimizer state of the wrong size', () => {
    const p = orderOneParameters(shape, 84);
    assert.throws(() => engine.setParameters({ ...p, critic: p.critic.subarray(1) }), /critic has \d+ parameters; this network shape needs \d+/);
    const o = zeroOptimizerState(shape);
    assert.throws(() => engine.setOptimizerState({ ...o, critic: { ...o.critic, m: new Float32Array(2) } }), /critic optimizer state has 2\/\d+ moments/);
    assert.throws(() => engine.setOptimizerState({ ...o, actor: { ...o.actor, step: 1.5 } }), /non-negative integer/);
  });

  it('a restored state replays the same updates bit for bit', () => {
    assertRestoredStateReplays(engine, 85);
  });

  it('soft update: τ = 1 copies the online networks into the targets; zero learning rates leave them alone', () => {
    const p = orderOneParameters(shape, 88);
    engine.setParameters(p);
    engine.setOptimizerState(zeroOptimizerState(shape));
    engine.setHyperparameters({ ...HYPER, actorLr: 0, criticLr: 0, tau: 1 });
    fillBatch(engine.batch, new Random(89), 2);
    engine.update();
    const after = engine.getParameters();
    assert.deepEqual(after.actor, p.actor);
    assert.deepEqual(after.critic, p.critic);
    assert.deepEqual(after.targetActor, p.actor);
    assert.deepEqual(after.targetCritic, p.critic);
    engine.setHyperparameters(HYPER);
  });

  it('rejects bad options and non-finite hyperparameters', async () => {
    await assert.rejects(createWasmEngine({ shape, hyper: HYPER, batchSize: 0 }), /batchSize must be a positive integer/);
    await assert.rejects(createWasmEngine({ shape: { ...shape, criticHidden: [4, 2.5] }, hyper: HYPER, batchSize: 4 }), /criticHidden\[1\] must be a positive integer/);
    assert.throws(() => engine.setHyperparameters({ ...HYPER, tau: Number.NaN }), /tau must be a finite number/);
  });

  it('throws after dispose', async () => {
    const short = await createWasmEngine({ shape, hyper: HYPER, batchSize: 2 });
    short.dispose();
    assert.throws(() => short.update(), /disposed/);
    assert.throws(() => short.getParameters(), /disposed/);
  });
});

describe('wasm engine with a helper thread', () => {
  const shape: NetworkShape = { obsDim: 3, actDim: 1, actorHidden: [96, 130], criticHidden: [256, 64], actionBound: 2 };

  /** Runs `updates` updates on both engines from the same start and batches; asserts they never differ. */
  async function assertBitIdentical(single: WasmEngine, other: WasmEngine, updates: number, seed: number): Promise<void> {
    const start = orderOneParameters(shape, seed, 0.1);
    single.setParameters(start);
    other.setParameters(start);
    const rng = new Random(seed + 1);
    for (let step = 1; step <= updates; step++) {
      fillBatch(single.batch, rng, 2);
      loadBatch(other.batch, single.batch);
      assert.deepEqual(other.update(), single.update(), `update ${step}`);
    }
    assert.deepEqual(other.getParameters(), single.getParameters());
    assert.deepEqual(other.getOptimizerState(), single.getOptimizerState());
    const obs = Float32Array.from({ length: 3 * 40 }, () => rng.uniform(-1, 1));
    assert.deepEqual(other.act(obs, 40), single.act(obs, 40));
  }

  it('gives bit-identical losses, parameters and optimizer state to one thread', async () => {
    const single = await createWasmEngine({ shape, hyper: HYPER, batchSize: 50 }, { threads: 1 });
    const double = await createWasmEngine({ shape, hyper: HYPER, batchSize: 50 }, { threads: 2 });
    try {
      assert.match(double.info.backend, /^wasm-(relaxed-)?simd-2threads$/);
      await assertBitIdentical(single, double, 10, 90);
      const usage = double.threadUsage();
      assert.equal(usage.twoThreadUpdates, 10);
      assert.equal(usage.updates, 10);
    } finally {
      single.dispose();
      double.dispose();
    }
  });

  it("'adaptive' switching between one and two threads mid-run changes nothing in the results", async () => {
    const single = await createWasmEngine({ shape, hyper: HYPER, batchSize: 50 }, { threads: 1 });
    // Tiny windows and stretches: the policy switches modes every few updates, whatever it measures.
    const adaptive = await createWasmEngine({ shape, hyper: HYPER, batchSize: 50 }, { threads: 'adaptive', threadPolicy: { window: 1, minStretch: 1, maxStretch: 2 } });
    try {
      assert.match(adaptive.info.backend, /^wasm-(relaxed-)?simd-adaptive-threads$/);
      await assertBitIdentical(single, adaptive, 40, 93);
      const usage = adaptive.threadUsage();
      assert.equal(usage.updates, 40);
      assert.ok(usage.twoThreadUpdates > 0 && usage.twoThreadUpdates < 40, `both modes ran (${usage.twoThreadUpdates} of 40 on two threads)`);
    } finally {
      single.dispose();
      adaptive.dispose();
    }
  });

  it('counts the chunks the helper computes while it takes part', async () => {
    const double = await createWasmEngine({ shape, hyper: HYPER, batchSize: 64 }, { threads: 2 });
    try {
      fillBatch(double.batch, new Random(94), 2);
      // The helper claims chunks from the same counter as the main thread: over a few hundred
      // updates it wins some unless it is starved, so wait for it rather than count on one update.
      for (let k = 0; k < 2000 && double.threadUsage().helperChunks === 0; k++) double.update();
      assert.ok(double.threadUsage().helperChunks > 0, 'the helper never computed a chunk');
    } finally {
      double.dispose();
    }
  });

  it("'auto' times a second thread only for large updates on machines with more than one core", () => {
    const options = (hidden: number, batchSize: number) => ({ shape: pendulumShape([hidden, hidden]), hyper: HYPER, batchSize });
    assert.equal(autoThreads(options(64, 64), 16), 1, 'the default network is too small to gain');
    assert.equal(autoThreads(options(256, 64), 16), 'adaptive');
    assert.equal(autoThreads(options(128, 64), 2), 'adaptive');
    assert.equal(autoThreads(options(256, 256), 1), 1, 'one core: nothing to share');
  });

  it('dispose stops the helper and a new two-thread engine works afterwards', async () => {
    for (let round = 0; round < 3; round++) {
      const engine = await createWasmEngine({ shape, hyper: HYPER, batchSize: 32 }, { threads: 2 });
      fillBatch(engine.batch, new Random(92 + round), 2);
      const stats = engine.update();
      assert.ok(Number.isFinite(stats.criticLoss));
      engine.dispose();
      assert.throws(() => engine.update(), /disposed/);
    }
  });
});

describe('wasm module loader', () => {
  it('finds the plain SIMD module in dist/ (built by npm run build)', () => {
    const { path, level } = locateModule('simd');
    assert.equal(level, 'simd');
    assert.match(path, /dist[\\/]ddpg-engine\.wasm$/);
  });

  it("'auto' takes relaxed SIMD exactly when this runtime validates it", () => {
    assert.equal(locateModule('auto').level, LEVELS.includes('relaxed-simd') ? 'relaxed-simd' : 'simd');
  });

  it('says why when the module is missing or not one this runtime can run', () => {
    const directory = mkdtempSync(join(tmpdir(), 'ddpg-wasm-'));
    try {
      assert.throws(() => locateModule('simd', [directory]), /ddpg-engine\.wasm not found in .*ddpg-wasm-.*\(run npm run build\)/);
      writeFileSync(join(directory, 'ddpg-engine.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9, 9, 9]));
      assert.throws(() => locateModule('simd', [directory]), /ddpg-engine\.wasm is not a module this runtime's WebAssembly can run \(it needs SIMD and threads\)/);
      assert.throws(() => locateModule('auto', [directory]), /ddpg-engine-relaxed\.wasm not found.*; .*ddpg-engine\.wasm is not a module/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
