/**
 * A plain float64 implementation of the DDPG update exactly as src/agent/engine/engine.ts defines
 * it: forward passes, hand-written backward passes, both losses, Adam and the soft target update.
 * It is the oracle that every engine's tests compare against, so it favours obviousness over speed
 * and shares no code with any engine (only the layer-size helpers that define the flat layout).
 *
 * Flat layout (engine.ts): per dense layer a row-major kernel [in, out] (W[i*out + j] connects
 * input i to output j) followed by its bias [out]; layers in order.
 * Inputs may be Float32Array or Float64Array; everything is computed and returned in float64.
 */

import { ADAM, type UpdateHyperparameters, type UpdateStats, type NetworkShape } from '../../src/agent/engine/engine';
import { actorLayers, criticLayers } from '../../src/agent/engine/parameters';

export type Numbers = ArrayLike<number>;
type Layers = ReadonlyArray<[number, number]>;

export type ReferenceParameters = {
  actor: Float64Array;
  critic: Float64Array;
  targetActor: Float64Array;
  targetCritic: Float64Array;
};

export type ReferenceAdamState = {
  m: Float64Array;
  v: Float64Array;
  /** Adam steps taken so far; the next step uses t = step + 1. */
  step: number;
};

export type ReferenceOptimizerState = {
  actor: ReferenceAdamState;
  critic: ReferenceAdamState;
};

/**
 * Anything shaped like NetworkParameters / OptimizerState (networks and optimizers by name), in
 * float32 or float64; DDPG's are actor, critic, targetActor, targetCritic and actor, critic.
 */
export type ParametersLike = Record<string, Numbers>;
export type AdamStateLike = { m: Numbers; v: Numbers; step: number };
export type OptimizerStateLike = Record<string, AdamStateLike>;
/** Row-major batch arrays as in engine.ts's Batch; the batch size is reward.length. */
export interface BatchLike {
  obs: Numbers;
  action: Numbers;
  reward: Numbers;
  nextObs: Numbers;
  terminated: Numbers;
}

export type OutputActivation = { kind: 'linear' } | { kind: 'scaledTanh'; bound: number };

/** What a forward pass keeps for its backward pass. */
export interface MlpTrace {
  count: number;
  /** inputs[l] is the input of layer l ([count·in_l]); inputs[0] is the network input. */
  inputs: Float64Array[];
  /** preActivations[l] is x·W_l + b_l ([count·out_l]). */
  preActivations: Float64Array[];
  output: Float64Array;
}

export function mlpForward(layers: Layers, params: Numbers, input: Numbers, count: number, activation: OutputActivation): MlpTrace {
  const inputs: Float64Array[] = [];
  const preActivations: Float64Array[] = [];
  let x = Float64Array.from(input);
  let offset = 0;
  layers.forEach(([fanIn, fanOut], layer) => {
    const kernelOffset = offset;
    const biasOffset = offset + fanIn * fanOut;
    offset = biasOffset + fanOut;
    const z = new Float64Array(count * fanOut);
    for (let n = 0; n < count; n++) {
      for (let j = 0; j < fanOut; j++) {
        let sum = params[biasOffset + j];
        for (let i = 0; i < fanIn; i++) sum += x[n * fanIn + i] * params[kernelOffset + i * fanOut + j];
        z[n * fanOut + j] = sum;
      }
    }
    inputs.push(x);
    preActivations.push(z);
    const isOutput = layer === layers.length - 1;
    if (!isOutput) x = z.map((value) => (value > 0 ? value : 0));
    else if (activation.kind === 'scaledTanh') x = z.map((value) => Math.tanh(value) * activation.bound);
    else x = z.slice();
  });
  if (offset !== params.length) throw new Error(`network has ${params.length} parameters; its layers need ${offset}`);
  return { count, inputs, preActivations, output: x };
}

/**
 * Backpropagates dLoss/dOutput through a traced forward pass: returns dLoss/dParameters (flat
 * layout) and dLoss/dInput. ReLU's derivative at exactly 0 is taken as 0, as TensorFlow.js does.
 */
export function mlpBackward(
  layers: Layers,
  params: Numbers,
  trace: MlpTrace,
  outputGradient: Float64Array,
  activation: OutputActivation,
): { gradient: Float64Array; inputGradient: Float64Array } {
  const { count } = trace;
  const gradient = new Float64Array(params.length);
  const offsets: number[] = [];
  let offset = 0;
  for (const [fanIn, fanOut] of layers) {
    offsets.push(offset);
    offset += fanIn * fanOut + fanOut;
  }
  let dOut = outputGradient; // dLoss / d(activated output of the current layer)
  for (let layer = layers.length - 1; layer >= 0; layer--) {
    const [fanIn, fanOut] = layers[layer];
    const z = trace.preActivations[layer];
    const dz = new Float64Array(count * fanOut);
    const isOutput = layer === layers.length - 1;
    for (let k = 0; k < dz.length; k++) {
      if (!isOutput) dz[k] = z[k] > 0 ? dOut[k] : 0;
      else if (activation.kind === 'scaledTanh') {
        const t = Math.tanh(z[k]);
        dz[k] = dOut[k] * activation.bound * (1 - t * t);
      } else dz[k] = dOut[k];
    }
    const x = trace.inputs[layer];
    const kernelOffset = offsets[layer];
    const biasOffset = kernelOffset + fanIn * fanOut;
    const dx = new Float64Array(count * fanIn);
    for (let n = 0; n < count; n++) {
      for (let j = 0; j < fanOut; j++) {
        const g = dz[n * fanOut + j];
        gradient[biasOffset + j] += g;
        for (let i = 0; i < fanIn; i++) {
          gradient[kernelOffset + i * fanOut + j] += x[n * fanIn + i] * g;
          dx[n * fanIn + i] += params[kernelOffset + i * fanOut + j] * g;
        }
      }
    }
    dOut = dx;
  }
  return { gradient, inputGradient: dOut };
}

/** Interleaves obs [count·obsDim] and action [count·actDim] into the critic's input rows. */
export function criticInput(shape: NetworkShape, obs: Numbers, action: Numbers, count: number): Float64Array {
  const width = shape.obsDim + shape.actDim;
  const input = new Float64Array(count * width);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < shape.obsDim; i++) input[n * width + i] = obs[n * shape.obsDim + i];
    for (let i = 0; i < shape.actDim; i++) input[n * width + shape.obsDim + i] = action[n * shape.actDim + i];
  }
  return input;
}

function actorActivation(shape: NetworkShape): OutputActivation {
  return { kind: 'scaledTanh', bound: shape.actionBound };
}

/** μ(s) = tanh(MLP(s))·actionBound for `count` row-major observations; returns [count·actDim]. */
export function actorForward(shape: NetworkShape, actor: Numbers, obs: Numbers, count: number): Float64Array {
  return mlpForward(actorLayers(shape), actor, obs, count, actorActivation(shape)).output;
}

/** Q(s, a) for `count` rows (the critic's input is the observation, then the action); returns [count]. */
export function criticForward(shape: NetworkShape, critic: Numbers, obs: Numbers, action: Numbers, count: number): Float64Array {
  return mlpForward(criticLayers(shape), critic, criticInput(shape, obs, action, count), count, { kind: 'linear' }).output;
}

/** y = r + γ·(1 − terminated)·Q′(s′, μ′(s′)), the TD targets of one batch (no gradient flows through them). */
export function tdTargets(
  shape: NetworkShape,
  gamma: number,
  targetActor: Numbers,
  targetCritic: Numbers,
  batch: Pick<BatchLike, 'reward' | 'nextObs' | 'terminated'>,
): Float64Array {
  const count = batch.reward.length;
  const nextAction = actorForward(shape, targetActor, batch.nextObs, count);
  const nextQ = criticForward(shape, targetCritic, batch.nextObs, nextAction, count);
  return nextQ.map((q, n) => batch.reward[n] + gamma * (1 - batch.terminated[n]) * q);
}

/**
 * Critic loss L = mean((Q(s, a) − y)²) and dL/dcritic (flat layout). meanQ is mean Q(s, a), the
 * statistic an update reports.
 */
export function criticLossAndGradient(
  shape: NetworkShape,
  critic: Numbers,
  obs: Numbers,
  action: Numbers,
  targets: Numbers,
  count: number,
): { loss: number; meanQ: number; gradient: Float64Array } {
  const layers = criticLayers(shape);
  const trace = mlpForward(layers, critic, criticInput(shape, obs, action, count), count, { kind: 'linear' });
  const q = trace.output;
  let loss = 0;
  let sumQ = 0;
  const dQ = new Float64Array(count);
  for (let n = 0; n < count; n++) {
    const error = q[n] - targets[n];
    loss += error * error;
    sumQ += q[n];
    dQ[n] = (2 * error) / count;
  }
  const { gradient } = mlpBackward(layers, critic, trace, dQ, { kind: 'linear' });
  return { loss: loss / count, meanQ: sumQ / count, gradient };
}

/**
 * Actor loss J = −mean Q(s, μ(s)) with the given critic held fixed, and dJ/dactor (flat layout):
 * the gradient flows back through the critic's action input into the actor.
 */
export function actorLossAndGradient(
  shape: NetworkShape,
  actor: Numbers,
  critic: Numbers,
  obs: Numbers,
  count: number,
): { loss: number; gradient: Float64Array } {
  const aLayers = actorLayers(shape);
  const cLayers = criticLayers(shape);
  const actorTrace = mlpForward(aLayers, actor, obs, count, actorActivation(shape));
  const criticTrace = mlpForward(cLayers, critic, criticInput(shape, obs, actorTrace.output, count), count, { kind: 'linear' });
  let sumQ = 0;
  for (let n = 0; n < count; n++) sumQ += criticTrace.output[n];
  const dQ = new Float64Array(count).fill(-1 / count);
  const { inputGradient } = mlpBackward(cLayers, critic, criticTrace, dQ, { kind: 'linear' });
  // The critic's input gradient covers observation and action columns; only the action's reaches μ.
  const width = shape.obsDim + shape.actDim;
  const dAction = new Float64Array(count * shape.actDim);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < shape.actDim; i++) dAction[n * shape.actDim + i] = inputGradient[n * width + shape.obsDim + i];
  }
  const { gradient } = mlpBackward(aLayers, actor, actorTrace, dAction, actorActivation(shape));
  return { loss: -sumQ / count, gradient };
}

/**
 * One Adam step in place (engine.ts's formula: β1 0.9, β2 0.999, ε 1e-8, t = state.step + 1):
 * m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  θ ← θ − lr·(m/(1 − β1^t)) / (sqrt(v/(1 − β2^t)) + ε).
 * Mutates params, state.m, state.v and increments state.step.
 */
export function adamStep(params: Float64Array, gradient: Numbers, state: ReferenceAdamState, lr: number): void {
  if (gradient.length !== params.length || state.m.length !== params.length || state.v.length !== params.length) {
    throw new Error(`adamStep: params ${params.length}, gradient ${gradient.length}, m ${state.m.length}, v ${state.v.length} differ`);
  }
  const t = state.step + 1;
  const mCorrection = 1 - Math.pow(ADAM.beta1, t);
  const vCorrection = 1 - Math.pow(ADAM.beta2, t);
  for (let k = 0; k < params.length; k++) {
    const g = gradient[k];
    state.m[k] = ADAM.beta1 * state.m[k] + (1 - ADAM.beta1) * g;
    state.v[k] = ADAM.beta2 * state.v[k] + (1 - ADAM.beta2) * g * g;
    params[k] -= (lr * (state.m[k] / mCorrection)) / (Math.sqrt(state.v[k] / vCorrection) + ADAM.epsilon);
  }
  state.step = t;
}

/** target ← τ·online + (1 − τ)·target, in place (τ is the mixing fraction). */
export function softUpdate(target: Float64Array, online: Numbers, tau: number): void {
  if (target.length !== online.length) throw new Error(`softUpdate: target ${target.length} and online ${online.length} differ`);
  for (let k = 0; k < target.length; k++) target[k] = tau * online[k] + (1 - tau) * target[k];
}

export function toReferenceParameters(p: ParametersLike): ReferenceParameters {
  return {
    actor: Float64Array.from(p.actor),
    critic: Float64Array.from(p.critic),
    targetActor: Float64Array.from(p.targetActor),
    targetCritic: Float64Array.from(p.targetCritic),
  };
}

export function toReferenceOptimizerState(s: OptimizerStateLike): ReferenceOptimizerState {
  const copy = (a: AdamStateLike): ReferenceAdamState => ({ m: Float64Array.from(a.m), v: Float64Array.from(a.v), step: a.step });
  return { actor: copy(s.actor), critic: copy(s.critic) };
}

/**
 * One full DDPG update in engine.ts's order: TD targets from the target networks; critic loss and
 * one Adam step on the critic; actor loss through the *updated* critic and one Adam step on the
 * actor; soft update of both targets. Pure: the inputs are copied, never modified.
 */
export function referenceUpdate(
  shape: NetworkShape,
  hyper: UpdateHyperparameters,
  params: ParametersLike,
  optimizer: OptimizerStateLike,
  batch: BatchLike,
): { params: ReferenceParameters; optimizer: ReferenceOptimizerState; stats: UpdateStats } {
  const next = toReferenceParameters(params);
  const state = toReferenceOptimizerState(optimizer);
  const count = batch.reward.length;
  const targets = tdTargets(shape, hyper.gamma, next.targetActor, next.targetCritic, batch);
  const critic = criticLossAndGradient(shape, next.critic, batch.obs, batch.action, targets, count);
  adamStep(next.critic, critic.gradient, state.critic, hyper.criticLr);
  const actor = actorLossAndGradient(shape, next.actor, next.critic, batch.obs, count);
  adamStep(next.actor, actor.gradient, state.actor, hyper.actorLr);
  softUpdate(next.targetActor, next.actor, hyper.tau);
  softUpdate(next.targetCritic, next.critic, hyper.tau);
  return { params: next, optimizer: state, stats: { criticLoss: critic.loss, actorLoss: actor.loss, meanQ: critic.meanQ } };
}
