/**
 * Reacher-v5 as Gymnasium defines it (gymnasium/envs/mujoco/reacher_v5.py, default arguments):
 * reacher.xml, frame_skip 2; observation cos and sin of the two arm joints, the target's position
 * (qpos[2:]), the arm's joint velocities and fingertip − target in x, y; reward (computed after the
 * step, as v5 does) −‖fingertip − target‖ − Σ action²; never terminates; reset: arm qpos + U(±0.1),
 * a target drawn U(±0.2)² until it lies within 0.2 of the centre, arm qvel + U(±0.005), target at rest.
 */

import { ENVIRONMENTS } from '../../../shared/environments';
import type { Random } from '../../random';
import { MujocoEnvironment, type MujocoEnvironmentOptions } from './mujocoEnvironment';
import { sumOfSquares } from './numpyArithmetic';

export const REACHER = {
  modelFile: 'reacher.xml',
  frameSkip: 2,
  rewardDistWeight: 1,
  rewardControlWeight: 1,
  armNoise: 0.1,
  targetRange: 0.2,
  armVelocityNoise: 0.005,
} as const;

export class Reacher extends MujocoEnvironment {
  private readonly fingertip: number;
  private readonly target: number;

  constructor(options: MujocoEnvironmentOptions) {
    super(ENVIRONMENTS['Reacher-v5'], REACHER.modelFile, REACHER.frameSkip, options);
    this.fingertip = this.bodyIndex('fingertip');
    this.target = this.bodyIndex('target');
  }

  protected resetModel(rng: Random) {
    const qpos = Array.from(this.initQpos, (q) => rng.uniform(-REACHER.armNoise, REACHER.armNoise) + q);
    let goal: [number, number];
    do {
      goal = [rng.uniform(-REACHER.targetRange, REACHER.targetRange), rng.uniform(-REACHER.targetRange, REACHER.targetRange)];
    } while (!(Math.sqrt(goal[0] * goal[0] + goal[1] * goal[1]) < REACHER.targetRange));
    qpos.splice(-2, 2, ...goal);
    const qvel = Array.from(this.initQvel, (v) => v + rng.uniform(-REACHER.armVelocityNoise, REACHER.armVelocityNoise));
    qvel.splice(-2, 2, 0, 0);
    return { qpos, qvel };
  }

  protected stepModel(action: Float64Array) {
    this.simulate(action);
    const [dx, dy, dz] = [this.fingertipToTarget(0), this.fingertipToTarget(1), this.fingertipToTarget(2)];
    const rewardDist = -Math.sqrt(dx * dx + dy * dy + dz * dz) * REACHER.rewardDistWeight;
    const rewardCtrl = -sumOfSquares(action) * REACHER.rewardControlWeight;
    const reward = rewardDist + rewardCtrl;
    this.info = { reward_dist: rewardDist, reward_ctrl: rewardCtrl };
    return { reward, terminated: false };
  }

  observation(): number[] {
    const { qpos, qvel } = this.d;
    return [
      Math.cos(qpos[0]),
      Math.cos(qpos[1]),
      Math.sin(qpos[0]),
      Math.sin(qpos[1]),
      qpos[2],
      qpos[3],
      qvel[0],
      qvel[1],
      this.fingertipToTarget(0),
      this.fingertipToTarget(1),
    ];
  }

  /** Component `axis` of get_body_com("fingertip") − get_body_com("target"): body positions as mj_step last computed them. */
  private fingertipToTarget(axis: number): number {
    const { xpos } = this.d;
    return xpos[3 * this.fingertip + axis] - xpos[3 * this.target + axis];
  }
}
