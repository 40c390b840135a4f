/**
 * MuJoCo itself: Google DeepMind's official WebAssembly build (npm `mujoco-js`), loaded on first use
 * only, so that runs of other environments (and the extension host, which never imports this) do
 * not pay for its ~11 MB module. Loading is asynchronous (WebAssembly instantiation), hence
 * prepareMujoco(), which the registry's prepareEnvironment() awaits before makeEnv() builds a MuJoCo
 * environment synchronously.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MainModule, MjModel } from 'mujoco-js';

/** The bundled trainer finds MuJoCo and the models in dist/mujoco/ (copied there by esbuild.mjs). */
const BUNDLED_DIRECTORY = 'mujoco';
const BUNDLED_MODULE = 'mujoco_wasm.mjs';
const PACKAGE_MODULE = join('node_modules', 'mujoco-js', 'dist', 'mujoco_wasm.js');

let loaded: MainModule | undefined;
let loading: Promise<MainModule> | undefined;

function moduleCandidates(): string[] {
  return [
    join(__dirname, BUNDLED_DIRECTORY, BUNDLED_MODULE),
    resolve(__dirname, '..', PACKAGE_MODULE),
    resolve(__dirname, '..', '..', '..', '..', PACKAGE_MODULE),
  ];
}

function assetCandidates(): string[] {
  return [join(__dirname, BUNDLED_DIRECTORY), join(__dirname, 'assets')];
}

/** Loads MuJoCo once per process; later calls return the same module. */
export function prepareMujoco(): Promise<MainModule> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    const path = moduleCandidates().find((candidate) => existsSync(candidate));
    if (!path) throw new Error(`MuJoCo (mujoco-js) is not installed: looked for ${moduleCandidates().join(', ')}`);
    // A computed specifier, so that esbuild leaves the module out of the bundle and Node loads it as ESM.
    const imported = (await import(pathToFileURL(path).href)) as { default: (options?: unknown) => Promise<MainModule> };
    const mujoco = await imported.default();
    mujoco.FS.mkdir(MODEL_DIRECTORY);
    loaded = mujoco;
    return mujoco;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

export function isMujocoLoaded(): boolean {
  return loaded !== undefined;
}

/** The loaded module; building a MuJoCo environment before prepareMujoco() resolved is a programming error. */
export function loadedMujoco(): MainModule {
  if (!loaded) throw new Error('MuJoCo is not loaded yet: await prepareEnvironment(id) (src/agent/env/index.ts) before makeEnv(id)');
  return loaded;
}

const MODEL_DIRECTORY = '/gymnasium-models';

/** The text of one of Gymnasium's model files (src/agent/env/mujoco/assets/, or dist/mujoco/ when bundled). */
export function modelXml(file: string): string {
  for (const directory of assetCandidates()) {
    const path = join(directory, file);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  throw new Error(`MuJoCo model ${file} not found in ${assetCandidates().join(', ')}`);
}

const models = new Map<string, MjModel>();

/**
 * A model file compiled through MuJoCo's in-memory file system, as Gymnasium's MjModel.from_xml_path
 * does; compiled once per process and shared, since mj_step never writes the model (each
 * environment has its own MjData).
 */
export function compiledModel(mujoco: MainModule, file: string): MjModel {
  const cached = models.get(file);
  if (cached) return cached;
  const path = `${MODEL_DIRECTORY}/${file}`;
  mujoco.FS.writeFile(path, modelXml(file));
  const model = mujoco.MjModel.loadFromXML(path);
  if (!model) throw new Error(`MuJoCo could not compile ${file}`);
  models.set(file, model);
  return model;
}
