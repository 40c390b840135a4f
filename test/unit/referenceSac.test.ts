// The float64 SAC reference against finite differences: the actor's gradient through the twin
// critics, the tanh log-prob correction and the bounded log-std, and log α's gradient.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { NetworkShape } from '../../src/agent/engine/engine';
import { Random } from '../../src/agent/random';
import { referenceSacUpdate, sacActorLossAndGradient, samplePolicy } from '../helpers/referenceSac';
import { copySacBatch, sacOrderOneParameters, SAC_HYPER, zeroSacOptimizer } from '../helpers/sacComparison';

const CASES: Array<{ name: string; shape: NetworkShape; batch: number }> = [
  { name: 'Pendulum, hidden [8, 8], batch 6', shape: { obsDim: 3, actDim: 1, actorHidden: [8, 8], criticHidden: [8, 8], actionBound: 2 }, batch: 6 },
  { name: 'obs 5, act 2, actor [5, 3], critic [7], batch 5', shape: { obsDim: 5, actDim: 2, actorHidden: [5, 3], criticHidden: [7], actionBound: 0.5 }, batch: 5 },
  { name: 'obs 4, act 6, actor [9], critic [4, 6], batch 3', shape: { obsDim: 4, actDim: 6, actorHidden: [9], criticHidden: [4, 6], actionBound: 1 }, batch: 3 },
];

/** The better of two central-difference steps: one that straddles a ReLU kink is wrong, both cannot be. */
const STEPS = [1e-5, 3e-6];

function batchFor(shape: NetworkShape, count: number, seed: number) {
  const rng = new Random(seed);
  const rows = (width: number, bound: number) => Float32Array.from({ length: count * width }, () => rng.uniform(-bound, bound));
  const normals = () => Float32Array.from({ length: count * shape.actDim }, () => rng.normal());
  return copySacBatch({
    obs: rows(shape.obsDim, 1.5), nextObs: rows(shape.obsDim, 1.5), action: rows(shape.actDim, shape.actionBound),
    reward: rows(1, 8), terminated: Float32Array.from({ length: count }, (_, n) => (n % 3 === 0 ? 1 : 0)),
    // Large ε pushes some actions into tanh's saturation, where the log-prob correction dominates.
    targetNoise: normals(), policyNoise: normals().map((e) => 2 * e),
  });
}

for (const { name, shape, batch } of CASES) {
  describe(`SAC reference gradients vs finite differences: ${name}`, () => {
    const params = sacOrderOneParameters(shape, 11, 0.8);
    const data = batchFor(shape, batch, 12);
    const alpha = 0.7;

    it('the actor gradient matches central differences of the actor loss in every coordinate', () => {
      const { gradient } = sacActorLossAndGradient(shape, params, alpha, data.obs, data.policyNoise, batch);
      const scale = gradient.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      assert.ok(scale > 1e-3, 'the gradient is not trivially zero');
      for (let index = 0; index < gradient.length; index++) {
        const lossAt = (value: number) => {
          const actor = Float64Array.from(params.actor);
          actor[index] = value;
          return sacActorLossAndGradient(shape, { ...params, actor }, alpha, data.obs, data.policyNoise, batch).loss;
        };
        const x = params.actor[index];
        const error = Math.min(...STEPS.map((h) => Math.abs((lossAt(x + h) - lossAt(x - h)) / (2 * h) - gradient[index])));
        assert.ok(error <= 1e-5 * Math.max(1, scale), `actor[${index}]: gradient ${gradient[index]}, off by ${error.toExponential(2)}`);
      }
    });

    it('the entropy term alone (critics zeroed) has the log-prob correction’s gradient', () => {
      const zeroCritics = { ...params, critic1: new Float32Array(params.critic1.length), critic2: new Float32Array(params.critic2.length) };
      const { gradient, meanLogProb } = sacActorLossAndGradient(shape, zeroCritics, 1, data.obs, data.policyNoise, batch);
      const meanLogProbAt = (index: number, value: number) => {
        const actor = Float64Array.from(params.actor);
        actor[index] = value;
        const p = samplePolicy(shape, actor, data.obs, data.policyNoise, batch);
        return p.logProb.reduce((s, v) => s + v, 0) / batch;
      };
      assert.ok(Number.isFinite(meanLogProb));
      for (let index = 0; index < gradient.length; index++) {
        const x = params.actor[index];
        const error = Math.min(...STEPS.map((h) => Math.abs((meanLogProbAt(index, x + h) - meanLogProbAt(index, x - h)) / (2 * h) - gradient[index])));
        assert.ok(error <= 1e-5 * Math.max(1, Math.abs(gradient[index])), `actor[${index}]: ${gradient[index]}, off by ${error.toExponential(2)}`);
      }
    });

    it("log α's step follows −d/dlog α of −log α·(mean log π + target entropy)", () => {
      const optimizer = zeroSacOptimizer(shape);
      const hyper = { ...SAC_HYPER, actorLr: 0, criticLr: 0 };
      const { optimizer: after, stats } = referenceSacUpdate(shape, hyper, params, optimizer, data);
      const targetEntropy = hyper.targetEntropyPerAction * shape.actDim;
      const lossAt = (logAlpha: number) => -logAlpha * (-stats.entropy + targetEntropy);
      const h = 1e-6;
      const difference = (lossAt(params.logAlpha[0] + h) - lossAt(params.logAlpha[0] - h)) / (2 * h);
      // Adam's first moment after one step is (1 − β1)·g.
      assert.ok(Math.abs(after.alpha.m[0] / 0.1 - difference) < 1e-8, `${after.alpha.m[0] / 0.1} vs ${difference}`);
      assert.ok(Math.abs(stats.alphaLoss - lossAt(params.logAlpha[0])) < 1e-12);
    });
  });
}

describe('SAC reference policy', () => {
  it('log π is the density of the squashed action: it integrates to one over [−1, 1]', () => {
    // One dimension, one observation: sweep ε and integrate p(a) da = p(u) du numerically.
    const shape: NetworkShape = { obsDim: 1, actDim: 1, actorHidden: [2], criticHidden: [2], actionBound: 1 };
    const params = sacOrderOneParameters(shape, 3, 0.5);
    const steps = 20001;
    let integral = 0;
    let previous: { a: number; p: number } | null = null;
    for (let k = 0; k < steps; k++) {
      const e = -8 + (16 * k) / (steps - 1);
      const s = samplePolicy(shape, params.actor, [0.3], [e], 1);
      const point = { a: s.squashed[0], p: Math.exp(s.logProb[0]) };
      if (previous) integral += ((point.p + previous.p) / 2) * (point.a - previous.a);
      previous = point;
    }
    assert.ok(Math.abs(integral - 1) < 1e-4, `∫ p(a) da = ${integral}`);
  });
});
