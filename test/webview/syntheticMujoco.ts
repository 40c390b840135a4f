/**
 * MuJoCo episodes for the dashboard's Chromium tests and screenshots, made in Node on the project's
 * real MuJoCo environments (the browser has no MuJoCo): the model's scene as the trainer's `scene`
 * event carries it, and an episode's frames from a scripted policy — a balancing controller for
 * the cart-poles, a rhythmic gait for the walkers and swimmers, a reach for Reacher — so that a
 * picture shows a body doing something recognisable rather than lying still.
 */

import type { Environment } from '../../src/agent/env/environment';
import { makeEnv, prepareEnvironment } from '../../src/agent/env/index';
import { Random } from '../../src/agent/random';
import { MUJOCO_ENVIRONMENTS, type MujocoEnvironmentId } from '../../src/shared/mujocoEnvironments';
import type { MujocoScene } from '../../src/shared/mujocoScene';
import type { FrameBatch, TrainerToHost } from '../../src/shared/protocol';
import type { SimulatedEpisode } from './syntheticEpisode';

export const MUJOCO_ENVIRONMENT_IDS = Object.keys(MUJOCO_ENVIRONMENTS) as MujocoEnvironmentId[];

export interface MujocoEpisode extends SimulatedEpisode {
  scene: MujocoScene;
}

type Policy = (observation: readonly number[], step: number, environment: Environment) => number[];

/** A cart-pole's controller: push the cart the way the pole leans, faster as it tips (gains found by trying). */
const balance: Policy = (o) => [8 * o[1] + 1.2 * o[3] + 0.3 * o[0] + 0.5 * o[2]];
const balanceDouble: Policy = (o) => [12 * o[1] + 8 * o[2] + 0.5 * o[0] + 1.5 * o[5] + 1.5 * o[6]];

/** A gait: each actuator swings sinusoidally, the legs half a cycle apart. */
function gait(periodSteps: number, phases: readonly number[], amplitude = 1): Policy {
  return (_o, step) => phases.map((phase) => amplitude * Math.sin((2 * Math.PI * step) / periodSteps + phase));
}

const POLICIES: Record<MujocoEnvironmentId, Policy> = {
  'InvertedPendulum-v5': balance,
  'InvertedDoublePendulum-v5': balanceDouble,
  // Found by a small random search over periods and phases: it runs forward (≈1 m/s) without flipping over.
  'HalfCheetah-v5': gait(7, [4.35, 1.82, 2.23, 4.26, 4.13, 3.43], 0.5),
  'Hopper-v5': gait(25, [0, 0.6, 1.2], 0.6),
  'Walker2d-v5': gait(30, [0, 0.6, 1.2, Math.PI, Math.PI + 0.6, Math.PI + 1.2], 0.6),
  'Reacher-v5': (o) => [-2 * o[8] - 0.1 * o[6], -2 * o[9] - 0.1 * o[7]],
  'Swimmer-v5': gait(20, [0, Math.PI / 2]),
  'Ant-v5': gait(20, [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2, Math.PI, (3 * Math.PI) / 2, 0, Math.PI / 2]),
};

/** The environment's scene alone (what the trainer's `scene` event carries). */
export async function mujocoScene(id: MujocoEnvironmentId): Promise<MujocoScene> {
  await prepareEnvironment(id);
  const environment = makeEnv(id);
  try {
    const scene = environment.scene?.();
    if (!scene) throw new Error(`${id} has no scene`);
    return structuredClone(scene);
  } finally {
    environment.dispose?.();
  }
}

/**
 * One episode of the scripted policy, `skill` of the way from noise to the script, up to `maxSteps`
 * steps (the environment's limit by default).
 */
export async function simulateMujocoEpisode(id: MujocoEnvironmentId, options: { seed?: number; skill?: number; maxSteps?: number } = {}): Promise<MujocoEpisode> {
  await prepareEnvironment(id);
  const random = new Random(options.seed ?? 1);
  const environment = makeEnv(id, { rng: new Random((options.seed ?? 1) + 7919) });
  try {
    const { spec } = environment;
    const skill = options.skill ?? 1;
    const limit = Math.min(options.maxSteps ?? environment.maxEpisodeSteps, environment.maxEpisodeSteps);
    let observation = environment.reset();
    const frames: number[] = [...environment.frame()];
    let total = 0;
    let length = 0;
    while (length < limit) {
      const scripted = POLICIES[id](observation, length, environment);
      const action = scripted.map((a) => Math.min(spec.actionHigh, Math.max(spec.actionLow, skill * a + (1 - skill) * random.uniform(spec.actionLow, spec.actionHigh))));
      const result = environment.step(action);
      observation = result.observation;
      total += result.reward;
      length++;
      frames.push(...environment.frame());
      if (result.terminated || result.truncated) break;
    }
    // The first frame is the reset pose; an episode's frames are one per step, as the trainer records them.
    frames.splice(0, spec.frameLabels.length);
    return { return: total, length, stride: spec.frameLabels.length, frames, scene: structuredClone(environment.scene!()) };
  } finally {
    environment.dispose?.();
  }
}

/** The episode's frames in batches of `perBatch` steps, as the trainer streams them (the last saying the length). */
export function episodeFrameBatches(episode: SimulatedEpisode, episodeNumber: number, perBatch = 100, phase: FrameBatch['phase'] = 'train'): TrainerToHost[] {
  const events: TrainerToHost[] = [];
  for (let first = 0; first < episode.length; first += perBatch) {
    const last = first + perBatch >= episode.length;
    const data = episode.frames.slice(episode.stride * first, episode.stride * Math.min(episode.length, first + perBatch));
    events.push({ type: 'frames', frames: { episode: episodeNumber, firstStep: first, phase, stride: episode.stride, data, ...(last ? { episodeLength: episode.length } : {}) } });
  }
  return events;
}
