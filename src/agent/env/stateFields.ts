/** Reading a written EnvironmentState back: a checkpoint from disk must not restore a half-valid state silently. */

import type { EnvironmentState } from './environment';

export function numberField(environmentId: string, state: EnvironmentState, field: string): number {
  const value = state?.[field];
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${environmentId} state: ${field} must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function stepCountField(environmentId: string, state: EnvironmentState): number {
  const steps = numberField(environmentId, state, 'elapsedSteps');
  if (!Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`${environmentId} state: elapsedSteps must be a non-negative integer, got ${steps}`);
  }
  return steps;
}
