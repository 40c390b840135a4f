/**
 * Checkpoint save/load. A checkpoint is a folder:
 *   checkpoint.json      manifest (format version 2: algorithm, environment, networks; protocol.ts)
 *   <network folders>    one TensorFlow.js LayersModel (model.json + weights.bin) per network the
 *                        algorithm declares (DDPG: actor/ critic/ target_actor/ target_critic/;
 *                        SAC's actor/ holds its mean action's model and log_std/, storedNetworks.ts)
 *   optimizer.bin        Adam moments, float32: m then v of each of the algorithm's optimizers, in order
 *   state.json           counters, RNG and noise state, environment state, Adam step counts, replay layout
 *   replay.bin           (optional) replay buffer, float32: obs, action, reward, nextObs, terminated
 * It is written into a temporary sibling folder and renamed into place, so a checkpoint is either
 * complete or absent. Loading checks every file before using it (a regular file inside the folder,
 * of the size its layout implies, finite numbers, a state of the right shape) and names the file
 * and what is wrong.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_SPEC, upgradeStoredConfig, validateConfig, type RunConfig } from '../shared/config';
import { ENVIRONMENTS } from '../shared/environments';
import { MANIFEST_FILE, readCheckpointManifest } from '../shared/node/runDirectory';
import type { CheckpointManifest } from '../shared/protocol';
import type { StoredNetworkKind } from '../shared/runFormat';
import { algorithmSpec, type AlgorithmSpec } from './algorithms/index';
import { networkShapeFor } from './algorithms/ddpg';
import type { NetworkParameters, NetworkShape, OptimizerState } from './engine/engine';
import { fromLayersModelArtifacts, toLayersModelArtifacts } from './engine/tfjs/layersModelFormat';
import { joinModels, modelFolders, splitIntoModels, storedNetworkParameterCount } from './engine/tfjs/storedNetworks';
import type { EnvironmentState } from './env/environment';
import type { SavedRandom } from './randomStreams';
import type { ReplayBuffer } from './replayBuffer';
import { parseTrainerSnapshot, type TrainerSnapshot } from './checkpointState';

export type { TrainerSnapshot } from './checkpointState';
export type ReplaySnapshot = ReturnType<ReplayBuffer['snapshot']>;

export interface CheckpointContents {
  manifest: CheckpointManifest;
  parameters: NetworkParameters;
  optimizer: OptimizerState;
  trainer: TrainerSnapshot;
  buffer?: ReplaySnapshot;
}

export interface LoadedCheckpoint extends CheckpointContents {
  dir: string;
  shape: NetworkShape;
  algorithm: AlgorithmSpec;
}

interface StateFile {
  trainer: TrainerSnapshot;
  optimizerSteps: Record<string, number>;
  replay: { capacity: number; position: number; size: number; obsDim: number; actDim: number } | null;
}

/** Files that are JSON text: no checkpoint writes one anywhere near this size. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** The network sizes of a configuration on its environment. */
export function shapeForConfig(config: RunConfig): NetworkShape {
  const env = ENVIRONMENTS[config.environment];
  return networkShapeFor(config, { obsDim: env.observationSize, actDim: env.actionSize, actionBound: env.actionHigh });
}

/** The size of each of a network's weights.bin files, as the LayersModel writer lays them out for this shape. */
function weightsBytes(kind: StoredNetworkKind, shape: NetworkShape): number[] {
  const zeros = splitIntoModels(kind, shape, new Float32Array(storedNetworkParameterCount(kind, shape)));
  return modelFolders(kind).map((folder, i) => toLayersModelArtifacts(folder.model, shape, zeros[i]).weightsBin.byteLength);
}

function networkKind(algorithm: AlgorithmSpec, name: string): StoredNetworkKind {
  const network = algorithm.networks.find((n) => n.name === name);
  if (!network) throw new Error(`${algorithm.id} has no network "${name}"`);
  return network.kind;
}

function concatFloat32(parts: Float32Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return new Uint8Array(out.buffer);
}

/** Splits a float32 file into pieces of the given lengths; every value must be finite. */
function splitFloat32(bytes: Buffer, lengths: number[], file: string, what: string): Float32Array[] {
  const all = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(all.buffer).set(bytes);
  for (let i = 0; i < all.length; i++) {
    if (!Number.isFinite(all[i])) throw new Error(`checkpoint file has a non-finite ${what} value (${all[i]}) at index ${i}: ${file}`);
  }
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const n of lengths) {
    parts.push(all.slice(offset, offset + n));
    offset += n;
  }
  return parts;
}

/** Saves atomically into `<checkpointsDir>/<manifest.name>`, replacing an older one of the same name. */
export async function saveCheckpoint(checkpointsDir: string, contents: CheckpointContents): Promise<string> {
  const { manifest, parameters, optimizer, trainer, buffer } = contents;
  const algorithm = algorithmSpec(manifest.algorithm);
  const shape = shapeForConfig(manifest.config);
  await fs.mkdir(checkpointsDir, { recursive: true });
  const finalDir = path.join(checkpointsDir, manifest.name);
  const tmpDir = path.join(checkpointsDir, `.tmp-${manifest.name}-${process.pid}-${Date.now()}`);
  await fs.mkdir(tmpDir);
  try {
    for (const network of algorithm.networks) {
      const parts = splitIntoModels(network.kind, shape, parameters[network.name]);
      for (const [i, model] of modelFolders(network.kind).entries()) {
        const folder = path.join(tmpDir, network.folder, model.subfolder);
        await fs.mkdir(folder);
        const { modelJson, weightsBin } = toLayersModelArtifacts(model.model, shape, parts[i]);
        await writeNamed(path.join(folder, 'model.json'), JSON.stringify(modelJson));
        await writeNamed(path.join(folder, 'weights.bin'), weightsBin);
      }
    }
    await writeNamed(path.join(tmpDir, 'optimizer.bin'), concatFloat32(algorithm.optimizers.flatMap((o) => [optimizer[o.name].m, optimizer[o.name].v])));
    const state: StateFile = {
      trainer,
      optimizerSteps: Object.fromEntries(algorithm.optimizers.map((o) => [o.name, optimizer[o.name].step])),
      replay: buffer
        ? { capacity: buffer.capacity, position: buffer.position, size: buffer.size, obsDim: shape.obsDim, actDim: shape.actDim }
        : null,
    };
    await writeNamed(path.join(tmpDir, 'state.json'), JSON.stringify(state));
    if (buffer) {
      await writeNamed(path.join(tmpDir, 'replay.bin'), concatFloat32([buffer.obs, buffer.action, buffer.reward, buffer.nextObs, buffer.terminated]));
    }
    // The manifest last: a folder with a manifest is a complete checkpoint.
    await writeNamed(path.join(tmpDir, MANIFEST_FILE), JSON.stringify({ ...manifest, networks: [...algorithm.networks], hasReplayBuffer: !!buffer }, null, 2) + '\n');
    // Replacing: the old folder is renamed away first, so the name never holds a half-deleted checkpoint.
    const old = path.join(checkpointsDir, `.trash-${manifest.name}-${process.pid}-${Date.now()}`);
    const replacing = await fs.rename(finalDir, old).then(
      () => true,
      () => false,
    );
    await fs.rename(tmpDir, finalDir);
    if (replacing) await fs.rm(old, { recursive: true, force: true });
    return finalDir;
  } catch (err) {
    await fs.rm(tmpDir, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
}

/** Writes a file; an I/O error (ENOSPC, EACCES, …) names the file. */
async function writeNamed(file: string, data: string | Uint8Array): Promise<void> {
  try {
    await fs.writeFile(file, data);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`could not write checkpoint file (${e.code ?? e.message}): ${file}`);
  }
}

/**
 * Reads a checkpoint file after checking it is a regular file inside the checkpoint (not a symlink,
 * a device or a folder) of an acceptable size: `/dev/zero` linked in as replay.bin must not be read.
 */
async function readFileNamed(file: string, size: { exact?: number; max?: number }): Promise<Buffer> {
  let stat;
  try {
    stat = await fs.lstat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `checkpoint file is missing: ${file}` : `checkpoint file cannot be read (${code}): ${file}`);
  }
  if (stat.isSymbolicLink()) throw new Error(`checkpoint file is a symbolic link (checkpoints hold only regular files): ${file}`);
  if (!stat.isFile()) throw new Error(`checkpoint file is not a regular file: ${file}`);
  if (size.exact !== undefined && stat.size !== size.exact) throw new Error(`checkpoint file has ${stat.size} bytes; expected ${size.exact}: ${file}`);
  if (size.max !== undefined && stat.size > size.max) throw new Error(`checkpoint file is too large (${stat.size} bytes; at most ${size.max}): ${file}`);
  try {
    const bytes = await fs.readFile(file);
    if (size.exact !== undefined && bytes.byteLength !== size.exact) throw new Error(`changed while being read`);
    return bytes;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`checkpoint file cannot be read (${e.code ?? e.message}): ${file}`);
  }
}

async function readJsonNamed(file: string): Promise<unknown> {
  const text = (await readFileNamed(file, { max: MAX_JSON_BYTES })).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`checkpoint file is corrupt (invalid JSON: ${(err as Error).message}): ${file}`);
  }
}

/** Loads and checks a whole checkpoint; any problem is an Error naming the file. */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  await readFileNamed(manifestFile, { max: MAX_JSON_BYTES });
  const manifest = await readCheckpointManifest(dir);
  const validated = validateConfig(upgradeStoredConfig(manifest.config));
  if (!validated.config) {
    throw new Error(`checkpoint manifest has an invalid config (${validated.errors.map((e) => e.message).join('; ')}): ${manifestFile}`);
  }
  const config = validated.config;
  const algorithm = algorithmSpec(config.algorithm);
  const expected = algorithm.networks.map((n) => `${n.name}:${n.folder}:${n.kind}`).join(',');
  const stored = manifest.networks.map((n) => `${n.name}:${n.folder}:${n.kind}`).join(',');
  if (stored !== expected) throw new Error(`checkpoint manifest lists networks [${stored}]; ${algorithm.id} has [${expected}]: ${manifestFile}`);
  const shape = shapeForConfig(config);

  const parameters: NetworkParameters = {};
  for (const network of algorithm.networks) {
    const sizes = weightsBytes(network.kind, shape);
    const parts: Float32Array[] = [];
    for (const [i, model] of modelFolders(network.kind).entries()) {
      const folder = path.join(dir, network.folder, model.subfolder);
      const modelFile = path.join(folder, 'model.json');
      const weightsFile = path.join(folder, 'weights.bin');
      const modelJson = await readJsonNamed(modelFile);
      const weights = await readFileNamed(weightsFile, { exact: sizes[i] });
      try {
        parts.push(fromLayersModelArtifacts(model.model, shape, modelJson, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength)));
      } catch (err) {
        throw new Error(`checkpoint network "${network.folder}" is corrupt (${(err as Error).message}): ${folder}`);
      }
      for (const v of parts[i]) {
        if (!Number.isFinite(v)) throw new Error(`checkpoint network "${network.folder}" has non-finite weights: ${weightsFile}`);
      }
    }
    try {
      parameters[network.name] = joinModels(network.kind, shape, parts);
    } catch (err) {
      throw new Error(`checkpoint network "${network.folder}" is corrupt (${(err as Error).message}): ${path.join(dir, network.folder)}`);
    }
  }

  const stateFile = path.join(dir, 'state.json');
  const state = parseStateFile(await readJsonNamed(stateFile), algorithm, config, shape, stateFile);

  const optimizerFile = path.join(dir, 'optimizer.bin');
  const sizes = algorithm.optimizers.map((o) => storedNetworkParameterCount(networkKind(algorithm, o.network), shape));
  const moments = splitFloat32(
    await readFileNamed(optimizerFile, { exact: sizes.reduce((a, n) => a + 2 * n, 0) * 4 }),
    sizes.flatMap((n) => [n, n]),
    optimizerFile,
    'optimizer moment',
  );
  const optimizer: OptimizerState = {};
  algorithm.optimizers.forEach((o, i) => {
    optimizer[o.name] = { m: moments[2 * i], v: moments[2 * i + 1], step: state.optimizerSteps[o.name] };
    if (optimizer[o.name].v.some((x) => x < 0)) throw new Error(`checkpoint file has a negative second moment for the ${o.name} optimizer: ${optimizerFile}`);
  });

  let buffer: ReplaySnapshot | undefined;
  if (state.replay) {
    const r = state.replay;
    const replayFile = path.join(dir, 'replay.bin');
    const lengths = [r.size * r.obsDim, r.size * r.actDim, r.size, r.size * r.obsDim, r.size];
    const [obs, action, reward, nextObs, terminated] = splitFloat32(
      await readFileNamed(replayFile, { exact: lengths.reduce((a, b) => a + b, 0) * 4 }),
      lengths,
      replayFile,
      'replay',
    );
    if (terminated.some((t) => t !== 0 && t !== 1)) throw new Error(`checkpoint file has terminated flags other than 0 and 1: ${replayFile}`);
    buffer = { capacity: r.capacity, position: r.position, size: r.size, obs, action, reward, nextObs, terminated };
  }
  return { dir, manifest: { ...manifest, config }, shape, algorithm, parameters, optimizer, trainer: state.trainer, buffer };
}

function parseStateFile(value: unknown, algorithm: AlgorithmSpec, config: RunConfig, shape: NetworkShape, file: string): StateFile {
  const bad = (what: string): never => {
    throw new Error(`checkpoint file is corrupt (${what}): ${file}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('not an object');
  const record = value as Record<string, unknown>;
  const steps = record.optimizerSteps as Record<string, unknown> | undefined;
  if (typeof steps !== 'object' || steps === null) bad('missing optimizer steps');
  for (const o of algorithm.optimizers) {
    const n = steps![o.name];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) bad(`optimizer step of "${o.name}" must be a non-negative integer; got ${JSON.stringify(n)}`);
  }
  const trainer = parseTrainerSnapshot(record.trainer, { obsDim: shape.obsDim, statistics: algorithm.statistics.length, noiseSize: config.noiseType === 'ou' && addsActionNoise(config) ? shape.actDim : 0 }, bad);
  let replay: StateFile['replay'] = null;
  if (record.replay !== null && record.replay !== undefined) {
    const r = record.replay as Record<string, unknown>;
    const int = (k: string) => (typeof r[k] === 'number' && Number.isInteger(r[k]) && r[k] >= 0 ? r[k] : bad(`replay.${k} must be a non-negative integer`));
    replay = { capacity: int('capacity'), position: int('position'), size: int('size'), obsDim: int('obsDim'), actDim: int('actDim') };
    if (replay.capacity !== config.bufferSize || replay.size > replay.capacity || replay.position >= Math.max(1, replay.capacity) || replay.obsDim !== shape.obsDim || replay.actDim !== shape.actDim) {
      bad(`replay layout ${JSON.stringify(replay)} does not match the configuration (bufferSize ${config.bufferSize}, obsDim ${shape.obsDim}, actDim ${shape.actDim})`);
    }
  }
  return { trainer, optimizerSteps: steps as Record<string, number>, replay };
}

/** Whether the configuration's algorithm keeps an exploration-noise process (SAC explores with its own policy). */
function addsActionNoise(config: RunConfig): boolean {
  return CONFIG_SPEC.noiseType.appliesTo?.algorithms?.includes(config.algorithm) ?? true;
}

export type { SavedRandom, EnvironmentState };
