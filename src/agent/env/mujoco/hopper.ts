/**
 * Hopper-v5 as Gymnasium defines it (gymnasium/envs/mujoco/hopper_v5.py, default arguments):
 * hopper.xml, frame_skip 4; observation qpos without rootx ‖ clip(qvel, ±10); reward
 * (forward_reward + healthy_reward) − ctrl_cost with forward 1.0 · Δx/dt, healthy 1 while healthy and
 * ctrl 0.001 · Σ action²; terminated when unhealthy: state_vector()[2:] outside (−100, 100), z
 * outside (0.7, ∞) or the torso angle outside (−0.2, 0.2); reset qpos and qvel + U(±0.005).
 */

import { ENVIRONMENTS } from '../../../shared/environments';
import type { Random } from '../../random';
import { MujocoEnvironment, type MujocoEnvironmentOptions } from './mujocoEnvironment';
import { clip, sumOfSquares } from './numpyArithmetic';

export const HOPPER = {
  modelFile: 'hopper.xml',
  frameSkip: 4,
  forwardRewardWeight: 1,
  ctrlCostWeight: 1e-3,
  healthyReward: 1,
  healthyStateRange: [-100, 100],
  healthyZRange: [0.7, Number.POSITIVE_INFINITY],
  healthyAngleRange: [-0.2, 0.2],
  resetNoiseScale: 5e-3,
  velocityClip: 10,
} as const;

export class Hopper extends MujocoEnvironment {
  constructor(options: MujocoEnvironmentOptions) {
    super(ENVIRONMENTS['Hopper-v5'], HOPPER.modelFile, HOPPER.frameSkip, options);
  }

  /** Gymnasium's is_healthy: every open interval is strict. */
  isHealthy(): boolean {
    const { qpos } = this.d;
    const [z, angle] = [qpos[1], qpos[2]];
    const [minState, maxState] = HOPPER.healthyStateRange;
    const [minZ, maxZ] = HOPPER.healthyZRange;
    const [minAngle, maxAngle] = HOPPER.healthyAngleRange;
    const healthyState = this.stateVector().slice(2).every((s) => minState < s && s < maxState);
    return healthyState && minZ < z && z < maxZ && minAngle < angle && angle < maxAngle;
  }

  protected resetModel(rng: Random) {
    const noise = HOPPER.resetNoiseScale;
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
    const forwardReward = HOPPER.forwardRewardWeight * xVelocity;
    const healthyReward = (healthy ? 1 : 0) * HOPPER.healthyReward;
    const rewards = forwardReward + healthyReward;
    const ctrlCost = HOPPER.ctrlCostWeight * sumOfSquares(action);
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
    return [...qpos.subarray(1), ...Array.from(qvel, (v) => clip(v, -HOPPER.velocityClip, HOPPER.velocityClip))];
  }

  protected override resetInfo() {
    const { qpos } = this.d;
    return { x_position: qpos[0], z_distance_from_origin: qpos[1] - this.initQpos[1] };
  }
}
