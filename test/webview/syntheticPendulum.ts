/**
 * Pendulum-v1 episodes of a policy that seems to learn, for the synthetic run: the project's real
 * Pendulum physics, driven by a blend of an energy-pumping swing-up controller (with a PD
 * stabiliser near upright) and random torque whose mix shifts with training.
 */

import { angleNormalize, Pendulum, PENDULUM } from '../../src/agent/env/pendulum';
import { Random } from '../../src/agent/random';
import type { RunConfig } from '../../src/shared/config';
import type { SimulatedEpisode } from './syntheticEpisode';

/**
 * Energy-based swing-up with a PD stabiliser near upright, for Gymnasium's pendulum dynamics.
 * `gain` perturbs the stabiliser, standing in for a policy that keeps changing as it trains.
 */
function expertTorque(theta: number, thetaDot: number, gravity: number, gain: number): number {
  const angle = angleNormalize(theta);
  if (Math.abs(angle) < 0.45 * gain) return -gain * (10 * angle + 2.2 * thetaDot);
  // Energy per unit inertia: θ̇²/2 + (3g/2l)·cos θ; upright at rest has 3g/2l.
  const energy = (thetaDot * thetaDot) / 2 + ((3 * gravity) / 2) * Math.cos(theta);
  const target = (3 * gravity) / 2;
  const pump = gain * Math.sign(thetaDot || 1) * (target - energy);
  return Math.max(-PENDULUM.maxTorque, Math.min(PENDULUM.maxTorque, pump));
}

/**
 * One episode of the blended policy at `skill`. An untrained actor tends to saturate and spin the
 * pendulum, so missing skill becomes a strong one-sided torque; training episodes add wandering
 * torque and exploration noise on top, evaluation episodes are deterministic.
 */
export function simulatePendulumEpisode(
  trainedEpisodes: number,
  skill: number,
  seed: number,
  phase: 'train' | 'eval',
  config: RunConfig,
  maxEpisodeSteps: number,
): SimulatedEpisode {
  const gain = 1 + 0.2 * Math.sin(trainedEpisodes * 1.7);
  // A small torque offset that changes from episode to episode, as a still-moving policy has.
  const offset = 0.3 * Math.sin(trainedEpisodes * 2.3);
  const random = new Random(seed);
  const spin = (random.next() < 0.5 ? -1 : 1) * PENDULUM.maxTorque;
  const env = new Pendulum({ g: config.gravity, maxEpisodeSteps, rng: new Random(seed + 7919) });
  env.reset();
  const frames: number[] = [];
  let total = 0;
  let wander = 0;
  for (let step = 0; step < maxEpisodeSteps; step++) {
    const [theta, thetaDot] = env.state;
    let action = skill * expertTorque(theta, thetaDot, config.gravity, gain) + (1 - skill) * spin + offset;
    if (phase === 'train') {
      wander = 0.8 * wander + 0.2 * random.uniform(-PENDULUM.maxTorque, PENDULUM.maxTorque);
      action += (1 - skill) * wander + config.noiseStd * PENDULUM.maxTorque * random.normal();
    }
    const result = env.step(action);
    total += result.reward;
    frames.push(env.state[0], env.lastTorque);
  }
  return { return: total, length: maxEpisodeSteps, stride: 2, frames };
}
