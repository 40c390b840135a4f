/** Shared by the engine tests: shapes, batches and parameters to feed engines, and how to compare them. */
import assert from 'node:assert/strict';
import type { Batch, NetworkParameters, NetworkShape } from '../../src/agent/engine/engine';
import { actorLayers, criticLayers, parameterCount } from '../../src/agent/engine/parameters';
import { Random } from '../../src/agent/random';

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
