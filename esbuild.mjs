// Bundles the extension host, the trainer process, the CLI, the benchmark and the two webview pages
// (the dashboard with its separately loaded 3D renderer, and the run comparison), and copies the
// .wasm files they load at run time into dist/ (esbuild does not bundle them), and MuJoCo with
// Gymnasium's models into dist/mujoco/.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

// The fused WebAssembly engine is compiled from AssemblyScript first, when its sources exist.
const wasmBuild = join(root, 'scripts', 'build-wasm.mjs');
if (existsSync(wasmBuild)) {
  const { buildWasm } = await import(wasmBuild);
  await buildWasm({ production });
}

// tfjs-backend-wasm locates its binaries at run time through setWasmPaths(dist/).
const tfWasmDir = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
for (const file of readdirSync(tfWasmDir).filter((f) => f.endsWith('.wasm'))) {
  copyFileSync(join(tfWasmDir, file), join(dist, file));
}

// MuJoCo (mujoco-js, one ES module with its WebAssembly inside) is loaded lazily by runs of a MuJoCo
// environment, from dist/mujoco/ beside Gymnasium's model files (src/agent/env/mujoco/mujocoRuntime.ts).
const mujocoDist = join(dist, 'mujoco');
mkdirSync(mujocoDist, { recursive: true });
copyFileSync(join(root, 'node_modules', 'mujoco-js', 'dist', 'mujoco_wasm.js'), join(mujocoDist, 'mujoco_wasm.mjs'));
const mujocoAssets = join(root, 'src', 'agent', 'env', 'mujoco', 'assets');
for (const file of readdirSync(mujocoAssets).filter((f) => f.endsWith('.xml') || f === 'LICENSE' || f === 'MUJOCO-NOTICE')) {
  copyFileSync(join(mujocoAssets, file), join(mujocoDist, file === 'LICENSE' ? 'LICENSE-gymnasium-models' : file));
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  target: 'es2022',
};

const nodeEntries = [
  ['src/extension/extension.ts', 'extension'],
  ['src/agent/main.ts', 'trainer'],
  ['src/agent/cli.ts', 'cli'],
  ['bench/bench.ts', 'bench'],
  ['test/extension/index.ts', 'test-extension'],
].filter(([src]) => existsSync(join(root, src)));

const builds = [
  {
    ...common,
    entryPoints: Object.fromEntries(nodeEntries.map(([src, out]) => [out, join(root, src)])),
    outdir: dist,
    platform: 'node',
    format: 'cjs',
    // vscode is provided by the host; tfjs-node is an optional native addon loaded only if present;
    // mocha is only needed by the in-VS Code test suite and stays a normal require there.
    external: ['vscode', '@tensorflow/tfjs-node', 'mocha'],
  },
];
if (existsSync(join(root, 'webview', 'main.ts'))) {
  builds.push({
    ...common,
    // webview-mujoco is the 3D renderer with three.js, kept out of the dashboard's script: the
    // dashboard loads it beside itself for MuJoCo runs only (webview/renderers/registry.ts).
    // Classic scripts like the pages', so that the webview's nonce-only CSP admits it.
    entryPoints: {
      webview: join(root, 'webview', 'main.ts'),
      'webview-mujoco': join(root, 'webview', 'renderers', 'mujoco', 'mujocoBundle.ts'),
      compare: join(root, 'webview', 'compare', 'main.ts'),
    },
    outdir: dist,
    platform: 'browser',
    format: 'iife',
  });
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
