// SAC's TensorFlow.js engine against the float64 reference: every update's losses, α, entropy and
// parameters, over 50 updates, with and without automatic temperature tuning.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { NetworkShape } from '../../src/agent/engine/engine';
import type { SacEngine } from '../../src/agent/engine/sacParameters';
import { createSacTfjsEngine } from '../../src/agent/engine/tfjs/sacTfjsEngine';
import { Random } from '../../src/agent/random';
import { meanAction, samplePolicy } from '../helpers/referenceSac';
import { relativeDifference } from '../helpers/engineComparison';
import { runSacBesideReference, sacOrderOneParameters, SAC_HYPER, zeroSacOptimizer } from '../helpers/sacComparison';

const TOLERANCE = { oneStep: 2e-4, chain: 2e-3 };

const CASES: Array<{ name: string; shape: NetworkShape; batch: number }> = [
  { name: 'Pendulum, hidden [16, 16], batch 32', shape: { obsDim: 3, actDim: 1, actorHidden: [16, 16], criticHidden: [16, 16], actionBound: 2 }, batch: 32 },
  { name: 'obs 5, act 2, actor [7, 5], critic [9], batch 13', shape: { obsDim: 5, actDim: 2, actorHidden: [7, 5], criticHidden: [9], actionBound: 0.5 }, batch: 13 },
  { name: 'obs 11, act 6, actor [12], critic [10, 6], batch 7', shape: { obsDim: 11, actDim: 6, actorHidden: [12], criticHidden: [10, 6], actionBound: 1 }, batch: 7 },
];

for (const { name, shape, batch } of CASES) {
  describe(`SAC tfjs engine vs the float64 reference: ${name}`, () => {
    let engine: SacEngine;
    before(async () => {
      engine = await createSacTfjsEngine({ algorithm: 'sac', shape, hyper: SAC_HYPER, batchSize: batch });
    });
    after(() => engine.dispose());

    it('50 updates with α tuned agree with the reference, one step at a time and chained', () => {
      runSacBesideReference(engine, sacOrderOneParameters(shape, 21), SAC_HYPER, 50, TOLERANCE);
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

    it('act() gives the mean action and sampleActions() the squashed sample', () => {
      const params = sacOrderOneParameters(shape, 23);
      engine.setParameters(params);
      engine.setOptimizerState(zeroSacOptimizer(shape));
      const rng = new Random(4);
      const count = 5;
      const obs = Float32Array.from({ length: count * shape.obsDim }, () => rng.uniform(-1.5, 1.5));
      const noise = Float32Array.from({ length: count * shape.actDim }, () => rng.normal());
      assert.ok(relativeDifference(engine.act(obs, count), meanAction(shape, params.actor, obs, count)) < 1e-5);
      assert.ok(relativeDifference(engine.sampleActions(obs, noise, count), samplePolicy(shape, params.actor, obs, noise, count).action) < 1e-5);
    });
  });
}
