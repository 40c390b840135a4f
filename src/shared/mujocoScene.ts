/**
 * What a 3D renderer needs to build a MuJoCo model's scene once per run, as plain data: the bodies
 * and the geoms attached to them. Each step's frame() then only carries the bodies' poses (see
 * mujocoFrameLabels in environments.ts for its layout).
 */

/** MuJoCo's mjtGeom names of the primitive shapes Gymnasium's models use. */
export type MujocoGeomType = 'plane' | 'hfield' | 'sphere' | 'capsule' | 'ellipsoid' | 'cylinder' | 'box' | 'mesh' | 'sdf';

export const MUJOCO_GEOM_TYPES: readonly MujocoGeomType[] = ['plane', 'hfield', 'sphere', 'capsule', 'ellipsoid', 'cylinder', 'box', 'mesh', 'sdf'];

export interface MujocoSceneBody {
  name: string;
  /** Index of the parent body; the world body (index 0) is its own parent. */
  parent: number;
}

export interface MujocoSceneGeom {
  name: string;
  /** Index into `bodies`; 0 is the world (static geoms: floor, rail). */
  body: number;
  type: MujocoGeomType;
  /**
   * MuJoCo's geom_size, whose meaning depends on the type: plane [half x, half y, grid spacing]
   * (0 half-size = infinite), sphere [radius], capsule and cylinder [radius, half length along z],
   * ellipsoid and box [half sizes x, y, z].
   */
  size: [number, number, number];
  /** Position and orientation (quaternion w, x, y, z) in the body's frame. */
  pos: [number, number, number];
  quat: [number, number, number, number];
  /** The colour MuJoCo draws: the geom's own rgba, or its material's where the geom leaves rgba at MuJoCo's default. */
  rgba: [number, number, number, number];
  /** The material's name, '' when none. */
  material: string;
}

export interface MujocoScene {
  /** The model's name (its <mujoco model="…">). */
  model: string;
  bodies: MujocoSceneBody[];
  geoms: MujocoSceneGeom[];
}
