/** The environment a run's configuration asks for: its id, its options by config key, its time limit. */

import { episodeLimitOf, type RunConfig } from '../shared/config';
import { ENVIRONMENTS } from '../shared/environments';
import type { Environment } from './env/environment';
import { makeEnv } from './env/index';
import type { Random } from './random';

export function environmentFor(config: RunConfig, rng?: Random): Environment {
  const options: Record<string, unknown> = { maxEpisodeSteps: episodeLimitOf(config) };
  if (rng) options.rng = rng;
  for (const option of ENVIRONMENTS[config.environment].options) options[option.configKey] = (config as unknown as Record<string, unknown>)[option.configKey];
  return makeEnv(config.environment, options);
}
