/**
 * The fused WebAssembly engine: loads dist/ddpg-engine*.wasm (built from ./assembly by
 * scripts/build-wasm.mjs), lays the networks out in its memory once, and exposes its buffers as
 * typed-array views, so the batch is sampled straight into wasm memory and an update is one call.
 */

import type { AdamState, Batch, Engine, EngineInfo, EngineOptions, NetworkParameters, NetworkShape, OptimizerState, ThreadUsage, UpdateHyperparameters, UpdateStats } from '../engine';
import { actorLayers, assertParameterSizes, criticLayers, parameterCount } from '../parameters';
import { instantiateEngine, type EngineExports, type WasmGlobal, type WasmMemory, type WasmSimdLevel } from './engineModule';
import { checkEngineOptions, checkHyperparameters, MIN_ACT_CAPACITY, resolveThreads } from './engineOptions';
import { BACKEND_SUFFIX } from './engineThreads';
import { startHelperThread, type HelperThread } from './helperThread';
import { AdaptiveThreadPolicy, type ThreadPolicyOptions } from './threadPolicy';

export { locateModule, type WasmSimdLevel } from './engineModule';

export interface WasmEngineLoadOptions {
  /** Which build of the module to use (engineModule.ts); default 'auto'. */
  simd?: WasmSimdLevel;
  /**
   * 2 runs a helper thread that shares every large product and Adam with the main thread
   * (bit-identical results; ~1.7× faster updates at hidden 256 when a second core is free, but it
   * spins a core while training and gains nothing when no core is free). 'adaptive' starts the
   * helper and times updates with and without it as training goes (threadPolicy.ts). 'auto' (the
   * default) is 'adaptive' when the machine has AUTO_THREADS_MIN_CORES cores and the update is
   * large enough to gain, else 1.
   */
  threads?: 1 | 2 | 'adaptive' | 'auto';
  /** Tuning of 'adaptive' (tests). */
  threadPolicy?: Partial<ThreadPolicyOptions>;
}

export type { ThreadMode } from './engineThreads';
export { autoThreads } from './engineOptions';

/** Ends the helper thread of an engine that was garbage-collected without dispose(). */
const abandonedHelpers = new FinalizationRegistry<HelperThread>((helper) => helper.stop());

/** Creates a wasm engine; rejects with an Error saying why when the module cannot be loaded. */
export async function createWasmEngine(options: EngineOptions, load: WasmEngineLoadOptions = {}): Promise<WasmEngine> {
  checkEngineOptions(options);
  const threads = resolveThreads(load.threads ?? 'auto', options);
  const { exports, memory, module, level } = await instantiateEngine(load.simd ?? 'auto');
  const engine = new WasmEngine(exports, memory, options, `wasm-${level}${BACKEND_SUFFIX[threads]}`);
  if (threads !== 1) {
    const mailbox = exports.helperMailboxPointer.value;
    const policy = threads === 'adaptive' ? new AdaptiveThreadPolicy(load.threadPolicy) : null;
    engine.attachHelper(await startHelperThread(module, memory, mailbox), mailbox, policy);
  }
  return engine;
}

export class WasmEngine implements Engine {
  readonly info: EngineInfo;
  readonly shape: NetworkShape;
  readonly batchSize: number;
  readonly batch: Batch;
  private readonly actorParameters: Float32Array;
  private readonly actorTarget: Float32Array;
  private readonly actorFirstMoment: Float32Array;
  private readonly actorSecondMoment: Float32Array;
  private readonly criticParameters: Float32Array;
  private readonly criticTarget: Float32Array;
  private readonly criticFirstMoment: Float32Array;
  private readonly criticSecondMoment: Float32Array;
  /** The gradients computeGradients() fills (tests). */
  readonly gradients: { actor: Float32Array; critic: Float32Array };
  private readonly actInput: Float32Array;
  private readonly actOutput: Float32Array;
  private readonly actCapacity: number;
  /** A view of actOutput sized to the last count, so act() allocates nothing for repeated counts. */
  private actResult: Float32Array;
  private chunkedActResult: Float32Array | null = null;
  private exports: EngineExports | null;
  private helper: HelperThread | null = null;
  private threadPolicy: AdaptiveThreadPolicy | null = null;
  private helperInUse = true;
  private updatesOnTwoThreads = 0;
  private updatesRun = 0;
  private lastHelperChunks = 0;

  constructor(exports: EngineExports, memory: WasmMemory, options: EngineOptions, backend: string) {
    const { shape, batchSize } = options;
    this.shape = { ...shape, actorHidden: [...shape.actorHidden], criticHidden: [...shape.criticHidden] };
    this.batchSize = batchSize;
    this.info = { engine: 'wasm', backend };
    this.exports = exports;
    for (const width of shape.actorHidden) exports.addHiddenLayer(exports.ACTOR.value, width);
    for (const width of shape.criticHidden) exports.addHiddenLayer(exports.CRITIC.value, width);
    exports.configure(shape.obsDim, shape.actDim, batchSize, Math.max(batchSize, MIN_ACT_CAPACITY), shape.actionBound);
    this.setHyperparameters(options.hyper);

    // configure() grew memory for every buffer and nothing grows it again, so views of this buffer
    // cover everything (a shared memory's buffer never detaches; a grown one would be a new object).
    const buffer = memory.buffer;
    const view = (pointer: WasmGlobal, length: number) => new Float32Array(buffer, pointer.value, length);
    const actorCount = exports.actorParameterCount.value;
    const criticCount = exports.criticParameterCount.value;
    if (actorCount !== parameterCount(actorLayers(shape)) || criticCount !== parameterCount(criticLayers(shape))) {
      throw new Error('wasm engine: the module laid the networks out with unexpected parameter counts');
    }
    const { obsDim, actDim } = shape;
    this.batch = {
      obs: view(exports.observationsPointer, batchSize * obsDim),
      action: view(exports.actionsPointer, batchSize * actDim),
      reward: view(exports.rewardsPointer, batchSize),
      nextObs: view(exports.nextObservationsPointer, batchSize * obsDim),
      terminated: view(exports.terminatedPointer, batchSize),
    };
    this.actorParameters = view(exports.actorParametersPointer, actorCount);
    this.actorTarget = view(exports.actorTargetPointer, actorCount);
    this.actorFirstMoment = view(exports.actorFirstMomentPointer, actorCount);
    this.actorSecondMoment = view(exports.actorSecondMomentPointer, actorCount);
    this.criticParameters = view(exports.criticParametersPointer, criticCount);
    this.criticTarget = view(exports.criticTargetPointer, criticCount);
    this.criticFirstMoment = view(exports.criticFirstMomentPointer, criticCount);
    this.criticSecondMoment = view(exports.criticSecondMomentPointer, criticCount);
    this.gradients = {
      actor: view(exports.actorGradientPointer, actorCount),
      critic: view(exports.criticGradientPointer, criticCount),
    };
    this.actCapacity = exports.actCapacity.value;
    this.actInput = view(exports.actInputPointer, this.actCapacity * obsDim);
    this.actOutput = view(exports.actOutputPointer, this.actCapacity * actDim);
    this.actResult = this.actOutput.subarray(0, actDim);
  }

  /**
   * Shares every large product with `helper`, already waiting on `mailbox`: always, or when
   * `policy` finds it faster.
   */
  attachHelper(helper: HelperThread, mailbox: number, policy: AdaptiveThreadPolicy | null = null): void {
    this.module.attachHelper(mailbox);
    this.helper = helper;
    this.threadPolicy = policy;
    abandonedHelpers.register(this, helper, this);
  }

  private get module(): EngineExports {
    if (!this.exports) throw new Error('this wasm engine has been disposed');
    return this.exports;
  }

  private assertLive(): void {
    if (!this.exports) throw new Error('this wasm engine has been disposed');
  }

  update(): UpdateStats {
    const module = this.module;
    const policy = this.threadPolicy;
    if (policy) {
      const useHelper = policy.threads === 2;
      if (useHelper !== this.helperInUse) {
        module.setHelperInUse(useHelper);
        this.helperInUse = useHelper;
      }
      const started = performance.now();
      this.run(() => module.update());
      policy.record(performance.now() - started);
    } else {
      this.run(() => module.update());
    }
    this.updatesRun++;
    if (this.helper && this.helperInUse) this.updatesOnTwoThreads++;
    return { criticLoss: module.criticLoss.value, actorLoss: module.actorLoss.value, meanQ: module.meanQ.value };
  }

  /**
   * Losses and gradients (into `gradients`) of the current parameters on the current batch,
   * changing nothing else: the gradient update() would step along. For tests.
   */
  computeGradients(): UpdateStats {
    const module = this.module;
    this.run(() => module.computeGradients());
    return { criticLoss: module.criticLoss.value, actorLoss: module.actorLoss.value, meanQ: module.meanQ.value };
  }

  act(obs: Float32Array, count: number): Float32Array {
    const module = this.module;
    const { obsDim, actDim } = this.shape;
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`act count must be a non-negative integer, got ${count}`);
    if (obs.length < count * obsDim) throw new RangeError(`act: ${count} observations need ${count * obsDim} values, got ${obs.length}`);
    if (count <= this.actCapacity) {
      this.actInput.set(obs.length === count * obsDim ? obs : obs.subarray(0, count * obsDim));
      module.act(count);
      if (this.actResult.length !== count * actDim) this.actResult = this.actOutput.subarray(0, count * actDim);
      return this.actResult;
    }
    // More observations than one wasm call takes: chunks into a JS array kept for reuse.
    if (this.chunkedActResult?.length !== count * actDim) this.chunkedActResult = new Float32Array(count * actDim);
    const result = this.chunkedActResult;
    for (let start = 0; start < count; start += this.actCapacity) {
      const rows = Math.min(this.actCapacity, count - start);
      this.actInput.set(obs.subarray(start * obsDim, (start + rows) * obsDim));
      module.act(rows);
      result.set(this.actOutput.subarray(0, rows * actDim), start * actDim);
    }
    return result;
  }

  getParameters(): NetworkParameters {
    this.assertLive();
    return {
      actor: this.actorParameters.slice(),
      critic: this.criticParameters.slice(),
      targetActor: this.actorTarget.slice(),
      targetCritic: this.criticTarget.slice(),
    };
  }

  setParameters(params: NetworkParameters): void {
    this.assertLive();
    assertParameterSizes(this.shape, params);
    this.actorParameters.set(params.actor);
    this.criticParameters.set(params.critic);
    this.actorTarget.set(params.targetActor);
    this.criticTarget.set(params.targetCritic);
  }

  getOptimizerState(): OptimizerState {
    const module = this.module;
    return {
      actor: { m: this.actorFirstMoment.slice(), v: this.actorSecondMoment.slice(), step: module.actorAdamSteps.value },
      critic: { m: this.criticFirstMoment.slice(), v: this.criticSecondMoment.slice(), step: module.criticAdamSteps.value },
    };
  }

  setOptimizerState(state: OptimizerState): void {
    const module = this.module;
    const check = (name: string, s: AdamState, size: number) => {
      if (s.m.length !== size || s.v.length !== size) throw new Error(`${name} optimizer state has ${s.m.length}/${s.v.length} moments; this network needs ${size}`);
      if (!Number.isInteger(s.step) || s.step < 0) throw new RangeError(`${name} optimizer step must be a non-negative integer, got ${s.step}`);
    };
    check('actor', state.actor, this.actorParameters.length);
    check('critic', state.critic, this.criticParameters.length);
    this.actorFirstMoment.set(state.actor.m);
    this.actorSecondMoment.set(state.actor.v);
    this.criticFirstMoment.set(state.critic.m);
    this.criticSecondMoment.set(state.critic.v);
    module.actorAdamSteps.value = state.actor.step;
    module.criticAdamSteps.value = state.critic.step;
  }

  setHyperparameters(hyper: UpdateHyperparameters): void {
    checkHyperparameters(hyper);
    this.module.setHyperparameters(hyper.gamma, hyper.tau, hyper.actorLr, hyper.criticLr);
  }

  threadUsage(): ThreadUsage {
    if (this.exports) this.lastHelperChunks = this.exports.helperChunks();
    return {
      twoThreadUpdates: this.updatesOnTwoThreads,
      updates: this.updatesRun,
      switches: this.threadPolicy?.switches ?? 0,
      helperChunks: this.lastHelperChunks,
    };
  }

  /** Calls into the module, naming the helper thread's failure if that is what stopped it. */
  private run(call: () => void): void {
    try {
      call();
    } catch (error) {
      if (this.helper?.failure) throw new Error(`${(error as Error).message}: ${this.helper.failure}`);
      throw error;
    }
  }

  /** Stops the helper thread and drops the instance (its memory goes with it); any later call throws. */
  dispose(): void {
    if (this.exports && this.helper) {
      this.lastHelperChunks = this.exports.helperChunks();
      this.exports.detachHelper();
      this.helper.stop();
      abandonedHelpers.unregister(this);
    }
    this.helper = null;
    this.exports = null;
  }
}
