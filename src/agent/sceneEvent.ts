/**
 * The `scene` event a run of a MuJoCo environment sends once, after `started` (training) or
 * before its first frames (evaluating a checkpoint): the model's bodies and geoms, from which the
 * dashboard builds its 3D scene. Other environments have no scene and send nothing.
 */

import { ENVIRONMENTS } from '../shared/environments';
import { readCheckpointManifest } from '../shared/node/runDirectory';
import type { SceneEvent } from '../shared/protocol';
import type { Environment } from './env/environment';
import { makeEnv, prepareEnvironment } from './env/index';

export function sceneEventOf(environment: Environment): SceneEvent | null {
  const scene = environment.scene?.();
  return scene ? { type: 'scene', scene } : null;
}

/** The scene of the environment a checkpoint was trained on, read from a throwaway environment of that model. */
export async function checkpointSceneEvent(checkpointDir: string): Promise<SceneEvent | null> {
  const { environment } = await readCheckpointManifest(checkpointDir);
  if (!ENVIRONMENTS[environment.id].mujoco) return null;
  await prepareEnvironment(environment.id);
  const scratch = makeEnv(environment.id);
  try {
    return sceneEventOf(scratch);
  } finally {
    scratch.dispose?.();
  }
}
