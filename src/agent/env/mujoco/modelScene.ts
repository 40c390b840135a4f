/** A compiled model's bodies, geoms and rest poses as plain data, for the 3D renderer (read once per run). */

import type { MjModel } from 'mujoco-js';
import { MUJOCO_GEOM_TYPES, type MujocoScene, type MujocoSceneGeom } from '../../../shared/mujocoScene';

/** MuJoCo's internal default geom colour: a geom left at it is drawn in its material's colour. */
const DEFAULT_GEOM_RGBA = [0.5, 0.5, 0.5, 1];

// `+ 0` turns −0 into 0, which JSON would do anyway: the scene then survives a round trip unchanged.
function triple(values: ArrayLike<number>, index: number): [number, number, number] {
  return [values[3 * index] + 0, values[3 * index + 1] + 0, values[3 * index + 2] + 0];
}

function quadruple(values: ArrayLike<number>, index: number): [number, number, number, number] {
  return [values[4 * index] + 0, values[4 * index + 1] + 0, values[4 * index + 2] + 0, values[4 * index + 3] + 0];
}

/** Float32 model colours as the decimals they were written as (0.699999988 → 0.7), for readable JSON. */
function colour(values: ArrayLike<number>, index: number): [number, number, number, number] {
  return quadruple(values, index).map((c) => Number(c.toPrecision(7))) as [number, number, number, number];
}

/** Every body's world pose (MuJoCo's xpos, xquat) at the model's reference configuration. */
export interface RestPoses {
  xpos: ArrayLike<number>;
  xquat: ArrayLike<number>;
}

export function modelScene(model: MjModel, rest: RestPoses): MujocoScene {
  const names = model.names as Int8Array;
  const bodyNames = model.name_bodyadr as Int32Array;
  const geomNames = model.name_geomadr as Int32Array;
  const materialNames = model.name_matadr as Int32Array;
  const parents = model.body_parentid as Int32Array;
  const bodies = Array.from({ length: model.nbody }, (_, b) => ({
    name: nameAt(names, bodyNames[b]),
    parent: parents[b],
    restPos: triple(rest.xpos, b),
    restQuat: quadruple(rest.xquat, b),
  }));
  const types = model.geom_type as Int32Array;
  const bodyOf = model.geom_bodyid as Int32Array;
  const materialOf = model.geom_matid as Int32Array;
  const geomRgba = model.geom_rgba as Float32Array;
  const materialRgba = model.mat_rgba as Float32Array;
  const sizes = model.geom_size as Float64Array;
  const positions = model.geom_pos as Float64Array;
  const orientations = model.geom_quat as Float64Array;
  const geoms: MujocoSceneGeom[] = [];
  for (let g = 0; g < model.ngeom; g++) {
    const own = colour(geomRgba, g);
    const material = materialOf[g];
    const leftAtDefault = own.every((c, i) => Math.abs(c - DEFAULT_GEOM_RGBA[i]) < 1e-6);
    geoms.push({
      name: nameAt(names, geomNames[g]),
      body: bodyOf[g],
      type: MUJOCO_GEOM_TYPES[types[g]] ?? 'box',
      size: triple(sizes, g),
      pos: triple(positions, g),
      quat: quadruple(orientations, g),
      rgba: material >= 0 && leftAtDefault ? colour(materialRgba, material) : own,
      material: material >= 0 ? nameAt(names, materialNames[material]) : '',
    });
  }
  // The model's own name is the first string of the names buffer.
  return { model: nameAt(names, 0), bodies, geoms };
}

/**
 * The NUL-terminated name at `address` in MuJoCo's names buffer ('' for an unnamed object). Read
 * directly because mj_id2name's binding turns a missing name into a stray string.
 */
function nameAt(names: Int8Array, address: number): string {
  let end = address;
  while (end < names.length && names[end] !== 0) end++;
  return new TextDecoder().decode(Uint8Array.from(names.subarray(address, end)));
}
