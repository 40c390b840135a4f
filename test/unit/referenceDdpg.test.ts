import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { NetworkShape, UpdateHyperparameters } from '../../src/agent/engine/engine';
import { actorLayers, criticLayers, parameterCount, zeroOptimizerState } from '../../src/agent/engine/parameters';
import { Random } from '../../src/agent/random';
import {
  actorForward,
  actorLossAndGradient,
  adamStep,
  criticForward,
  criticLossAndGradient,
  referenceUpdate,
  softUpdate,
  tdTargets,
  toReferenceParameters,
  type BatchLike,
  type ReferenceAdamState,
} from '../helpers/referenceDdpg';

/** Small, deliberately uneven shapes so that a transposed index or a swapped layer shows up. */
const SHAPES: Record<string, NetworkShape> = {
  'obs 3, act 1, hidden [5, 3]': { obsDim: 3, actDim: 1, actorHidden: [5, 3], criticHidden: [5, 3], actionBound: 2 },
  'obs 4, act 2, hidden [3] / [6, 2]': { obsDim: 4, actDim: 2, actorHidden: [3], criticHidden: [6, 2], actionBound: 0.7 },
};
const BATCH = 7;
const FD_STEP = 1e-5;
const FD_TOLERANCE = 1e-6;

/** |a − b| within `relative` of the larger magnitude. */
function near(a: number, b: number, relative = 1e-14): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));
}

function uniformVector(rng: Random, size: number, bound: number): Float64Array {
  return Float64Array.from({ length: size }, () => rng.uniform(-bound, bound));
}

function randomBatch(rng: Random, shape: NetworkShape, count: number): BatchLike {
  return {
    obs: uniformVector(rng, count * shape.obsDim, 1.5),
    action: uniformVector(rng, count * shape.actDim, shape.actionBound),
    reward: uniformVector(rng, count, 5),
    nextObs: uniformVector(rng, count * shape.obsDim, 1.5),
    terminated: Float64Array.from({ length: count }, (_, n) => (n % 3 === 0 ? 1 : 0)),
  };
}

/** Central differences of a scalar function with respect to every component of x. */
function numericGradient(f: (x: Float64Array) => number, x: Float64Array, h = FD_STEP): Float64Array {
  const probe = x.slice();
  return Float64Array.from(x, (value, k) => {
    probe[k] = value + h;
    const up = f(probe);
    probe[k] = value - h;
    const down = f(probe);
    probe[k] = value;
    return (up - down) / (2 * h);
  });
}

/**
 * Largest per-component relative error. Components far below the gradient's own scale are
 * compared against that scale (1e-3 of its largest entry), since float64 central differences
 * cannot resolve them relatively.
 */
function gradientError(analytic: ArrayLike<number>, numeric: ArrayLike<number>): number {
  let scale = 0;
  for (let k = 0; k < numeric.length; k++) scale = Math.max(scale, Math.abs(numeric[k]));
  let worst = 0;
  for (let k = 0; k < numeric.length; k++) {
    const denominator = Math.max(Math.abs(analytic[k]), Math.abs(numeric[k]), 1e-3 * scale, 1e-300);
    worst = Math.max(worst, Math.abs(analytic[k] - numeric[k]) / denominator);
  }
  return worst;
}

describe('reference DDPG: forward passes follow the flat layout of engine.ts', () => {
  // obs 2, act 1, one hidden unit: small enough to write out by hand.
  const shape: NetworkShape = { obsDim: 2, actDim: 1, actorHidden: [2], criticHidden: [1], actionBound: 2 };
  // actor: W0 [2,2] row-major, b0 [2], W1 [2,1], b1 [1]
  const actor = [0.5, -1, 0.25, 2, 0.1, -0.2, 1.5, -0.5, 0.05];
  // critic: W0 [3,1] (obs0, obs1, action), b0 [1], W1 [1,1], b1 [1]
  const critic = [1, -2, 3, 0.5, -1.5, 0.25];

  it('computes the actor as tanh(relu(s·W0 + b0)·W1 + b1)·bound with W[i*out + j]', () => {
    const obs = [1, 2, -1, 0.5];
    const got = actorForward(shape, actor, obs, 2);
    const expected = [
      [1, 2],
      [-1, 0.5],
    ].map(([s0, s1]) => {
      const h0 = Math.max(0, s0 * 0.5 + s1 * 0.25 + 0.1);
      const h1 = Math.max(0, s0 * -1 + s1 * 2 - 0.2);
      return Math.tanh(h0 * 1.5 + h1 * -0.5 + 0.05) * 2;
    });
    assert.equal(got.length, 2);
    got.forEach((value, n) => assert.ok(Math.abs(value - expected[n]) < 1e-15, `row ${n}: ${value} vs ${expected[n]}`));
  });

  it('feeds the critic the observation first, then the action, with a linear output', () => {
    const q = criticForward(shape, critic, [1, -2, 0.3, -0.4], [0.5, -2], 2);
    const expected = [
      [1, -2, 0.5],
      [0.3, -0.4, -2],
    ].map(([s0, s1, a]) => Math.max(0, s0 * 1 + s1 * -2 + a * 3 + 0.5) * -1.5 + 0.25);
    assert.deepEqual(Array.from(q), expected);
    assert.ok(expected[0] !== 0.25 && expected[1] === 0.25, 'one row per ReLU branch');
  });

  it('rejects a parameter vector of the wrong length', () => {
    assert.throws(() => actorForward(shape, actor.slice(1), [1, 2], 1), /8 parameters; its layers need 9/);
  });
});

for (const [name, shape] of Object.entries(SHAPES)) {
  describe(`reference DDPG gradients vs central finite differences (${name}, batch ${BATCH})`, () => {
    const rng = new Random(11);
    // Parameters of order one (not the tiny output-layer init) so that every path carries gradient.
    const critic = uniformVector(rng, parameterCount(criticLayers(shape)), 0.8);
    const actor = uniformVector(rng, parameterCount(actorLayers(shape)), 0.8);
    const batch = randomBatch(rng, shape, BATCH);
    const targets = uniformVector(rng, BATCH, 3);

    it('critic loss: dL/dθ matches for every critic parameter', () => {
      const { gradient } = criticLossAndGradient(shape, critic, batch.obs, batch.action, targets, BATCH);
      const numeric = numericGradient((c) => criticLossAndGradient(shape, c, batch.obs, batch.action, targets, BATCH).loss, critic);
      assert.ok(gradient.some((g) => g !== 0));
      const error = gradientError(gradient, numeric);
      assert.ok(error < FD_TOLERANCE, `relative error ${error}`);
    });

    it('actor loss: dJ/dθ through the critic matches for every actor parameter', () => {
      const { gradient } = actorLossAndGradient(shape, actor, critic, batch.obs, BATCH);
      const numeric = numericGradient((a) => actorLossAndGradient(shape, a, critic, batch.obs, BATCH).loss, actor);
      assert.ok(gradient.some((g) => g !== 0));
      const error = gradientError(gradient, numeric);
      assert.ok(error < FD_TOLERANCE, `relative error ${error}`);
    });

    it('the comparison catches a gradient that is wrong in a single component', () => {
      const { gradient } = actorLossAndGradient(shape, actor, critic, batch.obs, BATCH);
      const numeric = numericGradient((a) => actorLossAndGradient(shape, a, critic, batch.obs, BATCH).loss, actor);
      assert.ok(gradientError(gradient, numeric) < FD_TOLERANCE);
      // A 1e-5 relative slip in one component, e.g. a float32 step in an otherwise float64 path.
      const largest = gradient.reduce((best, g, k) => (Math.abs(g) > Math.abs(gradient[best]) ? k : best), 0);
      const perturbed = gradient.slice();
      perturbed[largest] *= 1 + 1e-5;
      assert.ok(gradientError(perturbed, numeric) > FD_TOLERANCE);
    });

    it('loss values are the definitions: mean squared TD error and −mean Q(s, μ(s))', () => {
      const q = criticForward(shape, critic, batch.obs, batch.action, BATCH);
      const { loss, meanQ } = criticLossAndGradient(shape, critic, batch.obs, batch.action, targets, BATCH);
      const expectedLoss = q.reduce((sum, value, n) => sum + (value - targets[n]) ** 2, 0) / BATCH;
      assert.ok(Math.abs(loss - expectedLoss) < 1e-12 * Math.max(1, expectedLoss));
      assert.ok(Math.abs(meanQ - q.reduce((s, v) => s + v, 0) / BATCH) < 1e-12);
      const mu = actorForward(shape, actor, batch.obs, BATCH);
      const qMu = criticForward(shape, critic, batch.obs, mu, BATCH);
      const actorLoss = actorLossAndGradient(shape, actor, critic, batch.obs, BATCH).loss;
      assert.ok(Math.abs(actorLoss + qMu.reduce((s, v) => s + v, 0) / BATCH) < 1e-12);
    });
  });
}

describe('reference DDPG: Adam', () => {
  it('first step moves each parameter by lr·g/(|g| + ε) and records m, v, step', () => {
    const params = Float64Array.from([1, -2, 0.5]);
    const gradient = [0.3, -4, 0];
    const state: ReferenceAdamState = { m: new Float64Array(3), v: new Float64Array(3), step: 0 };
    adamStep(params, gradient, state, 0.01);
    assert.equal(state.step, 1);
    gradient.forEach((g, k) => {
      assert.ok(g === 0 ? state.m[k] === 0 : near(state.m[k], 0.1 * g));
      assert.ok(g === 0 ? state.v[k] === 0 : near(state.v[k], 0.001 * g * g));
    });
    assert.ok(near(params[0], 1 - (0.01 * 0.3) / (0.3 + 1e-8)));
    assert.ok(near(params[1], -2 + (0.01 * 4) / (4 + 1e-8)));
    assert.equal(params[2], 0.5);
  });

  it('later steps use the bias corrections of t = step + 1', () => {
    const params = Float64Array.from([0.2]);
    const state: ReferenceAdamState = { m: Float64Array.from([0.05]), v: Float64Array.from([0.002]), step: 4 };
    adamStep(params, [-0.7], state, 0.003);
    const m = 0.9 * 0.05 + 0.1 * -0.7;
    const v = 0.999 * 0.002 + 0.001 * 0.49;
    const expected = 0.2 - (0.003 * (m / (1 - 0.9 ** 5))) / (Math.sqrt(v / (1 - 0.999 ** 5)) + 1e-8);
    assert.equal(state.step, 5);
    assert.ok(near(state.m[0], m) && near(state.v[0], v));
    assert.ok(near(params[0], expected), `${params[0]} vs ${expected}`);
  });

  it('rejects mismatched lengths', () => {
    const state: ReferenceAdamState = { m: new Float64Array(2), v: new Float64Array(2), step: 0 };
    assert.throws(() => adamStep(new Float64Array(2), [1], state, 0.1), /differ/);
  });
});

describe('reference DDPG: soft update (τ is the mixing fraction)', () => {
  it('τ = 1 copies the online network', () => {
    const target = Float64Array.from([1, 2, 3]);
    softUpdate(target, [-4, 0.5, 7], 1);
    assert.deepEqual(Array.from(target), [-4, 0.5, 7]);
  });

  it('τ mixes: target ← τ·online + (1 − τ)·target', () => {
    const target = Float64Array.from([1, 2, -8]);
    softUpdate(target, [5, -2, 0], 0.25);
    assert.deepEqual(Array.from(target), [2, 1, -6]);
  });
});

describe('reference DDPG: one full update', () => {
  const shape: NetworkShape = { obsDim: 3, actDim: 1, actorHidden: [4, 3], criticHidden: [5], actionBound: 2 };
  const hyper: UpdateHyperparameters = { gamma: 0.9, tau: 0.1, actorLr: 0.01, criticLr: 0.02 };
  const rng = new Random(5);
  const uniform = (size: number) => Float32Array.from(uniformVector(rng, size, 0.6));
  const aSize = parameterCount(actorLayers(shape));
  const cSize = parameterCount(criticLayers(shape));
  const params = { actor: uniform(aSize), critic: uniform(cSize), targetActor: uniform(aSize), targetCritic: uniform(cSize) };
  const optimizer = zeroOptimizerState(shape);
  const batch = randomBatch(rng, shape, 6);

  it('TD targets bootstrap only where the transition did not terminate', () => {
    const y = tdTargets(shape, 0.9, params.targetActor, params.targetCritic, batch);
    const nextQ = criticForward(shape, params.targetCritic, batch.nextObs, actorForward(shape, params.targetActor, batch.nextObs, 6), 6);
    for (let n = 0; n < 6; n++) {
      const expected = batch.terminated[n] === 1 ? batch.reward[n] : batch.reward[n] + 0.9 * nextQ[n];
      assert.ok(Math.abs(y[n] - expected) < 1e-12);
    }
  });

  it('follows the order of engine.ts: critic step, actor through the updated critic, then targets', () => {
    const { params: next, optimizer: state, stats } = referenceUpdate(shape, hyper, params, optimizer, batch);
    const p = toReferenceParameters(params);
    const y = tdTargets(shape, hyper.gamma, p.targetActor, p.targetCritic, batch);
    const critic = criticLossAndGradient(shape, p.critic, batch.obs, batch.action, y, 6);
    const criticState: ReferenceAdamState = { m: new Float64Array(cSize), v: new Float64Array(cSize), step: 0 };
    adamStep(p.critic, critic.gradient, criticState, hyper.criticLr);
    const actor = actorLossAndGradient(shape, p.actor, p.critic, batch.obs, 6);
    const actorState: ReferenceAdamState = { m: new Float64Array(aSize), v: new Float64Array(aSize), step: 0 };
    adamStep(p.actor, actor.gradient, actorState, hyper.actorLr);
    softUpdate(p.targetActor, p.actor, hyper.tau);
    softUpdate(p.targetCritic, p.critic, hyper.tau);

    assert.deepEqual(stats, { criticLoss: critic.loss, actorLoss: actor.loss, meanQ: critic.meanQ });
    assert.deepEqual(next, p);
    assert.deepEqual(state, { actor: actorState, critic: criticState });

    // Through the critic *before* its step the actor would move differently: the order matters.
    const staleActor = actorLossAndGradient(shape, Float64Array.from(params.actor), Float64Array.from(params.critic), batch.obs, 6);
    assert.notEqual(staleActor.loss, actor.loss);
  });

  it('leaves its inputs untouched', () => {
    const before = { actor: params.actor.slice(), critic: params.critic.slice(), m: optimizer.critic.m.slice() };
    referenceUpdate(shape, hyper, params, optimizer, batch);
    assert.deepEqual(params.actor, before.actor);
    assert.deepEqual(params.critic, before.critic);
    assert.deepEqual(optimizer.critic.m, before.m);
    assert.equal(optimizer.critic.step, 0);
  });
});
