/**
 * Every renderer kind the dashboard can draw, keyed by an environment descriptor's `renderer`.
 * A kind added to the descriptors without a renderer here does not compile.
 *
 * The 3D renderer (three.js) is not part of the dashboard's script: it is dist/webview-mujoco.js
 * (an entry point of esbuild.mjs, listed in .vscodeignore), loaded the first time a MuJoCo run is
 * shown. Only its outline is here, so that nothing in this file's imports reaches three.js.
 */

import type { EnvironmentDescriptor } from '../../src/shared/environments';
import type { RendererDefinition, RendererKind } from './environmentRenderer';
import { MOUNTAIN_CAR_RENDERER } from './mountainCar/mountainCarRenderer';
import { MUJOCO_OUTLINE } from './mujoco/mujocoOutline';
import { PENDULUM_RENDERER } from './pendulum/pendulumRenderer';
import { loadedSeparately } from './separateRenderer';

export const RENDERERS: { readonly [K in RendererKind]: RendererDefinition } = {
  pendulum: PENDULUM_RENDERER,
  mountainCar: MOUNTAIN_CAR_RENDERER,
  mujoco: loadedSeparately(MUJOCO_OUTLINE, { file: 'webview-mujoco.js', view: 'the 3D view' }),
};

export function rendererFor(environment: EnvironmentDescriptor): RendererDefinition {
  return RENDERERS[environment.renderer];
}
