/**
 * Environment state as version 1 checkpoints stored it: Pendulum's [θ, θ̇] and the TimeLimit
 * counter (the applied torque, only drawn, was not saved).
 */

import type { EnvironmentState } from './environment';

export function pendulumStateFromVersion1(theta: number, thetaDot: number, elapsedSteps: number): EnvironmentState {
  return { theta, thetaDot, elapsedSteps, lastTorque: 0 };
}
