// Compiles the fused engines (src/agent/engine/wasm/assembly: one entry per algorithm, WASM_ENTRIES)
// with AssemblyScript into dist/, each in two feature levels from the same source (DDPG's shown):
//   ddpg-engine.wasm          SIMD128 + threads: runs wherever WebAssembly SIMD and shared memory
//                             do (Node ≥ 16, Electron).
//   ddpg-engine-relaxed.wasm  SIMD128 + relaxed SIMD, whose fused multiply-add makes the matrix
//                             kernels ~25% faster; Node 20 accepts it only with
//                             --experimental-wasm-relaxed-simd, Node ≥ 22 and Electron ≥ 25 always.
// The loader (wasmEngine.ts) picks the best one the runtime validates.
// Both import a shared memory (threads feature), so that an optional helper thread can run a
// second instance of the module on the same buffers (assembly/parallel.ts). The memory's limits
// here and in engineModule.ts (WASM_MEMORY_PAGES) must match.
// Called by esbuild.mjs before bundling; also runnable alone: `node scripts/build-wasm.mjs`.
import asc from 'assemblyscript/asc';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'src', 'agent', 'engine', 'wasm', 'assembly');
const dist = join(root, 'dist');

/** 64 KiB pages: initial (static data only; memory grows in configure() and nowhere else) and maximum (1 GiB). */
export const WASM_MEMORY_PAGES = { initial: 2, maximum: 16384 };

/** Each algorithm's engine: its AssemblyScript entry in assembly/ and the stem of its two module files. */
export const WASM_ENTRIES = [
  { source: 'index.ts', name: 'ddpg-engine' },
  { source: 'td3.ts', name: 'td3-engine' },
  { source: 'sac.ts', name: 'sac-engine' },
];

export const WASM_VARIANTS = WASM_ENTRIES.flatMap(({ source, name }) => [
  { entry: join(sourceDir, source), file: `${name}.wasm`, features: ['simd'] },
  { entry: join(sourceDir, source), file: `${name}-relaxed.wasm`, features: ['simd', 'relaxed-simd'] },
]);

function newestInput() {
  const inputs = [fileURLToPath(import.meta.url), ...readdirSync(sourceDir).map((f) => join(sourceDir, f))];
  return Math.max(...inputs.map((f) => statSync(f).mtimeMs));
}

function isUpToDate(output, since) {
  return existsSync(output) && statSync(output).mtimeMs >= since;
}

/**
 * Builds both variants. Skips a variant whose output is newer than every source, unless
 * `production` (a release build always recompiles).
 */
export async function buildWasm({ production = false } = {}) {
  mkdirSync(dist, { recursive: true });
  const since = newestInput();
  for (const { entry, file, features } of WASM_VARIANTS) {
    const output = join(dist, file);
    if (!production && isUpToDate(output, since)) continue;
    const started = Date.now();
    const args = [
      entry,
      '--outFile', output,
      '-O3',
      '--noAssert',
      // No garbage collector: the engine allocates only in configure() and never frees.
      '--runtime', 'stub',
      '--importMemory', '--sharedMemory',
      '--initialMemory', String(WASM_MEMORY_PAGES.initial),
      '--maximumMemory', String(WASM_MEMORY_PAGES.maximum),
      // The start function runs only when the loader calls _start (never in a helper's instance).
      '--exportStart', '_start',
      ...['threads', ...features].flatMap((feature) => ['--enable', feature]),
    ];
    const { error, stderr } = await asc.main(args);
    if (error) throw new Error(`AssemblyScript build of ${file} failed: ${error.message}\n${stderr.toString()}`);
    console.log(`built dist/${file} in ${Date.now() - started} ms`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWasm({ production: process.argv.includes('--production') });
}
