import type { AdamState, NetworkParameters, NetworkShape, OptimizerState } from './engine';
import type { Random } from '../random';

/** [in, out] of every dense layer of a network, in order. */
export function layerSizes(inputs: number, hidden: readonly number[], outputs: number): Array<[number, number]> {
  const widths = [inputs, ...hidden, outputs];
  return widths.slice(1).map((out, i) => [widths[i], out] as [number, number]);
}

export function actorLayers(shape: NetworkShape): Array<[number, number]> {
  return layerSizes(shape.obsDim, shape.actorHidden, shape.actDim);
}

export function criticLayers(shape: NetworkShape): Array<[number, number]> {
  return layerSizes(shape.obsDim + shape.actDim, shape.criticHidden, 1);
}

export function parameterCount(layers: ReadonlyArray<[number, number]>): number {
  return layers.reduce((n, [i, o]) => n + i * o + o, 0);
}

/**
 * Initial parameters, drawn from our seeded RNG so every engine starts identically:
 * hidden layers U(±1/√fan_in) for kernel and bias (PyTorch's Linear default), the output layer
 * U(±3e-3) as in the DDPG paper so initial actions and Q values are near zero.
 */
export function initialNetwork(layers: ReadonlyArray<[number, number]>, rng: Random): Float32Array {
  const out = new Float32Array(parameterCount(layers));
  let k = 0;
  layers.forEach(([fanIn, fanOut], index) => {
    const bound = index === layers.length - 1 ? 3e-3 : 1 / Math.sqrt(fanIn);
    for (let i = 0; i < fanIn * fanOut + fanOut; i++) out[k++] = rng.uniform(-bound, bound);
  });
  return out;
}

/** Online networks from the RNG; targets start as exact copies (the paper's initialisation). */
export function initialParameters(shape: NetworkShape, rng: Random): NetworkParameters {
  const actor = initialNetwork(actorLayers(shape), rng);
  const critic = initialNetwork(criticLayers(shape), rng);
  return { actor, critic, targetActor: actor.slice(), targetCritic: critic.slice() };
}

export function zeroAdamState(size: number): AdamState {
  return { m: new Float32Array(size), v: new Float32Array(size), step: 0 };
}

export function zeroOptimizerState(shape: NetworkShape): OptimizerState {
  return {
    actor: zeroAdamState(parameterCount(actorLayers(shape))),
    critic: zeroAdamState(parameterCount(criticLayers(shape))),
  };
}

export function cloneParameters(p: NetworkParameters): NetworkParameters {
  return { actor: p.actor.slice(), critic: p.critic.slice(), targetActor: p.targetActor.slice(), targetCritic: p.targetCritic.slice() };
}

export function assertParameterSizes(shape: NetworkShape, p: NetworkParameters): void {
  const a = parameterCount(actorLayers(shape));
  const c = parameterCount(criticLayers(shape));
  const check = (name: string, arr: Float32Array, n: number) => {
    if (arr.length !== n) throw new Error(`${name} has ${arr.length} parameters; this network shape needs ${n}`);
  };
  check('actor', p.actor, a);
  check('targetActor', p.targetActor, a);
  check('critic', p.critic, c);
  check('targetCritic', p.targetCritic, c);
}
