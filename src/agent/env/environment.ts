/**
 * The contract every environment meets (Gymnasium's `Env` with its `TimeLimit` wrapper folded in).
 * The trainer, the evaluator and the checkpoints see environments only through it; nothing outside
 * src/agent/env/ imports a particular environment.
 */

import type { EnvironmentDescriptor } from '../../shared/environments';
import type { MujocoScene } from '../../shared/mujocoScene';
import type { Random } from '../random';

export interface StepResult {
  observation: number[];
  reward: number;
  /** The task itself ended (MountainCar reached the flag): the TD target does not bootstrap. */
  terminated: boolean;
  /** The time limit cut the episode: not a terminal state, the TD target bootstraps through it. */
  truncated: boolean;
}

/**
 * Everything the next step depends on, as JSON-serialisable numbers, so a checkpoint can restore an
 * environment mid-episode bit for bit. `elapsedSteps` is the TimeLimit counter.
 */
export interface EnvironmentState {
  elapsedSteps: number;
  [field: string]: number | number[];
}

export interface Environment {
  readonly spec: EnvironmentDescriptor;
  /** This environment's time limit (the descriptor's unless the run set another). */
  readonly maxEpisodeSteps: number;
  /** Starts an episode from the reset distribution; a seed re-seeds the reset RNG first, as Gymnasium does. */
  reset(seed?: number): number[];
  /**
   * Starts evaluation episode `index` (0-based) of `count` from a fixed, deterministic start state
   * chosen by this environment (systematic sampling of its reset distribution), independent of any RNG.
   */
  resetToEvaluationStart(index: number, count: number): number[];
  /** One step; a number is a one-dimensional action. Out-of-range actions are handled as Gymnasium does. */
  step(action: ArrayLike<number> | number): StepResult;
  /** The observation of the current state. */
  observation(): number[];
  /** Read: a copy of the current state. Write: restores it exactly. */
  state: EnvironmentState;
  /** The numbers the renderer needs for the current step (descriptor.frameLabels, in order). */
  frame(): number[];
  /** MuJoCo environments: the model's bodies and geoms for the 3D renderer, once per run (frame() then moves the bodies). */
  scene?(): MujocoScene;
  /** Frees what the environment holds outside JavaScript's heap (MuJoCo's simulation data); the environment is unusable after it. */
  dispose?(): void;
}

export interface EnvironmentOptions {
  /** Reset RNG (the trainer passes its seeded env stream); defaults to a fixed seed. */
  rng?: Random;
  /** Overrides the descriptor's time limit. */
  maxEpisodeSteps?: number;
  /** Environment-specific options by Gymnasium's keyword or this project's config key (g / gravity, goal_velocity / goalVelocity). */
  [option: string]: unknown;
}
