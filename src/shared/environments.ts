/**
 * What every side knows about an environment, as data: sizes, bounds, time step, limits, the
 * "solved" threshold, how to draw it and which options it takes. The physics lives only in the
 * environment's own file under src/agent/env/; the host and the pages read these descriptors.
 */

import { MUJOCO_ENVIRONMENTS, type MujocoEnvironmentId, type MujocoModelDescriptor } from './mujocoEnvironments';

export type EnvironmentId = 'Pendulum-v1' | 'MountainCarContinuous-v0' | MujocoEnvironmentId;

/** A numeric option of an environment (Pendulum's g, MountainCar's goal velocity). */
export interface EnvironmentOption {
  /** The key in RunConfig / the ddpg.* setting that carries it. */
  configKey: string;
  /** Gymnasium's name for it (its `gym.make` keyword). */
  gymnasiumName: string;
  default: number;
}

/** Where a "solved" threshold comes from: Gymnasium's registration, or this project (Gymnasium defines none). */
export type ThresholdSource = 'gymnasium' | 'ddpg-lab';

export interface EnvironmentDescriptor {
  id: EnvironmentId;
  /** A short name for headers and tables. */
  title: string;
  /** One line for the settings' enum description. */
  summary: string;
  observationSize: number;
  /** Names of the observation's components, in order. */
  observationLabels: readonly string[];
  actionSize: number;
  /** The action space is the box [actionLow, actionHigh]^actionSize (symmetric here). */
  actionLow: number;
  actionHigh: number;
  /** What an action is, for labels: "torque", "force". */
  actionName: string;
  /** Unit of an action, '' when Gymnasium gives none. */
  actionUnit: string;
  /** Seconds of simulated time per step (playback speed of the animation). */
  dt: number;
  /** Gymnasium's TimeLimit (max_episode_steps of the registration). */
  maxEpisodeSteps: number;
  /** Whether episodes can terminate (rather than only be truncated by the time limit). */
  canTerminate: boolean;
  solved: { threshold: number; source: ThresholdSource };
  /** How the dashboard draws a frame(). */
  renderer: 'pendulum' | 'mountainCar' | 'mujoco';
  /** Numbers per step that frame() returns, and what they are. */
  frameLabels: readonly string[];
  options: readonly EnvironmentOption[];
  /** MuJoCo environments: the model file, its bodies (frame layout) and Gymnasium's camera; the geoms come from the environment's scene(). */
  mujoco?: MujocoModelDescriptor;
}

export const ENVIRONMENTS: { readonly [K in EnvironmentId]: EnvironmentDescriptor } = {
  'Pendulum-v1': {
    id: 'Pendulum-v1',
    title: 'Pendulum',
    summary: 'Swing a pendulum up and keep it upright (Gymnasium Pendulum-v1; 3 observations, 1 torque).',
    observationSize: 3,
    observationLabels: ['cos θ', 'sin θ', 'θ̇'],
    actionSize: 1,
    actionLow: -2,
    actionHigh: 2,
    actionName: 'torque',
    actionUnit: 'N·m',
    dt: 0.05,
    maxEpisodeSteps: 200,
    canTerminate: false,
    // Gymnasium registers Pendulum-v1 without a reward_threshold; −200 is this project's.
    solved: { threshold: -200, source: 'ddpg-lab' },
    renderer: 'pendulum',
    frameLabels: ['θ', 'torque'],
    options: [{ configKey: 'gravity', gymnasiumName: 'g', default: 10 }],
  },
  'MountainCarContinuous-v0': {
    id: 'MountainCarContinuous-v0',
    title: 'Mountain Car (continuous)',
    summary: 'Drive an underpowered car up a hill by rocking it (Gymnasium MountainCarContinuous-v0; 2 observations, 1 force).',
    observationSize: 2,
    observationLabels: ['position', 'velocity'],
    actionSize: 1,
    actionLow: -1,
    actionHigh: 1,
    actionName: 'force',
    actionUnit: '',
    // The environment has no time step of its own; 1/30 s is the render_fps Gymnasium plays it at.
    dt: 1 / 30,
    maxEpisodeSteps: 999,
    canTerminate: true,
    solved: { threshold: 90, source: 'gymnasium' },
    renderer: 'mountainCar',
    frameLabels: ['position', 'force'],
    options: [{ configKey: 'goalVelocity', gymnasiumName: 'goal_velocity', default: 0 }],
  },
  ...MUJOCO_ENVIRONMENTS,
};

export const ENVIRONMENT_IDS = Object.keys(ENVIRONMENTS) as EnvironmentId[];

export const DEFAULT_ENVIRONMENT: EnvironmentId = 'Pendulum-v1';

export function isEnvironmentId(value: unknown): value is EnvironmentId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ENVIRONMENTS, value);
}

/** The descriptor of a run's environment; runs written before environments existed are Pendulum-v1. */
export function environmentOf(config: { environment?: unknown } | null | undefined): EnvironmentDescriptor {
  const id = config?.environment;
  return isEnvironmentId(id) ? ENVIRONMENTS[id] : ENVIRONMENTS[DEFAULT_ENVIRONMENT];
}

/** The "solved" line's label: Gymnasium's reward threshold, or this project's own where Gymnasium has none. */
export function solvedLabel(env: EnvironmentDescriptor): string {
  const value = env.solved.threshold;
  return env.solved.source === 'gymnasium' ? `solved (Gymnasium: ${value})` : `solved (DDPG Lab: ${value})`;
}
