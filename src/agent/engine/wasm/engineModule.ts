/**
 * Finding, validating, compiling and instantiating dist/ddpg-engine*.wasm (built from ./assembly
 * by scripts/build-wasm.mjs), and the typed view of its exports.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * 'relaxed-simd' uses fused multiply-add (faster); 'simd' is plain SIMD128. 'auto' takes
 * relaxed-simd when this runtime validates it (Node ≥ 22, Electron ≥ 25, or Node 20 started with
 * --experimental-wasm-relaxed-simd), else simd.
 */
export type WasmSimdLevel = 'auto' | 'relaxed-simd' | 'simd';
export type ResolvedSimdLevel = Exclude<WasmSimdLevel, 'auto'>;

/** An algorithm's module file per SIMD level (scripts/build-wasm.mjs's WASM_ENTRIES). */
export type ModuleFiles = Record<ResolvedSimdLevel, string>;

/** DDPG's module (assembly/index.ts); the default of the functions below. */
export const MODULE_FILES: ModuleFiles = {
  'relaxed-simd': 'ddpg-engine-relaxed.wasm',
  simd: 'ddpg-engine.wasm',
};

/** The imported shared memory's limits in 64 KiB pages; must match scripts/build-wasm.mjs. */
export const WASM_MEMORY_PAGES = { initial: 2, maximum: 16384 } as const;

// The slice of the WebAssembly JS API used here, typed locally because the project's type
// libraries (ES2022 + @types/node 20) do not declare WebAssembly.
export interface WasmGlobal {
  value: number;
}
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}
export type WasmModule = object;
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: Record<string, Record<string, unknown>>): Promise<{ exports: unknown }>;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The module's exports (assembly/index.ts and assembly/parallel.ts). */
export interface EngineExports {
  _start(): void;
  addHiddenLayer(network: number, width: number): void;
  configure(observations: number, actions: number, batch: number, actRows: number, bound: number): void;
  setHyperparameters(gamma: number, tau: number, actorLr: number, criticLr: number): void;
  update(): void;
  computeGradients(): void;
  act(count: number): void;
  attachHelper(mailbox: number): void;
  detachHelper(): void;
  setHelperInUse(inUse: boolean): void;
  helperChunks(): number;
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
  helperMailboxPointer: WasmGlobal;
  actorAdamSteps: WasmGlobal;
  criticAdamSteps: WasmGlobal;
  criticLoss: WasmGlobal;
  actorLoss: WasmGlobal;
  meanQ: WasmGlobal;
}

export interface EngineInstance<Exports = EngineExports> {
  exports: Exports;
  memory: WasmMemory;
  /** Compiled once per process; a helper thread instantiates the same module. */
  module: WasmModule;
  level: ResolvedSimdLevel;
}

function wasmApi(): WasmApi {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('this runtime has no WebAssembly');
  return api;
}

/**
 * Where the .wasm files are: next to the bundle (dist/) when bundled, and in <repo>/dist when this
 * file runs from source (tsx), which is why tests need `npm run build` first.
 */
export function wasmSearchDirectories(): string[] {
  return [__dirname, resolve(__dirname, '..', '..', '..', '..', 'dist')];
}

/**
 * The module file for the requested SIMD level (looked for in `directories`), or an Error saying
 * why none is usable.
 */
export function locateModule(
  level: WasmSimdLevel = 'auto',
  directories = wasmSearchDirectories(),
  files: ModuleFiles = MODULE_FILES,
): { path: string; level: ResolvedSimdLevel } {
  const api = wasmApi();
  const candidates: ResolvedSimdLevel[] = level === 'auto' ? ['relaxed-simd', 'simd'] : [level];
  const reasons: string[] = [];
  for (const candidate of candidates) {
    const file = files[candidate];
    const path = directories.map((dir) => join(dir, file)).find((p) => existsSync(p));
    if (!path) {
      reasons.push(`${file} not found in ${directories.join(' or ')} (run npm run build)`);
      continue;
    }
    if (!api.validate(readFileSync(path))) {
      const features = candidate === 'simd' ? 'SIMD and threads' : 'SIMD, threads and relaxed SIMD';
      reasons.push(`${path} is not a module this runtime's WebAssembly can run (it needs ${features})`);
      continue;
    }
    return { path, level: candidate };
  }
  throw new Error(reasons.join('; '));
}

const compiled = new Map<string, Promise<WasmModule>>();

function compileModule(path: string): Promise<WasmModule> {
  let module = compiled.get(path);
  if (!module) {
    module = wasmApi().compile(readFileSync(path));
    compiled.set(path, module);
    module.catch(() => compiled.delete(path));
  }
  return module;
}

/** Reads an AssemblyScript string (UTF-16, byte length in the 4 bytes before it) for abort messages. */
function readString(memory: WasmMemory, pointer: number): string {
  if (!pointer) return '';
  const bytes = new Uint32Array(memory.buffer, pointer - 4, 1)[0];
  return String.fromCharCode(...new Uint16Array(memory.buffer, pointer, bytes >>> 1));
}

/** A fresh instance on its own shared memory, its start function run. */
export async function instantiateEngine<Exports extends { _start(): void } = EngineExports>(
  level: WasmSimdLevel,
  files: ModuleFiles = MODULE_FILES,
): Promise<EngineInstance<Exports>> {
  const located = locateModule(level, wasmSearchDirectories(), files);
  const module = await compileModule(located.path);
  const api = wasmApi();
  const memory = new api.Memory({ ...WASM_MEMORY_PAGES, shared: true });
  const instance = await api.instantiate(module, {
    env: {
      memory,
      abort(message: number, file: number, line: number, column: number): never {
        throw new Error(`wasm engine: ${readString(memory, message)} (${readString(memory, file)}:${line}:${column})`);
      },
    },
  });
  const exports = instance.exports as Exports;
  exports._start();
  return { exports, memory, module, level: located.level };
}
