/**
 * The registry: an environment by its descriptor id. Everything outside src/agent/env/ builds
 * environments here and sees them only through the Environment interface.
 */

import { ENVIRONMENT_IDS, ENVIRONMENTS, isEnvironmentId, type EnvironmentId } from '../../shared/environments';
import type { Environment } from './environment';
import { MountainCarContinuous } from './mountainCarContinuous';
import { Ant } from './mujoco/ant';
import { HalfCheetah } from './mujoco/halfCheetah';
import { Hopper } from './mujoco/hopper';
import { InvertedDoublePendulum } from './mujoco/invertedDoublePendulum';
import { InvertedPendulum } from './mujoco/invertedPendulum';
import { prepareMujoco } from './mujoco/mujocoRuntime';
import { Reacher } from './mujoco/reacher';
import { Swimmer } from './mujoco/swimmer';
import { Walker2d } from './mujoco/walker2d';
import { resolveEnvironmentOptions, type ResolvedEnvironmentOptions } from './options';
import { PendulumEnvironment } from './pendulum';

export type { Environment, EnvironmentOptions, EnvironmentState, StepResult } from './environment';
export type { EnvironmentDescriptor, EnvironmentId } from '../../shared/environments';
export { ENVIRONMENT_IDS, ENVIRONMENTS, isEnvironmentId };

const FACTORIES: { readonly [K in EnvironmentId]: (options: ResolvedEnvironmentOptions) => Environment } = {
  'Pendulum-v1': ({ rng, maxEpisodeSteps, values }) => new PendulumEnvironment({ g: values.gravity, maxEpisodeSteps, rng }),
  'MountainCarContinuous-v0': ({ rng, maxEpisodeSteps, values }) =>
    new MountainCarContinuous({ goalVelocity: values.goalVelocity, maxEpisodeSteps, rng }),
  'InvertedPendulum-v5': ({ rng, maxEpisodeSteps }) => new InvertedPendulum({ rng, maxEpisodeSteps }),
  'InvertedDoublePendulum-v5': ({ rng, maxEpisodeSteps }) => new InvertedDoublePendulum({ rng, maxEpisodeSteps }),
  'HalfCheetah-v5': ({ rng, maxEpisodeSteps }) => new HalfCheetah({ rng, maxEpisodeSteps }),
  'Hopper-v5': ({ rng, maxEpisodeSteps }) => new Hopper({ rng, maxEpisodeSteps }),
  'Walker2d-v5': ({ rng, maxEpisodeSteps }) => new Walker2d({ rng, maxEpisodeSteps }),
  'Reacher-v5': ({ rng, maxEpisodeSteps }) => new Reacher({ rng, maxEpisodeSteps }),
  'Swimmer-v5': ({ rng, maxEpisodeSteps }) => new Swimmer({ rng, maxEpisodeSteps }),
  'Ant-v5': ({ rng, maxEpisodeSteps }) => new Ant({ rng, maxEpisodeSteps }),
};

/**
 * Loads what environment `id` needs before makeEnv(id) can build it: MuJoCo's WebAssembly module
 * for the MuJoCo environments (once per process; only runs of those pay for it), nothing for the
 * others. The trainer and the evaluator await it before their first makeEnv.
 */
export async function prepareEnvironment(id: string): Promise<void> {
  if (isEnvironmentId(id) && ENVIRONMENTS[id].mujoco) await prepareMujoco();
}

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
