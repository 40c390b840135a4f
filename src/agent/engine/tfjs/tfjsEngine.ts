/**
 * The reference engine: the DDPG update of engine.ts written with TensorFlow.js ops and its
 * automatic differentiation. Each network (online, target) and each Adam moment is one flat
 * tf.Variable in engine.ts's parameter layout, so get/set of parameters and optimizer state are
 * plain copies and Adam is a handful of whole-vector ops rather than a handful per layer.
 */

import type * as TF from '@tensorflow/tfjs';

import {
  ADAM,
  type AdamState,
  type Batch,
  type Engine,
  type EngineInfo,
  type EngineOptions,
  type NetworkParameters,
  type NetworkShape,
  type OptimizerState,
  type UpdateHyperparameters,
  type UpdateStats,
} from '../engine';
import { actorLayers, assertParameterSizes, criticLayers, initialParameters, parameterCount } from '../parameters';
import { Random } from '../../random';
import { loadTensorFlow, type TfjsBackendName } from './backend';

type TensorFlow = typeof TF;
type Layers = ReadonlyArray<[number, number]>;

/**
 * act() runs its forward pass in plain JavaScript up to this many multiply-adds (count × actor
 * parameters): per env step (count = 1) that is microseconds, where dispatching a dozen tfjs
 * kernels and reading the result back costs far more. Larger batches go through tfjs.
 */
const JS_ACT_MAX_MULTIPLY_ADDS = 1 << 20;

export interface TfjsEngineOptions extends EngineOptions {
  /** Forces a tfjs backend; by default the fastest that loads (see backend.ts). */
  backend?: TfjsBackendName;
}

export async function createTfjsEngine(options: TfjsEngineOptions): Promise<Engine> {
  validateOptions(options);
  const { tf, backend } = await loadTensorFlow(options.backend);
  return new TfjsEngine(tf, backend, options);
}

function validateOptions({ shape, batchSize, hyper }: EngineOptions): void {
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
  validateHyperparameters(hyper);
}

function validateHyperparameters(hyper: UpdateHyperparameters): void {
  for (const key of ['gamma', 'tau', 'actorLr', 'criticLr'] as const) {
    if (!Number.isFinite(hyper[key])) throw new Error(`${key} must be a finite number; got ${hyper[key]}`);
  }
}

/** One network's trainable vector and its Adam moments. */
interface Trained {
  params: TF.Variable<TF.Rank.R1>;
  m: TF.Variable<TF.Rank.R1>;
  v: TF.Variable<TF.Rank.R1>;
  step: number;
}

class TfjsEngine implements Engine {
  readonly info: EngineInfo;
  readonly shape: NetworkShape;
  readonly batchSize: number;
  readonly batch: Batch;

  private hyper: UpdateHyperparameters;
  private readonly actorLayers: Layers;
  private readonly criticLayers: Layers;
  private readonly actor: Trained;
  private readonly critic: Trained;
  private readonly targetActor: TF.Variable<TF.Rank.R1>;
  private readonly targetCritic: TF.Variable<TF.Rank.R1>;
  private disposed = false;
  private readonly denseRelu: (x: TF.Tensor2D, kernel: TF.Tensor2D, bias: TF.Tensor1D) => TF.Tensor2D;
  private readonly denseLinear: (x: TF.Tensor2D, kernel: TF.Tensor2D, bias: TF.Tensor1D) => TF.Tensor2D;

  /** Host copy of the online actor for act(); null when the variable has changed since. */
  private actorOnHost: Float32Array | null = null;
  private actionOut: Float32Array;
  private readonly hostForwardScratch: [Float64Array, Float64Array];

  constructor(
    private readonly tf: TensorFlow,
    backend: TfjsBackendName,
    options: EngineOptions,
  ) {
    this.info = { engine: 'tfjs', backend };
    this.shape = { ...options.shape, actorHidden: [...options.shape.actorHidden], criticHidden: [...options.shape.criticHidden] };
    this.batchSize = options.batchSize;
    this.hyper = { ...options.hyper };
    this.denseRelu = this.dense(true);
    this.denseLinear = this.dense(false);
    this.actorLayers = actorLayers(this.shape);
    this.criticLayers = criticLayers(this.shape);
    const { obsDim, actDim } = this.shape;
    const b = this.batchSize;
    this.batch = {
      obs: new Float32Array(b * obsDim),
      action: new Float32Array(b * actDim),
      reward: new Float32Array(b),
      nextObs: new Float32Array(b * obsDim),
      terminated: new Float32Array(b),
    };
    // Usable straight away; callers normally setParameters() from their own seeded initialisation.
    const initial = initialParameters(this.shape, new Random(0));
    this.actor = this.trained(initial.actor);
    this.critic = this.trained(initial.critic);
    this.targetActor = this.variable(initial.targetActor, false);
    this.targetCritic = this.variable(initial.targetCritic, false);
    this.actionOut = new Float32Array(actDim);
    const widest = Math.max(obsDim, actDim, ...this.shape.actorHidden);
    this.hostForwardScratch = [new Float64Array(widest), new Float64Array(widest)];
  }

  private trained(initial: Float32Array): Trained {
    const zeros = new Float32Array(initial.length);
    return { params: this.variable(initial, true), m: this.variable(zeros, false), v: this.variable(zeros, false), step: 0 };
  }

  /** A variable holding a copy of `values` (tidy frees the temporary tensor; variables outlive it). */
  private variable(values: Float32Array, trainable: boolean): TF.Variable<TF.Rank.R1> {
    const { tf } = this;
    return tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from(values)), trainable));
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('this tfjs engine has been disposed');
  }

  /**
   * Dense stack over a flat parameter vector: ReLU hidden layers, linear last layer. Where a
   * gradient will flow, each layer is a `dense` op whose gradient uses explicit transposes.
   */
  private mlp(flat: TF.Tensor1D, layers: Layers, input: TF.Tensor2D, differentiable: boolean): TF.Tensor2D {
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
   * y = act(x·W + b) with the textbook gradient written out: dz = dy·act′, dx = dz·Wᵀ,
   * dW = xᵀ·dz, db = Σ_rows dz. The transposes are explicit because the wasm backend's
   * matMul with a transposed operand (what tfjs's own matMul gradient uses) runs ~10× slower
   * than transposing first and multiplying plainly.
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

  private actorForward(flat: TF.Tensor1D, obs: TF.Tensor2D, differentiable: boolean): TF.Tensor2D {
    return this.tf.mul(this.tf.tanh(this.mlp(flat, this.actorLayers, obs, differentiable)), this.shape.actionBound);
  }

  /** Q(s, a) as [rows, 1]; the critic's input is the observation, then the action. */
  private criticForward(flat: TF.Tensor1D, obs: TF.Tensor2D, action: TF.Tensor2D, differentiable: boolean): TF.Tensor2D {
    return this.mlp(flat, this.criticLayers, this.tf.concat([obs, action], 1), differentiable);
  }

  /** engine.ts's Adam step on one network, entirely on the backend. */
  private adamStep(net: Trained, gradient: TF.Tensor1D, lr: number): void {
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

  private softUpdate(target: TF.Variable<TF.Rank.R1>, online: TF.Tensor1D, tau: number): void {
    const { tf } = this;
    target.assign(tf.add<TF.Tensor1D>(tf.mul(online, tau), tf.mul(target, 1 - tau)));
  }

  update(): UpdateStats {
    this.assertLive();
    const { tf, shape, batch, hyper } = this;
    const b = this.batchSize;
    // Kept out of the gradient tape's own cleanup; disposed below once read.
    let meanQ: TF.Scalar | null = null;
    try {
      const stats = tf.tidy(() => {
        const obs = tf.tensor2d(batch.obs, [b, shape.obsDim]);
        const action = tf.tensor2d(batch.action, [b, shape.actDim]);
        const reward = tf.tensor2d(batch.reward, [b, 1]);
        const nextObs = tf.tensor2d(batch.nextObs, [b, shape.obsDim]);
        const notTerminated = tf.sub(1, tf.tensor2d(batch.terminated, [b, 1]));

        // 1. TD targets from the target networks (outside any gradient).
        const nextQ = this.criticForward(this.targetCritic, nextObs, this.actorForward(this.targetActor, nextObs, false), false);
        const y = tf.add(reward, tf.mul(tf.mul(notTerminated, hyper.gamma), nextQ));

        // 2. Critic: mean squared TD error, one Adam step.
        const criticResult = tf.variableGrads(() => {
          const q = this.criticForward(this.critic.params, obs, action, true);
          meanQ = tf.keep(tf.mean<TF.Scalar>(q));
          return tf.mean(tf.squaredDifference(q, y));
        }, [this.critic.params]);
        this.adamStep(this.critic, criticResult.grads[this.critic.params.name] as TF.Tensor1D, hyper.criticLr);

        // 3. Actor: −mean Q(s, μ(s)) through the critic just updated, one Adam step.
        const actorResult = tf.variableGrads(
          () => tf.neg(tf.mean(this.criticForward(this.critic.params, obs, this.actorForward(this.actor.params, obs, true), true))) as TF.Scalar,
          [this.actor.params],
        );
        this.adamStep(this.actor, actorResult.grads[this.actor.params.name] as TF.Tensor1D, hyper.actorLr);

        // 4. Targets follow the online networks.
        this.softUpdate(this.targetActor, this.actor.params, hyper.tau);
        this.softUpdate(this.targetCritic, this.critic.params, hyper.tau);
        return tf.stack([criticResult.value, actorResult.value, meanQ!]);
      });
      const [criticLoss, actorLoss, q] = stats.dataSync();
      stats.dispose();
      return { criticLoss, actorLoss, meanQ: q };
    } finally {
      this.actorOnHost = null;
      (meanQ as TF.Scalar | null)?.dispose();
    }
  }

  act(obs: Float32Array, count: number): Float32Array {
    this.assertLive();
    const { obsDim, actDim } = this.shape;
    if (!Number.isInteger(count) || count < 0 || obs.length < count * obsDim) {
      throw new Error(`act: ${count} observations need ${count * obsDim} values; got ${obs.length}`);
    }
    if (this.actionOut.length < count * actDim) this.actionOut = new Float32Array(count * actDim);
    const out = this.actionOut.subarray(0, count * actDim);
    if (count * this.actor.params.size <= JS_ACT_MAX_MULTIPLY_ADDS) {
      this.actOnHost(obs, count, out);
    } else {
      const { tf } = this;
      const actions = tf.tidy(() => this.actorForward(this.actor.params, tf.tensor2d(obs.subarray(0, count * obsDim), [count, obsDim]), false));
      out.set(actions.dataSync());
      actions.dispose();
    }
    return out;
  }

  /** The same forward pass as actorForward, in JavaScript with float64 accumulation. */
  private actOnHost(obs: Float32Array, count: number, out: Float32Array): void {
    if (this.actorOnHost === null) this.actorOnHost = new Float32Array(this.actor.params.dataSync());
    const params = this.actorOnHost;
    const layers = this.actorLayers;
    const { obsDim, actDim, actionBound } = this.shape;
    let [input, sums] = this.hostForwardScratch;
    for (let n = 0; n < count; n++) {
      for (let i = 0; i < obsDim; i++) input[i] = obs[n * obsDim + i];
      let offset = 0;
      for (let layer = 0; layer < layers.length; layer++) {
        const [fanIn, fanOut] = layers[layer];
        const biasOffset = offset + fanIn * fanOut;
        for (let j = 0; j < fanOut; j++) sums[j] = params[biasOffset + j];
        // Row by row, so the kernel is read contiguously; inactive ReLU inputs add nothing.
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

  getParameters(): NetworkParameters {
    this.assertLive();
    // Copies: on the cpu backend dataSync() returns the tensor's own storage.
    return {
      actor: new Float32Array(this.actor.params.dataSync()),
      critic: new Float32Array(this.critic.params.dataSync()),
      targetActor: new Float32Array(this.targetActor.dataSync()),
      targetCritic: new Float32Array(this.targetCritic.dataSync()),
    };
  }

  setParameters(params: NetworkParameters): void {
    this.assertLive();
    assertParameterSizes(this.shape, params);
    this.assign(this.actor.params, params.actor);
    this.assign(this.critic.params, params.critic);
    this.assign(this.targetActor, params.targetActor);
    this.assign(this.targetCritic, params.targetCritic);
    this.actorOnHost = null;
  }

  /** Copies the values in: the cpu backend would otherwise keep (and see later edits of) the caller's array. */
  private assign(variable: TF.Variable<TF.Rank.R1>, values: Float32Array): void {
    this.tf.tidy(() => variable.assign(this.tf.tensor1d(Float32Array.from(values))));
  }

  getOptimizerState(): OptimizerState {
    this.assertLive();
    const read = (net: Trained): AdamState => ({
      m: new Float32Array(net.m.dataSync()),
      v: new Float32Array(net.v.dataSync()),
      step: net.step,
    });
    return { actor: read(this.actor), critic: read(this.critic) };
  }

  setOptimizerState(state: OptimizerState): void {
    this.assertLive();
    const check = (name: string, s: AdamState, size: number) => {
      if (s.m.length !== size || s.v.length !== size) {
        throw new Error(`${name} optimizer state has ${s.m.length}/${s.v.length} moments; this network shape needs ${size}`);
      }
      if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`${name} optimizer step must be a non-negative integer; got ${s.step}`);
    };
    check('actor', state.actor, parameterCount(this.actorLayers));
    check('critic', state.critic, parameterCount(this.criticLayers));
    for (const [net, s] of [
      [this.actor, state.actor],
      [this.critic, state.critic],
    ] as const) {
      this.assign(net.m, s.m);
      this.assign(net.v, s.v);
      net.step = s.step;
    }
  }

  setHyperparameters(hyper: UpdateHyperparameters): void {
    this.assertLive();
    validateHyperparameters(hyper);
    this.hyper = { ...hyper };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tf.dispose([
      this.actor.params,
      this.actor.m,
      this.actor.v,
      this.critic.params,
      this.critic.m,
      this.critic.v,
      this.targetActor,
      this.targetCritic,
    ]);
    this.actorOnHost = null;
  }
}
