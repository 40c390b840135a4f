/**
 * The reference engine for TD3, written with TensorFlow.js ops and automatic differentiation.
 * One update (the order of Fujimoto et al. and CleanRL):
 *   1. a′ = clip(μ′(s′) + ε, ±actionBound), ε = batch.targetNoise (already clipped by the agent)
 *      y  = r + γ·(1 − terminated)·min(Q1′(s′, a′), Q2′(s′, a′))          (no gradient)
 *   2. L_i = mean((Q_i(s, a) − y)²); one Adam step on each critic
 *   3. only when the schedule says so (every policyDelay-th update): J = −mean Q1(s, μ(s)) through
 *      the *updated* critic 1, one Adam step on the actor, then target ← τ·online + (1 − τ)·target
 *      for the actor and both critics
 * Statistics: criticLoss (L1 + L2)/2, critic1Loss, critic2Loss, q1 and q2 (mean Q_i(s, a) before
 * the step), meanQ (q1 + q2)/2, and actorLoss — NaN when the actor did not step.
 */

import type * as TF from '@tensorflow/tfjs';

import type { Batch, Engine, EngineInfo, EngineOptions, NetworkParameters, NetworkShape, OptimizerState, UpdateHyperparameters, UpdateSchedule, UpdateStats } from '../engine';
import { assertTd3OptimizerState, assertTd3ParameterSizes, td3InitialParameters } from '../td3Parameters';
import { Random } from '../../random';
import { loadTensorFlow, type TfjsBackendName } from './backend';
import { checkHyperparameters, checkShape, FlatNetworks, type FlatVariable, type TensorFlow, type TrainedNetwork } from './flatNetworks';

/** act() runs on the host up to this many multiply-adds (see tfjsEngine.ts). */
const JS_ACT_MAX_MULTIPLY_ADDS = 1 << 20;

export interface Td3TfjsEngineOptions extends EngineOptions {
  backend?: TfjsBackendName;
}

export async function createTd3TfjsEngine(options: Td3TfjsEngineOptions): Promise<Engine> {
  checkShape(options.shape, options.batchSize);
  checkHyperparameters(options.hyper);
  const { tf, backend } = await loadTensorFlow(options.backend);
  return new Td3TfjsEngine(tf, backend, options);
}

class Td3TfjsEngine implements Engine {
  readonly info: EngineInfo;
  readonly shape: NetworkShape;
  readonly batchSize: number;
  readonly batch: Batch & { targetNoise: Float32Array };

  private hyper: UpdateHyperparameters;
  private readonly nets: FlatNetworks;
  private readonly actor: TrainedNetwork;
  private readonly critic1: TrainedNetwork;
  private readonly critic2: TrainedNetwork;
  private readonly targetActor: FlatVariable;
  private readonly targetCritic1: FlatVariable;
  private readonly targetCritic2: FlatVariable;
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
      targetNoise: new Float32Array(b * actDim),
    };
    // Usable straight away; callers normally setParameters() from their own seeded initialisation.
    const initial = td3InitialParameters(this.shape, new Random(0));
    this.actor = this.nets.trained(initial.actor);
    this.critic1 = this.nets.trained(initial.critic1);
    this.critic2 = this.nets.trained(initial.critic2);
    this.targetActor = this.nets.variable(initial.targetActor, false);
    this.targetCritic1 = this.nets.variable(initial.targetCritic1, false);
    this.targetCritic2 = this.nets.variable(initial.targetCritic2, false);
    this.actionOut = new Float32Array(actDim);
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('this tfjs engine has been disposed');
  }

  update(schedule?: UpdateSchedule): UpdateStats {
    this.assertLive();
    const { tf, shape, batch, hyper, nets } = this;
    const stepActor = schedule?.actorAndTargets ?? true;
    const b = this.batchSize;
    // Kept out of the gradient tapes' own cleanup; disposed below once read.
    const kept: TF.Scalar[] = [];
    try {
      const stats = tf.tidy(() => {
        const obs = tf.tensor2d(batch.obs, [b, shape.obsDim]);
        const action = tf.tensor2d(batch.action, [b, shape.actDim]);
        const reward = tf.tensor2d(batch.reward, [b, 1]);
        const nextObs = tf.tensor2d(batch.nextObs, [b, shape.obsDim]);
        const notTerminated = tf.sub(1, tf.tensor2d(batch.terminated, [b, 1]));
        const noise = tf.tensor2d(batch.targetNoise, [b, shape.actDim]);

        // 1. Clipped double-Q target with target policy smoothing.
        const bound = shape.actionBound;
        const nextAction = tf.clipByValue(tf.add(nets.actor(this.targetActor, nextObs, false), noise), -bound, bound) as TF.Tensor2D;
        const nextQ = tf.minimum(nets.critic(this.targetCritic1, nextObs, nextAction, false), nets.critic(this.targetCritic2, nextObs, nextAction, false));
        const y = tf.add(reward, tf.mul(tf.mul(notTerminated, hyper.gamma), nextQ));

        // 2. Each critic: mean squared TD error, one Adam step.
        const criticStep = (critic: TrainedNetwork) => {
          const measured: { meanQ?: TF.Scalar } = {};
          const result = tf.variableGrads(() => {
            const q = nets.critic(critic.params, obs, action, true);
            measured.meanQ = tf.keep(tf.mean<TF.Scalar>(q));
            kept.push(measured.meanQ);
            return tf.mean(tf.squaredDifference(q, y));
          }, [critic.params]);
          nets.adamStep(critic, result.grads[critic.params.name] as TF.Tensor1D, hyper.criticLr);
          return { loss: result.value, meanQ: measured.meanQ! };
        };
        const first = criticStep(this.critic1);
        const second = criticStep(this.critic2);

        // 3. Delayed: the actor through the updated critic 1, then all three targets.
        let actorLoss: TF.Scalar = tf.scalar(Number.NaN);
        if (stepActor) {
          const actorResult = tf.variableGrads(
            () => tf.neg(tf.mean(nets.critic(this.critic1.params, obs, nets.actor(this.actor.params, obs, true), true))) as TF.Scalar,
            [this.actor.params],
          );
          nets.adamStep(this.actor, actorResult.grads[this.actor.params.name] as TF.Tensor1D, hyper.actorLr);
          actorLoss = actorResult.value;
          nets.softUpdate(this.targetActor, this.actor.params, hyper.tau);
          nets.softUpdate(this.targetCritic1, this.critic1.params, hyper.tau);
          nets.softUpdate(this.targetCritic2, this.critic2.params, hyper.tau);
        }
        return tf.stack([first.loss, second.loss, first.meanQ, second.meanQ, actorLoss]);
      });
      const [critic1Loss, critic2Loss, q1, q2, actorLoss] = stats.dataSync();
      stats.dispose();
      return { criticLoss: (critic1Loss + critic2Loss) / 2, critic1Loss, critic2Loss, actorLoss, meanQ: (q1 + q2) / 2, q1, q2 };
    } finally {
      if (stepActor) this.actorOnHost = null;
      tf.dispose(kept);
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
      if (this.actorOnHost === null) this.actorOnHost = new Float32Array(this.actor.params.dataSync());
      this.nets.actOnHost(this.actorOnHost, obs, count, out);
    } else {
      const { tf } = this;
      const actions = tf.tidy(() => this.nets.actor(this.actor.params, tf.tensor2d(obs.subarray(0, count * obsDim), [count, obsDim]), false));
      out.set(actions.dataSync());
      actions.dispose();
    }
    return out;
  }

  getParameters(): NetworkParameters {
    this.assertLive();
    // Copies: on the cpu backend dataSync() returns the tensor's own storage.
    const read = (v: FlatVariable) => new Float32Array(v.dataSync());
    return {
      actor: read(this.actor.params),
      critic1: read(this.critic1.params),
      critic2: read(this.critic2.params),
      targetActor: read(this.targetActor),
      targetCritic1: read(this.targetCritic1),
      targetCritic2: read(this.targetCritic2),
    };
  }

  setParameters(params: NetworkParameters): void {
    this.assertLive();
    assertTd3ParameterSizes(this.shape, params);
    const { nets } = this;
    nets.assign(this.actor.params, params.actor);
    nets.assign(this.critic1.params, params.critic1);
    nets.assign(this.critic2.params, params.critic2);
    nets.assign(this.targetActor, params.targetActor);
    nets.assign(this.targetCritic1, params.targetCritic1);
    nets.assign(this.targetCritic2, params.targetCritic2);
    this.actorOnHost = null;
  }

  getOptimizerState(): OptimizerState {
    this.assertLive();
    return { actor: this.nets.readAdam(this.actor), critic1: this.nets.readAdam(this.critic1), critic2: this.nets.readAdam(this.critic2) };
  }

  setOptimizerState(state: OptimizerState): void {
    this.assertLive();
    assertTd3OptimizerState(this.shape, state);
    this.nets.writeAdam(this.actor, state.actor);
    this.nets.writeAdam(this.critic1, state.critic1);
    this.nets.writeAdam(this.critic2, state.critic2);
  }

  setHyperparameters(hyper: UpdateHyperparameters): void {
    this.assertLive();
    checkHyperparameters(hyper);
    this.hyper = { ...hyper };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const trained = [this.actor, this.critic1, this.critic2].flatMap((n) => [n.params, n.m, n.v]);
    this.tf.dispose([...trained, this.targetActor, this.targetCritic1, this.targetCritic2]);
    this.actorOnHost = null;
  }
}
