/**
 * HalfCheetah-v5 as Gymnasium defines it (gymnasium/envs/mujoco/half_cheetah_v5.py, default
 * arguments): half_cheetah.xml, frame_skip 5; observation qpos without rootx
 * (exclude_current_positions_from_observation) ‖ qvel; reward forward_reward − ctrl_cost with
 * forward_reward = 1.0 · Δx/dt of rootx and ctrl_cost = 0.1 · Σ action²; never terminates; reset
 * qpos + U(±0.1), qvel + 0.1·N(0, 1).
 */

import { ENVIRONMENTS } from '../../../shared/environments';
import type { Random } from '../../random';
import { MujocoEnvironment, type MujocoEnvironmentOptions } from './mujocoEnvironment';
import { sumOfSquares } from './numpyArithmetic';

export const HALF_CHEETAH = {
  modelFile: 'half_cheetah.xml',
  frameSkip: 5,
  forwardRewardWeight: 1,
  ctrlCostWeight: 0.1,
  resetNoiseScale: 0.1,
} as const;

export class HalfCheetah extends MujocoEnvironment {
  constructor(options: MujocoEnvironmentOptions) {
    super(ENVIRONMENTS['HalfCheetah-v5'], HALF_CHEETAH.modelFile, HALF_CHEETAH.frameSkip, options);
  }

  protected resetModel(rng: Random) {
    const noise = HALF_CHEETAH.resetNoiseScale;
    const qpos = Array.from(this.initQpos, (q) => q + rng.uniform(-noise, noise));
    const qvel = Array.from(this.initQvel, (v) => v + noise * rng.normal());
    return { qpos, qvel };
  }

  protected stepModel(action: Float64Array) {
    const xBefore = this.d.qpos[0];
    this.simulate(action);
    const xAfter = this.d.qpos[0];
    const xVelocity = (xAfter - xBefore) / this.dt;
    const forwardReward = HALF_CHEETAH.forwardRewardWeight * xVelocity;
    const ctrlCost = HALF_CHEETAH.ctrlCostWeight * sumOfSquares(action);
    const reward = forwardReward - ctrlCost;
    this.info = { x_position: xAfter, x_velocity: xVelocity, reward_forward: forwardReward, reward_ctrl: -ctrlCost };
    return { reward, terminated: false };
  }

  observation(): number[] {
    const { qpos, qvel } = this.d;
    return [...qpos.subarray(1), ...qvel];
  }

  protected override resetInfo() {
    return { x_position: this.d.qpos[0] };
  }
}
