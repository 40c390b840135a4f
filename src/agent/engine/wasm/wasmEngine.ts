/**
 * The fused WebAssembly engine: loads dist/ddpg-engine*.wasm (built from ./assembly by
 * scripts/build-wasm.mjs), lays the networks out in its memory once, and exposes its buffers as
 * typed-array views, so the batch is sampled straight into wasm memory and an update is one call.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AdamState, Batch, Engine, EngineInfo, EngineOptions, NetworkParameters, NetworkShape, OptimizerState, UpdateHyperparameters, UpdateStats } from '../engine';
import { actorLayers, assertParameterSizes, criticLayers, parameterCount } from '../parameters';

/**
 * 'relaxed-simd' uses fused multiply-add (faster); 'simd' is plain SIMD128. 'auto' takes
 * relaxed-simd when this runtime validates it (Node ≥ 22, Electron ≥ 25, or Node 20 started with
 * --experimental-wasm-relaxed-simd), else simd.
 */
export type WasmSimdLevel = 'auto' | 'relaxed-simd' | 'simd';

export interface WasmEngineLoadOptions {
  simd?: WasmSimdLevel;
}

const MODULE_FILES: Record<Exclude<WasmSimdLevel, 'auto'>, string> = {
  'relaxed-simd': 'ddpg-engine-relaxed.wasm',
  simd: 'ddpg-engine.wasm',
};

/** act() handles this many observations per wasm call at least (more when the batch is larger). */
const MIN_ACT_CAPACITY = 256;

// The slice of the WebAssembly JS API this file uses, typed here because the project's type
// libraries (ES2022 + @types/node 20) do not declare WebAssembly.
interface WasmGlobal {
  value: number;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: Record<string, Record<string, unknown>>): Promise<{ exports: unknown }>;
}
const webAssembly = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The module's exports (assembly/index.ts). */
interface EngineExports {
  memory: WasmMemory;
  addHiddenLayer(network: number, width: number): void;
  configure(observations: number, actions: number, batch: number, actRows: number, bound: number): void;
  setHyperparameters(gamma: number, tau: number, actorLr: number, criticLr: number): void;
  update(): void;
  computeGradients(): void;
  act(count: number): void;
  ACTOR: WasmGlobal;
  CRITIC: WasmGlobal;
  actCapacity: WasmGlobal;
  observationsPointer: WasmGlobal;
  actionsPointer: WasmGlobal;
  rewardsPointer: WasmGlobal;
  nextObservationsPointer: WasmGlobal;
  terminatedPointer: WasmGlobal;
  actorParameterCount: WasmGlobal;
  actorParametersPointer: WasmGlobal;
  actorTargetPointer: WasmGlobal;
  actorGradientPointer: WasmGlobal;
  actorFirstMomentPointer: WasmGlobal;
  actorSecondMomentPointer: WasmGlobal;
  criticParameterCount: WasmGlobal;
  criticParametersPointer: WasmGlobal;
  criticTargetPointer: WasmGlobal;
  criticGradientPointer: WasmGlobal;
  criticFirstMomentPointer: WasmGlobal;
  criticSecondMomentPointer: WasmGlobal;
  actInputPointer: WasmGlobal;
  actOutputPointer: WasmGlobal;
  actorAdamSteps: WasmGlobal;
  criticAdamSteps: WasmGlobal;
  criticLoss: WasmGlobal;
  actorLoss: WasmGlobal;
  meanQ: WasmGlobal;
}

/**
 * Where the .wasm files are: next to the bundle (dist/) when bundled, and in <repo>/dist when this
 * file runs from source (tsx), which is why tests need `npm run build` first.
 */
export function wasmSearchDirectories(): string[] {
  return [__dirname, resolve(__dirname, '..', '..', '..', '..', 'dist')];
}

function wasmApi(): WasmApi {
  if (!webAssembly) throw new Error('this runtime has no WebAssembly');
  return webAssembly;
}

const compiled = new Map<string, Promise<WasmModule>>();

/** Compiles a module file once per process. */
function compileModule(path: string): Promise<WasmModule> {
  let module = compiled.get(path);
  if (!module) {
    module = wasmApi().compile(readFileSync(path));
    compiled.set(path, module);
    module.catch(() => compiled.delete(path));
  }
  return module;
}

/** The module file for the requested SIMD level, or an Error saying why none is usable. */
export function locateModule(level: WasmSimdLevel = 'auto'): { path: string; level: Exclude<WasmSimdLevel, 'auto'> } {
  const api = wasmApi();
  const candidates: Array<Exclude<WasmSimdLevel, 'auto'>> = level === 'auto' ? ['relaxed-simd', 'simd'] : [level];
  const reasons: string[] = [];
  for (const candidate of candidates) {
    const file = MODULE_FILES[candidate];
    const path = wasmSearchDirectories().map((dir) => join(dir, file)).find((p) => existsSync(p));
    if (!path) {
      reasons.push(`${file} not found in ${wasmSearchDirectories().join(' or ')} (run npm run build)`);
      continue;
    }
    if (!api.validate(readFileSync(path))) {
      reasons.push(`this runtime's WebAssembly does not support ${candidate === 'simd' ? 'SIMD' : 'relaxed SIMD'} (${file})`);
      continue;
    }
    return { path, level: candidate };
  }
  throw new Error(reasons.join('; '));
}

function checkOptions({ shape, batchSize, hyper }: EngineOptions): void {
  const positiveInteger = (name: string, n: number) => {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  };
  positiveInteger('obsDim', shape.obsDim);
  positiveInteger('actDim', shape.actDim);
  positiveInteger('batchSize', batchSize);
  shape.actorHidden.forEach((w, i) => positiveInteger(`actorHidden[${i}]`, w));
  shape.criticHidden.forEach((w, i) => positiveInteger(`criticHidden[${i}]`, w));
  if (!(shape.actionBound > 0)) throw new RangeError(`actionBound must be positive, got ${shape.actionBound}`);
  checkHyperparameters(hyper);
}

function checkHyperparameters(hyper: UpdateHyperparameters): void {
  for (const key of ['gamma', 'tau', 'actorLr', 'criticLr'] as const) {
    if (!Number.isFinite(hyper[key])) throw new RangeError(`${key} must be a finite number, got ${hyper[key]}`);
  }
}

/** Reads an AssemblyScript string (UTF-16, byte length in the 4 bytes before it) for abort messages. */
function readString(memory: WasmMemory, pointer: number): string {
  if (!pointer) return '';
  const bytes = new Uint32Array(memory.buffer, pointer - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, pointer, bytes >>> 1));
}

/** Creates a wasm engine; rejects with an Error saying why when the module cannot be loaded. */
export async function createWasmEngine(options: EngineOptions, load: WasmEngineLoadOptions = {}): Promise<WasmEngine> {
  checkOptions(options);
  const { path, level } = locateModule(load.simd ?? 'auto');
  const module = await compileModule(path);
  let memory: WasmMemory | undefined;
  const instance = await wasmApi().instantiate(module, {
    env: {
      abort(message: number, file: number, line: number, column: number): never {
        const text = memory ? `${readString(memory, message)} (${readString(memory, file)}:${line}:${column})` : 'abort';
        throw new Error(`wasm engine: ${text}`);
      },
    },
  });
  const exports = instance.exports as unknown as EngineExports;
  memory = exports.memory;
  return new WasmEngine(exports, options, level === 'relaxed-simd' ? 'wasm-relaxed-simd' : 'wasm-simd');
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

  constructor(exports: EngineExports, options: EngineOptions, backend: string) {
    const { shape, batchSize } = options;
    this.shape = { ...shape, actorHidden: [...shape.actorHidden], criticHidden: [...shape.criticHidden] };
    this.batchSize = batchSize;
    this.info = { engine: 'wasm', backend };
    this.exports = exports;
    for (const width of shape.actorHidden) exports.addHiddenLayer(exports.ACTOR.value, width);
    for (const width of shape.criticHidden) exports.addHiddenLayer(exports.CRITIC.value, width);
    exports.configure(shape.obsDim, shape.actDim, batchSize, Math.max(batchSize, MIN_ACT_CAPACITY), shape.actionBound);
    this.setHyperparameters(options.hyper);

    // configure() grew memory for every buffer; nothing grows it again, so these views stay attached.
    const buffer = exports.memory.buffer;
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

  private get module(): EngineExports {
    if (!this.exports) throw new Error('this wasm engine has been disposed');
    return this.exports;
  }

  private assertLive(): void {
    if (!this.exports) throw new Error('this wasm engine has been disposed');
  }

  update(): UpdateStats {
    const module = this.module;
    module.update();
    return { criticLoss: module.criticLoss.value, actorLoss: module.actorLoss.value, meanQ: module.meanQ.value };
  }

  /**
   * Losses and gradients (into `gradients`) of the current parameters on the current batch,
   * changing nothing else: the gradient update() would step along. For tests.
   */
  computeGradients(): UpdateStats {
    const module = this.module;
    module.computeGradients();
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

  /** Drops the instance (its memory is freed with it); any later call throws. */
  dispose(): void {
    this.exports = null;
  }
}
