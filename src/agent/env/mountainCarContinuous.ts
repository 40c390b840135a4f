/**
 * MountainCarContinuous-v0 exactly as Gymnasium 1.x defines it
 * (gymnasium/envs/classic_control/continuous_mountain_car.py, registered with max_episode_steps=999
 * and reward_threshold=90), down to its floating-point types, so that trajectories match Gymnasium's
 * bit for bit.
 *
 * Why some operations round to float32 (Math.fround) and others do not: Gymnasium keeps its state in
 * a float32 array after every step, but in a float64 array after reset; and under NumPy 2's rules
 * (NEP 50) a Python float meeting an np.float32 is cast to float32 and the operation is float32,
 * while np.float64 with anything, and Python floats among themselves, are float64. So:
 *  - the action is float32 (the action space's dtype);
 *  - force = min(max(action, −1), 1) is that float32 action, or the Python float bound when it
 *    clips; force·power − 0.0025·cos(3·position) is float32 or float64 accordingly (math.cos always
 *    returns a Python float; 3·position has the state's dtype);
 *  - the velocity and position updates, and their comparisons with the speed limit, the walls, the
 *    flag and the goal velocity, have the state's dtype: float32 after a step, float64 on the first
 *    step after a reset. A comparison casts the Python float too, which matters: float32(0.45) is
 *    below 0.45, yet a float32 position equal to it reaches the flag;
 *  - a clipped velocity or position is the Python float bound (float64) until the state is stored;
 *  - the reward is Python float arithmetic on the float32 action, unclipped.
 */

import { ENVIRONMENTS } from '../../shared/environments';
import { Random } from '../random';
import { scalarAction } from './action';
import type { Environment, EnvironmentState, StepResult } from './environment';
import { checkEvaluationEpisode, evaluationOffset } from './evaluationStarts';
import { numberField, stepCountField } from './stateFields';

export const MOUNTAIN_CAR_CONTINUOUS = {
  minAction: -1,
  maxAction: 1,
  minPosition: -1.2,
  maxPosition: 0.6,
  maxSpeed: 0.07,
  goalPosition: 0.45,
  power: 0.0015,
  goalReward: 100,
  resetLow: -0.6,
  resetHigh: -0.4,
  defaultGoalVelocity: 0,
} as const;

export interface MountainCarContinuousState extends EnvironmentState {
  position: number;
  velocity: number;
  /**
   * 1 once a step has stored the state as float32, 0 after a reset (which leaves it float64): the
   * next step's arithmetic depends on it, so exact resume needs it.
   */
  float32: number;
  /** The clipped force of the last step, which frame() reports. */
  lastForce: number;
}

/** A NumPy float dtype, as what it does to a Python float that meets it (NEP 50: casts it to itself). */
type Dtype = (x: number) => number;
const float64: Dtype = (x) => x;
const float32: Dtype = Math.fround;

export class MountainCarContinuous implements Environment {
  readonly spec = ENVIRONMENTS['MountainCarContinuous-v0'];
  readonly maxEpisodeSteps: number;
  readonly goalVelocity: number;
  readonly rng: Random;
  private position = 0;
  private velocity = 0;
  private stateIsFloat32 = false;
  private elapsedSteps = 0;
  private lastForce = 0;

  constructor(opts: { goalVelocity?: number; maxEpisodeSteps?: number; rng?: Random } = {}) {
    this.goalVelocity = opts.goalVelocity ?? MOUNTAIN_CAR_CONTINUOUS.defaultGoalVelocity;
    this.maxEpisodeSteps = opts.maxEpisodeSteps ?? this.spec.maxEpisodeSteps;
    this.rng = opts.rng ?? new Random(0);
  }

  /** Position ~ U(−0.6, −0.4), velocity 0. A seed re-seeds the environment's RNG first, as Gymnasium does. */
  reset(seed?: number): number[] {
    if (seed !== undefined) this.rng.seed(seed);
    return this.startAt(this.rng.uniform(MOUNTAIN_CAR_CONTINUOUS.resetLow, MOUNTAIN_CAR_CONTINUOUS.resetHigh));
  }

  /** Systematic sampling of the reset distribution: n evenly spaced positions in [−0.6, −0.4), one fixed shift. */
  resetToEvaluationStart(index: number, count: number): number[] {
    checkEvaluationEpisode(index, count);
    return this.startAt(-0.6 + (0.2 * (index + evaluationOffset())) / count);
  }

  private startAt(position: number): number[] {
    this.position = position;
    this.velocity = 0;
    this.stateIsFloat32 = false;
    this.elapsedSteps = 0;
    this.lastForce = 0;
    return this.observation();
  }

  step(action: ArrayLike<number> | number): StepResult {
    const car = MOUNTAIN_CAR_CONTINUOUS;
    const a = Math.fround(scalarAction(action));
    const stateDtype = this.stateIsFloat32 ? float32 : float64;

    // Python's min/max return the bound (a Python float) when they clip, the float32 action otherwise.
    const forceIsBound = a < car.minAction || a > car.maxAction;
    const force = Math.min(Math.max(a, car.minAction), car.maxAction);
    const slope = 0.0025 * Math.cos(stateDtype(3 * this.position));
    const acceleration = forceIsBound
      ? force * car.power - slope
      : float32(float32(force * float32(car.power)) - float32(slope));

    let velocity = stateDtype(this.velocity + stateDtype(acceleration));
    let velocityDtype = stateDtype;
    if (velocity > velocityDtype(car.maxSpeed)) [velocity, velocityDtype] = [car.maxSpeed, float64];
    if (velocity < velocityDtype(-car.maxSpeed)) [velocity, velocityDtype] = [-car.maxSpeed, float64];

    let position = stateDtype(this.position + stateDtype(velocity));
    let positionDtype = stateDtype;
    if (position > positionDtype(car.maxPosition)) [position, positionDtype] = [car.maxPosition, float64];
    if (position < positionDtype(car.minPosition)) [position, positionDtype] = [car.minPosition, float64];
    if (position === positionDtype(car.minPosition) && velocity < 0) [velocity, velocityDtype] = [0, float64];

    const terminated = position >= positionDtype(car.goalPosition) && velocity >= velocityDtype(this.goalVelocity);
    const reward = (terminated ? car.goalReward : 0) - a * a * 0.1;

    this.position = float32(position);
    this.velocity = float32(velocity);
    this.stateIsFloat32 = true;
    this.lastForce = force;
    this.elapsedSteps++;
    return { observation: this.observation(), reward, terminated, truncated: this.elapsedSteps >= this.maxEpisodeSteps };
  }

  /** Gymnasium returns the state as float32 (after a reset too, though it keeps the float64 state). */
  observation(): number[] {
    return [float32(this.position), float32(this.velocity)];
  }

  get state(): MountainCarContinuousState {
    return {
      position: this.position,
      velocity: this.velocity,
      float32: this.stateIsFloat32 ? 1 : 0,
      elapsedSteps: this.elapsedSteps,
      lastForce: this.lastForce,
    };
  }

  /** With float32 = 1 the position and velocity are stored as float32, as Gymnasium's state array would hold them. */
  set state(saved: EnvironmentState) {
    const id = this.spec.id;
    const position = numberField(id, saved, 'position');
    const velocity = numberField(id, saved, 'velocity');
    const lastForce = numberField(id, saved, 'lastForce');
    const elapsedSteps = stepCountField(id, saved);
    const isFloat32 = numberField(id, saved, 'float32');
    if (isFloat32 !== 0 && isFloat32 !== 1) throw new RangeError(`${id} state: float32 must be 0 or 1, got ${isFloat32}`);
    const dtype = isFloat32 === 1 ? float32 : float64;
    this.position = dtype(position);
    this.velocity = dtype(velocity);
    this.stateIsFloat32 = isFloat32 === 1;
    this.elapsedSteps = elapsedSteps;
    this.lastForce = lastForce;
  }

  frame(): number[] {
    return [this.position, this.lastForce];
  }
}
