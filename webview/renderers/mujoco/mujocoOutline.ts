/**
 * What the dashboard knows of the 3D renderer before its script is there (it comes with three.js
 * in dist/webview-mujoco.js, loaded for MuJoCo runs only; registry.ts): its canvas, and how a
 * MuJoCo frame's numbers move between steps. Nothing here may import three.js.
 */

import type { EnvironmentDescriptor } from '../../../src/shared/environments';
import type { FrameBlend, RendererOutline } from '../environmentRenderer';

/** Positions and orientations move straight between steps (orientations renormalised); actions hold for the step. */
function mujocoBlend(environment: EnvironmentDescriptor): FrameBlend[] {
  const poses = environment.frameLabels.length - environment.actionSize;
  return environment.frameLabels.map((_, i) => (i < poses ? 'linear' : 'hold'));
}

export const MUJOCO_OUTLINE: RendererOutline = {
  kind: 'mujoco',
  canvasTestId: 'mujoco-canvas',
  blend: [],
  blendFor: mujocoBlend,
};
