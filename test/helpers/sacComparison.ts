/** Shared by SAC's engine tests: shapes, batches with noise, parameters, and state comparisons. */
import assert from 'node:assert/strict';
import type { Batch, Engine, NetworkParameters, NetworkShape, OptimizerState } from '../../src/agent/engine/engine';
import { SAC_OPTIMIZER_OF, SAC_TRAINED, sacParameterSizes, sacZeroOptimizerState, type SacHyperparameters } from '../../src/agent/engine/sacParameters';
import { Random } from '../../src/agent/random';
import { fillBatch, normDifference, relativeDifference, scalarDifference } from './engineComparison';
import { referenceSacUpdate, type SacBatchLike } from './referenceSac';
import type { OptimizerStateLike, ParametersLike } from './referenceDdpg';

export const SAC_HYPER: SacHyperparameters = {
  gamma: 0.99, tau: 0.05, actorLr: 3e-3, criticLr: 5e-3, alphaLr: 1e-2, autotuneAlpha: true, targetEntropyPerAction: -1,
};

export const SAC_STATISTICS = ['criticLoss', 'actorLoss', 'alphaLoss', 'alpha', 'entropy', 'meanQ'] as const;

/** A Pendulum-like batch with ε′ and ε ~ N(0, 1) (the engine's arrays, in place). */
export function fillSacBatch(batch: Batch, rng: Random, actionBound: number): void {
  fillBatch(batch, rng, actionBound);
  for (const noise of [batch.targetNoise!, batch.policyNoise!]) for (let k = 0; k < noise.length; k++) noise[k] = rng.normal();
}

export function copySacBatch(batch: Batch): SacBatchLike & Batch {
  return {
    obs: batch.obs.slice(), action: batch.action.slice(), reward: batch.reward.slice(), nextObs: batch.nextObs.slice(),
    terminated: batch.terminated.slice(), targetNoise: batch.targetNoise!.slice(), policyNoise: batch.policyNoise!.slice(),
  };
}

/**
 * Parameters of order one (so every ReLU, both tanh and the log-std bound matter), targets distinct
 * from the online critics, α = exp(logAlpha) near 0.5.
 */
export function sacOrderOneParameters(shape: NetworkShape, seed: number, scale = 0.6): NetworkParameters {
  const rng = new Random(seed);
  const out: NetworkParameters = {};
  for (const [name, size] of Object.entries(sacParameterSizes(shape))) out[name] = Float32Array.from({ length: size }, () => rng.uniform(-scale, scale));
  out.logAlpha[0] = Math.log(0.5);
  return out;
}

export function zeroSacOptimizer(shape: NetworkShape): OptimizerState {
  return sacZeroOptimizerState(shape);
}

type Metric = (actual: ArrayLike<number>, expected: ArrayLike<number>) => number;

/** Largest difference by part (networks, then each optimizer's moments); Adam steps must match exactly. */
export function sacStateDifferences(engine: Engine, params: ParametersLike, optimizer: OptimizerStateLike, metric: Metric, context: string): Record<string, number> {
  const p = engine.getParameters();
  const o = engine.getOptimizerState();
  const out: Record<string, number> = {};
  for (const name of Object.keys(sacParameterSizes(engine.shape))) out[name] = name === 'logAlpha' ? scalarDifference(p.logAlpha[0], params.logAlpha[0]) : metric(p[name], params[name]);
  for (const trained of SAC_TRAINED) {
    const name = SAC_OPTIMIZER_OF[trained];
    assert.equal(o[name].step, optimizer[name].step, `${context}: ${name} Adam step`);
    out[`${name} m`] = metric(o[name].m, optimizer[name].m);
    out[`${name} v`] = metric(o[name].v, optimizer[name].v);
  }
  return out;
}

export function assertSacStateAgrees(engine: Engine, params: ParametersLike, optimizer: OptimizerStateLike, tolerance: number, metric: Metric, context: string, skip: RegExp = /^$/): void {
  for (const [part, difference] of Object.entries(sacStateDifferences(engine, params, optimizer, metric, context))) {
    if (skip.test(part)) continue;
    assert.ok(difference < tolerance, `${context}: ${part} differs by ${difference.toExponential(2)}`);
  }
}

/**
 * `updates` updates of `engine` from `start` (Adam zeroed) on fresh batches, each compared with
 * one float64 reference step from the engine's own state before it (losses and state), and a
 * reference chain from the start compared as whole vectors. Returns every update's statistics.
 */
export function runSacBesideReference(
  engine: Engine,
  start: NetworkParameters,
  hyper: SacHyperparameters,
  updates: number,
  tolerance: { oneStep: number; chain: number },
  seed = 30,
): Array<Record<string, number>> {
  const shape = engine.shape;
  let params: ParametersLike = start;
  let optimizer: OptimizerStateLike = zeroSacOptimizer(shape);
  engine.setParameters(start);
  engine.setOptimizerState(zeroSacOptimizer(shape));
  const rng = new Random(seed);
  const all: Array<Record<string, number>> = [];
  for (let step = 1; step <= updates; step++) {
    fillSacBatch(engine.batch, rng, shape.actionBound);
    const batch = copySacBatch(engine.batch);
    const before = { params: engine.getParameters(), optimizer: engine.getOptimizerState() };
    const stats = engine.update();
    all.push(stats);
    const oneStep = referenceSacUpdate(shape, hyper, before.params, before.optimizer, batch);
    for (const key of SAC_STATISTICS) {
      assert.ok(scalarDifference(stats[key], oneStep.stats[key]) < tolerance.oneStep, `update ${step}: ${key} ${stats[key]} vs ${oneStep.stats[key]}`);
    }
    // Parameters only: Adam's moments follow raw gradients, which a ReLU kink may flip (see wasmEngine.test.ts).
    assertSacStateAgrees(engine, oneStep.params, oneStep.optimizer, tolerance.oneStep, relativeDifference, `update ${step}, one step`, / [mv]$/);
    const chained = referenceSacUpdate(shape, hyper, params, optimizer, batch);
    params = chained.params;
    optimizer = chained.optimizer;
    assertSacStateAgrees(engine, params, optimizer, tolerance.chain, normDifference, `update ${step} of the chained run`);
  }
  assert.ok(relativeDifference(params.actor, start.actor) > 1e-2, 'the actor moved');
  assert.ok(Math.abs(params.logAlpha[0] - start.logAlpha[0]) > 1e-3 || !hyper.autotuneAlpha, 'log α moved');
  return all;
}
