/**
 * InvertedDoublePendulum-v5 as Gymnasium defines it (gymnasium/envs/mujoco/inverted_double_pendulum_v5.py,
 * default arguments): inverted_double_pendulum.xml, frame_skip 5; observation cart x, sin and cos of
 * both hinges, qvel clipped to ±10 and the cart's constraint force clipped to ±10; reward
 * alive_bonus − distance_penalty − velocity_penalty from the tip site's (x, z), with the 10 alive
 * bonus only while the tip is above 1; reset qpos + U(±0.1), qvel + 0.1·N(0, 1).
 */

import { ENVIRONMENTS } from '../../../shared/environments';
import type { Random } from '../../random';
import { MujocoEnvironment, type DerivedField, type MujocoEnvironmentOptions } from './mujocoEnvironment';
import { clip } from './numpyArithmetic';

export const INVERTED_DOUBLE_PENDULUM = {
  modelFile: 'inverted_double_pendulum.xml',
  frameSkip: 5,
  healthyReward: 10,
  resetNoiseScale: 0.1,
  /** The episode ends once the tip's height y (MuJoCo's z) is at or below this. */
  minTipHeight: 1,
  observationClip: 10,
} as const;

export class InvertedDoublePendulum extends MujocoEnvironment {
  // The observation reads the constraint force mj_step left behind, which its state cannot recompute.
  protected override readonly derivedFields: readonly DerivedField[] = ['qfrc_constraint'];

  constructor(options: MujocoEnvironmentOptions) {
    super(ENVIRONMENTS['InvertedDoublePendulum-v5'], INVERTED_DOUBLE_PENDULUM.modelFile, INVERTED_DOUBLE_PENDULUM.frameSkip, options);
  }

  protected resetModel(rng: Random) {
    const noise = INVERTED_DOUBLE_PENDULUM.resetNoiseScale;
    const qpos = Array.from(this.initQpos, (q) => q + rng.uniform(-noise, noise));
    const qvel = Array.from(this.initQvel, (v) => v + rng.normal() * noise);
    return { qpos, qvel };
  }

  protected stepModel(action: Float64Array) {
    this.simulate(action);
    // Gymnasium: x, _, y = data.site_xpos[0] (the tip; its "y" is MuJoCo's height z).
    const { site_xpos, qvel } = this.d;
    const x = site_xpos[0];
    const y = site_xpos[2];
    const terminated = y <= INVERTED_DOUBLE_PENDULUM.minTipHeight;
    const v1 = qvel[1];
    const v2 = qvel[2];
    const distancePenalty = 0.01 * (x * x) + (y - 2) * (y - 2);
    const velocityPenalty = 1e-3 * (v1 * v1) + 5e-3 * (v2 * v2);
    const aliveBonus = INVERTED_DOUBLE_PENDULUM.healthyReward * (terminated ? 0 : 1);
    const reward = aliveBonus - distancePenalty - velocityPenalty;
    this.info = { reward_survive: aliveBonus, distance_penalty: -distancePenalty, velocity_penalty: -velocityPenalty };
    return { reward, terminated };
  }

  observation(): number[] {
    const { qpos, qvel, qfrc_constraint } = this.d;
    const limit = INVERTED_DOUBLE_PENDULUM.observationClip;
    return [
      qpos[0],
      Math.sin(qpos[1]),
      Math.sin(qpos[2]),
      Math.cos(qpos[1]),
      Math.cos(qpos[2]),
      ...Array.from(qvel, (v) => clip(v, -limit, limit)),
      clip(qfrc_constraint[0], -limit, limit),
    ];
  }
}
