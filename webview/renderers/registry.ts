/**
 * Every renderer kind the dashboard can draw, keyed by an environment descriptor's `renderer`.
 * A kind added to the descriptors without a renderer here does not compile.
 */

import type { EnvironmentDescriptor } from '../../src/shared/environments';
import type { RendererDefinition, RendererKind } from './environmentRenderer';
import { MOUNTAIN_CAR_RENDERER } from './mountainCar/mountainCarRenderer';
import { MUJOCO_RENDERER } from './mujoco/mujocoRenderer';
import { PENDULUM_RENDERER } from './pendulum/pendulumRenderer';

export const RENDERERS: { readonly [K in RendererKind]: RendererDefinition } = {
  pendulum: PENDULUM_RENDERER,
  mountainCar: MOUNTAIN_CAR_RENDERER,
  mujoco: MUJOCO_RENDERER,
};

export function rendererFor(environment: EnvironmentDescriptor): RendererDefinition {
  return RENDERERS[environment.renderer];
}
