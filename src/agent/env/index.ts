/**
 * The registry: an environment by its descriptor id. Everything outside src/agent/env/ builds
 * environments here and sees them only through the Environment interface.
 */

import { ENVIRONMENT_IDS, ENVIRONMENTS, isEnvironmentId, type EnvironmentId } from '../../shared/environments';
import type { Environment } from './environment';
import { MountainCarContinuous } from './mountainCarContinuous';
import { resolveEnvironmentOptions, type ResolvedEnvironmentOptions } from './options';
import { PendulumEnvironment } from './pendulum';

export type { Environment, EnvironmentOptions, EnvironmentState, StepResult } from './environment';
export type { EnvironmentDescriptor, EnvironmentId } from '../../shared/environments';
export { ENVIRONMENT_IDS, ENVIRONMENTS, isEnvironmentId };

const FACTORIES: { readonly [K in EnvironmentId]: (options: ResolvedEnvironmentOptions) => Environment } = {
  'Pendulum-v1': ({ rng, maxEpisodeSteps, values }) => new PendulumEnvironment({ g: values.gravity, maxEpisodeSteps, rng }),
  'MountainCarContinuous-v0': ({ rng, maxEpisodeSteps, values }) =>
    new MountainCarContinuous({ goalVelocity: values.goalVelocity, maxEpisodeSteps, rng }),
};

/**
 * Gymnasium's `gym.make(id, **options)`, time limit included. Options take Gymnasium's keyword or this
 * project's config key (g / gravity, goal_velocity / goalVelocity), plus `maxEpisodeSteps` (0 = the
 * descriptor's) and `rng` (the reset RNG); see EnvironmentOptions.
 */
export function makeEnv(id: string, options: object = {}): Environment {
  if (!isEnvironmentId(id)) {
    throw new Error(`unknown environment ${JSON.stringify(id)}; known environments: ${ENVIRONMENT_IDS.join(', ')}`);
  }
  return FACTORIES[id](resolveEnvironmentOptions(ENVIRONMENTS[id], options));
}
