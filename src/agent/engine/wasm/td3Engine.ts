/**
 * The fused WebAssembly engine for TD3: loads dist/td3-engine*.wasm (assembly/td3.ts), lays the
 * actor, both critics and their targets out in its memory once, and exposes its buffers as
 * typed-array views, so the batch and the target smoothing noise are written straight into wasm
 * memory and an update is one call. Threads work as in wasmEngine.ts (DDPG's): an optional helper
 * on the shared memory, fixed or adaptive (engineThreads.ts), with bit-identical results either way.
 */

import type { AdamState, Batch, Engine, EngineInfo, EngineOptions, NetworkParameters, NetworkShape, OptimizerState, ThreadUsage, UpdateHyperparameters, UpdateSchedule, UpdateStats } from '../engine';
import { assertTd3OptimizerState, assertTd3ParameterSizes, td3ParameterCount, TD3_TARGET_OF, TD3_TRAINED_NETWORKS, type Td3TrainedNetwork } from '../td3Parameters';
import { instantiateEngine, type ModuleFiles, type WasmGlobal, type WasmMemory, type WasmSimdLevel } from './engineModule';
import { checkEngineOptions, checkHyperparameters, MIN_ACT_CAPACITY, resolveThreads } from './engineOptions';
import { BACKEND_SUFFIX, EngineThreads, type HelperExports } from './engineThreads';
import type { ThreadPolicyOptions } from './threadPolicy';

export const TD3_MODULE_FILES: ModuleFiles = { 'relaxed-simd': 'td3-engine-relaxed.wasm', simd: 'td3-engine.wasm' };

export interface Td3WasmLoadOptions {
  simd?: WasmSimdLevel;
  /** As wasmEngine.ts's: 1, 2, 'adaptive', or 'auto' (adaptive for large updates on 2+ cores). */
  threads?: 1 | 2 | 'adaptive' | 'auto';
  threadPolicy?: Partial<ThreadPolicyOptions>;
}

/** The module's exports (assembly/td3.ts and assembly/parallel.ts). */
interface Td3Exports extends HelperExports {
  _start(): void;
  addHiddenLayer(network: number, width: number): void;
  configure(observations: number, actions: number, batch: number, actRows: number, bound: number): void;
  setHyperparameters(gamma: number, tau: number, actorLr: number, criticLr: number): void;
  update(actorAndTargets: number): void;
  computeGradients(): void;
  act(count: number): void;
  ACTOR: WasmGlobal;
  CRITIC: WasmGlobal;
  actCapacity: WasmGlobal;
  actorParameterCount: WasmGlobal;
  criticParameterCount: WasmGlobal;
  actInputPointer: WasmGlobal;
  actOutputPointer: WasmGlobal;
  helperMailboxPointer: WasmGlobal;
  critic1Loss: WasmGlobal;
  critic2Loss: WasmGlobal;
  q1Mean: WasmGlobal;
  q2Mean: WasmGlobal;
  actorLoss: WasmGlobal;
  [pointerOrCounter: string]: unknown;
}

export async function createTd3WasmEngine(options: EngineOptions, load: Td3WasmLoadOptions = {}): Promise<Td3WasmEngine> {
  checkEngineOptions(options);
  const threads = resolveThreads(load.threads ?? 'auto', options);
  const { exports, memory, module, level } = await instantiateEngine<Td3Exports>(load.simd ?? 'auto', TD3_MODULE_FILES);
  const engine = new Td3WasmEngine(exports, memory, options, `wasm-${level}${BACKEND_SUFFIX[threads]}`);
  if (threads !== 1) await engine.threads.start(threads, module, memory, exports.helperMailboxPointer.value, load.threadPolicy);
  return engine;
}

/** One trained network's views into wasm memory. */
interface NetworkViews {
  online: Float32Array;
  target: Float32Array;
  gradient: Float32Array;
  firstMoment: Float32Array;
  secondMoment: Float32Array;
  steps: WasmGlobal;
}

export class Td3WasmEngine implements Engine {
  readonly info: EngineInfo;
  readonly shape: NetworkShape;
  readonly batchSize: number;
  readonly batch: Batch & { targetNoise: Float32Array };
  private readonly networks: Record<Td3TrainedNetwork, NetworkViews>;
  /** The gradients computeGradients() fills (tests). */
  readonly gradients: Record<Td3TrainedNetwork, Float32Array>;
  private readonly actInput: Float32Array;
  private readonly actOutput: Float32Array;
  private readonly actCapacity: number;
  private actResult: Float32Array;
  private chunkedActResult: Float32Array | null = null;
  private exports: Td3Exports | null;
  /** The optional helper thread and its policy. */
  readonly threads: EngineThreads;

  constructor(exports: Td3Exports, memory: WasmMemory, options: EngineOptions, backend: string) {
    const { shape, batchSize } = options;
    this.shape = { ...shape, actorHidden: [...shape.actorHidden], criticHidden: [...shape.criticHidden] };
    this.batchSize = batchSize;
    this.info = { engine: 'wasm', backend };
    this.exports = exports;
    this.threads = new EngineThreads(exports);
    for (const width of shape.actorHidden) exports.addHiddenLayer(exports.ACTOR.value, width);
    for (const width of shape.criticHidden) exports.addHiddenLayer(exports.CRITIC.value, width);
    exports.configure(shape.obsDim, shape.actDim, batchSize, Math.max(batchSize, MIN_ACT_CAPACITY), shape.actionBound);
    this.setHyperparameters(options.hyper);

    // configure() grew memory once for every buffer; views of this buffer stay valid (wasmEngine.ts).
    const buffer = memory.buffer;
    const global = (name: string) => exports[name] as WasmGlobal;
    const view = (name: string, length: number) => new Float32Array(buffer, global(name).value, length);
    if (exports.actorParameterCount.value !== td3ParameterCount(shape, 'actor') || exports.criticParameterCount.value !== td3ParameterCount(shape, 'critic1')) {
      throw new Error('td3 wasm engine: the module laid the networks out with unexpected parameter counts');
    }
    const networkViews = (name: Td3TrainedNetwork): NetworkViews => {
      const size = td3ParameterCount(shape, name);
      return {
        online: view(`${name}ParametersPointer`, size),
        target: view(`${name}TargetPointer`, size),
        gradient: view(`${name}GradientPointer`, size),
        firstMoment: view(`${name}FirstMomentPointer`, size),
        secondMoment: view(`${name}SecondMomentPointer`, size),
        steps: global(`${name}AdamSteps`),
      };
    };
    this.networks = { actor: networkViews('actor'), critic1: networkViews('critic1'), critic2: networkViews('critic2') };
    this.gradients = { actor: this.networks.actor.gradient, critic1: this.networks.critic1.gradient, critic2: this.networks.critic2.gradient };
    const { obsDim, actDim } = shape;
    this.batch = {
      obs: view('observationsPointer', batchSize * obsDim),
      action: view('actionsPointer', batchSize * actDim),
      reward: view('rewardsPointer', batchSize),
      nextObs: view('nextObservationsPointer', batchSize * obsDim),
      terminated: view('terminatedPointer', batchSize),
      targetNoise: view('targetNoisePointer', batchSize * actDim),
    };
    this.actCapacity = exports.actCapacity.value;
    this.actInput = view('actInputPointer', this.actCapacity * obsDim);
    this.actOutput = view('actOutputPointer', this.actCapacity * actDim);
    this.actResult = this.actOutput.subarray(0, actDim);
  }

  private assertLive(): void {
    if (!this.exports) throw new Error('this wasm engine has been disposed');
  }

  private get module(): Td3Exports {
    if (!this.exports) throw new Error('this wasm engine has been disposed');
    return this.exports;
  }

  update(schedule?: UpdateSchedule): UpdateStats {
    const module = this.module;
    const actorAndTargets = (schedule?.actorAndTargets ?? true) ? 1 : 0;
    this.threads.runUpdate(() => module.update(actorAndTargets));
    return this.statistics();
  }

  /**
   * Losses and the three gradients (into `gradients`) of the current parameters on the current
   * batch, changing nothing else; the actor's through critic 1 before its step. For tests.
   */
  computeGradients(): UpdateStats {
    const module = this.module;
    this.threads.run(() => module.computeGradients());
    return this.statistics();
  }

  private statistics(): UpdateStats {
    const m = this.module;
    const critic1Loss = m.critic1Loss.value;
    const critic2Loss = m.critic2Loss.value;
    const q1 = m.q1Mean.value;
    const q2 = m.q2Mean.value;
    return { criticLoss: (critic1Loss + critic2Loss) / 2, critic1Loss, critic2Loss, actorLoss: m.actorLoss.value, meanQ: (q1 + q2) / 2, q1, q2 };
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
    const out: NetworkParameters = {};
    for (const name of TD3_TRAINED_NETWORKS) {
      out[name] = this.networks[name].online.slice();
      out[TD3_TARGET_OF[name]] = this.networks[name].target.slice();
    }
    return out;
  }

  setParameters(params: NetworkParameters): void {
    this.assertLive();
    assertTd3ParameterSizes(this.shape, params);
    for (const name of TD3_TRAINED_NETWORKS) {
      this.networks[name].online.set(params[name]);
      this.networks[name].target.set(params[TD3_TARGET_OF[name]]);
    }
  }

  getOptimizerState(): OptimizerState {
    this.assertLive();
    const read = (n: NetworkViews): AdamState => ({ m: n.firstMoment.slice(), v: n.secondMoment.slice(), step: n.steps.value });
    return { actor: read(this.networks.actor), critic1: read(this.networks.critic1), critic2: read(this.networks.critic2) };
  }

  setOptimizerState(state: OptimizerState): void {
    this.assertLive();
    assertTd3OptimizerState(this.shape, state);
    for (const name of TD3_TRAINED_NETWORKS) {
      const n = this.networks[name];
      n.firstMoment.set(state[name].m);
      n.secondMoment.set(state[name].v);
      n.steps.value = state[name].step;
    }
  }

  setHyperparameters(hyper: UpdateHyperparameters): void {
    checkHyperparameters(hyper);
    this.module.setHyperparameters(hyper.gamma, hyper.tau, hyper.actorLr, hyper.criticLr);
  }

  threadUsage(): ThreadUsage {
    return this.threads.usage();
  }

  /** Stops the helper thread and drops the instance; any later call throws. */
  dispose(): void {
    this.threads.dispose();
    this.exports = null;
  }
}
