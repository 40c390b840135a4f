// SAC's fused WebAssembly engine against the float64 reference and the TensorFlow.js engine.
// Needs `npm run build` (or `node scripts/build-wasm.mjs`) first: the .wasm is built into dist/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { NetworkShape } from '../../src/agent/engine/engine';
import { sacParameterSizes, type SacEngine } from '../../src/agent/engine/sacParameters';
import { createSacTfjsEngine } from '../../src/agent/engine/tfjs/sacTfjsEngine';
import { locateModule, type WasmSimdLevel } from '../../src/agent/engine/wasm/engineModule';
import { createSacWasmEngine, SAC_MODULE_FILES, type SacWasmEngine } from '../../src/agent/engine/wasm/sacEngine';
import { Random } from '../../src/agent/random';
import { criticLossAndGradient } from '../helpers/referenceDdpg';
import { meanAction, sacActorLossAndGradient, sacTargets, samplePolicy } from '../helpers/referenceSac';
import { normDifference, relativeDifference, scalarDifference } from '../helpers/engineComparison';
import {
  copySacBatch,
  fillSacBatch,
  runSacBesideReference,
  sacOrderOneParameters,
  SAC_HYPER,
  SAC_STATISTICS,
  zeroSacOptimizer,
} from '../helpers/sacComparison';

const UPDATES = 50;
const TOLERANCE = { oneStep: 2e-4, chain: 2e-3 };

const LEVELS: WasmSimdLevel[] = (['simd', 'relaxed-simd'] as const).filter((level) => {
  try {
    locateModule(level, undefined, SAC_MODULE_FILES);
    return true;
  } catch {
    return false;
  }
});

const CASES: Array<{ name: string; shape: NetworkShape; batch: number }> = [
  { name: 'Pendulum, hidden [16, 16], batch 32', shape: { obsDim: 3, actDim: 1, actorHidden: [16, 16], criticHidden: [16, 16], actionBound: 2 }, batch: 32 },
  { name: 'odd sizes: obs 5, act 2, actor [7, 5], critic [9], batch 13', shape: { obsDim: 5, actDim: 2, actorHidden: [7, 5], criticHidden: [9], actionBound: 0.5 }, batch: 13 },
  { name: 'obs 11, act 6, actor [12], critic [10, 6], batch 7', shape: { obsDim: 11, actDim: 6, actorHidden: [12], criticHidden: [10, 6], actionBound: 1 }, batch: 7 },
  { name: 'hidden [1] and [3], batch 5', shape: { obsDim: 3, actDim: 1, actorHidden: [1], criticHidden: [3], actionBound: 2 }, batch: 5 },
];

describe('SAC wasm module files', () => {
  it('at least the plain SIMD build is there', () => assert.ok(LEVELS.includes('simd'), 'run node scripts/build-wasm.mjs'));
});

for (const level of LEVELS) {
  for (const { name, shape, batch } of CASES) {
    describe(`SAC wasm engine (${level}) vs the float64 reference: ${name}`, () => {
      let engine: SacWasmEngine;
      before(async () => {
        engine = await createSacWasmEngine({ algorithm: 'sac', shape, hyper: SAC_HYPER, batchSize: batch }, { simd: level, threads: 1 });
      });
      after(() => engine.dispose());

      it(`${UPDATES} updates with α tuned agree with the reference, one step at a time and chained`, () => {
        runSacBesideReference(engine, sacOrderOneParameters(shape, 21), SAC_HYPER, UPDATES, TOLERANCE);
      });

      it('with α fixed, log α and its optimizer stay put', () => {
        const hyper = { ...SAC_HYPER, autotuneAlpha: false };
        engine.setHyperparameters(hyper);
        try {
          const start = sacOrderOneParameters(shape, 22);
          runSacBesideReference(engine, start, hyper, 5, TOLERANCE);
          assert.equal(engine.getParameters().logAlpha[0], start.logAlpha[0]);
          assert.equal(engine.getOptimizerState().alpha.step, 0);
        } finally {
          engine.setHyperparameters(SAC_HYPER);
        }
      });

      it("computeGradients gives the reference's gradients (actor with the log-prob correction, both critics, log α) and changes nothing", () => {
        const params = sacOrderOneParameters(shape, 24);
        engine.setParameters(params);
        fillSacBatch(engine.batch, new Random(25), shape.actionBound);
        const data = copySacBatch(engine.batch);
        const stats = engine.computeGradients();
        assert.deepEqual(engine.getParameters(), params);
        const alpha = Math.exp(params.logAlpha[0]);
        const targets = sacTargets(shape, SAC_HYPER.gamma, alpha, params, data);
        for (const critic of ['critic1', 'critic2'] as const) {
          const expected = criticLossAndGradient(shape, params[critic], data.obs, data.action, targets, batch).gradient;
          assert.ok(relativeDifference(engine.gradients[critic], expected) < TOLERANCE.oneStep, critic);
        }
        const actor = sacActorLossAndGradient(shape, params, alpha, data.obs, data.policyNoise, batch);
        assert.ok(relativeDifference(engine.gradients.actor, actor.gradient) < TOLERANCE.oneStep, 'actor');
        const alphaGradient = -(actor.meanLogProb + SAC_HYPER.targetEntropyPerAction * shape.actDim);
        assert.ok(scalarDifference(engine.gradients.logAlpha[0], alphaGradient) < TOLERANCE.oneStep, `log α: ${engine.gradients.logAlpha[0]} vs ${alphaGradient}`);
        assert.ok(scalarDifference(stats.entropy, -actor.meanLogProb) < TOLERANCE.oneStep);
      });

      it('act() gives the mean action, sampleActions() the squashed sample, also beyond one call’s capacity', () => {
        const params = sacOrderOneParameters(shape, 23);
        engine.setParameters(params);
        const rng = new Random(4);
        for (const count of [1, 5, 300]) {
          const obs = Float32Array.from({ length: count * shape.obsDim }, () => rng.uniform(-1.5, 1.5));
          const noise = Float32Array.from({ length: count * shape.actDim }, () => rng.normal());
          assert.ok(relativeDifference(engine.act(obs, count), meanAction(shape, params.actor, obs, count)) < 1e-5, `mean, ${count}`);
          assert.ok(relativeDifference(engine.sampleActions(obs, noise, count), samplePolicy(shape, params.actor, obs, noise, count).action) < 1e-5, `sample, ${count}`);
        }
      });

      it('a saved state replays bit for bit', () => {
        engine.setParameters(sacOrderOneParameters(shape, 26));
        engine.setOptimizerState(zeroSacOptimizer(shape));
        const rng = new Random(27);
        for (let k = 0; k < 3; k++) {
          fillSacBatch(engine.batch, rng, shape.actionBound);
          engine.update();
        }
        const saved = { params: engine.getParameters(), optimizer: engine.getOptimizerState() };
        const batches = [0, 1, 2].map(() => {
          fillSacBatch(engine.batch, rng, shape.actionBound);
          return copySacBatch(engine.batch);
        });
        const replay = () =>
          batches.map((b) => {
            for (const key of Object.keys(b) as Array<keyof typeof b>) engine.batch[key].set(b[key]);
            return engine.update();
          });
        const first = replay();
        const end = { params: engine.getParameters(), optimizer: engine.getOptimizerState() };
        engine.setParameters(sacOrderOneParameters(shape, 28));
        engine.setParameters(saved.params);
        engine.setOptimizerState(saved.optimizer);
        assert.deepEqual(replay(), first);
        assert.deepEqual({ params: engine.getParameters(), optimizer: engine.getOptimizerState() }, end);
      });
    });
  }
}

describe('SAC wasm engine vs the tfjs engine: same parameters, same batches, 50 updates', () => {
  for (const { name, shape, batch } of CASES.slice(0, 3)) {
    it(name, async () => {
      const wasm = await createSacWasmEngine({ algorithm: 'sac', shape, hyper: SAC_HYPER, batchSize: batch }, { threads: 1 });
      const tfjs: SacEngine = await createSacTfjsEngine({ algorithm: 'sac', shape, hyper: SAC_HYPER, batchSize: batch });
      try {
        const start = sacOrderOneParameters(shape, 31);
        for (const engine of [wasm, tfjs]) {
          engine.setParameters(start);
          engine.setOptimizerState(zeroSacOptimizer(shape));
        }
        const rng = new Random(32);
        for (let step = 1; step <= UPDATES; step++) {
          fillSacBatch(wasm.batch, rng, shape.actionBound);
          const data = copySacBatch(wasm.batch);
          for (const key of Object.keys(data) as Array<keyof typeof data>) tfjs.batch[key]!.set(data[key]);
          const a = wasm.update();
          const b = tfjs.update();
          for (const key of SAC_STATISTICS) assert.ok(scalarDifference(a[key], b[key]) < 2e-3, `update ${step}: ${key} ${a[key]} vs ${b[key]}`);
        }
        const pw = wasm.getParameters();
        const pt = tfjs.getParameters();
        for (const key of Object.keys(sacParameterSizes(shape))) assert.ok(normDifference(pw[key], pt[key]) < 2e-3, `${key} after ${UPDATES} updates: ${normDifference(pw[key], pt[key])}`);
        assert.ok(Math.abs(pw.logAlpha[0] - start.logAlpha[0]) > 1e-3, 'α moved');
        const ow = wasm.getOptimizerState();
        const ot = tfjs.getOptimizerState();
        for (const key of Object.keys(ot)) assert.equal(ow[key].step, ot[key].step, `${key} Adam steps`);
      } finally {
        wasm.dispose();
        tfjs.dispose();
      }
    });
  }
});

describe('SAC wasm engine with a helper thread', () => {
  it('two threads and adaptive threads compute the same updates as one, bit for bit', async () => {
    const shape: NetworkShape = { obsDim: 3, actDim: 1, actorHidden: [128, 128], criticHidden: [128, 128], actionBound: 2 };
    const options = { algorithm: 'sac' as const, shape, hyper: SAC_HYPER, batchSize: 64 };
    const engines = [
      await createSacWasmEngine(options, { threads: 1 }),
      await createSacWasmEngine(options, { threads: 2 }),
      await createSacWasmEngine(options, { threads: 'adaptive', threadPolicy: { window: 1, minStretch: 1, maxStretch: 1 } }),
    ];
    try {
      assert.match(engines[1].info.backend, /-2threads$/);
      assert.match(engines[2].info.backend, /-adaptive-threads$/);
      const start = sacOrderOneParameters(shape, 41, 0.2);
      for (const engine of engines) {
        engine.setParameters(start);
        engine.setOptimizerState(zeroSacOptimizer(shape));
      }
      const rng = new Random(42);
      for (let step = 0; step < 8; step++) {
        fillSacBatch(engines[0].batch, rng, shape.actionBound);
        const data = copySacBatch(engines[0].batch);
        for (const engine of engines.slice(1)) for (const key of Object.keys(data) as Array<keyof typeof data>) engine.batch[key].set(data[key]);
        const stats = engines.map((e) => e.update());
        assert.deepEqual(stats[1], stats[0]);
        assert.deepEqual(stats[2], stats[0]);
      }
      assert.deepEqual(engines[1].getParameters(), engines[0].getParameters());
      assert.deepEqual(engines[2].getOptimizerState(), engines[0].getOptimizerState());
      assert.equal(engines[1].threadUsage().twoThreadUpdates, 8);
      // The helper claims chunks from the same counter as the main thread; on a busy machine it may
      // miss a few updates, so wait for it (as wasmEngine.test.ts does) rather than count on eight.
      for (let k = 0; k < 2000 && engines[1].threadUsage().helperChunks === 0; k++) engines[1].update();
      assert.ok(engines[1].threadUsage().helperChunks > 0, 'the helper never computed a chunk');
    } finally {
      for (const engine of engines) engine.dispose();
    }
  });
});

describe("SAC wasm engine gradients vs finite differences of its own float32 losses", () => {
  // As wasmGradients.test.ts: the better of two steps, each coordinate within 5e-3 of the gradient's scale.
  const STEPS = [3e-3, 1e-3];
  const cases: Array<{ name: string; shape: NetworkShape; batch: number }> = [
    { name: 'Pendulum, hidden [8, 8], batch 6', shape: { obsDim: 3, actDim: 1, actorHidden: [8, 8], criticHidden: [8, 8], actionBound: 2 }, batch: 6 },
    { name: 'obs 4, act 2, actor [5], critic [6, 3], batch 5', shape: { obsDim: 4, actDim: 2, actorHidden: [5], criticHidden: [6, 3], actionBound: 0.5 }, batch: 5 },
  ];
  for (const { name, shape, batch } of cases) {
    it(`the actor gradient (log-prob correction and bounded log σ included) and log α's: ${name}`, async () => {
      const engine = await createSacWasmEngine({ algorithm: 'sac', shape, hyper: SAC_HYPER, batchSize: batch }, { threads: 1 });
      try {
        const params = sacOrderOneParameters(shape, 51);
        engine.setParameters(params);
        fillSacBatch(engine.batch, new Random(52), shape.actionBound);
        engine.computeGradients();
        const gradient = engine.gradients.actor.slice();
        const scale = gradient.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
        assert.ok(scale > 1e-3);
        const lossAt = (index: number, value: number) => {
          const actor = params.actor.slice();
          actor[index] = value;
          engine.setParameters({ ...params, actor });
          return engine.computeGradients().actorLoss;
        };
        for (let index = 0; index < gradient.length; index++) {
          const x = params.actor[index];
          const error = Math.min(
            ...STEPS.map((step) => {
              const up = Math.fround(x + step);
              const down = Math.fround(x - step);
              return Math.abs((lossAt(index, up) - lossAt(index, down)) / (up - down) - gradient[index]);
            }),
          );
          assert.ok(error <= 5e-3 * scale, `actor[${index}]: gradient ${gradient[index]}, off by ${error.toExponential(2)} (scale ${scale.toExponential(2)})`);
        }
        // log α: −log α·(mean log π + target entropy) is linear in log α; its slope is the gradient.
        const alphaLossAt = (logAlpha: number) => {
          engine.setParameters({ ...params, logAlpha: Float32Array.of(logAlpha) });
          const stats = engine.computeGradients();
          return { loss: stats.alphaLoss, gradient: engine.gradients.logAlpha[0] };
        };
        const [low, high] = [alphaLossAt(params.logAlpha[0] - 0.01), alphaLossAt(params.logAlpha[0] + 0.01)];
        // α also enters the actor's and the critics' losses, but not log π: the slope is exact.
        assert.ok(Math.abs((high.loss - low.loss) / 0.02 - low.gradient) < 1e-4 * Math.max(1, Math.abs(low.gradient)), `${(high.loss - low.loss) / 0.02} vs ${low.gradient}`);
      } finally {
        engine.dispose();
      }
    });
  }
});
