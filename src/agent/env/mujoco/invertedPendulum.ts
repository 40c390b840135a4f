/**
 * InvertedPendulum-v5 as Gymnasium defines it (gymnasium/envs/mujoco/inverted_pendulum_v5.py, default
 * arguments): inverted_pendulum.xml, frame_skip 2, observation qpos ‖ qvel, reward 1 while healthy
 * (v5 gives nothing on the terminating step), terminated when the observation is not finite or
 * |pole angle| > 0.2, reset noise U(±0.01) on qpos and qvel.
 */

import { ENVIRONMENTS } from '../../../shared/environments';
import type { Random } from '../../random';
import { MujocoEnvironment, type MujocoEnvironmentOptions } from './mujocoEnvironment';

export const INVERTED_PENDULUM = {
  modelFile: 'inverted_pendulum.xml',
  frameSkip: 2,
  resetNoiseScale: 0.01,
  maxPoleAngle: 0.2,
} as const;

export class InvertedPendulum extends MujocoEnvironment {
  constructor(options: MujocoEnvironmentOptions) {
    super(ENVIRONMENTS['InvertedPendulum-v5'], INVERTED_PENDULUM.modelFile, INVERTED_PENDULUM.frameSkip, options);
  }

  protected resetModel(rng: Random) {
    const noise = INVERTED_PENDULUM.resetNoiseScale;
    const qpos = Array.from(this.initQpos, (q) => q + rng.uniform(-noise, noise));
    const qvel = Array.from(this.initQvel, (v) => v + rng.uniform(-noise, noise));
    return { qpos, qvel };
  }

  protected stepModel(action: Float64Array) {
    this.simulate(action);
    const observation = this.observation();
    const terminated = !observation.every(Number.isFinite) || Math.abs(observation[1]) > INVERTED_PENDULUM.maxPoleAngle;
    const reward = terminated ? 0 : 1;
    this.info = { reward_survive: reward };
    return { reward, terminated };
  }

  observation(): number[] {
    const { qpos, qvel } = this.d;
    return [...qpos, ...qvel];
  }
}
