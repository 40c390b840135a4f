/**
 * Pendulum-v1 exactly as Gymnasium 1.x defines it (gymnasium/envs/classic_control/pendulum.py):
 * the reward is computed on the pre-step state, the speed is updated, clipped, and the angle is
 * advanced with the clipped speed. The episode never terminates; it is truncated at the time limit.
 * `Pendulum` is the physics (what the trainer used before environments were a choice);
 * `PendulumEnvironment` is the same object behind the Environment interface.
 */

import { ENVIRONMENTS } from '../../shared/environments';
import { Random } from '../random';
import { scalarAction } from './action';
import type { Environment, EnvironmentState, StepResult as EnvironmentStepResult } from './environment';
import { checkEvaluationEpisode, EVALUATION_SEED_BASE, evaluationOffset } from './evaluationStarts';
import { numberField, stepCountField } from './stateFields';

export const PENDULUM = {
  maxSpeed: 8,
  maxTorque: 2,
  dt: 0.05,
  mass: 1,
  length: 1,
  defaultGravity: 10,
  defaultMaxEpisodeSteps: 200,
  obsDim: 3,
  actDim: 1,
} as const;

/** A deterministic evaluation mean at or above this counts as solving Pendulum. */
export const SOLVED_RETURN = -200;

export interface StepResult {
  observation: [number, number, number];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

/** Python's floor-modulo: the result has the sign of the divisor (JavaScript's % keeps the dividend's). */
export function floorMod(a: number, n: number): number {
  return a - n * Math.floor(a / n);
}

/** Angle mapped into [−π, π), as Gymnasium's angle_normalize: ((x + π) % (2π)) − π. */
export function angleNormalize(x: number): number {
  return floorMod(x + Math.PI, 2 * Math.PI) - Math.PI;
}

export class Pendulum {
  readonly g: number;
  readonly maxEpisodeSteps: number;
  readonly maxSpeed = PENDULUM.maxSpeed;
  readonly maxTorque = PENDULUM.maxTorque;
  readonly dt = PENDULUM.dt;
  readonly m = PENDULUM.mass;
  readonly l = PENDULUM.length;
  readonly obsDim = PENDULUM.obsDim;
  readonly actDim = PENDULUM.actDim;
  /** [theta, thetaDot]; theta = 0 is upright. */
  state: [number, number] = [0, 0];
  /** Steps taken since the last reset. */
  elapsedSteps = 0;
  /** The clipped torque of the last step (for animation). */
  lastTorque = 0;
  readonly rng: Random;

  constructor(opts: { g?: number; maxEpisodeSteps?: number; rng?: Random } = {}) {
    this.g = opts.g ?? PENDULUM.defaultGravity;
    this.maxEpisodeSteps = opts.maxEpisodeSteps ?? PENDULUM.defaultMaxEpisodeSteps;
    this.rng = opts.rng ?? new Random(0);
  }

  /** θ ~ U(−π, π), θ̇ ~ U(−1, 1). A seed re-seeds the environment's RNG first, as Gymnasium does. */
  reset(seed?: number): [number, number, number] {
    if (seed !== undefined) this.rng.seed(seed);
    this.state = [this.rng.uniform(-Math.PI, Math.PI), this.rng.uniform(-1, 1)];
    this.elapsedSteps = 0;
    this.lastTorque = 0;
    return this.observation();
  }

  observation(): [number, number, number] {
    const [th, thdot] = this.state;
    return [Math.cos(th), Math.sin(th), thdot];
  }

  step(action: number): StepResult {
    const [th, thdot] = this.state;
    const u = Math.min(Math.max(action, -this.maxTorque), this.maxTorque);
    this.lastTorque = u;
    const normTh = angleNormalize(th);
    const cost = normTh * normTh + 0.1 * thdot * thdot + 0.001 * u * u;
    let newThdot = thdot + (3 * this.g / (2 * this.l) * Math.sin(th) + 3 / (this.m * this.l * this.l) * u) * this.dt;
    newThdot = Math.min(Math.max(newThdot, -this.maxSpeed), this.maxSpeed);
    const newTh = th + newThdot * this.dt;
    this.state = [newTh, newThdot];
    this.elapsedSteps++;
    return {
      observation: this.observation(),
      reward: -cost,
      terminated: false,
      truncated: this.elapsedSteps >= this.maxEpisodeSteps,
    };
  }
}

/**
 * Start [θ, θ̇] of evaluation episode `e` out of `episodes`: systematic sampling of the angle, i.e.
 * `episodes` evenly spaced angles around the circle shifted by one fixed random offset, with
 * θ̇ ~ U(−1, 1) from a fixed seed per episode. Its expectation is that of Pendulum's own uniform
 * reset, but it covers the whole circle every time: ten plain draws can put half the starts hanging
 * at the bottom, and "solved" (mean ≥ −200) would then mean something different from one set of
 * seeds to the next.
 */
export function pendulumEvaluationStart(e: number, episodes: number): [number, number] {
  const theta = -Math.PI + ((e + evaluationOffset()) * 2 * Math.PI) / episodes;
  return [theta, new Random(EVALUATION_SEED_BASE + 1 + e).uniform(-1, 1)];
}

export interface PendulumState extends EnvironmentState {
  theta: number;
  thetaDot: number;
  /** The clipped torque of the last step, which frame() reports. */
  lastTorque: number;
}

/** Pendulum-v1 behind the Environment interface; the arithmetic is the Pendulum class's, untouched. */
export class PendulumEnvironment implements Environment {
  readonly spec = ENVIRONMENTS['Pendulum-v1'];
  readonly pendulum: Pendulum;

  constructor(opts: { g?: number; maxEpisodeSteps?: number; rng?: Random } = {}) {
    this.pendulum = new Pendulum(opts);
  }

  get maxEpisodeSteps(): number {
    return this.pendulum.maxEpisodeSteps;
  }

  reset(seed?: number): number[] {
    return this.pendulum.reset(seed);
  }

  resetToEvaluationStart(index: number, count: number): number[] {
    checkEvaluationEpisode(index, count);
    this.pendulum.state = pendulumEvaluationStart(index, count);
    this.pendulum.elapsedSteps = 0;
    this.pendulum.lastTorque = 0;
    return this.pendulum.observation();
  }

  step(action: ArrayLike<number> | number): EnvironmentStepResult {
    return this.pendulum.step(scalarAction(action));
  }

  observation(): number[] {
    return this.pendulum.observation();
  }

  get state(): PendulumState {
    const { state, elapsedSteps, lastTorque } = this.pendulum;
    return { theta: state[0], thetaDot: state[1], elapsedSteps, lastTorque };
  }

  set state(saved: EnvironmentState) {
    const id = this.spec.id;
    const theta = numberField(id, saved, 'theta');
    const thetaDot = numberField(id, saved, 'thetaDot');
    const lastTorque = numberField(id, saved, 'lastTorque');
    const elapsedSteps = stepCountField(id, saved);
    this.pendulum.state = [theta, thetaDot];
    this.pendulum.elapsedSteps = elapsedSteps;
    this.pendulum.lastTorque = lastTorque;
  }

  frame(): number[] {
    return [this.pendulum.state[0], this.pendulum.lastTorque];
  }
}
