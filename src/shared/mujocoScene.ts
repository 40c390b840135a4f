/**
 * What a 3D renderer needs to build a MuJoCo model's scene once per run, as plain data: the bodies
 * and the geoms attached to them, and where the bodies stand before anything moves them. Each
 * step's frame() then only carries the bodies' poses (see mujocoFrameLabels in environments.ts for
 * its layout).
 *
 * The same object is the trainer's `scene` event and a run folder's scene.json (runFormat.ts), so
 * that a dashboard opened after the run ended can still draw the model.
 */

import type { EnvironmentDescriptor } from './environments';

/** MuJoCo's mjtGeom names of the primitive shapes Gymnasium's models use. */
export type MujocoGeomType = 'plane' | 'hfield' | 'sphere' | 'capsule' | 'ellipsoid' | 'cylinder' | 'box' | 'mesh' | 'sdf';

export const MUJOCO_GEOM_TYPES: readonly MujocoGeomType[] = ['plane', 'hfield', 'sphere', 'capsule', 'ellipsoid', 'cylinder', 'box', 'mesh', 'sdf'];

export interface MujocoSceneBody {
  name: string;
  /** Index of the parent body; the world body (index 0) is its own parent. */
  parent: number;
  /**
   * The body's world position and orientation (quaternion w, x, y, z) at the model's reference
   * configuration (qpos0: where every episode starts before its reset noise), as frame() would
   * report them there. Absent from scenes of trainers older than scene.json: a page then has
   * nothing to draw until frames come.
   */
  restPos?: [number, number, number];
  restQuat?: [number, number, number, number];
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

/** Bodies and geoms a scene may have: several times what Gymnasium's largest model (Ant: 14 bodies, 20 geoms) has. */
export const MAX_SCENE_BODIES = 512;
export const MAX_SCENE_GEOMS = 2048;
const MAX_SCENE_NAME = 200;

type UnknownRecord = Record<string, unknown>;
const isRecord = (value: unknown): value is UnknownRecord => typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min;
const isName = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_SCENE_NAME;
const isFiniteTuple = (value: unknown, length: number): boolean => Array.isArray(value) && value.length === length && value.every(isFiniteNumber);

/** A rest pose is both fields or neither: half of one cannot be drawn. */
function hasValidRest(body: UnknownRecord): boolean {
  if (body.restPos === undefined && body.restQuat === undefined) return true;
  return isFiniteTuple(body.restPos, 3) && isFiniteTuple(body.restQuat, 4);
}

/**
 * A MuJoCo scene a renderer can build without surprises: bounded counts, every parent an earlier
 * body (the world, body 0, its own), every geom on a body that exists, of a known type, with
 * finite sizes, poses and colours. It comes from another process (or a file): the page, and the
 * host reading scene.json, check it here.
 */
export function isMujocoScene(value: unknown): value is MujocoScene {
  if (!isRecord(value) || !isName(value.model)) return false;
  const { bodies, geoms } = value;
  if (!Array.isArray(bodies) || bodies.length < 1 || bodies.length > MAX_SCENE_BODIES) return false;
  if (!Array.isArray(geoms) || geoms.length > MAX_SCENE_GEOMS) return false;
  const bodiesValid = bodies.every(
    (body: unknown, index) =>
      isRecord(body) && isName(body.name) && isCount(body.parent, 0) && (index === 0 ? body.parent === 0 : body.parent < index) && hasValidRest(body),
  );
  return (
    bodiesValid &&
    geoms.every(
      (geom: unknown) =>
        isRecord(geom) &&
        isName(geom.name) &&
        isCount(geom.body, 0) &&
        geom.body < bodies.length &&
        (MUJOCO_GEOM_TYPES as readonly unknown[]).includes(geom.type) &&
        isFiniteTuple(geom.size, 3) &&
        isFiniteTuple(geom.pos, 3) &&
        isFiniteTuple(geom.quat, 4) &&
        isFiniteTuple(geom.rgba, 4) &&
        isName(geom.material),
    )
  );
}

/** The scene is the environment's model when it has one body per pose the environment's frames carry, plus the world. */
export function sceneFitsEnvironment(scene: MujocoScene, environment: EnvironmentDescriptor): boolean {
  const bodies = environment.mujoco?.bodies.length;
  return bodies !== undefined && scene.bodies.length === bodies + 1;
}

/**
 * The moving bodies' rest poses in frame() order (x, y, z, qw, qx, qy, qz per body, the world
 * left out, no actions): what a renderer draws when no frame has come. null when the scene was
 * sent without them.
 */
export function restPoses(scene: MujocoScene): number[] | null {
  const poses: number[] = [];
  for (const body of scene.bodies.slice(1)) {
    if (!body.restPos || !body.restQuat) return null;
    poses.push(...body.restPos, ...body.restQuat);
  }
  return poses;
}
