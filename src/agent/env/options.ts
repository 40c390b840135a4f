/**
 * makeEnv's options, checked: an environment built from a typo or an out-of-range value would train
 * on the wrong task without a word, so every problem is an error that names the option.
 */

import { CONFIG_SPEC, describeRange, type ConfigKey } from '../../shared/config';
import type { EnvironmentDescriptor, EnvironmentOption } from '../../shared/environments';
import { Random } from '../random';

export interface ResolvedEnvironmentOptions {
  rng: Random;
  maxEpisodeSteps: number;
  /** Every option of the descriptor, by its config key (gravity, goalVelocity), defaults filled in. */
  values: Record<string, number>;
}

const GENERAL_OPTIONS = ['maxEpisodeSteps', 'rng'];

export function resolveEnvironmentOptions(spec: EnvironmentDescriptor, options: object): ResolvedEnvironmentOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${spec.id}: options must be an object, got ${show(options)}`);
  }
  const given = options as Record<string, unknown>;
  const known = new Set([...GENERAL_OPTIONS, ...spec.options.flatMap((o) => [o.gymnasiumName, o.configKey])]);
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !known.has(key)) {
      throw new Error(`${spec.id}: unknown option "${key}"; it takes ${[...spec.options.map(optionName), ...GENERAL_OPTIONS].join(', ')}`);
    }
  }
  const values: Record<string, number> = {};
  for (const option of spec.options) values[option.configKey] = optionValue(spec, option, given);
  return { rng: rngOption(spec, given.rng), maxEpisodeSteps: episodeLimitOption(spec, given.maxEpisodeSteps), values };
}

function optionName(option: EnvironmentOption): string {
  return option.gymnasiumName === option.configKey ? option.configKey : `${option.gymnasiumName} (or ${option.configKey})`;
}

function optionValue(spec: EnvironmentDescriptor, option: EnvironmentOption, given: Record<string, unknown>): number {
  const byGymnasiumName = given[option.gymnasiumName];
  const byConfigKey = given[option.configKey];
  if (byGymnasiumName !== undefined && byConfigKey !== undefined && !Object.is(byGymnasiumName, byConfigKey)) {
    throw new Error(
      `${spec.id}: options ${option.gymnasiumName} (${show(byGymnasiumName)}) and ${option.configKey} (${show(byConfigKey)}) ` +
        'are the same option with different values; give one',
    );
  }
  const value = byGymnasiumName ?? byConfigKey ?? option.default;
  const setting = CONFIG_SPEC[option.configKey as ConfigKey];
  const numeric = setting?.type === 'number' || setting?.type === 'integer' ? setting : undefined;
  const inRange =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!numeric ||
      ((numeric.exclusiveMinimum ? value > numeric.minimum : value >= numeric.minimum) &&
        (numeric.exclusiveMaximum ? value < numeric.maximum : value <= numeric.maximum)));
  if (!inRange) {
    const expected = numeric ? describeRange(numeric) : 'a finite number';
    throw new RangeError(`${spec.id}: option ${optionName(option)} must be ${expected}, got ${show(value)}`);
  }
  return value;
}

/** 0 (or nothing) is the environment's own limit, as the maxEpisodeSteps setting means it. */
function episodeLimitOption(spec: EnvironmentDescriptor, value: unknown): number {
  if (value === undefined || value === 0) return spec.maxEpisodeSteps;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${spec.id}: option maxEpisodeSteps must be a positive integer (0 = the environment's ${spec.maxEpisodeSteps}), got ${show(value)}`);
  }
  return value;
}

function rngOption(spec: EnvironmentDescriptor, value: unknown): Random {
  if (value === undefined) return new Random(0);
  if (value instanceof Random) return value;
  throw new TypeError(`${spec.id}: option rng must be a Random (src/agent/random.ts), got ${show(value)}`);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Object.prototype.toString.call(value);
}
