/**
 * The fused WebAssembly engine for SAC: loads dist/sac-engine*.wasm (assembly/sac.ts), lays the
 * actor, both critics, their targets and log α out in its memory once, and exposes its buffers as
 * typed-array views, so the batch and both noise arrays are written straight into wasm memory and
 * an update is one call. Threads as DDPG's engine: an optional helper, fixed or adaptive, with
 * bit-identical results either way (engineThreads.ts).
 */

import type { AdamState, Batch, EngineInfo, EngineOptions, NetworkParameters, NetworkShape, OptimizerState, ThreadUsage, UpdateHyperparameters, UpdateStats } from '../engine';
import {
  assertSacOptimizerState,
  assertSacParameterSizes,
  SAC_OPTIMIZER_OF,
  sacHyperparametersOf,
  sacParameterCount,
  type SacEngine,
  type SacTrained,
} from '../sacParameters';
import { instantiateEngine, type ModuleFiles, type WasmGlobal, type WasmMemory, type WasmSimdLevel } from './engineModule';
import { checkEngineOptions, MIN_ACT_CAPACITY, resolveThreads } from './engineOptions';
import { BACKEND_SUFFIX, EngineThreads, type HelperExports } from './engineThreads';
import type { ThreadPolicyOptions } from './threadPolicy';

export const SAC_MODULE_FILES: ModuleFiles = { 'relaxed-simd': 'sac-engine-relaxed.wasm', simd: 'sac-engine.wasm' };

export interface SacWasmLoadOptions {
  simd?: WasmSimdLevel;
  /** As wasmEngine.ts's: 1, 2, 'adaptive', or 'auto' (adaptive for large updates on 2+ cores). */
  threads?: 1 | 2 | 'adaptive' | 'auto';
  threadPolicy?: Partial<ThreadPolicyOptions>;
}

/** The module's exports (assembly/sac.ts and assembly/parallel.ts); buffers are read by name. */
interface SacExports extends HelperExports {
  _start(): void;
  addHiddenLayer(network: number, width: number): void;
  configure(observations: number, actions: number, batch: number, actRows: number, bound: number): void;
  setHyperparameters(gamma: number, tau: number, actorLr: number, criticLr: number, alphaLr: number, targetEntropy: number, autotune: number): void;
  update(): void;
  computeGradients(): void;
  act(count: number, sampled: number): void;
  [name: string]: unknown;
}

export async function createSacWasmEngine(options: EngineOptions, load: SacWasmLoadOptions = {}): Promise<SacWasmEngine> {
  checkEngineOptions(options, sacHyperparametersOf);
  const threads = resolveThreads(load.threads ?? 'auto', options);
  const { exports, memory, module, level } = await instantiateEngine<SacExports>(load.simd ?? 'auto', SAC_MODULE_FILES);
  const engine = new SacWasmEngine(exports, memory, options, `wasm-${level}${BACKEND_SUFFIX[threads]}`);
  if (threads !== 1) await engine.threads.start(threads, module, memory, (exports.helperMailboxPointer as WasmGlobal).value, load.threadPolicy);
  return engine;
}

/** One trained vector's views into wasm memory (the actor and log α have no target). */
interface TrainedViews {
  online: Float32Array;
  target: Float32Array | null;
  gradient: Float32Array;
  firstMoment: Float32Array;
  secondMoment: Float32Array;
  steps: WasmGlobal;
}

const TARGET_OF: Partial<Record<SacTrained, string>> = { critic1: 'targetCritic1', critic2: 'targetCritic2' };

export class SacWasmEngine implements SacEngine {
  readonly info: EngineInfo;
  readonly shape: NetworkShape;
  readonly batchSize: number;
  readonly batch: Batch & { targetNoise: Float32Array; policyNoise: Float32Array };
  /** The gradients computeGradients() fills (tests). */
  readonly gradients: Record<SacTrained, Float32Array>;
  readonly threads: EngineThreads;
  private readonly trained: Record<SacTrained, TrainedViews>;
  private readonly actInput: Float32Array;
  private readonly actNoise: Float32Array;
  private readonly actOutput: Float32Array;
  private readonly actCapacity: number;
  private actResult: Float32Array;
  private chunkedActResult: Float32Array | null = null;
  private exports: SacExports | null;

  constructor(exports: SacExports, memory: WasmMemory, options: EngineOptions, backend: string) {
    const { shape, batchSize } = options;
    this.shape = { ...shape, actorHidden: [...shape.actorHidden], criticHidden: [...shape.criticHidden] };
    this.batchSize = batchSize;
    this.info = { engine: 'wasm', backend };
    this.exports = exports;
    this.threads = new EngineThreads(exports);
    const global = (name: string) => exports[name] as WasmGlobal;
    for (const width of shape.actorHidden) exports.addHiddenLayer(global('ACTOR').value, width);
    for (const width of shape.criticHidden) exports.addHiddenLayer(global('CRITIC').value, width);
    exports.configure(shape.obsDim, shape.actDim, batchSize, Math.max(batchSize, MIN_ACT_CAPACITY), shape.actionBound);
    this.setHyperparameters(options.hyper);

    // configure() grew memory once for every buffer; views of this buffer stay valid (wasmEngine.ts).
    const buffer = memory.buffer;
    const view = (name: string, length: number, offset = 0) => new Float32Array(buffer, global(name).value + 4 * offset, length);
    if (global('actorParameterCount').value !== sacParameterCount(shape, 'actor') || global('criticParameterCount').value !== sacParameterCount(shape, 'critic1')) {
      throw new Error('wasm engine: the module laid the networks out with unexpected parameter counts');
    }
    const network = (prefix: string, steps: string, withTarget: boolean, count: number): TrainedViews => ({
      online: view(`${prefix}ParametersPointer`, count),
      target: withTarget ? view(`${prefix}TargetPointer`, count) : null,
      gradient: view(`${prefix}GradientPointer`, count),
      firstMoment: view(`${prefix}FirstMomentPointer`, count),
      secondMoment: view(`${prefix}SecondMomentPointer`, count),
      steps: global(steps),
    });
    const criticCount = sacParameterCount(shape, 'critic1');
    this.trained = {
      actor: network('actor', 'actorAdamSteps', false, sacParameterCount(shape, 'actor')),
      critic1: network('critic1', 'critic1AdamSteps', true, criticCount),
      critic2: network('critic2', 'critic2AdamSteps', true, criticCount),
      // log α, its gradient, m and v are four consecutive floats.
      logAlpha: {
        online: view('logAlphaPointer', 1),
        target: null,
        gradient: view('logAlphaPointer', 1, 1),
        firstMoment: view('logAlphaPointer', 1, 2),
        secondMoment: view('logAlphaPointer', 1, 3),
        steps: global('alphaAdamSteps'),
      },
    };
    this.gradients = { actor: this.trained.actor.gradient, critic1: this.trained.critic1.gradient, critic2: this.trained.critic2.gradient, logAlpha: this.trained.logAlpha.gradient };
    const { obsDim, actDim } = shape;
    this.batch = {
      obs: view('observationsPointer', batchSize * obsDim),
      action: view('actionsPointer', batchSize * actDim),
      reward: view('rewardsPointer', batchSize),
      nextObs: view('nextObservationsPointer', batchSize * obsDim),
      terminated: view('terminatedPointer', batchSize),
      targetNoise: view('targetNoisePointer', batchSize * actDim),
      policyNoise: view('policyNoisePointer', batchSize * actDim),
    };
    this.actCapacity = global('actCapacity').value;
    this.actInput = view('actInputPointer', this.actCapacity * obsDim);
    this.actNoise = view('actNoisePointer', this.actCapacity * actDim);
    this.actOutput = view('actOutputPointer', this.actCapacity * actDim);
    this.actResult = this.actOutput.subarray(0, actDim);
  }

  private get module(): SacExports {
    if (!this.exports) throw new Error('this wasm engine has been disposed');
    return this.exports;
  }

  private assertLive(): void {
    if (!this.exports) throw new Error('this wasm engine has been disposed');
  }

  update(): UpdateStats {
    const module = this.module;
    this.threads.runUpdate(() => module.update());
    return this.statistics();
  }

  /** Losses and every gradient (into `gradients`) of the current parameters on the current batch, changing nothing else. For tests. */
  computeGradients(): UpdateStats {
    const module = this.module;
    this.threads.run(() => module.computeGradients());
    return this.statistics();
  }

  private statistics(): UpdateStats {
    const value = (name: string) => (this.module[name] as WasmGlobal).value;
    return {
      criticLoss: value('criticLoss'),
      actorLoss: value('actorLoss'),
      alphaLoss: value('alphaLoss'),
      alpha: value('alphaUsed'),
      entropy: value('entropy'),
      meanQ: value('meanQ'),
    };
  }

  act(obs: Float32Array, count: number): Float32Array {
    return this.runActor(obs, null, count);
  }

  sampleActions(obs: Float32Array, noise: Float32Array, count: number): Float32Array {
    if (noise.length < count * this.shape.actDim) throw new RangeError(`sampleActions: ${count} observations need ${count * this.shape.actDim} noise values, got ${noise.length}`);
    return this.runActor(obs, noise, count);
  }

  /** Mean actions (noise null) or samples, in chunks of actCapacity when there are more observations. */
  private runActor(obs: Float32Array, noise: Float32Array | null, count: number): Float32Array {
    const { obsDim, actDim } = this.shape;
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`act count must be a non-negative integer, got ${count}`);
    if (obs.length < count * obsDim) throw new RangeError(`act: ${count} observations need ${count * obsDim} values, got ${obs.length}`);
    if (count <= this.actCapacity) {
      this.actChunk(obs, noise, 0, count);
      if (this.actResult.length !== count * actDim) this.actResult = this.actOutput.subarray(0, count * actDim);
      return this.actResult;
    }
    if (this.chunkedActResult?.length !== count * actDim) this.chunkedActResult = new Float32Array(count * actDim);
    const result = this.chunkedActResult;
    for (let start = 0; start < count; start += this.actCapacity) {
      const rows = Math.min(this.actCapacity, count - start);
      this.actChunk(obs, noise, start, rows);
      result.set(this.actOutput.subarray(0, rows * actDim), start * actDim);
    }
    return result;
  }

  /** Rows start…start+rows−1 through the module's act (a whole act() call when they are all). */
  private actChunk(obs: Float32Array, noise: Float32Array | null, start: number, rows: number): void {
    const { obsDim, actDim } = this.shape;
    const whole = start === 0 && obs.length === rows * obsDim;
    this.actInput.set(whole ? obs : obs.subarray(start * obsDim, (start + rows) * obsDim));
    if (noise) this.actNoise.set(noise.length === rows * actDim && start === 0 ? noise : noise.subarray(start * actDim, (start + rows) * actDim));
    this.module.act(rows, noise ? 1 : 0);
  }

  getParameters(): NetworkParameters {
    this.assertLive();
    const out: NetworkParameters = {};
    for (const [name, views] of Object.entries(this.trained) as Array<[SacTrained, TrainedViews]>) {
      out[name] = views.online.slice();
      const target = TARGET_OF[name];
      if (target) out[target] = views.target!.slice();
    }
    return out;
  }

  setParameters(params: NetworkParameters): void {
    this.assertLive();
    assertSacParameterSizes(this.shape, params);
    for (const [name, views] of Object.entries(this.trained) as Array<[SacTrained, TrainedViews]>) {
      views.online.set(params[name]);
      const target = TARGET_OF[name];
      if (target) views.target!.set(params[target]);
    }
  }

  getOptimizerState(): OptimizerState {
    this.assertLive();
    const out: OptimizerState = {};
    for (const [name, n] of Object.entries(this.trained) as Array<[SacTrained, TrainedViews]>) {
      out[SAC_OPTIMIZER_OF[name]] = { m: n.firstMoment.slice(), v: n.secondMoment.slice(), step: n.steps.value } satisfies AdamState;
    }
    return out;
  }

  setOptimizerState(state: OptimizerState): void {
    this.assertLive();
    assertSacOptimizerState(this.shape, state);
    for (const [name, n] of Object.entries(this.trained) as Array<[SacTrained, TrainedViews]>) {
      const s = state[SAC_OPTIMIZER_OF[name]];
      n.firstMoment.set(s.m);
      n.secondMoment.set(s.v);
      n.steps.value = s.step;
    }
  }

  setHyperparameters(hyper: UpdateHyperparameters): void {
    const h = sacHyperparametersOf(hyper);
    this.module.setHyperparameters(h.gamma, h.tau, h.actorLr, h.criticLr, h.alphaLr, h.targetEntropyPerAction * this.shape.actDim, h.autotuneAlpha ? 1 : 0);
  }

  threadUsage(): ThreadUsage {
    return this.threads.usage();
  }

  /** Stops the helper thread and drops the instance (its memory goes with it); any later call throws. */
  dispose(): void {
    this.threads.dispose();
    this.exports = null;
  }
}
