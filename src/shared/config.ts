/**
 * Every hyperparameter: default, type, range, description, and which algorithms and environments
 * it applies to, in one place. The extension's `ddpg.*` settings (package.json, written by
 * scripts/sync-settings.mjs), the CLI flags, the dashboard's hyperparameter table and "settings that
 * differ" all come from this table; a unit test keeps package.json equal to it.
 */

import { ENVIRONMENT_IDS, ENVIRONMENTS, type EnvironmentId } from './environments';

export type EngineChoice = 'auto' | 'wasm' | 'tfjs';
export type NoiseType = 'gaussian' | 'ou';
export type AlgorithmId = 'ddpg' | 'td3' | 'sac';
export const ALGORITHM_IDS: readonly AlgorithmId[] = ['ddpg', 'td3', 'sac'];

export interface RunConfig {
  algorithm: AlgorithmId;
  environment: EnvironmentId;
  actorHidden: number[];
  criticHidden: number[];
  actorLr: number;
  criticLr: number;
  gamma: number;
  tau: number;
  batchSize: number;
  bufferSize: number;
  warmupSteps: number;
  updatesPerStep: number;
  noiseType: NoiseType;
  noiseStd: number;
  ouTheta: number;
  policyDelay: number;
  targetPolicyNoise: number;
  targetNoiseClip: number;
  initialAlpha: number;
  autotuneAlpha: boolean;
  targetEntropyPerAction: number;
  alphaLr: number;
  episodes: number;
  totalSteps: number;
  maxEpisodeSteps: number;
  gravity: number;
  goalVelocity: number;
  evalEveryEpisodes: number;
  evalEverySteps: number;
  evalEpisodes: number;
  checkpointEveryEpisodes: number;
  keepPeriodicCheckpoints: number;
  saveBestCheckpoint: boolean;
  saveReplayBuffer: boolean;
  seed: number;
  engine: EngineChoice;
}

export type ConfigKey = keyof RunConfig;

/** Where a setting has an effect; absent lists mean every algorithm / every environment. */
export interface AppliesTo {
  algorithms?: readonly AlgorithmId[];
  environments?: readonly EnvironmentId[];
}

interface BaseSpec {
  description: string;
  group: 'Task' | 'Network' | 'Optimisation' | 'Exploration' | 'Algorithm' | 'Schedule' | 'Environment' | 'Evaluation' | 'Checkpoints' | 'Runtime';
  appliesTo?: AppliesTo;
}
export interface NumberSpec extends BaseSpec {
  type: 'number' | 'integer';
  default: number;
  minimum: number;
  maximum: number;
  /** When true the bound itself is not allowed. */
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  /**
   * Left empty (a null setting, no CLI flag), each run draws a fresh value and records it; the
   * default is then only what defaultConfig() holds, never what a run gets.
   */
  freshWhenEmpty?: boolean;
}
export interface IntegerArraySpec extends BaseSpec {
  type: 'integerArray';
  default: number[];
  minItems: number;
  maxItems: number;
  minimum: number;
  maximum: number;
}
export interface EnumSpec extends BaseSpec {
  type: 'enum';
  default: string;
  enum: readonly string[];
  enumDescriptions: readonly string[];
}
export interface BooleanSpec extends BaseSpec {
  type: 'boolean';
  default: boolean;
}
export type SettingSpec = NumberSpec | IntegerArraySpec | EnumSpec | BooleanSpec;

/** Ordered: the order here is the order of the settings UI. */
export const CONFIG_SPEC: { readonly [K in ConfigKey]: SettingSpec } = {
  algorithm: {
    group: 'Task', type: 'enum', default: 'ddpg', enum: [...ALGORITHM_IDS],
    enumDescriptions: [
      'Deep Deterministic Policy Gradient (Lillicrap et al. 2016): one critic, a deterministic actor, exploration noise.',
      'Twin Delayed DDPG (Fujimoto et al. 2018): twin critics with a clipped double-Q target, target policy smoothing, delayed actor updates.',
      'Soft Actor-Critic (Haarnoja et al. 2018): twin critics, a tanh-squashed Gaussian actor, entropy bonus with automatic temperature tuning.',
    ],
    description: 'The learning algorithm.',
  },
  environment: {
    group: 'Task', type: 'enum', default: 'Pendulum-v1', enum: [...ENVIRONMENT_IDS],
    enumDescriptions: ENVIRONMENT_IDS.map((id) => ENVIRONMENTS[id].summary),
    description: 'The task to learn, as Gymnasium defines it. Each environment has recommended settings (a preset) you can apply when you choose it.',
  },
  actorHidden: {
    group: 'Network', type: 'integerArray', default: [64, 64], minItems: 1, maxItems: 4, minimum: 1, maximum: 1024,
    description: 'Hidden layer widths of the actor (ReLU), e.g. [64, 64]. The output layer is tanh scaled to the action bound.',
  },
  criticHidden: {
    group: 'Network', type: 'integerArray', default: [64, 64], minItems: 1, maxItems: 4, minimum: 1, maximum: 1024,
    description: 'Hidden layer widths of the critic (ReLU); its input is the observation concatenated with the action.',
  },
  actorLr: {
    group: 'Optimisation', type: 'number', default: 1e-3, minimum: 0, maximum: 1, exclusiveMinimum: true,
    description: 'Adam learning rate of the actor.',
  },
  criticLr: {
    group: 'Optimisation', type: 'number', default: 2e-3, minimum: 0, maximum: 1, exclusiveMinimum: true,
    description: 'Adam learning rate of the critic.',
  },
  gamma: {
    group: 'Optimisation', type: 'number', default: 0.99, minimum: 0, maximum: 1, exclusiveMaximum: true,
    description: 'Discount factor γ of the TD target r + γ·Q′(s′, μ′(s′)).',
  },
  tau: {
    group: 'Optimisation', type: 'number', default: 0.01, minimum: 0, maximum: 1, exclusiveMinimum: true,
    description:
      'Soft target update *mixing* fraction (DDPG paper convention): target ← τ·online + (1 − τ)·target. ' +
      'Some write-ups call the retention factor (e.g. 0.995) τ; that value here would mean 0.005.',
  },
  batchSize: {
    group: 'Optimisation', type: 'integer', default: 128, minimum: 1, maximum: 4096,
    description: 'Transitions sampled from the replay buffer per update. Must not exceed the buffer size.',
  },
  bufferSize: {
    group: 'Optimisation', type: 'integer', default: 50000, minimum: 1, maximum: 5000000,
    description: 'Replay buffer capacity in transitions (oldest are overwritten).',
  },
  warmupSteps: {
    group: 'Exploration', type: 'integer', default: 1000, minimum: 0, maximum: 1000000,
    description: 'Environment steps with uniformly random actions before the first update.',
  },
  updatesPerStep: {
    group: 'Optimisation', type: 'integer', default: 1, minimum: 1, maximum: 64,
    description: 'Gradient updates per environment step after warm-up.',
  },
  noiseType: {
    group: 'Exploration', type: 'enum', default: 'gaussian', enum: ['gaussian', 'ou'], appliesTo: { algorithms: ['ddpg', 'td3'] },
    enumDescriptions: ['Independent Gaussian noise each step.', 'Ornstein–Uhlenbeck noise (temporally correlated), reset every episode.'],
    description: 'Exploration noise added to the actor\'s action during training.',
  },
  noiseStd: {
    group: 'Exploration', type: 'number', default: 0.1, minimum: 0, maximum: 2, appliesTo: { algorithms: ['ddpg', 'td3'] },
    description: 'Exploration noise scale σ as a fraction of the action bound (0.1 → σ = 0.2 N·m of torque for Pendulum, 0.1 of force for MountainCarContinuous).',
  },
  ouTheta: {
    group: 'Exploration', type: 'number', default: 0.15, minimum: 0, maximum: 1, appliesTo: { algorithms: ['ddpg', 'td3'] },
    description: 'Mean-reversion rate θ of Ornstein–Uhlenbeck noise (used when noise type is "ou").',
  },
  policyDelay: {
    group: 'Algorithm', type: 'integer', default: 2, minimum: 1, maximum: 100, appliesTo: { algorithms: ['td3'] },
    description: 'TD3: the actor and the targets are updated once every this many critic updates (the paper uses 2).',
  },
  targetPolicyNoise: {
    group: 'Algorithm', type: 'number', default: 0.2, minimum: 0, maximum: 2, appliesTo: { algorithms: ['td3'] },
    description: "TD3: standard deviation of the Gaussian noise added to the target policy's action, as a fraction of the action bound (target policy smoothing).",
  },
  targetNoiseClip: {
    group: 'Algorithm', type: 'number', default: 0.5, minimum: 0, maximum: 2, appliesTo: { algorithms: ['td3'] },
    description: 'TD3: the target smoothing noise is clipped to ± this fraction of the action bound.',
  },
  initialAlpha: {
    group: 'Algorithm', type: 'number', default: 1, minimum: 0, maximum: 100, exclusiveMinimum: true, appliesTo: { algorithms: ['sac'] },
    description: 'SAC: the entropy temperature α at the start (fixed at this value when automatic tuning is off).',
  },
  autotuneAlpha: {
    group: 'Algorithm', type: 'boolean', default: true, appliesTo: { algorithms: ['sac'] },
    description: 'SAC: tune α automatically (its own Adam on log α) so that the policy keeps the target entropy.',
  },
  targetEntropyPerAction: {
    group: 'Algorithm', type: 'number', default: -1, minimum: -10, maximum: 10, appliesTo: { algorithms: ['sac'] },
    description: 'SAC: target entropy per action dimension; the target is this times |A| (the usual −|A| is −1).',
  },
  alphaLr: {
    group: 'Algorithm', type: 'number', default: 1e-3, minimum: 0, maximum: 1, exclusiveMinimum: true, appliesTo: { algorithms: ['sac'] },
    description: 'SAC: Adam learning rate of log α (automatic tuning only).',
  },
  episodes: {
    group: 'Schedule', type: 'integer', default: 100, minimum: 0, maximum: 1000000,
    description: 'Training episodes to run (0 = no episode limit; then Total Steps must be set).',
  },
  totalSteps: {
    group: 'Schedule', type: 'integer', default: 0, minimum: 0, maximum: 100000000,
    description: 'Environment steps to run (0 = no step limit). Training stops at whichever limit comes first.',
  },
  maxEpisodeSteps: {
    group: 'Environment', type: 'integer', default: 0, minimum: 0, maximum: 100000,
    description:
      "Time limit of an episode in steps (0 = the environment's own: 200 for Pendulum-v1, 999 for MountainCarContinuous-v0, 1000 for the MuJoCo tasks but Reacher-v5's 50). " +
      'A time limit truncates an episode; it is not a terminal state, so TD targets bootstrap through it.',
  },
  gravity: {
    group: 'Environment', type: 'number', default: 10, minimum: 0, maximum: 100, appliesTo: { environments: ['Pendulum-v1'] },
    description: 'Gravitational acceleration g of Pendulum-v1 (Gymnasium default 10.0).',
  },
  goalVelocity: {
    group: 'Environment', type: 'number', default: 0, minimum: 0, maximum: 0.07, appliesTo: { environments: ['MountainCarContinuous-v0'] },
    description: 'Velocity the car must have at the flag for MountainCarContinuous-v0 to count as reached (Gymnasium goal_velocity, default 0).',
  },
  evalEveryEpisodes: {
    group: 'Evaluation', type: 'integer', default: 0, minimum: 0, maximum: 100000,
    description: 'Run a deterministic evaluation every N training episodes (0 = off).',
  },
  evalEverySteps: {
    group: 'Evaluation', type: 'integer', default: 1000, minimum: 0, maximum: 10000000,
    description: 'Run a deterministic evaluation every N environment steps, at the next episode end (0 = off).',
  },
  evalEpisodes: {
    group: 'Evaluation', type: 'integer', default: 10, minimum: 1, maximum: 1000,
    description: 'Episodes per deterministic evaluation (no noise, evenly spaced fixed starts).',
  },
  checkpointEveryEpisodes: {
    group: 'Checkpoints', type: 'integer', default: 25, minimum: 0, maximum: 100000,
    description: 'Save a periodic checkpoint every N episodes (0 = off). A final checkpoint is always saved on stop.',
  },
  keepPeriodicCheckpoints: {
    group: 'Checkpoints', type: 'integer', default: 5, minimum: 0, maximum: 100000,
    description:
      'Periodic checkpoints kept per run: after saving one, the oldest beyond this many are deleted (0 = keep all). ' +
      'Best, manual and final checkpoints are never deleted.',
  },
  saveBestCheckpoint: {
    group: 'Checkpoints', type: 'boolean', default: true,
    description: 'Save a "best" checkpoint whenever a deterministic evaluation beats the best so far.',
  },
  saveReplayBuffer: {
    group: 'Checkpoints', type: 'boolean', default: true,
    description: 'Store the replay buffer in checkpoints, so that resuming reproduces the uninterrupted run exactly.',
  },
  seed: {
    group: 'Runtime', type: 'integer', default: 1, minimum: 0, maximum: 2147483647, freshWhenEmpty: true,
    description:
      'Random seed. Empty (the default): every run draws a fresh seed, recorded in run.json and shown in the dashboard, so that two runs differ. ' +
      'A number: that seed; the same seed and settings give the same run.',
  },
  engine: {
    group: 'Runtime', type: 'enum', default: 'auto', enum: ['auto', 'wasm', 'tfjs'],
    enumDescriptions: [
      'The fastest engine that loads here (wasm, else tfjs).',
      'Fused WebAssembly SIMD kernels: the whole update in one call.',
      'TensorFlow.js (tfjs-node when installed, else its wasm or cpu backend).',
    ],
    description: 'Numeric engine for the networks.',
  },
};

export const CONFIG_KEYS = Object.keys(CONFIG_SPEC) as ConfigKey[];

export function defaultConfig(): RunConfig {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const d = CONFIG_SPEC[key].default;
    out[key] = Array.isArray(d) ? [...d] : d;
  }
  return out as unknown as RunConfig;
}

export interface ConfigProblem {
  key: ConfigKey | '(config)';
  message: string;
}
export interface ValidationResult {
  /** Present only when there are no errors. */
  config?: RunConfig;
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(n);
}

/** The allowed range of a setting, in words: "[1, 4096]", "(0, 1]", "an integer in [0, 10]". */
export function describeRange(spec: SettingSpec): string {
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const lo = spec.exclusiveMinimum ? '(' : '[';
      const hi = spec.exclusiveMaximum ? ')' : ']';
      const kind = spec.type === 'integer' ? 'an integer' : 'a number';
      return `${kind} in ${lo}${fmt(spec.minimum)}, ${fmt(spec.maximum)}${hi}`;
    }
    case 'integerArray':
      return `a list of ${spec.minItems}–${spec.maxItems} integers, each in [${spec.minimum}, ${spec.maximum}]`;
    case 'enum':
      return `one of ${spec.enum.map((e) => `"${e}"`).join(', ')}`;
    case 'boolean':
      return 'true or false';
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value); // keeps NaN and Infinity readable
  try {
    return JSON.stringify(value);
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- last resort for what JSON cannot print (a BigInt, a cycle)
    return String(value);
  }
}

function checkOne(key: ConfigKey, value: unknown): string | null {
  const spec = CONFIG_SPEC[key];
  const expected = describeRange(spec);
  const bad = () => `${key} must be ${expected}; got ${show(value)}`;
  switch (spec.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return bad();
      if (spec.type === 'integer' && !Number.isInteger(value)) return bad();
      if (spec.exclusiveMinimum ? value <= spec.minimum : value < spec.minimum) return bad();
      if (spec.exclusiveMaximum ? value >= spec.maximum : value > spec.maximum) return bad();
      return null;
    }
    case 'integerArray': {
      if (!Array.isArray(value) || value.length < spec.minItems || value.length > spec.maxItems) return bad();
      for (const v of value) {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < spec.minimum || v > spec.maximum) return bad();
      }
      return null;
    }
    case 'enum':
      return typeof value === 'string' && spec.enum.includes(value) ? null : bad();
    case 'boolean':
      return typeof value === 'boolean' ? null : bad();
  }
}

/**
 * Validates a whole configuration and returns *every* problem, each naming the setting and the
 * allowed range. Unknown keys are errors too (a typo must not silently fall back to a default).
 */
export function validateConfig(input: unknown): ValidationResult {
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { errors: [{ key: '(config)', message: `configuration must be an object; got ${show(input)}` }], warnings };
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(key in CONFIG_SPEC)) errors.push({ key: '(config)', message: `unknown setting "${key}"` });
  }
  for (const key of CONFIG_KEYS) {
    if (!(key in record) || record[key] === undefined) {
      errors.push({ key, message: `${key} is missing; it must be ${describeRange(CONFIG_SPEC[key])}` });
      continue;
    }
    const problem = checkOne(key, record[key]);
    if (problem) errors.push({ key, message: problem });
  }
  const c = record as unknown as RunConfig;
  const okKey = (k: ConfigKey) => !errors.some((e) => e.key === k);
  if (okKey('batchSize') && okKey('bufferSize') && c.batchSize > c.bufferSize) {
    errors.push({ key: 'batchSize', message: `batchSize (${c.batchSize}) must not exceed bufferSize (${c.bufferSize})` });
  }
  if (okKey('episodes') && okKey('totalSteps') && c.episodes === 0 && c.totalSteps === 0) {
    errors.push({ key: 'episodes', message: 'episodes and totalSteps are both 0: set at least one limit (episodes ≥ 1 or totalSteps ≥ 1)' });
  }
  if (okKey('tau') && c.tau > 0.5) {
    warnings.push({
      key: 'tau',
      message:
        `tau is ${c.tau}: here tau is the mixing fraction (target ← tau·online + (1 − tau)·target, typically 0.005–0.01). ` +
        `If you meant the retention factor of the other convention, use ${+(1 - c.tau).toPrecision(6)}.`,
    });
  }
  if (okKey('warmupSteps') && okKey('batchSize') && c.warmupSteps < c.batchSize) {
    warnings.push({
      key: 'warmupSteps',
      message: `warmupSteps (${c.warmupSteps}) is below batchSize (${c.batchSize}): updates wait until the buffer holds one batch`,
    });
  }
  if (errors.length > 0) return { errors, warnings };
  const config = {} as Record<string, unknown>;
  for (const key of CONFIG_KEYS) {
    const v = record[key];
    config[key] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
  return { config: config as unknown as RunConfig, errors, warnings };
}

/**
 * Settings added after checkpoints and runs were first written: a configuration stored before
 * one of them existed gets its default, so older checkpoints stay loadable.
 */
const SETTINGS_ADDED_LATER: readonly ConfigKey[] = [
  'keepPeriodicCheckpoints',
  'algorithm',
  'environment',
  'goalVelocity',
  'policyDelay',
  'targetPolicyNoise',
  'targetNoiseClip',
  'initialAlpha',
  'autotuneAlpha',
  'targetEntropyPerAction',
  'alphaLr',
];

/**
 * A stored configuration (checkpoint manifest, run.json) with the settings it predates filled in:
 * before environments and algorithms were choices every run was DDPG on Pendulum-v1 (the defaults).
 */
export function upgradeStoredConfig(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return stored;
  const upgraded = { ...(stored as Record<string, unknown>) };
  for (const key of SETTINGS_ADDED_LATER) if (!(key in upgraded)) upgraded[key] = CONFIG_SPEC[key].default;
  return upgraded;
}

/** Whether a setting has any effect on a run of this algorithm and environment. */
export function appliesTo(key: ConfigKey, config: Pick<RunConfig, 'algorithm' | 'environment'>): boolean {
  const where = CONFIG_SPEC[key].appliesTo;
  if (!where) return true;
  if (where.algorithms && !where.algorithms.includes(config.algorithm)) return false;
  if (where.environments && !where.environments.includes(config.environment)) return false;
  return true;
}

/** "Pendulum-v1 only", "DDPG and TD3" …: where a setting applies, in words ('' when it applies everywhere). */
export function describeAppliesTo(key: ConfigKey): string {
  const where = CONFIG_SPEC[key].appliesTo;
  if (!where) return '';
  const parts: string[] = [];
  if (where.algorithms) parts.push(where.algorithms.map((a) => a.toUpperCase()).join(', '));
  if (where.environments) parts.push(where.environments.join(', '));
  return `Applies to ${parts.join(' on ')} only.`;
}

/** The episode time limit a run uses: its own setting, or the environment's (0). */
export function episodeLimitOf(config: Pick<RunConfig, 'maxEpisodeSteps' | 'environment'>): number {
  return config.maxEpisodeSteps > 0 ? config.maxEpisodeSteps : ENVIRONMENTS[config.environment].maxEpisodeSteps;
}

/** Merges overrides onto the defaults, then validates. */
export function resolveConfig(overrides: Partial<Record<string, unknown>>): ValidationResult {
  return validateConfig({ ...defaultConfig(), ...overrides });
}

/** Stable short hash of a configuration (FNV-1a over canonical JSON), stored in checkpoints. */
export function configHash(config: RunConfig): string {
  return storedConfigHash(Object.fromEntries(CONFIG_KEYS.map((k) => [k, config[k]])));
}

/**
 * The hash of a configuration as it was stored, in its stored key order: what configHash gave
 * when it was written (every version wrote CONFIG_KEYS in order), so a manifest whose config was
 * changed afterwards is recognised even after settings were added to the table.
 */
export function storedConfigHash(stored: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.entries(stored));
  let h = 0x811c9dc5;
  for (let i = 0; i < canonical.length; i++) {
    h ^= canonical.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
