/**
 * The ground under a MuJoCo model, in the theme's colours: a faint floor with grid lines. A model's
 * floor plane of modest size (Reacher's arena) is drawn where and as large as it is; a large one
 * (the locomotion tasks' 40 m planes, which MuJoCo treats as endless) becomes a patch that stays
 * under the camera's target, moved in whole grid cells so that its lines stay put in the world and
 * show how fast the body runs. A model without a floor (InvertedPendulum) gets a grid just below
 * its lowest point, so that it does not float in empty space.
 */

import { BufferGeometry, Color, Float32BufferAttribute, Group, LineBasicMaterial, LineSegments, Mesh, MeshBasicMaterial, PlaneGeometry, ShadowMaterial } from 'three';
import type { MujocoScene, MujocoSceneGeom } from '../../../src/shared/mujocoScene';
import { rgbaOf, type ThemePalette } from '../../theme';
import { disposeObject } from './bodyMeshes';

/** Planes larger than this (half size, metres) are endless floors. */
const FINITE_PLANE_LIMIT = 10;
/** The endless floor's patch: this many grid cells either side of the target. */
const PATCH_CELLS = 30;
const ENDLESS_GRID_STEP = 1;
const FLOORLESS_GRID_STEP = 0.25;
const GRID_LIFT = 0.002;

export interface CssColour {
  color: Color;
  alpha: number;
}

/** Any CSS colour as a three.js colour and its alpha (through the browser's own parser, like withAlpha). */
export function cssColour(css: string): CssColour {
  const [red, green, blue, alpha] = rgbaOf(css);
  return { color: new Color().setRGB(red / 255, green / 255, blue / 255, 'srgb'), alpha };
}

/**
 * `from` moved `share` of the way to `to`, mixed as CSS mixes colours (in sRGB): three.js works in
 * linear light, where a few percent toward a light colour brighten a dark one far more than the eye expects.
 */
function mixCss(from: string, to: string, share: number): Color {
  const a = rgbaOf(from);
  const b = rgbaOf(to);
  const mix = (i: number) => (a[i] + (b[i] - a[i]) * share) / 255;
  return new Color().setRGB(mix(0), mix(1), mix(2), 'srgb');
}

/** 1, 2 or 5 times a power of ten, about `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / power;
  return (scaled < 1.5 ? 1 : scaled < 3.5 ? 2 : 5) * power;
}

/**
 * Grid lines as one segment per cell side rather than one per line: software WebGL drops a line
 * whose end lies behind the camera instead of clipping it, and an endless floor's long lines all
 * pass under the camera. Short segments lose only the piece beneath it.
 */
function gridGeometry(halfWidth: number, halfDepth: number, step: number): BufferGeometry {
  const points: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  for (let x = -Math.floor(halfWidth / step) * step; x <= halfWidth + 1e-9; x += step) xs.push(x);
  for (let y = -Math.floor(halfDepth / step) * step; y <= halfDepth + 1e-9; y += step) ys.push(y);
  const alongY = [-halfDepth, ...ys.filter((y) => y > -halfDepth && y < halfDepth), halfDepth];
  const alongX = [-halfWidth, ...xs.filter((x) => x > -halfWidth && x < halfWidth), halfWidth];
  for (const x of xs) for (let i = 1; i < alongY.length; i++) points.push(x, alongY[i - 1], 0, x, alongY[i], 0);
  for (const y of ys) for (let i = 1; i < alongX.length; i++) points.push(alongX[i - 1], y, 0, alongX[i], y, 0);
  const geometry = new BufferGeometry();
  geometry.setAttribute('position', new Float32BufferAttribute(points, 3));
  return geometry;
}

export class Ground {
  readonly object = new Group();
  private readonly fill: MeshBasicMaterial;
  private readonly lines: LineBasicMaterial;
  private readonly shadows = new ShadowMaterial({ transparent: true, depthWrite: false });
  private readonly endless: boolean;
  private readonly step: number;
  private readonly floor: MujocoSceneGeom | undefined;

  constructor(scene: MujocoScene, palette: ThemePalette) {
    // The world's first plane is the floor (every Gymnasium model has at most one).
    this.floor = scene.geoms.find((geom) => geom.type === 'plane' && geom.body === 0);
    const [halfX, halfY] = this.floor?.size ?? [0, 0];
    this.endless = !this.floor || halfX <= 0 || halfY <= 0 || Math.max(halfX, halfY) > FINITE_PLANE_LIMIT;
    // A model without a floor is a small apparatus (a cart on a rail): a finer grid reads its size.
    this.step = !this.floor ? FLOORLESS_GRID_STEP : this.endless ? ENDLESS_GRID_STEP : niceStep(Math.max(halfX, halfY) / 5);
    const half = this.endless ? [PATCH_CELLS * this.step, PATCH_CELLS * this.step] : [halfX, halfY];
    // Unlit: the floor is the theme's colour exactly, whatever the lights do to the bodies.
    this.fill = new MeshBasicMaterial();
    this.lines = new LineBasicMaterial({ transparent: true });
    const floor = new Mesh(new PlaneGeometry(2 * half[0], 2 * half[1]), this.fill);
    floor.name = 'ground';
    const grid = new LineSegments(gridGeometry(half[0], half[1], this.step), this.lines);
    grid.name = 'grid';
    // A hair above the floor, so that depth precision never hides the lines in it.
    grid.position.z = GRID_LIFT;
    // The floor is unlit, so the bodies' shadows fall on a clear layer just above it.
    const shadowLayer = new Mesh(new PlaneGeometry(2 * half[0], 2 * half[1]), this.shadows);
    shadowLayer.name = 'shadows';
    shadowLayer.receiveShadow = true;
    shadowLayer.position.z = GRID_LIFT / 2;
    this.object.add(floor, shadowLayer, grid);
    this.object.name = 'ground';
    if (this.floor) {
      const [x, y, z] = this.floor.pos;
      const [w, qx, qy, qz] = this.floor.quat;
      this.object.position.set(this.endless ? 0 : x, this.endless ? 0 : y, z);
      this.object.quaternion.set(qx, qy, qz, w).normalize();
    }
    this.setPalette(palette);
  }

  /** Whether the model has a floor of its own; without one the renderer sets the height (setHeight). */
  get hasFloor(): boolean {
    return this.floor !== undefined;
  }

  setHeight(z: number): void {
    this.object.position.z = z;
  }

  /** Keeps an endless floor's patch under (x, y), in whole grid cells. */
  follow(x: number, y: number): void {
    if (!this.endless) return;
    this.object.position.x = Math.round(x / this.step) * this.step;
    this.object.position.y = Math.round(y / this.step) * this.step;
  }

  setPalette(palette: ThemePalette): void {
    const highContrast = palette.kind === 'high-contrast' || palette.kind === 'high-contrast-light';
    const light = palette.kind === 'light' || palette.kind === 'high-contrast-light';
    this.fill.color.copy(mixCss(palette.background, palette.foreground, highContrast ? 0 : light ? 0.05 : 0.07));
    this.shadows.opacity = light ? 0.22 : 0.5;
    const grid = cssColour(palette.gridLines);
    this.lines.color.copy(grid.color);
    // The chart grid's alpha is made for thin lines over flat colour; over a lit floor they need more.
    this.lines.opacity = Math.min(1, grid.alpha * (highContrast ? 1.4 : 2.2));
  }

  dispose(): void {
    disposeObject(this.object);
  }
}
