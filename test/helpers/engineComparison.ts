/** Shared by the engine tests: shapes, batches and parameters to feed engines, how to compare them, and the checks every engine must pass. */
import assert from 'node:assert/strict';
import type { Batch, Engine, NetworkParameters, NetworkShape, OptimizerState, UpdateHyperparameters } from '../../src/agent/engine/engine';
import { actorLayers, criticLayers, parameterCount, zeroOptimizerState } from '../../src/agent/engine/parameters';
import { Random } from '../../src/agent/random';
import { referenceUpdate, type OptimizerStateLike, type ParametersLike } from './referenceDdpg';

/** How close a float32 engine stays to the float64 reference (and to another engine), relatively. */
export const AGREEMENT = 1e-4;

export const HYPER: UpdateHyperparameters = { gamma: 0.99, tau: 0.05, actorLr: 3e-3, criticLr: 5e-3 };

/** A network, a batch size and a starting point that an engine is compared on. */
export interface AgreementCase {
  name: string;
  shape: NetworkShape;
  batch: number;
  params: (shape: NetworkShape) => NetworkParameters;
}

export function pendulumShape(hidden: number[]): NetworkShape {
  return { obsDim: 3, actDim: 1, actorHidden: hidden, criticHidden: hidden, actionBound: 2 };
}

/** Fills the engine's batch arrays in place with plausible Pendulum-like transitions. */
export function fillBatch(batch: Batch, rng: Random, actionBound: number): void {
  const fill = (array: Float32Array, low: number, high: number) => {
    for (let k = 0; k < array.length; k++) array[k] = rng.uniform(low, high);
  };
  fill(batch.obs, -1.5, 1.5);
  fill(batch.nextObs, -1.5, 1.5);
  fill(batch.action, -actionBound, actionBound);
  fill(batch.reward, -16, 0);
  for (let k = 0; k < batch.terminated.length; k++) batch.terminated[k] = rng.next() < 0.2 ? 1 : 0;
}

export function copyBatch(batch: Batch): Batch {
  return { obs: batch.obs.slice(), action: batch.action.slice(), reward: batch.reward.slice(), nextObs: batch.nextObs.slice(), terminated: batch.terminated.slice() };
}

/** Writes `source` into `target` in place: an engine's batch arrays are views it keeps. */
export function loadBatch(target: Batch, source: Batch): void {
  for (const key of Object.keys(source) as Array<keyof Batch>) {
    const from = source[key];
    const to = target[key];
    if (from && to) to.set(from);
  }
}

/** Parameters of order one (so every ReLU and the tanh matter), targets distinct from the online nets. */
export function orderOneParameters(shape: NetworkShape, seed: number, scale = 0.6): NetworkParameters {
  const rng = new Random(seed);
  const vector = (size: number) => Float32Array.from({ length: size }, () => rng.uniform(-scale, scale));
  const a = parameterCount(actorLayers(shape));
  const c = parameterCount(criticLayers(shape));
  return { actor: vector(a), critic: vector(c), targetActor: vector(a), targetCritic: vector(c) };
}

/**
 * Largest relative difference over a vector. Entries far smaller than the vector's own scale
 * are measured against 10% of its largest entry: float32 sums cannot resolve such cancellations
 * relatively, and a real bug moves the large entries too.
 */
export function relativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let scale = 0;
  for (let k = 0; k < expected.length; k++) scale = Math.max(scale, Math.abs(expected[k]));
  let worst = 0;
  for (let k = 0; k < expected.length; k++) {
    const denominator = Math.max(Math.abs(expected[k]), 1e-1 * scale, 1e-30);
    worst = Math.max(worst, Math.abs(actual[k] - expected[k]) / denominator);
  }
  return worst;
}

/** ‖actual − expected‖ / ‖expected‖: for runs whose float32 rounding compounds over many updates. */
export function normDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let error = 0;
  let size = 0;
  for (let k = 0; k < expected.length; k++) {
    error += (actual[k] - expected[k]) ** 2;
    size += expected[k] ** 2;
  }
  return Math.sqrt(error / Math.max(size, 1e-300));
}

export function scalarDifference(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-6);
}

type VectorMetric = (actual: ArrayLike<number>, expected: ArrayLike<number>) => number;

/** Which parts of the state a comparison covers: the Adam moments follow the raw gradients. */
export type StateParts = 'parameters' | 'parameters and moments';

/**
 * How far an engine's state is from an expected one, by part. The Adam step counts must match
 * exactly: a state one step apart is not comparable at all.
 */
export function stateDifferences(
  engine: Engine,
  params: ParametersLike,
  optimizer: OptimizerStateLike,
  metric: VectorMetric = relativeDifference,
  covered: StateParts = 'parameters and moments',
  context = 'state',
): Record<string, number> {
  const p = engine.getParameters();
  const o = engine.getOptimizerState();
  assert.equal(o.actor.step, optimizer.actor.step, `${context}: actor Adam step`);
  assert.equal(o.critic.step, optimizer.critic.step, `${context}: critic Adam step`);
  const parameters = {
    actor: metric(p.actor, params.actor),
    critic: metric(p.critic, params.critic),
    targetActor: metric(p.targetActor, params.targetActor),
    targetCritic: metric(p.targetCritic, params.targetCritic),
  };
  if (covered === 'parameters') return parameters;
  return {
    ...parameters,
    'actor m': metric(o.actor.m, optimizer.actor.m),
    'actor v': metric(o.actor.v, optimizer.actor.v),
    'critic m': metric(o.critic.m, optimizer.critic.m),
    'critic v': metric(o.critic.v, optimizer.critic.v),
  };
}

export function assertStateAgrees(
  engine: Engine,
  params: ParametersLike,
  optimizer: OptimizerStateLike,
  metric: VectorMetric,
  context: string,
  covered: StateParts = 'parameters and moments',
): void {
  for (const [part, difference] of Object.entries(stateDifferences(engine, params, optimizer, metric, covered, context))) {
    assert.ok(difference < AGREEMENT, `${context}: ${part} differs by ${difference.toExponential(2)}`);
  }
}

export interface EngineState {
  params: ParametersLike;
  optimizer: OptimizerStateLike;
}

/**
 * Runs `updates` consecutive updates of an engine created with HYPER from `start` (Adam state
 * zeroed), each on a fresh batch, beside the float64 reference twice over: one step from the engine's own state, which `checkUpdate`
 * compares (the losses are checked here), and a chain on the reference's own state since the
 * start, whose `chainedParts` must stay close as whole vectors (‖Δ‖/‖x‖: float32 rounding
 * compounds through the training dynamics). Returns the chain's end.
 */
export function runBesideReference(
  engine: Engine,
  start: NetworkParameters,
  updates: number,
  chainedParts: StateParts,
  checkUpdate: (step: number, before: EngineState, oneStep: EngineState) => void,
): EngineState {
  const shape = engine.shape;
  let params: ParametersLike = start;
  let optimizer: OptimizerStateLike = zeroOptimizerState(shape);
  engine.setParameters(start);
  engine.setOptimizerState(optimizer as unknown as OptimizerState);
  const rng = new Random(30);
  const batchArrays = engine.batch;
  for (let step = 1; step <= updates; step++) {
    fillBatch(engine.batch, rng, shape.actionBound);
    const before = { params: engine.getParameters(), optimizer: engine.getOptimizerState() };
    const stats = engine.update();
    const oneStep = referenceUpdate(shape, HYPER, before.params, before.optimizer, engine.batch);
    for (const key of ['criticLoss', 'actorLoss', 'meanQ'] as const) {
      assert.ok(scalarDifference(stats[key], oneStep.stats[key]) < AGREEMENT, `update ${step}: ${key} ${stats[key]} vs ${oneStep.stats[key]}`);
    }
    checkUpdate(step, before, oneStep);
    const chained = referenceUpdate(shape, HYPER, params, optimizer, engine.batch);
    params = chained.params;
    optimizer = chained.optimizer;
    assertStateAgrees(engine, params, optimizer, normDifference, `update ${step} of the chained run`, chainedParts);
    assert.ok(scalarDifference(stats.criticLoss, chained.stats.criticLoss) < AGREEMENT, `update ${step} of the chained run: critic loss`);
  }
  assert.equal(engine.batch, batchArrays, 'the batch arrays are never reallocated');
  // The run went somewhere: the networks moved far beyond the tolerance.
  assert.ok(relativeDifference(params.actor, start.actor) > 100 * AGREEMENT);
  assert.ok(relativeDifference(params.targetCritic, start.targetCritic) > 100 * AGREEMENT);
  return { params, optimizer };
}

/** setParameters and getParameters copy: changing either side's arrays afterwards changes nothing. */
export function assertParametersCopiedBothWays(engine: Engine, parameters: NetworkParameters): void {
  const p = parameters;
  const given = { actor: p.actor.slice(), critic: p.critic.slice(), targetActor: p.targetActor.slice(), targetCritic: p.targetCritic.slice() };
  engine.setParameters(given);
  given.actor.fill(9);
  const got = engine.getParameters();
  assert.deepEqual(got, p);
  got.critic.fill(9);
  assert.deepEqual(engine.getParameters(), p);
}

/**
 * Saves the state after three updates, runs three more, scrambles the engine, restores the saved
 * state and replays those three batches: the losses, networks and Adam state come out bit for bit.
 */
export function assertRestoredStateReplays(engine: Engine, seed: number): void {
  const shape = engine.shape;
  engine.setParameters(orderOneParameters(shape, seed));
  engine.setOptimizerState(zeroOptimizerState(shape));
  const rng = new Random(seed + 1);
  const batches: Batch[] = [];
  const nextUpdate = () => {
    fillBatch(engine.batch, rng, shape.actionBound);
    batches.push(copyBatch(engine.batch));
    return engine.update();
  };
  for (let k = 0; k < 3; k++) nextUpdate();
  const savedParams = engine.getParameters();
  const savedOptimizer = engine.getOptimizerState();
  assert.equal(savedOptimizer.actor.step, 3);
  assert.equal(savedOptimizer.critic.step, 3);
  assert.ok(savedOptimizer.critic.v.some((x) => x > 0));
  const firstRun = [0, 1, 2].map(nextUpdate);
  const firstEnd = { params: engine.getParameters(), optimizer: engine.getOptimizerState() };

  engine.setParameters(orderOneParameters(shape, seed + 2));
  engine.setOptimizerState(zeroOptimizerState(shape));
  engine.setParameters(savedParams);
  engine.setOptimizerState(savedOptimizer);
  assert.deepEqual(engine.getOptimizerState(), savedOptimizer);
  const replay = batches.slice(3).map((b) => {
    loadBatch(engine.batch, b);
    return engine.update();
  });
  assert.deepEqual(replay, firstRun);
  assert.deepEqual({ params: engine.getParameters(), optimizer: engine.getOptimizerState() }, firstEnd);
}
