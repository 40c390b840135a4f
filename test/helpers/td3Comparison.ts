/** Shared by the TD3 engine tests: parameters and batches to feed engines, and how to compare them with the float64 reference. */
import assert from 'node:assert/strict';
import type { Batch, Engine, NetworkParameters, NetworkShape } from '../../src/agent/engine/engine';
import { td3ParameterCount, TD3_TARGET_OF, TD3_TRAINED_NETWORKS } from '../../src/agent/engine/td3Parameters';
import { drawTargetNoise } from '../../src/agent/algorithms/td3';
import { Random } from '../../src/agent/random';
import { AGREEMENT, fillBatch, normDifference, scalarDifference } from './engineComparison';
import type { Td3OptimizerLike, Td3ParametersLike } from './referenceTd3';

export type Td3Batch = Batch & { targetNoise: Float32Array };

/** TD3's default smoothing: σ 0.2 and clip 0.5 of the action bound. */
export function fillTd3Batch(batch: Batch, rng: Random, actionBound: number): asserts batch is Td3Batch {
  fillBatch(batch, rng, actionBound);
  assert.ok(batch.targetNoise, 'a TD3 engine has a target noise array');
  drawTargetNoise(batch.targetNoise, rng, 0.2 * actionBound, 0.5 * actionBound);
}

export function copyTd3Batch(batch: Td3Batch): Td3Batch {
  return {
    obs: batch.obs.slice(), action: batch.action.slice(), reward: batch.reward.slice(), nextObs: batch.nextObs.slice(),
    terminated: batch.terminated.slice(), targetNoise: batch.targetNoise.slice(),
  };
}

/** Parameters of order one (every ReLU and the tanh matter), each target distinct from its online network. */
export function orderOneTd3Parameters(shape: NetworkShape, seed: number, scale = 0.6): NetworkParameters {
  const rng = new Random(seed);
  const out: NetworkParameters = {};
  for (const name of TD3_TRAINED_NETWORKS) {
    const size = td3ParameterCount(shape, name);
    out[name] = Float32Array.from({ length: size }, () => rng.uniform(-scale, scale));
    out[TD3_TARGET_OF[name]] = Float32Array.from({ length: size }, () => rng.uniform(-scale, scale));
  }
  return out;
}

export const TD3_NETWORK_NAMES = ['actor', 'critic1', 'critic2', 'targetActor', 'targetCritic1', 'targetCritic2'] as const;

/**
 * Asserts an engine's state is within AGREEMENT of the expected one, network by network (by
 * `parameterMetric`) and moment by moment as whole vectors (‖Δ‖/‖x‖: a sample on a ReLU kink moves
 * single moments far, see wasmEngine.test.ts), with the Adam step counts equal.
 */
export function assertTd3StateClose(
  engine: Engine,
  params: Td3ParametersLike,
  optimizer: Td3OptimizerLike,
  context: string,
  tolerance = AGREEMENT,
  parameterMetric: (actual: ArrayLike<number>, expected: ArrayLike<number>) => number = normDifference,
): void {
  const p = engine.getParameters();
  const o = engine.getOptimizerState();
  for (const name of TD3_NETWORK_NAMES) {
    const difference = parameterMetric(p[name], params[name]);
    assert.ok(difference < tolerance, `${context}: ${name} differs by ${difference.toExponential(2)}`);
  }
  for (const name of TD3_TRAINED_NETWORKS) {
    assert.equal(o[name].step, optimizer[name].step, `${context}: ${name} Adam step`);
    for (const moment of ['m', 'v'] as const) {
      const difference = normDifference(o[name][moment], optimizer[name][moment]);
      assert.ok(difference < tolerance, `${context}: ${name} ${moment} differs by ${difference.toExponential(2)}`);
    }
  }
}

/** The statistics every TD3 engine reports; actorLoss only where the actor stepped. */
export function assertTd3StatsClose(actual: Record<string, number>, expected: Record<string, number>, stepsActor: boolean, context: string): void {
  for (const key of ['criticLoss', 'critic1Loss', 'critic2Loss', 'meanQ', 'q1', 'q2']) {
    assert.ok(scalarDifference(actual[key], expected[key]) < AGREEMENT, `${context}: ${key} ${actual[key]} vs ${expected[key]}`);
  }
  if (stepsActor) assert.ok(scalarDifference(actual.actorLoss, expected.actorLoss) < AGREEMENT, `${context}: actorLoss ${actual.actorLoss} vs ${expected.actorLoss}`);
  else assert.ok(Number.isNaN(actual.actorLoss), `${context}: actorLoss is NaN when the actor did not step (got ${actual.actorLoss})`);
}
