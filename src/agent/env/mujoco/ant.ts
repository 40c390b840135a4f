/**
 * Ant-v5 as Gymnasium defines it (gymnasium/envs/mujoco/ant_v5.py, default arguments): ant.xml,
 * frame_skip 5; observation qpos without x, y ‖ qvel ‖ clip(cfrc_ext, ±1) of every body but the
 * world (include_cfrc_ext_in_observation); reward (forward_reward + healthy_reward) − (ctrl_cost +
 * contact_cost) with forward Δx/dt of the torso's xpos (main_body 1, as mj_step left it) × 1,
 * healthy 1, ctrl 0.5 · Σ action² and contact 5e-4 · Σ clip(cfrc_ext, ±1)² over all bodies, the
 * world's row included; terminated unless the state is finite and 0.2 ≤ torso z ≤ 1.0; reset
 * qpos + U(±0.1) (quaternion included, as Gymnasium does), qvel + 0.1·N(0, 1).
 */

import { ENVIRONMENTS } from '../../../shared/environments';
import type { Random } from '../../random';
import { MujocoEnvironment, type DerivedField, type MujocoEnvironmentOptions } from './mujocoEnvironment';
import { clip, sumOfSquares } from './numpyArithmetic';

export const ANT = {
  modelFile: 'ant.xml',
  frameSkip: 5,
  forwardRewardWeight: 1,
  ctrlCostWeight: 0.5,
  contactCostWeight: 5e-4,
  healthyReward: 1,
  mainBody: 1,
  healthyZRange: [0.2, 1],
  contactForceRange: [-1, 1],
  resetNoiseScale: 0.1,
} as const;

export class Ant extends MujocoEnvironment {
  // The observation and the contact cost read the external forces mj_rnePostConstraint left behind.
  protected override readonly derivedFields: readonly DerivedField[] = ['cfrc_ext'];

  constructor(options: MujocoEnvironmentOptions) {
    super(ENVIRONMENTS['Ant-v5'], ANT.modelFile, ANT.frameSkip, options);
  }

  /** Gymnasium's is_healthy: a finite state and 0.2 ≤ z ≤ 1.0 (inclusive, unlike Hopper's and Walker2d's). */
  isHealthy(): boolean {
    const state = this.stateVector();
    const [minZ, maxZ] = ANT.healthyZRange;
    return state.every(Number.isFinite) && minZ <= state[2] && state[2] <= maxZ;
  }

  /** contact_forces: cfrc_ext clipped to contact_force_range, every body's 6 numbers. */
  contactForces(): number[] {
    const [low, high] = ANT.contactForceRange;
    return Array.from(this.d.cfrc_ext, (f) => clip(f, low, high));
  }

  protected resetModel(rng: Random) {
    const noise = ANT.resetNoiseScale;
    const qpos = Array.from(this.initQpos, (q) => q + rng.uniform(-noise, noise));
    const qvel = Array.from(this.initQvel, (v) => v + noise * rng.normal());
    return { qpos, qvel };
  }

  protected stepModel(action: Float64Array) {
    const [xBefore, yBefore] = this.bodyPosition(ANT.mainBody);
    this.simulate(action);
    const [xAfter, yAfter] = this.bodyPosition(ANT.mainBody);
    const xVelocity = (xAfter - xBefore) / this.dt;
    const yVelocity = (yAfter - yBefore) / this.dt;
    const healthy = this.isHealthy();
    const forwardReward = xVelocity * ANT.forwardRewardWeight;
    const healthyReward = (healthy ? 1 : 0) * ANT.healthyReward;
    const rewards = forwardReward + healthyReward;
    const ctrlCost = ANT.ctrlCostWeight * sumOfSquares(action);
    const contactCost = ANT.contactCostWeight * sumOfSquares(this.contactForces());
    const costs = ctrlCost + contactCost;
    const reward = rewards - costs;
    const { qpos } = this.d;
    this.info = {
      x_position: qpos[0],
      y_position: qpos[1],
      distance_from_origin: Math.sqrt(qpos[0] * qpos[0] + qpos[1] * qpos[1]),
      x_velocity: xVelocity,
      y_velocity: yVelocity,
      reward_forward: forwardReward,
      reward_ctrl: -ctrlCost,
      reward_contact: -contactCost,
      reward_survive: healthyReward,
    };
    return { reward, terminated: !healthy };
  }

  observation(): number[] {
    const { qpos, qvel } = this.d;
    return [...qpos.subarray(2), ...qvel, ...this.contactForces().slice(6)];
  }

  protected override resetInfo() {
    const { qpos } = this.d;
    return { x_position: qpos[0], y_position: qpos[1], distance_from_origin: Math.sqrt(qpos[0] * qpos[0] + qpos[1] * qpos[1]) };
  }
}
