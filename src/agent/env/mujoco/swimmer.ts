/**
 * Swimmer-v5 as Gymnasium defines it (gymnasium/envs/mujoco/swimmer_v5.py, default arguments):
 * swimmer.xml, frame_skip 4; observation qpos without the two sliders (x, y:
 * exclude_current_positions_from_observation) ‖ qvel; reward forward_reward − ctrl_cost with
 * forward 1.0 · Δx/dt and ctrl 1e-4 · Σ action²; never terminates; reset qpos and qvel + U(±0.1).
 */

import { ENVIRONMENTS } from '../../../shared/environments';
import type { Random } from '../../random';
import { MujocoEnvironment, type MujocoEnvironmentOptions } from './mujocoEnvironment';
import { sumOfSquares } from './numpyArithmetic';

export const SWIMMER = {
  modelFile: 'swimmer.xml',
  frameSkip: 4,
  forwardRewardWeight: 1,
  ctrlCostWeight: 1e-4,
  resetNoiseScale: 0.1,
} as const;

export class Swimmer extends MujocoEnvironment {
  constructor(options: MujocoEnvironmentOptions) {
    super(ENVIRONMENTS['Swimmer-v5'], SWIMMER.modelFile, SWIMMER.frameSkip, options);
  }

  protected resetModel(rng: Random) {
    const noise = SWIMMER.resetNoiseScale;
    const qpos = Array.from(this.initQpos, (q) => q + rng.uniform(-noise, noise));
    const qvel = Array.from(this.initQvel, (v) => v + rng.uniform(-noise, noise));
    return { qpos, qvel };
  }

  protected stepModel(action: Float64Array) {
    const { qpos: before } = this.d;
    const [xBefore, yBefore] = [before[0], before[1]];
    this.simulate(action);
    const { qpos } = this.d;
    const [x, y] = [qpos[0], qpos[1]];
    const xVelocity = (x - xBefore) / this.dt;
    const yVelocity = (y - yBefore) / this.dt;
    const forwardReward = SWIMMER.forwardRewardWeight * xVelocity;
    const ctrlCost = SWIMMER.ctrlCostWeight * sumOfSquares(action);
    const reward = forwardReward - ctrlCost;
    this.info = {
      x_position: x,
      y_position: y,
      distance_from_origin: Math.sqrt(x * x + y * y),
      x_velocity: xVelocity,
      y_velocity: yVelocity,
      reward_forward: forwardReward,
      reward_ctrl: -ctrlCost,
    };
    return { reward, terminated: false };
  }

  observation(): number[] {
    const { qpos, qvel } = this.d;
    return [...qpos.subarray(2), ...qvel];
  }

  protected override resetInfo() {
    const { qpos } = this.d;
    return { x_position: qpos[0], y_position: qpos[1], distance_from_origin: Math.sqrt(qpos[0] * qpos[0] + qpos[1] * qpos[1]) };
  }
}
