/**
 * The reference SAC engine: sac.ts's update written with TensorFlow.js ops and automatic
 * differentiation (the tanh log-prob correction and α's gradient included), over flat variables
 * in sacParameters.ts's layout. act() and sampleActions() run the actor in plain JavaScript.
 */

import type * as TF from '@tensorflow/tfjs';

import type { Batch, EngineInfo, EngineOptions, NetworkParameters, NetworkShape, OptimizerState, UpdateHyperparameters, UpdateStats } from '../engine';
import { Random } from '../../random';
import {
  assertSacOptimizerState,
  assertSacParameterSizes,
  HALF_LOG_TWO_PI,
  LOG_STD_MAX,
  LOG_STD_MIN,
  sacActorLayers,
  sacHyperparametersOf,
  sacInitialParameters,
  type SacEngine,
  type SacHyperparameters,
} from '../sacParameters';
import { loadTensorFlow, type TfjsBackendName } from './backend';
import { checkShape, FlatNetworks, type FlatVariable, type Layers, type TensorFlow, type TrainedNetwork } from './flatNetworks';

export interface SacTfjsEngineOptions extends EngineOptions {
  backend?: TfjsBackendName;
}

export async function createSacTfjsEngine(options: SacTfjsEngineOptions): Promise<SacEngine> {
  checkShape(options.shape, options.batchSize);
  sacHyperparametersOf(options.hyper);
  const { tf, backend } = await loadTensorFlow(options.backend);
  return new SacTfjsEngine(tf, backend, options);
}

const LOG_STD_HALF_RANGE = 0.5 * (LOG_STD_MAX - LOG_STD_MIN);

/**
 * The actor's raw outputs [count·2·actDim] (mean columns, then log-std head columns) in
 * JavaScript with float64 accumulation: per env step that is microseconds, where dispatching tfjs
 * kernels and reading back costs far more.
 */
export function sacActorOutputsOnHost(
  layers: Layers,
  params: Float32Array,
  obs: Float32Array,
  count: number,
  out: Float64Array,
  scratch: [Float64Array, Float64Array],
): void {
  const obsDim = layers[0][0];
  const outputs = layers[layers.length - 1][1];
  let [input, sums] = scratch;
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
    for (let j = 0; j < outputs; j++) out[n * outputs + j] = input[j];
  }
}

class SacTfjsEngine implements SacEngine {
  readonly info: EngineInfo;
  readonly shape: NetworkShape;
  readonly batchSize: number;
  readonly batch: Batch;
  private hyper: SacHyperparameters;
  private readonly nets: FlatNetworks;
  private readonly actorLayers: Layers;
  private readonly actor: TrainedNetwork;
  private readonly critic1: TrainedNetwork;
  private readonly critic2: TrainedNetwork;
  private readonly logAlpha: TrainedNetwork;
  private readonly targetCritic1: FlatVariable;
  private readonly targetCritic2: FlatVariable;
  private disposed = false;
  /** Host copy of the actor for act(); null when the variable has changed since. */
  private actorOnHost: Float32Array | null = null;
  private hostOutputs = new Float64Array(0);
  private actionOut = new Float32Array(0);
  private readonly hostScratch: [Float64Array, Float64Array];

  constructor(
    private readonly tf: TensorFlow,
    backend: TfjsBackendName,
    options: EngineOptions,
  ) {
    this.info = { engine: 'tfjs', backend };
    this.shape = { ...options.shape, actorHidden: [...options.shape.actorHidden], criticHidden: [...options.shape.criticHidden] };
    this.batchSize = options.batchSize;
    this.hyper = sacHyperparametersOf(options.hyper);
    this.nets = new FlatNetworks(tf, this.shape);
    this.actorLayers = sacActorLayers(this.shape);
    const widest = Math.max(...this.actorLayers.map(([inputs, outputs]) => Math.max(inputs, outputs)));
    this.hostScratch = [new Float64Array(widest), new Float64Array(widest)];
    const { obsDim, actDim } = this.shape;
    const b = this.batchSize;
    this.batch = {
      obs: new Float32Array(b * obsDim),
      action: new Float32Array(b * actDim),
      reward: new Float32Array(b),
      nextObs: new Float32Array(b * obsDim),
      terminated: new Float32Array(b),
      targetNoise: new Float32Array(b * actDim),
      policyNoise: new Float32Array(b * actDim),
    };
    // Usable straight away; callers normally setParameters() from their own seeded initialisation.
    const initial = sacInitialParameters(this.shape, new Random(0), 1);
    this.actor = this.nets.trained(initial.actor);
    this.critic1 = this.nets.trained(initial.critic1);
    this.critic2 = this.nets.trained(initial.critic2);
    this.logAlpha = this.nets.trained(initial.logAlpha);
    this.targetCritic1 = this.nets.variable(initial.targetCritic1, false);
    this.targetCritic2 = this.nets.variable(initial.targetCritic2, false);
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('this tfjs engine has been disposed');
  }

  /** tanh(μ + σ·ε)·bound and log π per row ([rows, 1]) of the policy at `obs` with noise ε. */
  private policy(flat: TF.Tensor1D, obs: TF.Tensor2D, noise: TF.Tensor2D, differentiable: boolean): { action: TF.Tensor2D; logProb: TF.Tensor2D } {
    const { tf } = this;
    const [mean, head] = tf.split<TF.Tensor2D>(this.nets.mlp(flat, this.actorLayers, obs, differentiable), 2, 1);
    const logStd = tf.add(LOG_STD_MIN, tf.mul(LOG_STD_HALF_RANGE, tf.add(tf.tanh(head), 1)));
    const u = tf.add(mean, tf.mul(tf.exp(logStd), noise));
    // log(1 − tanh²(u)) = 2·(log 2 − u − softplus(−2u)), see sacParameters.ts.
    const logOneMinusTanhSquared = tf.mul(2, tf.sub(tf.sub(Math.LN2, u), tf.softplus(tf.mul(-2, u))));
    const perDimension = tf.sub(tf.sub(tf.sub(tf.mul(-0.5, tf.square(noise)), logStd), HALF_LOG_TWO_PI), logOneMinusTanhSquared);
    return { action: tf.mul(tf.tanh(u), this.shape.actionBound), logProb: tf.sum(perDimension, 1, true) };
  }

  update(): UpdateStats {
    this.assertLive();
    const { tf, shape, batch, hyper, nets } = this;
    const b = this.batchSize;
    const kept: TF.Tensor[] = [];
    const keep = <T extends TF.Tensor>(t: T): T => {
      kept.push(tf.keep(t));
      return t;
    };
    try {
      const stats = tf.tidy(() => {
        const obs = tf.tensor2d(batch.obs, [b, shape.obsDim]);
        const action = tf.tensor2d(batch.action, [b, shape.actDim]);
        const reward = tf.tensor2d(batch.reward, [b, 1]);
        const nextObs = tf.tensor2d(batch.nextObs, [b, shape.obsDim]);
        const notTerminated = tf.sub(1, tf.tensor2d(batch.terminated, [b, 1]));
        const targetNoise = tf.tensor2d(batch.targetNoise!, [b, shape.actDim]);
        const policyNoise = tf.tensor2d(batch.policyNoise!, [b, shape.actDim]);
        // α before this update's α step, a constant in every loss below.
        const logAlpha = tf.reshape<TF.Rank.R0>(tf.clone(this.logAlpha.params), []);
        const alpha = tf.exp(logAlpha);

        // 1. Soft TD targets through the target critics, next actions from the online actor.
        const next = this.policy(this.actor.params, nextObs, targetNoise, false);
        const nextQ = tf.minimum(nets.critic(this.targetCritic1, nextObs, next.action, false), nets.critic(this.targetCritic2, nextObs, next.action, false));
        const y = tf.add(reward, tf.mul(tf.mul(notTerminated, hyper.gamma), tf.sub(nextQ, tf.mul(alpha, next.logProb))));

        // 2. Each critic: mean squared TD error, one Adam step.
        const criticStep = (net: TrainedNetwork) => {
          let meanQ: TF.Scalar | null = null;
          const result = tf.variableGrads(() => {
            const q = nets.critic(net.params, obs, action, true);
            meanQ = keep(tf.mean<TF.Scalar>(q));
            return tf.mean(tf.squaredDifference(q, y));
          }, [net.params]);
          nets.adamStep(net, result.grads[net.params.name] as TF.Tensor1D, hyper.criticLr);
          return { loss: result.value, meanQ: meanQ! };
        };
        const c1 = criticStep(this.critic1);
        const c2 = criticStep(this.critic2);

        // 3. Actor through the updated critics with the reparameterised action.
        let meanLogProb: TF.Scalar | null = null;
        const actorResult = tf.variableGrads(() => {
          const pi = this.policy(this.actor.params, obs, policyNoise, true);
          meanLogProb = keep(tf.mean<TF.Scalar>(pi.logProb));
          const minQ = tf.minimum(nets.critic(this.critic1.params, obs, pi.action, true), nets.critic(this.critic2.params, obs, pi.action, true));
          return tf.mean<TF.Scalar>(tf.sub(tf.mul(alpha, pi.logProb), minQ));
        }, [this.actor.params]);
        nets.adamStep(this.actor, actorResult.grads[this.actor.params.name] as TF.Tensor1D, hyper.actorLr);

        // 4. Temperature: d/dlog α of −log α·(mean log π + target entropy), log π held fixed.
        const entropyGap = tf.add(meanLogProb!, hyper.targetEntropyPerAction * shape.actDim);
        const alphaLoss = tf.neg(tf.mul(logAlpha, entropyGap));
        if (hyper.autotuneAlpha) nets.adamStep(this.logAlpha, tf.reshape<TF.Rank.R1>(tf.neg(entropyGap), [1]), hyper.alphaLr);

        // 5. Target critics follow the online ones.
        nets.softUpdate(this.targetCritic1, this.critic1.params, hyper.tau);
        nets.softUpdate(this.targetCritic2, this.critic2.params, hyper.tau);
        return tf.stack([
          tf.div(tf.add(c1.loss, c2.loss), 2),
          actorResult.value,
          alphaLoss,
          alpha,
          tf.neg(meanLogProb!),
          tf.div(tf.add(c1.meanQ, c2.meanQ), 2),
        ]);
      });
      const [criticLoss, actorLoss, alphaLoss, alpha, entropy, meanQ] = stats.dataSync();
      stats.dispose();
      return { criticLoss, actorLoss, alphaLoss, alpha, entropy, meanQ };
    } finally {
      this.actorOnHost = null;
      tf.dispose(kept);
    }
  }

  /** The actor's raw outputs for `count` observations, on the host. */
  private actorOutputs(obs: Float32Array, count: number): Float64Array {
    this.assertLive();
    const { obsDim, actDim } = this.shape;
    if (!Number.isInteger(count) || count < 0 || obs.length < count * obsDim) {
      throw new Error(`act: ${count} observations need ${count * obsDim} values; got ${obs.length}`);
    }
    if (this.actorOnHost === null) this.actorOnHost = new Float32Array(this.actor.params.dataSync());
    if (this.hostOutputs.length < count * 2 * actDim) this.hostOutputs = new Float64Array(count * 2 * actDim);
    if (this.actionOut.length < count * actDim) this.actionOut = new Float32Array(count * actDim);
    sacActorOutputsOnHost(this.actorLayers, this.actorOnHost, obs, count, this.hostOutputs, this.hostScratch);
    return this.hostOutputs;
  }

  act(obs: Float32Array, count: number): Float32Array {
    const outputs = this.actorOutputs(obs, count);
    const { actDim, actionBound } = this.shape;
    const out = this.actionOut.subarray(0, count * actDim);
    for (let k = 0; k < out.length; k++) out[k] = Math.tanh(outputs[Math.floor(k / actDim) * 2 * actDim + (k % actDim)]) * actionBound;
    return out;
  }

  sampleActions(obs: Float32Array, noise: Float32Array, count: number): Float32Array {
    const outputs = this.actorOutputs(obs, count);
    const { actDim, actionBound } = this.shape;
    if (noise.length < count * actDim) throw new Error(`sampleActions: ${count} observations need ${count * actDim} noise values; got ${noise.length}`);
    const out = this.actionOut.subarray(0, count * actDim);
    for (let n = 0; n < count; n++) {
      for (let j = 0; j < actDim; j++) {
        const mean = outputs[n * 2 * actDim + j];
        const logStd = LOG_STD_MIN + LOG_STD_HALF_RANGE * (Math.tanh(outputs[n * 2 * actDim + actDim + j]) + 1);
        out[n * actDim + j] = Math.tanh(mean + Math.exp(logStd) * noise[n * actDim + j]) * actionBound;
      }
    }
    return out;
  }

  getParameters(): NetworkParameters {
    this.assertLive();
    const read = (v: FlatVariable) => new Float32Array(v.dataSync());
    return {
      actor: read(this.actor.params),
      critic1: read(this.critic1.params),
      critic2: read(this.critic2.params),
      targetCritic1: read(this.targetCritic1),
      targetCritic2: read(this.targetCritic2),
      logAlpha: read(this.logAlpha.params),
    };
  }

  setParameters(params: NetworkParameters): void {
    this.assertLive();
    assertSacParameterSizes(this.shape, params);
    this.nets.assign(this.actor.params, params.actor);
    this.nets.assign(this.critic1.params, params.critic1);
    this.nets.assign(this.critic2.params, params.critic2);
    this.nets.assign(this.targetCritic1, params.targetCritic1);
    this.nets.assign(this.targetCritic2, params.targetCritic2);
    this.nets.assign(this.logAlpha.params, params.logAlpha);
    this.actorOnHost = null;
  }

  getOptimizerState(): OptimizerState {
    this.assertLive();
    return {
      actor: this.nets.readAdam(this.actor),
      critic1: this.nets.readAdam(this.critic1),
      critic2: this.nets.readAdam(this.critic2),
      alpha: this.nets.readAdam(this.logAlpha),
    };
  }

  setOptimizerState(state: OptimizerState): void {
    this.assertLive();
    assertSacOptimizerState(this.shape, state);
    this.nets.writeAdam(this.actor, state.actor);
    this.nets.writeAdam(this.critic1, state.critic1);
    this.nets.writeAdam(this.critic2, state.critic2);
    this.nets.writeAdam(this.logAlpha, state.alpha);
  }

  setHyperparameters(hyper: UpdateHyperparameters): void {
    this.assertLive();
    this.hyper = sacHyperparametersOf(hyper);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const trained = [this.actor, this.critic1, this.critic2, this.logAlpha].flatMap((n) => [n.params, n.m, n.v]);
    this.tf.dispose([...trained, this.targetCritic1, this.targetCritic2]);
    this.actorOnHost = null;
  }
}
