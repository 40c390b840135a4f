/**
 * The run folder's format, version 2, and the upgrade of version 1 (every run written before
 * environments and algorithms were choices: DDPG on Pendulum-v1, four networks).
 *
 * A run folder holds run.json (RunInfo), metrics.jsonl (one EpisodeRow or EvalRow a line) and
 * checkpoints/<name>/ (checkpoint.json and the networks). A run of a MuJoCo environment also has
 * scene.json: the model's bodies, geoms and rest poses (a MujocoScene, a few kilobytes), written
 * by the trainer when the run starts, so that a dashboard opened after the run ended can draw the
 * model. It is optional and adds nothing to the version: folders written before it (and every
 * folder of another environment) have none, and open as they always did.
 *
 * Pure: parsers take parsed JSON and the file it came from (for error messages); the Node I/O that
 * reads and writes the files is src/shared/node/runDirectory.ts.
 */

import { storedConfigHash, upgradeStoredConfig, type AlgorithmId, type RunConfig } from './config';
import { ENVIRONMENTS, isEnvironmentId, type EnvironmentDescriptor, type EnvironmentId } from './environments';
import { isMujocoScene, sceneFitsEnvironment, type MujocoScene } from './mujocoScene';

export const RUN_FORMAT_VERSION = 2;

/**
 * What a stored network is: 'actor' and 'critic' as DDPG's; 'gaussianActor' SAC's actor (its folder
 * holds the mean action's LayersModel, and log_std/ the log-std head's); 'scalar' one number
 * (SAC's log α) as a one-weight LayersModel.
 */
export type StoredNetworkKind = 'actor' | 'critic' | 'gaussianActor' | 'scalar';
const STORED_NETWORK_KINDS: readonly string[] = ['actor', 'critic', 'gaussianActor', 'scalar'];

/** A network stored in a checkpoint: its role in the algorithm, the folder of its LayersModel, and its kind. */
export interface StoredNetwork {
  name: string;
  folder: string;
  kind: StoredNetworkKind;
}

/** DDPG's networks, in the order their optimizers' moments are laid out in optimizer.bin. */
export const DDPG_NETWORKS: readonly StoredNetwork[] = [
  { name: 'actor', folder: 'actor', kind: 'actor' },
  { name: 'critic', folder: 'critic', kind: 'critic' },
  { name: 'targetActor', folder: 'target_actor', kind: 'actor' },
  { name: 'targetCritic', folder: 'target_critic', kind: 'critic' },
];

/** TD3's networks (twin critics, three targets), in the order their optimizers' moments are laid out in optimizer.bin. */
export const TD3_NETWORKS: readonly StoredNetwork[] = [
  { name: 'actor', folder: 'actor', kind: 'actor' },
  { name: 'critic1', folder: 'critic1', kind: 'critic' },
  { name: 'critic2', folder: 'critic2', kind: 'critic' },
  { name: 'targetActor', folder: 'target_actor', kind: 'actor' },
  { name: 'targetCritic1', folder: 'target_critic1', kind: 'critic' },
  { name: 'targetCritic2', folder: 'target_critic2', kind: 'critic' },
];

/** SAC's networks: the squashed Gaussian actor, twin critics and their targets, and log α. */
export const SAC_NETWORKS: readonly StoredNetwork[] = [
  { name: 'actor', folder: 'actor', kind: 'gaussianActor' },
  { name: 'critic1', folder: 'critic1', kind: 'critic' },
  { name: 'critic2', folder: 'critic2', kind: 'critic' },
  { name: 'targetCritic1', folder: 'target_critic1', kind: 'critic' },
  { name: 'targetCritic2', folder: 'target_critic2', kind: 'critic' },
  { name: 'logAlpha', folder: 'log_alpha', kind: 'scalar' },
];

export interface EnvironmentRef {
  id: EnvironmentId;
  /** Gymnasium's keyword → value (g for Pendulum, goal_velocity for MountainCarContinuous). */
  options: Record<string, number>;
}

/** The environment a configuration trains on, with its options by Gymnasium's names. */
export function environmentRefOf(config: Pick<RunConfig, 'environment'>): EnvironmentRef {
  const env = ENVIRONMENTS[config.environment];
  const options: Record<string, number> = {};
  for (const option of env.options) {
    const value = (config as unknown as Record<string, unknown>)[option.configKey];
    options[option.gymnasiumName] = typeof value === 'number' ? value : option.default;
  }
  return { id: env.id, options };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isStoredNetwork(v: unknown): v is StoredNetwork {
  return (
    isObject(v) &&
    typeof v.name === 'string' &&
    typeof v.folder === 'string' &&
    /^[A-Za-z0-9_-]+$/.test(v.folder) &&
    typeof v.kind === 'string' &&
    STORED_NETWORK_KINDS.includes(v.kind)
  );
}

function isCheckpointEvaluation(v: unknown): boolean {
  return isObject(v) && ['mean', 'std', 'step', 'episode'].every((key) => typeof v[key] === 'number' && Number.isFinite(v[key]));
}

/** A score that cannot be read is not worth refusing the checkpoint over: it goes unlabelled. */
function withReadableEvaluation(manifest: Record<string, unknown>): Record<string, unknown> {
  if (!('evaluation' in manifest) || manifest.evaluation === null || isCheckpointEvaluation(manifest.evaluation)) return manifest;
  const { evaluation: _unreadable, ...rest } = manifest;
  return rest;
}

/**
 * A checkpoint manifest read from disk, upgraded to version 2 in memory. `config` gets the settings
 * it predates; a version 1 manifest gains algorithm ddpg, Pendulum-v1 with its stored gravity and
 * DDPG's four networks. Throws naming the file and what is wrong.
 */
export function parseCheckpointManifest<M extends { formatVersion: number; config: RunConfig }>(value: unknown, file: string): M {
  if (!isObject(value)) throw new Error(`checkpoint manifest is not an object: ${file}`);
  if (value.formatVersion !== 1 && value.formatVersion !== 2) {
    throw new Error(`checkpoint manifest has unsupported formatVersion ${JSON.stringify(value.formatVersion)} (expected 1 or 2): ${file}`);
  }
  for (const key of ['episode', 'step'] as const) {
    if (typeof value[key] !== 'number') throw new Error(`checkpoint manifest lacks a numeric "${key}": ${file}`);
  }
  if (!isObject(value.config)) throw new Error(`checkpoint manifest lacks "config": ${file}`);
  if (typeof value.configHash === 'string' && value.configHash !== storedConfigHash(value.config)) {
    throw new Error(
      `checkpoint manifest's config was changed after the checkpoint was written (configHash ${value.configHash}; the config hashes to ${storedConfigHash(value.config)}): ${file}`,
    );
  }
  const config = upgradeStoredConfig(value.config) as RunConfig;
  if (value.formatVersion === 1) {
    return { ...withReadableEvaluation(value), formatVersion: 2, config, algorithm: 'ddpg', environment: environmentRefOf(config), networks: [...DDPG_NETWORKS] } as unknown as M;
  }
  if (typeof value.algorithm !== 'string') throw new Error(`checkpoint manifest lacks "algorithm": ${file}`);
  if (!isObject(value.environment) || !isEnvironmentId(value.environment.id)) {
    throw new Error(`checkpoint manifest names no known environment (${JSON.stringify(value.environment)}): ${file}`);
  }
  if (!Array.isArray(value.networks) || value.networks.length === 0 || !value.networks.every(isStoredNetwork)) {
    throw new Error(`checkpoint manifest has no valid "networks" list: ${file}`);
  }
  if (config.algorithm !== value.algorithm || config.environment !== value.environment.id) {
    throw new Error(
      `checkpoint manifest says ${value.algorithm} on ${value.environment.id} but its config says ${config.algorithm} on ${config.environment}: ${file}`,
    );
  }
  return { ...withReadableEvaluation(value), config } as unknown as M;
}

/** run.json read from disk, upgraded to version 2 in memory (v1: DDPG on Pendulum-v1). */
export function parseRunInfo<R extends { id: string; config: RunConfig }>(value: unknown, file: string): R {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.status !== 'string' || !isObject(value.config)) {
    throw new Error(`run.json lacks id, status or config: ${file}`);
  }
  const config = upgradeStoredConfig(value.config) as RunConfig;
  const algorithm = typeof value.algorithm === 'string' ? value.algorithm : config.algorithm;
  const environment = isObject(value.environment) && isEnvironmentId(value.environment.id) ? value.environment : environmentRefOf(config);
  const { warnings, ...rest } = value;
  const readableWarnings = Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [];
  return { ...rest, ...(readableWarnings.length > 0 ? { warnings: readableWarnings } : {}), config, algorithm, environment } as unknown as R;
}

/** The algorithm and environment fields run.json and manifests carry from version 2 on. */
export function taskFieldsOf(config: RunConfig): { algorithm: AlgorithmId; environment: EnvironmentRef } {
  return { algorithm: config.algorithm, environment: environmentRefOf(config) };
}

/**
 * scene.json read from disk, for a run of `environment`. Throws naming the file when it is not a
 * scene a renderer can build, or is another model's (its bodies are not what the run's frames place).
 */
export function parseStoredScene(value: unknown, file: string, environment: EnvironmentDescriptor): MujocoScene {
  if (!isMujocoScene(value)) throw new Error(`scene.json is not a MuJoCo scene (bodies, geoms and their poses): ${file}`);
  if (!sceneFitsEnvironment(value, environment)) {
    throw new Error(`scene.json describes model ${JSON.stringify(value.model)} with ${value.bodies.length} bodies, not ${environment.id}'s: ${file}`);
  }
  return value;
}
