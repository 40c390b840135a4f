/**
 * What the dashboard knows of the 3D renderer before its script is there (it comes with three.js
 * in dist/webview-mujoco.js, loaded for MuJoCo runs only; registry.ts): its canvas, and how a
 * MuJoCo frame's numbers move between steps. Nothing here may import three.js.
 */

import type { EnvironmentDescriptor } from '../../../src/shared/environments';
import { restPoses, sceneFitsEnvironment } from '../../../src/shared/mujocoScene';
import type { FrameBlend, RendererOutline, RendererSetup } from '../environmentRenderer';

/** Positions and orientations move straight between steps (orientations renormalised); actions hold for the step. */
function mujocoBlend(environment: EnvironmentDescriptor): FrameBlend[] {
  const poses = environment.frameLabels.length - environment.actionSize;
  return environment.frameLabels.map((_, i) => (i < poses ? 'linear' : 'hold'));
}

/** Said over the 3D view when a run that has ended has no scene to build (its folder has none, or a damaged one). */
export const NO_SCENE_NOTE = 'No 3D scene was saved with this run.';

/** With nothing playing the 3D view shows the model at rest, or nothing at all: the caption says which. */
function mujocoRestingNote(setup: RendererSetup): string | null {
  const scene = setup.scene && sceneFitsEnvironment(setup.scene, setup.environment) ? setup.scene : null;
  if (!scene) return setup.sceneMissing ? 'Without a saved 3D scene its model cannot be drawn.' : null;
  return restPoses(scene) ? 'The model is shown at its starting pose.' : null;
}

export const MUJOCO_OUTLINE: RendererOutline = {
  kind: 'mujoco',
  canvasTestId: 'mujoco-canvas',
  blend: [],
  blendFor: mujocoBlend,
  restingNote: mujocoRestingNote,
};
