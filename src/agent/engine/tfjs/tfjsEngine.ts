/**
 * The reference engine: the DDPG update of engine.ts written with TensorFlow.js ops and its
 * automatic differentiation. Each network (online, target) and each Adam moment is one flat
 * tf.Variable in engine.ts's parameter layout, so get/set of parameters and optimizer state are
 * plain copies and Adam is a handful of whole-vector ops rather than a handful per layer.
 */

import type * as TF from '@tensorflow/tfjs';

import {
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
import { assertParameterSizes, initialParameters, parameterCount } from '../parameters';
import { Random } from '../../random';
import { loadTensorFlow, type TfjsBackendName } from './backend';
import { checkHyperparameters, checkShape, FlatNetworks, type FlatVariable, type TensorFlow, type TrainedNetwork } from './flatNetworks';

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
  checkShape(shape, batchSize);
  checkHyperparameters(hyper);
}

class TfjsEngine implements Engine {
  readonly info: EngineInfo;
  readonly shape: NetworkShape;
  readonly batchSize: number;
  readonly batch: Batch;

  private hyper: UpdateHyperparameters;
  /** The dense stacks, Adam, soft update and host forward pass every tfjs engine shares. */
  private readonly nets: FlatNetworks;
  private readonly actor: TrainedNetwork;
  private readonly critic: TrainedNetwork;
  private readonly targetActor: FlatVariable;
  private readonly targetCritic: FlatVariable;
  private disposed = false;

  /** Host copy of the online actor for act(); null when the variable has changed since. */
  private actorOnHost: Float32Array | null = null;
  private actionOut: Float32Array;

  constructor(
    private readonly tf: TensorFlow,
    backend: TfjsBackendName,
    options: EngineOptions,
  ) {
    this.info = { engine: 'tfjs', backend };
    this.shape = { ...options.shape, actorHidden: [...options.shape.actorHidden], criticHidden: [...options.shape.criticHidden] };
    this.batchSize = options.batchSize;
    this.hyper = { ...options.hyper };
    this.nets = new FlatNetworks(tf, this.shape);
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
    this.actor = this.nets.trained(initial.actor);
    this.critic = this.nets.trained(initial.critic);
    this.targetActor = this.nets.variable(initial.targetActor, false);
    this.targetCritic = this.nets.variable(initial.targetCritic, false);
    this.actionOut = new Float32Array(actDim);
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('this tfjs engine has been disposed');
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
        const nextQ = this.nets.critic(this.targetCritic, nextObs, this.nets.actor(this.targetActor, nextObs, false), false);
        const y = tf.add(reward, tf.mul(tf.mul(notTerminated, hyper.gamma), nextQ));

        // 2. Critic: mean squared TD error, one Adam step.
        const criticResult = tf.variableGrads(() => {
          const q = this.nets.critic(this.critic.params, obs, action, true);
          meanQ = tf.keep(tf.mean<TF.Scalar>(q));
          return tf.mean(tf.squaredDifference(q, y));
        }, [this.critic.params]);
        this.nets.adamStep(this.critic, criticResult.grads[this.critic.params.name] as TF.Tensor1D, hyper.criticLr);

        // 3. Actor: −mean Q(s, μ(s)) through the critic just updated, one Adam step.
        const actorResult = tf.variableGrads(
          () => tf.neg(tf.mean(this.nets.critic(this.critic.params, obs, this.nets.actor(this.actor.params, obs, true), true))) as TF.Scalar,
          [this.actor.params],
        );
        this.nets.adamStep(this.actor, actorResult.grads[this.actor.params.name] as TF.Tensor1D, hyper.actorLr);

        // 4. Targets follow the online networks.
        this.nets.softUpdate(this.targetActor, this.actor.params, hyper.tau);
        this.nets.softUpdate(this.targetCritic, this.critic.params, hyper.tau);
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
      const actions = tf.tidy(() => this.nets.actor(this.actor.params, tf.tensor2d(obs.subarray(0, count * obsDim), [count, obsDim]), false));
      out.set(actions.dataSync());
      actions.dispose();
    }
    return out;
  }

  /** The same forward pass as the tfjs actor, in JavaScript with float64 accumulation. */
  private actOnHost(obs: Float32Array, count: number, out: Float32Array): void {
    if (this.actorOnHost === null) this.actorOnHost = new Float32Array(this.actor.params.dataSync());
    this.nets.actOnHost(this.actorOnHost, obs, count, out);
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
    this.nets.assign(this.actor.params, params.actor);
    this.nets.assign(this.critic.params, params.critic);
    this.nets.assign(this.targetActor, params.targetActor);
    this.nets.assign(this.targetCritic, params.targetCritic);
    this.actorOnHost = null;
  }

  getOptimizerState(): OptimizerState {
    this.assertLive();
    return { actor: this.nets.readAdam(this.actor), critic: this.nets.readAdam(this.critic) };
  }

  setOptimizerState(state: OptimizerState): void {
    this.assertLive();
    const check = (name: string, s: AdamState, size: number) => {
      if (s.m.length !== size || s.v.length !== size) {
        throw new Error(`${name} optimizer state has ${s.m.length}/${s.v.length} moments; this network shape needs ${size}`);
      }
      if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`${name} optimizer step must be a non-negative integer; got ${s.step}`);
    };
    check('actor', state.actor, parameterCount(this.nets.actorLayers));
    check('critic', state.critic, parameterCount(this.nets.criticLayers));
    this.nets.writeAdam(this.actor, state.actor);
    this.nets.writeAdam(this.critic, state.critic);
  }

  setHyperparameters(hyper: UpdateHyperparameters): void {
    this.assertLive();
    checkHyperparameters(hyper);
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
