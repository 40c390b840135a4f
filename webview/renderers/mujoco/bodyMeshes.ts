/**
 * A MuJoCo model's bodies as three.js objects, built once per run from the scene's geoms: one group
 * per body, placed each frame at the body's world pose (MuJoCo's xpos, xquat), with its geoms
 * inside at their body-frame poses. Planes are not built here: they are the ground (ground.ts).
 * MuJoCo's capsules and cylinders run along their z axis, three.js's along y: each such geometry
 * is turned once when it is made.
 */

import {
  BoxGeometry,
  BufferGeometry,
  CapsuleGeometry,
  Color,
  CylinderGeometry,
  Group,
  Mesh,
  MeshPhongMaterial,
  SphereGeometry,
  type Object3D,
} from 'three';
import type { MujocoScene, MujocoSceneGeom } from '../../../src/shared/mujocoScene';

const RADIAL_SEGMENTS = 20;
const CAP_SEGMENTS = 6;

/** The geometry of a geom in its own frame, or null for what is not drawn as a body part (planes, meshes, height fields). */
function geometryOf(geom: MujocoSceneGeom): BufferGeometry | null {
  const [a, b, c] = geom.size;
  switch (geom.type) {
    case 'sphere':
      return new SphereGeometry(a, RADIAL_SEGMENTS, RADIAL_SEGMENTS / 2 + 2);
    case 'ellipsoid': {
      const sphere = new SphereGeometry(1, RADIAL_SEGMENTS, RADIAL_SEGMENTS / 2 + 2);
      sphere.scale(a, b, c);
      return sphere;
    }
    case 'capsule':
      return new CapsuleGeometry(a, 2 * b, CAP_SEGMENTS, RADIAL_SEGMENTS).rotateX(Math.PI / 2);
    case 'cylinder':
      return new CylinderGeometry(a, a, 2 * b, RADIAL_SEGMENTS).rotateX(Math.PI / 2);
    case 'box':
      return new BoxGeometry(2 * a, 2 * b, 2 * c);
    default:
      return null;
  }
}

/** Gymnasium's models give their geoms a plain colour (their material's texture is flat): a light sheen reads as MuJoCo's default specular. */
function materialOf(geom: MujocoSceneGeom): MeshPhongMaterial {
  const [red, green, blue, alpha] = geom.rgba;
  return new MeshPhongMaterial({
    color: new Color().setRGB(red, green, blue),
    shininess: 30,
    specular: new Color(0.18, 0.18, 0.18),
    transparent: alpha < 1,
    opacity: alpha,
  });
}

export interface BuiltBodies {
  /** Everything built, to add to the scene. */
  readonly root: Group;
  /** One group per scene body; index 0 is the world (static geoms), the others move with frames. */
  readonly bodies: readonly Group[];
  /** Geoms drawn, and those skipped (planes go to the ground; meshes, height fields and SDFs are not drawn). */
  readonly drawnGeoms: number;
  readonly skippedGeoms: number;
}

export function buildBodies(scene: MujocoScene): BuiltBodies {
  const root = new Group();
  root.name = scene.model;
  const bodies = scene.bodies.map((body, index) => {
    const group = new Group();
    group.name = body.name || `body${index}`;
    // Until a frame places them, the moving bodies are not drawn: the scene alone does not say where they are.
    group.visible = index === 0;
    root.add(group);
    return group;
  });
  let drawnGeoms = 0;
  let skippedGeoms = 0;
  for (const geom of scene.geoms) {
    const geometry = geom.type === 'plane' ? null : geometryOf(geom);
    if (!geometry) {
      if (geom.type !== 'plane') skippedGeoms++;
      continue;
    }
    const mesh = new Mesh(geometry, materialOf(geom));
    mesh.name = geom.name;
    mesh.castShadow = true;
    mesh.position.set(geom.pos[0], geom.pos[1], geom.pos[2]);
    mesh.quaternion.set(geom.quat[1], geom.quat[2], geom.quat[3], geom.quat[0]).normalize();
    bodies[geom.body].add(mesh);
    drawnGeoms++;
  }
  return { root, bodies, drawnGeoms, skippedGeoms };
}

/**
 * Sets each moving body's world pose from a frame: body b (from 1) at values[7(b − 1) …], position
 * then quaternion w, x, y, z. The quaternion is normalised, because blending between two steps
 * moves it in a straight line and shortens it; a blend through opposite signs (which MuJoCo does
 * not produce between neighbouring steps) falls back to the step's own orientation.
 */
export function placeBodies(bodies: readonly Group[], values: ArrayLike<number>): void {
  for (let b = 1; b < bodies.length; b++) {
    const at = 7 * (b - 1);
    const body = bodies[b];
    body.position.set(values[at], values[at + 1], values[at + 2]);
    const w = values[at + 3], x = values[at + 4], y = values[at + 5], z = values[at + 6];
    const length = Math.hypot(w, x, y, z);
    if (length > 1e-6) body.quaternion.set(x / length, y / length, z / length, w / length);
    body.visible = true;
  }
}

/** Frees every geometry and material under `root` (the GPU keeps them until told). */
export function disposeObject(root: Object3D): void {
  root.traverse((object) => {
    if (!(object instanceof Mesh) && !('geometry' in object)) return;
    const drawable = object as Mesh;
    drawable.geometry?.dispose();
    const materials = Array.isArray(drawable.material) ? drawable.material : [drawable.material];
    for (const material of materials) material?.dispose();
  });
  root.removeFromParent();
}
