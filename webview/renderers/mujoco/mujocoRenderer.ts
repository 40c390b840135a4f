/**
 * Draws a MuJoCo environment's frames in 3D with three.js: the scene is built once per run from the
 * model's geoms (the trainer's `scene` event, or the run folder's scene.json sent in the snapshot),
 * and each frame places the bodies at their world poses; with no frame to play the bodies stand at
 * the scene's rest poses, so that a run reopened after it ended still shows its model. The camera
 * follows the tracked body as Gymnasium's does, and the mouse orbits and zooms.
 *
 * Made for software WebGL (SwiftShader, no GPU): the pixel ratio is capped, nothing is rendered
 * unless a frame, the size, the theme or the camera changed, and geometries and materials are
 * freed when the run's scene goes. Without WebGL the card says so instead of staying blank.
 *
 * Tests read what was drawn from the canvas's data attributes: data-scene-model, data-geoms
 * (drawn), data-renders, data-render-ms (the last render's cost), data-gpu-geometries (what the GPU
 * holds), data-camera-target and -position, and data-body-positions ("x,y,z" per moving body).
 */

import { Box3, Fog, HemisphereLight, DirectionalLight, AmbientLight, Scene, Vector3, WebGLRenderer } from 'three';
import { restPoses, sceneFitsEnvironment, type MujocoScene } from '../../../src/shared/mujocoScene';
import type { ThemePalette } from '../../theme';
import type { EnvironmentRenderer, PlayedFrame, RendererDefinition, RendererSetup } from '../environmentRenderer';
import { buildBodies, disposeObject, placeBodies, type BuiltBodies } from './bodyMeshes';
import { cssColour, Ground } from './ground';
import { HudOverlay } from './hudOverlay';
import { MUJOCO_OUTLINE, NO_SCENE_NOTE } from './mujocoOutline';
import { TrackingCamera } from './trackingCamera';

/** Software rendering costs per pixel: above this ratio the 3D view would stutter for sharpness few can see. */
export const MAX_PIXEL_RATIO = 1.5;
/** One small shadow map: it covers only the model's neighbourhood, and software rendering pays for every texel. */
const SHADOW_MAP_SIZE = 512;
const POSE_FIELDS = 7;

/** What one run's model is as three.js objects. */
interface BuiltModel {
  scene: MujocoScene;
  bodies: BuiltBodies;
  ground: Ground;
  camera: TrackingCamera;
  /** Where the bodies stand while no frame plays (the scene's rest poses); null from older trainers' scenes. */
  rest: number[] | null;
}

function createWebGl(canvas: HTMLCanvasElement): WebGLRenderer | null {
  try {
    return new WebGLRenderer({ canvas, antialias: true, powerPreference: 'low-power' });
  } catch {
    return null;
  }
}

export class MujocoRenderer implements EnvironmentRenderer {
  private readonly gl: WebGLRenderer | null;
  private readonly hud: HudOverlay;
  /** What the card says instead of a 3D view (no WebGL, no scene yet), as text a screen reader and a test can read. */
  private readonly noteElement: HTMLElement;
  private readonly world = new Scene();
  private model: BuiltModel | null = null;
  private widthCss = 0;
  private heightCss = 0;
  private renders = 0;
  /** What the last render showed: a redraw of the same is skipped. */
  private shownValues: number[] | null = null;
  private shownKey = '';
  private lastFrame: PlayedFrame | null = null;
  private readonly fog = new Fog(0x000000, 12, 40);
  /** MuJoCo's models light from straight above; a little in front keeps the side facing the camera lit. */
  private readonly sun = new DirectionalLight(0xffffff, 1.6);
  private readonly sunDirection = new Vector3(0.3, -1, 2).normalize();
  private shadowReach = 1;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private palette: ThemePalette,
    private setup: RendererSetup,
  ) {
    this.gl = createWebGl(canvas);
    this.hud = new HudOverlay(canvas, palette);
    this.noteElement = document.createElement('p');
    this.noteElement.dataset.testid = 'mujoco-note';
    Object.assign(this.noteElement.style, {
      position: 'absolute', left: '0', right: '0', top: '50%', transform: 'translateY(-50%)', margin: '0', padding: '0 16px',
      textAlign: 'center', pointerEvents: 'none',
    });
    this.noteElement.hidden = true;
    this.hud.canvas.after(this.noteElement);
    if (this.gl) {
      this.world.add(new AmbientLight(0xffffff, 0.35), new HemisphereLight(0xffffff, 0x404040, 0.9));
      // MuJoCo's models light from straight above; a little in front keeps the side facing the camera lit.
      this.sun.position.set(0.3, -1, 2);
      this.sun.castShadow = true;
      this.sun.shadow.mapSize.set(SHADOW_MAP_SIZE, SHADOW_MAP_SIZE);
      this.world.add(this.sun, this.sun.target);
      this.gl.shadowMap.enabled = true;
    }
    canvas.dataset.webgl = this.gl ? 'yes' : 'no';
    canvas.dataset.sceneModel = '';
    canvas.dataset.geoms = '0';
    this.applyPalette();
    this.configure(setup);
  }

  configure(setup: RendererSetup): void {
    // A run that has ended without a scene gets its note at the next draw.
    if ((setup.sceneMissing ?? false) !== (this.setup.sceneMissing ?? false)) this.shownValues = null;
    this.setup = setup;
    const scene = setup.scene && sceneFitsEnvironment(setup.scene, setup.environment) ? setup.scene : null;
    if (scene === (this.model?.scene ?? null)) return;
    this.disposeModel();
    if (scene && this.gl) this.model = this.buildModel(scene);
    this.canvas.dataset.sceneModel = scene?.model ?? '';
    this.canvas.dataset.geoms = String(this.model?.bodies.drawnGeoms ?? 0);
    this.shownValues = null;
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.hud.setPalette(palette);
    this.applyPalette();
    this.shownValues = null;
  }

  resize(widthCss: number, heightCss: number, pixelRatio: number): boolean {
    const ratio = Math.min(pixelRatio, MAX_PIXEL_RATIO);
    const hudChanged = this.hud.resize(widthCss, heightCss, pixelRatio);
    if (!hudChanged && widthCss === this.widthCss && heightCss === this.heightCss) return false;
    this.widthCss = widthCss;
    this.heightCss = heightCss;
    if (this.gl) {
      this.gl.setPixelRatio(ratio);
      this.gl.setSize(Math.max(1, widthCss), Math.max(1, heightCss), false);
    }
    this.model?.camera.setAspect(widthCss / Math.max(1, heightCss));
    this.shownValues = null;
    return true;
  }

  draw(frame: PlayedFrame | null): void {
    this.lastFrame = frame;
    const model = this.model;
    const key = frame ? `${frame.episode}|${frame.step}|${frame.phase}|${frame.title}|${frame.badge}` : '';
    const values = frame?.values ?? model?.rest;
    if (model && values) this.pose(model, values);
    if (this.unchanged(frame, key)) return;
    this.hud.draw(frame, this.setup.environment, this.setup.maxEpisodeSteps);
    this.showNote(this.note(frame));
    this.render();
    this.shownKey = key;
    this.shownValues = frame ? Array.from(frame.values) : [];
  }

  dispose(): void {
    this.disposeModel();
    this.hud.dispose();
    this.noteElement.remove();
    this.gl?.dispose();
    this.lastFrame = null;
  }

  private note(frame: PlayedFrame | null): string | null {
    if (!this.gl) return 'WebGL is not available here, so the 3D view of this MuJoCo run cannot be drawn. The curves and the status still update.';
    if (!this.model) return frame ? 'Waiting for the model\u2019s 3D scene from the trainer…' : this.setup.sceneMissing ? NO_SCENE_NOTE : null;
    if (!frame && !this.model.rest) return 'The model is drawn when its first frames play.';
    return null;
  }

  private showNote(note: string | null): void {
    this.noteElement.style.color = this.palette.foreground;
    if ((note ?? '') === this.noteElement.textContent && this.noteElement.hidden === !note) return;
    this.noteElement.textContent = note ?? '';
    this.noteElement.hidden = !note;
  }

  private unchanged(frame: PlayedFrame | null, key: string): boolean {
    const shown = this.shownValues;
    if (!shown || key !== this.shownKey) return false;
    const values = frame?.values ?? [];
    if (values.length !== shown.length) return false;
    for (let i = 0; i < values.length; i++) if (values[i] !== shown[i]) return false;
    return true;
  }

  private buildModel(scene: MujocoScene): BuiltModel {
    const bodies = buildBodies(scene);
    const ground = new Ground(scene, this.palette);
    const camera = new TrackingCamera(this.canvas, this.setup.environment.mujoco?.camera ?? {}, () => this.cameraMoved());
    camera.setAspect(this.widthCss / Math.max(1, this.heightCss));
    this.world.add(bodies.root, ground.object);
    return { scene, bodies, ground, camera, rest: restPoses(scene) };
  }

  /** Bodies where the frame (or the rest pose) says; the camera placed on the first pose of the scene, then following. */
  private pose(model: BuiltModel, values: ArrayLike<number>): void {
    if (values.length < (model.bodies.bodies.length - 1) * POSE_FIELDS) return;
    placeBodies(model.bodies.bodies, values);
    const tracked = model.camera.trackedBody;
    const trackedPosition = tracked > 0 ? model.bodies.bodies[tracked]?.position ?? null : null;
    if (!model.camera.placed) {
      const box = new Box3().setFromObject(model.bodies.root);
      const centre = box.getCenter(new Vector3());
      const extent = Math.max(0.1, box.getSize(new Vector3()).length());
      if (!model.ground.hasFloor) model.ground.setHeight(box.min.z - 0.08 * extent);
      model.camera.place({ centre, extent }, trackedPosition);
      const distance = model.camera.camera.position.distanceTo(model.camera.target);
      this.fog.near = 2 * distance;
      this.fog.far = 6 * distance;
      this.fitShadows(extent);
      this.canvas.dataset.extent = extent.toFixed(3);
    } else if (trackedPosition) {
      model.camera.follow(trackedPosition.x, trackedPosition.y);
    }
    const target = model.camera.target;
    model.ground.follow(target.x, target.y);
    // The shadow camera covers the model's neighbourhood only, so it moves with the look-at point.
    this.sun.target.position.copy(target);
    this.sun.position.copy(target).addScaledVector(this.sunDirection, 4 * this.shadowReach);
    this.canvas.dataset.bodyPositions = model.bodies.bodies
      .slice(1)
      .map((body) => `${body.position.x.toFixed(4)},${body.position.y.toFixed(4)},${body.position.z.toFixed(4)}`)
      .join(' ');
  }

  private fitShadows(extent: number): void {
    this.shadowReach = Math.max(1, 1.25 * extent);
    const shadowCamera = this.sun.shadow.camera;
    shadowCamera.left = shadowCamera.bottom = -this.shadowReach;
    shadowCamera.right = shadowCamera.top = this.shadowReach;
    shadowCamera.near = 0.1;
    shadowCamera.far = 8 * this.shadowReach;
    shadowCamera.updateProjectionMatrix();
  }

  private cameraMoved(): void {
    this.render();
  }

  private render(): void {
    if (!this.gl || this.widthCss < 1 || this.heightCss < 1) return;
    const model = this.model;
    if (model && model.camera.placed) {
      const started = performance.now();
      this.gl.render(this.world, model.camera.camera);
      // gl.render returns once the commands are queued, so this is the CPU's share of a frame: what software WebGL competes for.
      this.canvas.dataset.renderMs = (performance.now() - started).toFixed(1);
      this.canvas.dataset.gpuGeometries = String(this.gl.info.memory.geometries);
      const { target, camera } = model.camera;
      this.canvas.dataset.cameraTarget = `${target.x.toFixed(4)},${target.y.toFixed(4)},${target.z.toFixed(4)}`;
      this.canvas.dataset.cameraPosition = `${camera.position.x.toFixed(4)},${camera.position.y.toFixed(4)},${camera.position.z.toFixed(4)}`;
    } else {
      this.gl.clear();
    }
    this.canvas.dataset.renders = String(++this.renders);
  }

  private applyPalette(): void {
    const background = cssColour(this.palette.background).color;
    this.world.background = background;
    // The endless floor fades into the background toward the horizon rather than ending at an edge.
    this.fog.color.copy(background);
    this.world.fog = this.fog;
    this.gl?.setClearColor(background, 1);
    this.model?.ground.setPalette(this.palette);
  }

  private disposeModel(): void {
    const model = this.model;
    if (!model) return;
    this.model = null;
    disposeObject(model.bodies.root);
    model.ground.dispose();
    model.camera.dispose();
    delete this.canvas.dataset.cameraTarget;
    delete this.canvas.dataset.cameraPosition;
    delete this.canvas.dataset.bodyPositions;
  }
}

export const MUJOCO_RENDERER: RendererDefinition = {
  ...MUJOCO_OUTLINE,
  create: (canvas, palette, setup) => new MujocoRenderer(canvas, palette, setup),
};
