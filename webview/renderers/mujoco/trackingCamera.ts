/**
 * The camera Gymnasium's renderer starts from, for one model: MuJoCo's free camera (field of view
 * 45°, azimuth 90° — looking along +y, so a planar model moving in x–z is seen from its side —
 * elevation −45° unless the class's DEFAULT_CAMERA_CONFIG says otherwise) at the class's distance
 * from its look-at point, which follows the tracked body (by default the root, body 1) in x and y.
 * MuJoCo is z-up, so the camera's up vector is +z.
 *
 * The mouse orbits (drag), pans (right drag) and zooms (wheel) around the look-at point with
 * three.js's OrbitControls; tracking then carries the user's view along with the body. A double
 * click goes back to Gymnasium's view. Nothing here animates on its own: every change asks the
 * renderer for one redraw.
 */

import { MathUtils, PerspectiveCamera, Vector3 } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { MujocoCamera } from '../../../src/shared/mujocoEnvironments';

const MUJOCO_FOV_DEGREES = 45;
const MUJOCO_AZIMUTH_DEGREES = 90;
const MUJOCO_ELEVATION_DEGREES = -45;

/** What the first frame tells about the model where the class's camera config is silent. */
export interface ModelExtent {
  /** The middle of the model's bounding box in the world. */
  centre: Vector3;
  /** Its diagonal: about MuJoCo's stat.extent (the model's diameter), near enough for framing. */
  extent: number;
}

export class TrackingCamera {
  readonly camera = new PerspectiveCamera(MUJOCO_FOV_DEGREES, 1, 0.01, 1000);
  private readonly controls: OrbitControls;
  /** Body whose x and y the look-at point follows; 0 (the world) holds it still. */
  readonly trackedBody: number;
  private home: { target: Vector3; offset: Vector3 } | null = null;
  private moving = false;

  constructor(
    element: HTMLElement,
    private readonly config: MujocoCamera,
    private readonly onChange: () => void,
  ) {
    this.trackedBody = config.trackBody ?? 1;
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, element);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => {
      if (!this.moving) this.onChange();
    });
    element.addEventListener('dblclick', this.resetView);
  }

  get placed(): boolean {
    return this.home !== null;
  }

  /** Where the camera looks (tests read it). */
  get target(): Vector3 {
    return this.controls.target;
  }

  /** Gymnasium's view of the model, from its first frame; the look-at point's height stays as placed. */
  place(model: ModelExtent, tracked: Vector3 | null): void {
    const distance = this.config.distance ?? 1.5 * model.extent;
    const lookat = this.config.lookat;
    const target = new Vector3(
      tracked?.x ?? lookat?.[0] ?? model.centre.x,
      tracked?.y ?? lookat?.[1] ?? model.centre.y,
      lookat?.[2] ?? model.centre.z,
    );
    const elevation = MathUtils.degToRad(this.config.elevation ?? MUJOCO_ELEVATION_DEGREES);
    const azimuth = MathUtils.degToRad(MUJOCO_AZIMUTH_DEGREES);
    const forward = new Vector3(Math.cos(elevation) * Math.cos(azimuth), Math.cos(elevation) * Math.sin(azimuth), Math.sin(elevation));
    const offset = forward.multiplyScalar(-distance);
    this.home = { target: target.clone(), offset };
    this.camera.near = Math.max(0.005, distance / 200);
    this.camera.far = distance * 60 + 100;
    this.camera.updateProjectionMatrix();
    this.controls.minDistance = distance / 8;
    this.controls.maxDistance = distance * 8;
    this.moveTo(target, offset);
  }

  /** Carries the view along with the tracked body (in x and y), the user's orbit and zoom kept. */
  follow(x: number, y: number): void {
    const target = this.controls.target;
    if (target.x === x && target.y === y) return;
    const offset = this.camera.position.clone().sub(target);
    this.moveTo(new Vector3(x, y, target.z), offset);
  }

  setAspect(aspect: number): void {
    this.camera.aspect = aspect;
    this.camera.updateProjectionMatrix();
  }

  dispose(): void {
    this.controls.domElement?.removeEventListener('dblclick', this.resetView);
    this.controls.dispose();
  }

  private readonly resetView = (): void => {
    if (!this.home) return;
    const tracked = this.trackedBody > 0 ? this.controls.target : this.home.target;
    this.moveTo(new Vector3(tracked.x, tracked.y, this.home.target.z), this.home.offset.clone());
    this.onChange();
  };

  private moveTo(target: Vector3, offset: Vector3): void {
    this.moving = true;
    this.controls.target.copy(target);
    this.camera.position.copy(target).add(offset);
    this.camera.lookAt(target);
    this.controls.update();
    this.moving = false;
  }
}
