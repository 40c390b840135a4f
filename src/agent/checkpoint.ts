/**
 * Checkpoint save/load. A checkpoint is a folder:
 *   checkpoint.json                 manifest (protocol.ts CheckpointManifest)
 *   actor/ critic/ target_actor/ target_critic/   TensorFlow.js LayersModel (model.json + weights.bin)
 *   optimizer.bin                   Adam moments, float32: actor m, actor v, critic m, critic v
 *   state.json                      counters, RNG and noise state, Adam step counts, replay buffer layout
 *   replay.bin                      (optional) replay buffer, float32: obs, action, reward, nextObs, terminated
 * It is written into a temporary sibling folder and renamed into place, so a checkpoint is either
 * complete or absent. Loading checks every file and names the one that is missing or corrupt.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointManifest } from '../shared/protocol';
import { upgradeStoredConfig, validateConfig } from '../shared/config';
import { networkShapeFor, type SavedRandom } from './ddpg';
import type { NetworkParameters, NetworkShape, OptimizerState } from './engine/engine';
import { actorLayers, criticLayers, parameterCount } from './engine/parameters';
import { fromLayersModelArtifacts, toLayersModelArtifacts } from './engine/tfjs/layersModelFormat';
import { PENDULUM } from './env/pendulum';
import type { ReplayBuffer } from './replayBuffer';
import { MANIFEST_FILE, readCheckpointManifest } from '../shared/node/runDirectory';

export type ReplaySnapshot = ReturnType<ReplayBuffer['snapshot']>;

export interface TrainerSnapshot {
  episode: number;
  totalSteps: number;
  episodeReturn: number;
  inEpisode: boolean;
  obs: number[];
  envState: [number, number];
  envElapsedSteps: number;
  nextEvalStep: number;
  nextEvalEpisode: number;
  bestEval: number | null;
  latestEval: number | null;
  lastEvalStep: number;
  recentReturns: number[];
  solved: { step: number; wallTime: number } | null;
  episodeStats: number[];
  wallTime: number;
  random: { env: SavedRandom; noise: SavedRandom; sample: SavedRandom; warmup: SavedRandom };
  noise: number[];
}

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
}

interface StateFile {
  trainer: TrainerSnapshot;
  optimizerSteps: { actor: number; critic: number };
  replay: { capacity: number; position: number; size: number; obsDim: number; actDim: number } | null;
}

const NETWORK_FOLDERS = { actor: 'actor', critic: 'critic', targetActor: 'target_actor', targetCritic: 'target_critic' } as const;
type NetworkName = keyof typeof NETWORK_FOLDERS;
const kindOf = (name: NetworkName): 'actor' | 'critic' => (name === 'actor' || name === 'targetActor' ? 'actor' : 'critic');

export function shapeForConfig(config: CheckpointManifest['config']): NetworkShape {
  return networkShapeFor(config, { obsDim: PENDULUM.obsDim, actDim: PENDULUM.actDim, maxTorque: PENDULUM.maxTorque });
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

/** Splits a float32 file into pieces of the given lengths; the byte size must match exactly. */
function splitFloat32(bytes: Buffer, lengths: number[], file: string): Float32Array[] {
  const expected = lengths.reduce((a, b) => a + b, 0) * 4;
  if (bytes.byteLength !== expected) throw new Error(`${file} has ${bytes.byteLength} bytes; expected ${expected}`);
  const all = new Float32Array(expected / 4);
  new Uint8Array(all.buffer).set(bytes);
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const n of lengths) {
    parts.push(all.subarray(offset, offset + n));
    offset += n;
  }
  return parts;
}

/** Saves atomically into `<checkpointsDir>/<manifest.name>`, replacing an older one of the same name. */
export async function saveCheckpoint(checkpointsDir: string, contents: CheckpointContents): Promise<string> {
  const { manifest, parameters, optimizer, trainer, buffer } = contents;
  const shape = shapeForConfig(manifest.config);
  await fs.mkdir(checkpointsDir, { recursive: true });
  const finalDir = path.join(checkpointsDir, manifest.name);
  const tmpDir = path.join(checkpointsDir, `.tmp-${manifest.name}-${process.pid}-${Date.now()}`);
  await fs.mkdir(tmpDir);
  try {
    for (const name of Object.keys(NETWORK_FOLDERS) as NetworkName[]) {
      const folder = path.join(tmpDir, NETWORK_FOLDERS[name]);
      await fs.mkdir(folder);
      const { modelJson, weightsBin } = toLayersModelArtifacts(kindOf(name), shape, parameters[name]);
      await fs.writeFile(path.join(folder, 'model.json'), JSON.stringify(modelJson));
      await fs.writeFile(path.join(folder, 'weights.bin'), weightsBin);
    }
    await fs.writeFile(path.join(tmpDir, 'optimizer.bin'), concatFloat32([optimizer.actor.m, optimizer.actor.v, optimizer.critic.m, optimizer.critic.v]));
    const state: StateFile = {
      trainer,
      optimizerSteps: { actor: optimizer.actor.step, critic: optimizer.critic.step },
      replay: buffer
        ? { capacity: buffer.capacity, position: buffer.position, size: buffer.size, obsDim: shape.obsDim, actDim: shape.actDim }
        : null,
    };
    await fs.writeFile(path.join(tmpDir, 'state.json'), JSON.stringify(state));
    if (buffer) {
      await fs.writeFile(path.join(tmpDir, 'replay.bin'), concatFloat32([buffer.obs, buffer.action, buffer.reward, buffer.nextObs, buffer.terminated]));
    }
    // The manifest last: a folder with a manifest is a complete checkpoint.
    await fs.writeFile(path.join(tmpDir, MANIFEST_FILE), JSON.stringify({ ...manifest, hasReplayBuffer: !!buffer }, null, 2) + '\n');
    const old = `${tmpDir}-old`;
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

async function readFileNamed(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `checkpoint file is missing: ${file}` : `checkpoint file cannot be read (${code}): ${file}`);
  }
}

async function readJsonNamed(file: string): Promise<unknown> {
  const text = (await readFileNamed(file)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`checkpoint file is corrupt (invalid JSON: ${(err as Error).message}): ${file}`);
  }
}

/** Loads and checks a whole checkpoint; any problem is an Error naming the file. */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const manifest = await readCheckpointManifest(dir);
  const validated = validateConfig(upgradeStoredConfig(manifest.config));
  if (!validated.config) {
    throw new Error(`checkpoint manifest has an invalid config (${validated.errors.map((e) => e.message).join('; ')}): ${path.join(dir, MANIFEST_FILE)}`);
  }
  const shape = shapeForConfig(validated.config);
  const parameters = {} as NetworkParameters;
  for (const name of Object.keys(NETWORK_FOLDERS) as NetworkName[]) {
    const folder = path.join(dir, NETWORK_FOLDERS[name]);
    const modelFile = path.join(folder, 'model.json');
    const weightsFile = path.join(folder, 'weights.bin');
    const modelJson = await readJsonNamed(modelFile);
    const weights = await readFileNamed(weightsFile);
    try {
      parameters[name] = fromLayersModelArtifacts(kindOf(name), shape, modelJson, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
    } catch (err) {
      throw new Error(`checkpoint network "${NETWORK_FOLDERS[name]}" is corrupt (${(err as Error).message}): ${folder}`);
    }
    for (const v of parameters[name]) {
      if (!Number.isFinite(v)) throw new Error(`checkpoint network "${NETWORK_FOLDERS[name]}" has non-finite weights: ${weightsFile}`);
    }
  }
  const stateFile = path.join(dir, 'state.json');
  const state = (await readJsonNamed(stateFile)) as Partial<StateFile>;
  if (!state || typeof state !== 'object' || !state.trainer || !state.optimizerSteps || typeof state.trainer.totalSteps !== 'number') {
    throw new Error(`checkpoint file is corrupt (missing trainer state or optimizer steps): ${stateFile}`);
  }
  const nActor = parameterCount(actorLayers(shape));
  const nCritic = parameterCount(criticLayers(shape));
  const optimizerFile = path.join(dir, 'optimizer.bin');
  const [am, av, cm, cv] = splitFloat32(await readFileNamed(optimizerFile), [nActor, nActor, nCritic, nCritic], optimizerFile);
  const optimizer: OptimizerState = {
    actor: { m: am.slice(), v: av.slice(), step: state.optimizerSteps.actor },
    critic: { m: cm.slice(), v: cv.slice(), step: state.optimizerSteps.critic },
  };
  let buffer: ReplaySnapshot | undefined;
  if (state.replay) {
    const r = state.replay;
    if (r.capacity !== validated.config.bufferSize || r.size > r.capacity || r.obsDim !== shape.obsDim || r.actDim !== shape.actDim) {
      throw new Error(`checkpoint replay layout ${JSON.stringify(r)} does not match the configuration: ${stateFile}`);
    }
    const replayFile = path.join(dir, 'replay.bin');
    const [obs, action, reward, nextObs, terminated] = splitFloat32(
      await readFileNamed(replayFile),
      [r.size * r.obsDim, r.size * r.actDim, r.size, r.size * r.obsDim, r.size],
      replayFile,
    );
    buffer = { capacity: r.capacity, position: r.position, size: r.size, obs, action, reward, nextObs, terminated };
  }
  return { dir, manifest: { ...manifest, config: validated.config }, shape, parameters, optimizer, trainer: state.trainer, buffer };
}
