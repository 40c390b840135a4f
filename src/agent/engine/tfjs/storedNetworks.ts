/**
 * How each kind of stored network (runFormat.ts's StoredNetworkKind) maps onto LayersModel
 * folders: one model in the network's folder, except SAC's squashed Gaussian actor, stored as two
 * so that `tf.loadLayersModel` on its folder gives the action a user wants from it:
 *   <folder>/          the mean action tanh(μ(s))·bound (layersModelFormat.ts's "actor" model)
 *   <folder>/log_std/  log σ(s) (the "actorLogStd" model: the same hidden layers, then the head)
 * Both hold the shared hidden layers; loading checks that the two copies agree. Pure data.
 */

import type { StoredNetworkKind } from '../../../shared/runFormat';
import type { NetworkShape } from '../engine';
import { actorLayers, parameterCount } from '../parameters';
import { sacActorLayers } from '../sacParameters';
import { storedParameterCount, type NetworkKind } from './layersModelFormat';

export interface ModelFolder {
  /** Relative to the network's folder ('' = the folder itself). */
  subfolder: string;
  model: NetworkKind;
}

export const LOG_STD_SUBFOLDER = 'log_std';

export function modelFolders(kind: StoredNetworkKind): ModelFolder[] {
  if (kind === 'gaussianActor') return [{ subfolder: '', model: 'actor' }, { subfolder: LOG_STD_SUBFOLDER, model: 'actorLogStd' }];
  return [{ subfolder: '', model: kind }];
}

/** Parameters of the network's flat vector (the engines' layout). */
export function storedNetworkParameterCount(kind: StoredNetworkKind, shape: NetworkShape): number {
  return kind === 'gaussianActor' ? parameterCount(sacActorLayers(shape)) : storedParameterCount(kind, shape);
}

/** Where the Gaussian actor's last layer starts, and its kernel's width (2·actDim, mean columns first). */
function lastLayerOf(shape: NetworkShape): { trunk: number; fanIn: number; actDim: number } {
  const layers = sacActorLayers(shape);
  const [fanIn] = layers[layers.length - 1];
  return { trunk: parameterCount(layers.slice(0, -1)), fanIn, actDim: shape.actDim };
}

/** The flat vector of each of modelFolders(kind)'s models, in that order. */
export function splitIntoModels(kind: StoredNetworkKind, shape: NetworkShape, flat: Float32Array): Float32Array[] {
  if (kind !== 'gaussianActor') return [flat];
  const { trunk, fanIn, actDim } = lastLayerOf(shape);
  const head = (column: number): Float32Array => {
    const out = new Float32Array(parameterCount(actorLayers(shape)));
    out.set(flat.subarray(0, trunk));
    let at = trunk;
    for (let i = 0; i < fanIn; i++) for (let j = 0; j < actDim; j++) out[at++] = flat[trunk + i * 2 * actDim + column + j];
    for (let j = 0; j < actDim; j++) out[at++] = flat[trunk + fanIn * 2 * actDim + column + j];
    return out;
  };
  return [head(0), head(actDim)];
}

/** splitIntoModels' inverse; throws saying what is wrong when the parts do not fit together. */
export function joinModels(kind: StoredNetworkKind, shape: NetworkShape, parts: Float32Array[]): Float32Array {
  if (kind !== 'gaussianActor') return parts[0];
  const [mean, logStd] = parts;
  const { trunk, fanIn, actDim } = lastLayerOf(shape);
  for (let k = 0; k < trunk; k++) {
    if (mean[k] !== logStd[k] && !(Number.isNaN(mean[k]) && Number.isNaN(logStd[k]))) {
      throw new Error(`the ${LOG_STD_SUBFOLDER} model's hidden layers differ from the mean model's (parameter ${k}: ${logStd[k]} vs ${mean[k]})`);
    }
  }
  const flat = new Float32Array(storedNetworkParameterCount(kind, shape));
  flat.set(mean.subarray(0, trunk));
  for (const [column, part] of [[0, mean], [actDim, logStd]] as const) {
    let at = trunk;
    for (let i = 0; i < fanIn; i++) for (let j = 0; j < actDim; j++) flat[trunk + i * 2 * actDim + column + j] = part[at++];
    for (let j = 0; j < actDim; j++) flat[trunk + fanIn * 2 * actDim + column + j] = part[at++];
  }
  return flat;
}
