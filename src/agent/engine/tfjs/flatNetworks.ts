/**
 * TensorFlow.js building blocks for engines whose networks are flat vectors in engine.ts's
 * layout (one tf.Variable per network and per Adam moment): the dense stack with an explicit
 * gradient, the actor and critic forward passes, engine.ts's Adam step, the soft update, and the
 * actor's forward pass in plain JavaScript for act(). Shared by the DDPG, TD3 and SAC tfjs engines.
 */

import type * as TF from '@tensorflow/tfjs';

import { ADAM, type AdamState, type NetworkShape, type UpdateHyperparameters } from '../engine';
import { actorLayers, criticLayers } from '../parameters';

export type TensorFlow = typeof TF;
export type Layers = ReadonlyArray<[number, number]>;
export type FlatVariable = TF.Variable<TF.Rank.R1>;

/** One network's trainable vector and its Adam moments. */
export interface TrainedNetwork {
  params: FlatVariable;
  m: FlatVariable;
  v: FlatVariable;
  step: number;
}

export function checkHyperparameters(hyper: UpdateHyperparameters): void {
  for (const key of ['gamma', 'tau', 'actorLr', 'criticLr'] as const) {
    if (!Number.isFinite(hyper[key])) throw new Error(`${key} must be a finite number; got ${hyper[key]}`);
  }
}

export function checkShape(shape: NetworkShape, batchSize: number): void {
  const positiveInteger = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer; got ${value}`);
  };
  positiveInteger('obsDim', shape.obsDim);
  positiveInteger('actDim', shape.actDim);
  positiveInteger('batchSize', batchSize);
  if (shape.actorHidden.length === 0 || shape.criticHidden.length === 0) throw new Error('actor and critic need at least one hidden layer');
  shape.actorHidden.forEach((width, i) => positiveInteger(`actorHidden[${i}]`, width));
  shape.criticHidden.forEach((width, i) => positiveInteger(`criticHidden[${i}]`, width));
  if (!(shape.actionBound > 0) || !Number.isFinite(shape.actionBound)) throw new Error(`actionBound must be positive; got ${shape.actionBound}`);
}

export class FlatNetworks {
  readonly actorLayers: Layers;
  readonly criticLayers: Layers;
  private readonly denseRelu: (x: TF.Tensor2D, kernel: TF.Tensor2D, bias: TF.Tensor1D) => TF.Tensor2D;
  private readonly denseLinear: (x: TF.Tensor2D, kernel: TF.Tensor2D, bias: TF.Tensor1D) => TF.Tensor2D;
  private readonly hostScratch: [Float64Array, Float64Array];

  constructor(
    readonly tf: TensorFlow,
    readonly shape: NetworkShape,
  ) {
    this.actorLayers = actorLayers(shape);
    this.criticLayers = criticLayers(shape);
    this.denseRelu = this.dense(true);
    this.denseLinear = this.dense(false);
    const widest = Math.max(shape.obsDim, shape.actDim, ...shape.actorHidden);
    this.hostScratch = [new Float64Array(widest), new Float64Array(widest)];
  }

  /** A variable holding a copy of `values` (tidy frees the temporary tensor; variables outlive it). */
  variable(values: Float32Array, trainable: boolean): FlatVariable {
    const { tf } = this;
    return tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from(values)), trainable));
  }

  trained(initial: Float32Array): TrainedNetwork {
    const zeros = new Float32Array(initial.length);
    return { params: this.variable(initial, true), m: this.variable(zeros, false), v: this.variable(zeros, false), step: 0 };
  }

  /** Copies the values in: the cpu backend would otherwise keep (and see later edits of) the caller's array. */
  assign(variable: FlatVariable, values: Float32Array): void {
    this.tf.tidy(() => variable.assign(this.tf.tensor1d(Float32Array.from(values))));
  }

  readAdam(net: TrainedNetwork): AdamState {
    return { m: new Float32Array(net.m.dataSync()), v: new Float32Array(net.v.dataSync()), step: net.step };
  }

  writeAdam(net: TrainedNetwork, state: AdamState): void {
    this.assign(net.m, state.m);
    this.assign(net.v, state.v);
    net.step = state.step;
  }

  /** Dense stack over a flat vector: ReLU hidden layers, linear last layer. */
  mlp(flat: TF.Tensor1D, layers: Layers, input: TF.Tensor2D, differentiable: boolean): TF.Tensor2D {
    const { tf } = this;
    // split (not slice): its gradient is a single concat back into the flat layout.
    const parts = tf.split(flat, layers.flatMap(([fanIn, fanOut]) => [fanIn * fanOut, fanOut]));
    let x = input;
    layers.forEach(([fanIn, fanOut], layer) => {
      const kernel = tf.reshape<TF.Rank.R2>(parts[2 * layer], [fanIn, fanOut]);
      const bias = parts[2 * layer + 1] as TF.Tensor1D;
      const relu = layer < layers.length - 1;
      if (differentiable) x = (relu ? this.denseRelu : this.denseLinear)(x, kernel, bias);
      else x = tf.fused.matMul({ a: x, b: kernel, bias, activation: relu ? 'relu' : 'linear' }) as TF.Tensor2D;
    });
    return x;
  }

  /**
   * y = act(x·W + b) with the textbook gradient written out; the transposes are explicit because
   * the wasm backend's matMul with a transposed operand (what tfjs's own matMul gradient uses)
   * runs ~10× slower than transposing first and multiplying plainly.
   */
  private dense(relu: boolean) {
    const { tf } = this;
    return tf.customGrad((...args: unknown[]) => {
      const [x, kernel, bias, save] = args as [TF.Tensor2D, TF.Tensor2D, TF.Tensor1D, TF.GradSaveFunc];
      const z = tf.fused.matMul({ a: x, b: kernel, bias });
      const y = relu ? tf.relu(z) : z;
      save([x, kernel, y]);
      return {
        value: y,
        gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => {
          const [savedX, savedKernel, savedY] = saved as [TF.Tensor2D, TF.Tensor2D, TF.Tensor2D];
          // ReLU′ is 0 where the output is 0 (z ≤ 0), as in tfjs's own relu gradient.
          const dz = relu ? tf.mul(dy, tf.step(savedY)) : dy;
          return [tf.matMul(dz, tf.transpose(savedKernel)), tf.matMul(tf.transpose(savedX), dz), tf.sum(dz, 0)];
        },
      };
    }) as (x: TF.Tensor2D, kernel: TF.Tensor2D, bias: TF.Tensor1D) => TF.Tensor2D;
  }

  /** tanh(MLP(s))·actionBound. */
  actor(flat: TF.Tensor1D, obs: TF.Tensor2D, differentiable: boolean): TF.Tensor2D {
    return this.tf.mul(this.tf.tanh(this.mlp(flat, this.actorLayers, obs, differentiable)), this.shape.actionBound);
  }

  /** Q(s, a) as [rows, 1]; the critic's input is the observation, then the action. */
  critic(flat: TF.Tensor1D, obs: TF.Tensor2D, action: TF.Tensor2D, differentiable: boolean): TF.Tensor2D {
    return this.mlp(flat, this.criticLayers, this.tf.concat([obs, action], 1), differentiable);
  }

  /** engine.ts's Adam step on one network, entirely on the backend. */
  adamStep(net: TrainedNetwork, gradient: TF.Tensor1D, lr: number): void {
    const { tf } = this;
    const t = net.step + 1;
    const m = tf.add(tf.mul(net.m, ADAM.beta1), tf.mul(gradient, 1 - ADAM.beta1));
    const v = tf.add(tf.mul(net.v, ADAM.beta2), tf.mul(tf.square(gradient), 1 - ADAM.beta2));
    const mHat = tf.div(m, 1 - Math.pow(ADAM.beta1, t));
    const vHat = tf.div(v, 1 - Math.pow(ADAM.beta2, t));
    const step = tf.div(tf.mul(mHat, lr), tf.add(tf.sqrt(vHat), ADAM.epsilon));
    net.m.assign(m as TF.Tensor1D);
    net.v.assign(v as TF.Tensor1D);
    net.params.assign(tf.sub<TF.Tensor1D>(net.params, step));
    net.step = t;
  }

  softUpdate(target: FlatVariable, online: TF.Tensor1D, tau: number): void {
    const { tf } = this;
    target.assign(tf.add<TF.Tensor1D>(tf.mul(online, tau), tf.mul(target, 1 - tau)));
  }

  /** The actor's forward pass in JavaScript with float64 accumulation, for act() on a few observations. */
  actOnHost(params: Float32Array, obs: Float32Array, count: number, out: Float32Array): void {
    const layers = this.actorLayers;
    const { obsDim, actDim, actionBound } = this.shape;
    let [input, sums] = this.hostScratch;
    for (let n = 0; n < count; n++) {
      for (let i = 0; i < obsDim; i++) input[i] = obs[n * obsDim + i];
      let offset = 0;
      for (let layer = 0; layer < layers.length; layer++) {
        const [fanIn, fanOut] = layers[layer];
        const biasOffset = offset + fanIn * fanOut;
        for (let j = 0; j < fanOut; j++) sums[j] = params[biasOffset + j];
        for (let i = 0; i < fanIn; i++) {
          const x = input[i];
          if (x === 0) continue;
          const row = offset + i * fanOut;
          for (let j = 0; j < fanOut; j++) sums[j] += x * params[row + j];
        }
        if (layer < layers.length - 1) for (let j = 0; j < fanOut; j++) sums[j] = sums[j] > 0 ? sums[j] : 0;
        [input, sums] = [sums, input];
        offset = biasOffset + fanOut;
      }
      for (let j = 0; j < actDim; j++) out[n * actDim + j] = Math.tanh(input[j]) * actionBound;
    }
  }
}
