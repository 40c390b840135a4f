/**
 * Walker2d-v5 as Gymnasium defines it (gymnasium/envs/mujoco/walker2d_v5.py, default arguments):
 * walker2d_v5.xml (v5's model: both feet with the same friction), frame_skip 4; observation qpos
 * without rootx ‖ clip(qvel, ±10); reward (forward_reward + healthy_reward) − ctrl_cost with forward
 * 1.0 · Δx/dt, healthy 1 while healthy and ctrl 0.001 · Σ action²; terminated when z leaves
 * (0.8, 2.0) or the torso angle leaves (−1, 1); reset qpos and qvel + U(±0.005).
 */

import { ENVIRONMENTS } from '../../../shared/environments';
import type { Random } from '../../random';
import { MujocoEnvironment, type MujocoEnvironmentOptions } from './mujocoEnvironment';
import { clip, sumOfSquares } from './numpyArithmetic';

export const WALKER2D = {
  modelFile: 'walker2d_v5.xml',
  frameSkip: 4,
  forwardRewardWeight: 1,
  ctrlCostWeight: 1e-3,
  healthyReward: 1,
  healthyZRange: [0.8, 2],
  healthyAngleRange: [-1, 1],
  resetNoiseScale: 5e-3,
  velocityClip: 10,
} as const;

export class Walker2d extends MujocoEnvironment {
  constructor(options: MujocoEnvironmentOptions) {
    super(ENVIRONMENTS['Walker2d-v5'], WALKER2D.modelFile, WALKER2D.frameSkip, options);
  }

  /** Gymnasium's is_healthy (strict intervals; unlike Hopper, no bound on the rest of the state). */
  isHealthy(): boolean {
    const { qpos } = this.d;
    const [z, angle] = [qpos[1], qpos[2]];
    const [minZ, maxZ] = WALKER2D.healthyZRange;
    const [minAngle, maxAngle] = WALKER2D.healthyAngleRange;
    return minZ < z && z < maxZ && minAngle < angle && angle < maxAngle;
  }

  protected resetModel(rng: Random) {
    const noise = WALKER2D.resetNoiseScale;
    const qpos = Array.from(this.initQpos, (q) => q + rng.uniform(-noise, noise));
    const qvel = Array.from(this.initQvel, (v) => v + rng.uniform(-noise, noise));
    return { qpos, qvel };
  }

  protected stepModel(action: Float64Array) {
    const xBefore = this.d.qpos[0];
    this.simulate(action);
    const { qpos } = this.d;
    const xAfter = qpos[0];
    const xVelocity = (xAfter - xBefore) / this.dt;
    const healthy = this.isHealthy();
    const forwardReward = WALKER2D.forwardRewardWeight * xVelocity;
    const healthyReward = (healthy ? 1 : 0) * WALKER2D.healthyReward;
    const rewards = forwardReward + healthyReward;
    const ctrlCost = WALKER2D.ctrlCostWeight * sumOfSquares(action);
    const reward = rewards - ctrlCost;
    this.info = {
      x_position: xAfter,
      z_distance_from_origin: qpos[1] - this.initQpos[1],
      x_velocity: xVelocity,
      reward_forward: forwardReward,
      reward_ctrl: -ctrlCost,
      reward_survive: healthyReward,
    };
    return { reward, terminated: !healthy };
  }

  observation(): number[] {
    const { qpos, qvel } = this.d;
    return [...qpos.subarray(1), ...Array.from(qvel, (v) => clip(v, -WALKER2D.velocityClip, WALKER2D.velocityClip))];
  }

  protected override resetInfo() {
    const { qpos } = this.d;
    return { x_position: qpos[0], z_distance_from_origin: qpos[1] - this.initQpos[1] };
  }
}
