/**
 * Loads TensorFlow.js on the fastest backend that works in this process:
 * `@tensorflow/tfjs-node` (native libtensorflow, backend "tensorflow") when it is installed and
 * its addon loads, else `@tensorflow/tfjs-backend-wasm`, else the pure-JS cpu backend.
 * tfjs keeps one global engine per process, so this module keeps one loaded namespace and
 * switches the active backend when a caller asks for a different one.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

type TensorFlow = typeof import('@tensorflow/tfjs');

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';
export const TFJS_BACKENDS: readonly TfjsBackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Forces one backend (for benchmarks); an explicit `preferred` argument still takes precedence. */
export const BACKEND_ENV_VAR = 'DDPG_TFJS_BACKEND';

export interface LoadedTensorFlow {
  tf: TensorFlow;
  backend: TfjsBackendName;
}

const WASM_BINARIES = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'];

/** The tfjs namespace in use; tfjs-node's when it loaded (it re-exports all of @tensorflow/tfjs). */
let loaded: { tf: TensorFlow; native: boolean } | null = null;
/** Why tfjs-node did not load, remembered so that a forced "tensorflow" can say so. */
let nativeFailure: string | null = null;
/** Backends whose initialisation already failed in this process, with the reason. */
const failedBackends = new Map<TfjsBackendName, string>();
/** Serialises loads: tfjs's backend switch is global state and must not interleave. */
let queue: Promise<unknown> = Promise.resolve();

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The backend the caller or the environment insists on, or null to pick automatically. */
function requestedBackend(preferred: TfjsBackendName | undefined): TfjsBackendName | null {
  if (preferred !== undefined) {
    if (!TFJS_BACKENDS.includes(preferred)) throw new Error(`unknown tfjs backend "${preferred}"; use one of ${TFJS_BACKENDS.join(', ')}`);
    return preferred;
  }
  const fromEnv = process.env[BACKEND_ENV_VAR]?.trim();
  if (!fromEnv) return null;
  if (!(TFJS_BACKENDS as readonly string[]).includes(fromEnv)) {
    throw new Error(`${BACKEND_ENV_VAR}="${fromEnv}" is not a tfjs backend; use one of ${TFJS_BACKENDS.join(', ')}`);
  }
  return fromEnv as TfjsBackendName;
}

function loadNamespace(): { tf: TensorFlow; native: boolean } {
  if (loaded) return loaded;
  try {
    // A plain runtime require: the bundler leaves this optional native addon external, and it is
    // absent or unloadable (no libtensorflow, Electron's ABI) on many machines.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional native addon, loaded lazily and only if present
    loaded = { tf: require('@tensorflow/tfjs-node') as TensorFlow, native: true };
  } catch (error) {
    // The first line says it all (Node appends the require stack).
    nativeFailure = describe(error).split('\n')[0];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, after the native addon failed
    loaded = { tf: require('@tensorflow/tfjs') as TensorFlow, native: false };
  }
  return loaded;
}

/**
 * The folder holding tfjs-backend-wasm's .wasm binaries: next to the bundle (esbuild copies them
 * into dist/), else inside the installed package (running from source).
 */
export function findWasmDirectory(): string {
  const candidates = [__dirname];
  try {
    candidates.push(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')));
  } catch {
    // Not resolvable from here (e.g. a packaged extension without node_modules); __dirname remains.
  }
  for (const dir of candidates) {
    if (WASM_BINARIES.some((file) => fs.existsSync(path.join(dir, file)))) return dir.endsWith(path.sep) ? dir : dir + path.sep;
  }
  throw new Error(`no tfjs-backend-wasm binaries (${WASM_BINARIES.join(', ')}) in ${candidates.join(' or ')}`);
}

let wasmRegistered = false;

async function registerWasmBackend(): Promise<void> {
  if (wasmRegistered) return;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(findWasmDirectory());
  wasmRegistered = true;
}

/**
 * Emscripten's Node glue (inside tfjs-backend-wasm) installs process-wide 'uncaughtException' and
 * 'unhandledRejection' listeners that rethrow, which turns every crash into exit code 7 and
 * pre-empts the trainer's own error reporting. Remove exactly the listeners added while `run` ran.
 */
async function withoutNewProcessListeners<T>(run: () => Promise<T>): Promise<T> {
  const exceptionListeners = new Set(process.listeners('uncaughtException'));
  const rejectionListeners = new Set(process.listeners('unhandledRejection'));
  try {
    return await run();
  } finally {
    for (const listener of process.listeners('uncaughtException')) {
      if (!exceptionListeners.has(listener)) process.removeListener('uncaughtException', listener);
    }
    for (const listener of process.listeners('unhandledRejection')) {
      if (!rejectionListeners.has(listener)) process.removeListener('unhandledRejection', listener);
    }
  }
}

let cpuBannerSilenced = false;

/** tfjs's cpu backend prints an "install tfjs-node" banner on its first tensor; we chose cpu on purpose. */
function silenceCpuBanner(tf: TensorFlow): void {
  if (cpuBannerSilenced) return;
  cpuBannerSilenced = true;
  const env = tf.env();
  const wasProd = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.dispose(tf.scalar(0));
  } finally {
    env.set('PROD', wasProd);
  }
}

async function activate(tf: TensorFlow, backend: TfjsBackendName): Promise<void> {
  if (tf.getBackend() === backend) return;
  const known = failedBackends.get(backend);
  if (known) throw new Error(known);
  let ok = false;
  try {
    if (backend === 'wasm') await registerWasmBackend();
    ok = await withoutNewProcessListeners(() => tf.setBackend(backend));
    if (ok && backend === 'cpu') silenceCpuBanner(tf);
    if (!ok) failedBackends.set(backend, `the tfjs ${backend} backend failed to initialise`);
  } catch (error) {
    failedBackends.set(backend, `the tfjs ${backend} backend failed to initialise: ${describe(error)}`);
  }
  if (!ok) throw new Error(failedBackends.get(backend));
}

async function load(preferred: TfjsBackendName | undefined): Promise<LoadedTensorFlow> {
  const requested = requestedBackend(preferred);
  const { tf, native } = loadNamespace();
  if (requested === 'tensorflow' && !native) {
    throw new Error(`the tfjs "tensorflow" backend needs @tensorflow/tfjs-node, which did not load: ${nativeFailure}`);
  }
  const order: TfjsBackendName[] = requested ? [requested] : native ? ['tensorflow', 'wasm', 'cpu'] : ['wasm', 'cpu'];
  const reasons: string[] = [];
  for (const backend of order) {
    try {
      await activate(tf, backend);
      return { tf, backend };
    } catch (error) {
      reasons.push(describe(error));
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised: ${reasons.join('; ')}`);
}

/**
 * TensorFlow.js with an initialised backend. `preferred` (else $DDPG_TFJS_BACKEND) forces that
 * backend and fails if it cannot load; otherwise the first of tensorflow, wasm, cpu that works.
 * Cheap to call repeatedly: after the first load it only switches the active backend if needed.
 */
export function loadTensorFlow(preferred?: TfjsBackendName): Promise<LoadedTensorFlow> {
  const result = queue.then(() => load(preferred));
  queue = result.catch(() => undefined);
  return result;
}
