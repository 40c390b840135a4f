/**
 * MountainCarContinuous-v0 episodes of a policy that seems to learn, for the synthetic run, on the
 * project's real MountainCar physics. The "policy" pushes the way the car already moves (which
 * pumps energy into the swing), blended with a lean and a wandering force while it has little
 * skill: the car rocks in the valley at first and, as skill grows, swings up to the flag.
 */

import { MountainCarContinuous } from '../../src/agent/env/mountainCarContinuous';
import { Random } from '../../src/agent/random';
import type { RunConfig } from '../../src/shared/config';
import type { SimulatedEpisode } from './syntheticEpisode';

export function simulateMountainCarEpisode(
  trainedEpisodes: number,
  skill: number,
  seed: number,
  phase: 'train' | 'eval',
  config: RunConfig,
  maxEpisodeSteps: number,
): SimulatedEpisode {
  const random = new Random(seed);
  const env = new MountainCarContinuous({ goalVelocity: config.goalVelocity, maxEpisodeSteps, rng: new Random(seed + 7919) });
  env.reset();
  // An untrained actor leans one way and dithers, which rocks the car without reaching the flag.
  const lean = 0.35 * Math.sin(trainedEpisodes * 2.3);
  const frames: number[] = [];
  let total = 0;
  let wander = 0;
  let length = 0;
  while (length < maxEpisodeSteps) {
    wander = 0.9 * wander + 0.1 * random.uniform(-1, 1);
    const pump = Math.sign(env.state.velocity || -1);
    let action = skill * pump + (1 - skill) * (lean + 3 * wander);
    if (phase === 'train') action += config.noiseStd * random.normal();
    const result = env.step(Math.min(1, Math.max(-1, action)));
    total += result.reward;
    frames.push(...env.frame());
    length++;
    if (result.terminated || result.truncated) break;
  }
  return { return: total, length, stride: env.spec.frameLabels.length, frames };
}
