/**
 * Draws one MountainCarContinuous-v0 frame ([position, force]) on a canvas: the hill Gymnasium
 * renders, y = 0.45·sin(3x) + 0.55 over x ∈ [−1.2, 0.6], the flag at the goal, the car standing on
 * the hill tilted with its slope, a short trail of where it was, and the applied force as an arrow
 * along the slope whose direction is the force's sign and whose length is its magnitude.
 *
 * x and y share one scale, so the car's tilt is the slope's true angle, atan(dy/dx).
 */

import { withAlpha, type ThemePalette } from '../../theme';
import { CanvasSurface } from '../canvasSurface';
import type { EnvironmentRenderer, PlayedFrame, RendererDefinition, RendererSetup } from '../environmentRenderer';
import type { FramePhase } from '../frameQueue';
import { drawOverlay, overlayBottomHeight, overlayStyleFor, overlayTopHeight, type OverlayStyle } from '../sceneOverlay';

/** Gymnasium's Continuous_MountainCarEnv constants. */
const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const GOAL_POSITION = 0.45;
/** The valley floor, where the car rests when nothing plays (reset draws from [−0.6, −0.4]). */
const REST_POSITION = -Math.PI / 6;

/** The world shown: the hill's full width, and from the ground line to above the flag. */
const WORLD_WIDTH = MAX_POSITION - MIN_POSITION;
const WORLD_HEIGHT = 1.2;
const HILL_SAMPLES = 120;

/** Car and flag sizes in world units: Gymnasium's proportions, the car larger to read at card size. */
const CAR_LENGTH = 0.2;
const CAR_BODY_HEIGHT = 0.065;
const WHEEL_RADIUS = 0.03;
const FLAG_POLE_HEIGHT = 0.16;
const FLAG_WIDTH = 0.09;
const FLAG_HEIGHT = 0.05;
/** A force at the limit draws an arrow this long (world units), from the car's middle. */
const FULL_FORCE_ARROW = 0.2;
const TRAIL_LENGTH = 10;

export function hillHeight(position: number): number {
  return Math.sin(3 * position) * 0.45 + 0.55;
}

/** The hill's slope angle at `position`, radians, counter-clockwise from the x axis. */
export function slopeAngle(position: number): number {
  return Math.atan(Math.cos(3 * position) * 3 * 0.45);
}

interface RenderStyle {
  hill: string;
  /** The ground's fill, fading from `ground` just under the hill to `groundFaded` at y = 0. */
  ground: string;
  groundFaded: string;
  window: string;
  wheel: string;
  flag: string;
  pole: string;
  /** Trail colours, newest first. */
  trail: Record<FramePhase, string[]>;
  overlay: OverlayStyle;
}

function styleFor(palette: ThemePalette): RenderStyle {
  const overlay = overlayStyleFor(palette);
  const highContrast = palette.kind === 'high-contrast' || palette.kind === 'high-contrast-light';
  const trailOf = (colour: string) => Array.from({ length: TRAIL_LENGTH }, (_, age) => withAlpha(colour, 0.16 * (1 - age / TRAIL_LENGTH)));
  return {
    hill: withAlpha(palette.foreground, highContrast ? 1 : 0.7),
    ground: withAlpha(palette.foreground, highContrast ? 0.14 : 0.08),
    groundFaded: withAlpha(palette.foreground, 0),
    window: withAlpha(palette.background, 0.75),
    wheel: withAlpha(palette.foreground, 0.9),
    flag: palette.green,
    pole: withAlpha(palette.foreground, 0.85),
    trail: { train: trailOf(overlay.phaseColour.train), eval: trailOf(overlay.phaseColour.eval) },
    overlay,
  };
}

/** Where the world lands on the canvas: world (x, y) → (originX + (x − MIN)·scale, originY − y·scale). */
interface Viewport {
  originX: number;
  originY: number;
  scale: number;
}

export class MountainCarRenderer implements EnvironmentRenderer {
  private readonly surface: CanvasSurface;
  private readonly trail: number[] = [];
  private style: RenderStyle;

  constructor(
    canvas: HTMLCanvasElement,
    private palette: ThemePalette,
    private setup: RendererSetup,
  ) {
    this.surface = new CanvasSurface(canvas);
    this.style = styleFor(palette);
  }

  configure(setup: RendererSetup): void {
    this.setup = setup;
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.style = styleFor(palette);
  }

  resize(widthCss: number, heightCss: number, pixelRatio: number): boolean {
    return this.surface.resize(widthCss, heightCss, pixelRatio);
  }

  dispose(): void {
    this.trail.length = 0;
  }

  /** Draws the frame, or a faded car resting in the valley when there is nothing to play. */
  draw(frame: PlayedFrame | null): void {
    const ctx = this.surface.begin();
    const { widthCss: width, heightCss: height } = this.surface;
    if (width < 10 || height < 10) return;
    const view = this.viewport(width, height);
    const position = frame ? Math.min(MAX_POSITION, Math.max(MIN_POSITION, frame.values[0])) : REST_POSITION;
    const force = frame ? frame.values[1] : 0;
    const phase: FramePhase = frame?.phase ?? 'train';

    this.drawHill(ctx, view);
    this.drawFlag(ctx, view);
    ctx.globalAlpha = frame ? 1 : 0.35;
    if (frame) this.drawTrail(ctx, view, position, frame.continuous, this.style.trail[phase]);
    this.drawCar(ctx, view, position, force, this.style.overlay.phaseColour[phase]);
    ctx.globalAlpha = 1;

    if (frame) {
      const content = { frame, maxEpisodeSteps: this.setup.maxEpisodeSteps, environment: this.setup.environment, action: force };
      drawOverlay(ctx, this.palette, this.style.overlay, content, width, height);
    }
  }

  /** The largest scale at which the world fits between the captions, centred. */
  private viewport(width: number, height: number): Viewport {
    const top = overlayTopHeight(this.style.overlay);
    const bottom = overlayBottomHeight(this.style.overlay);
    const side = 12;
    const scale = Math.max(1, Math.min((width - 2 * side) / WORLD_WIDTH, (height - top - bottom) / WORLD_HEIGHT));
    const sceneWidth = WORLD_WIDTH * scale;
    const sceneHeight = WORLD_HEIGHT * scale;
    return {
      originX: (width - sceneWidth) / 2,
      originY: top + (height - top - bottom + sceneHeight) / 2,
      scale,
    };
  }

  private screenX(view: Viewport, x: number): number {
    return view.originX + (x - MIN_POSITION) * view.scale;
  }

  private screenY(view: Viewport, y: number): number {
    return view.originY - y * view.scale;
  }

  /** The hill's outline, with the ground under it lightly filled down to y = 0. */
  private drawHill(ctx: CanvasRenderingContext2D, view: Viewport): void {
    ctx.save();
    this.traceHill(ctx, view);
    ctx.lineTo(this.screenX(view, MAX_POSITION), this.screenY(view, 0));
    ctx.lineTo(this.screenX(view, MIN_POSITION), this.screenY(view, 0));
    ctx.closePath();
    // Fading toward the bottom, so the ground has no hard lower edge.
    const fade = ctx.createLinearGradient(0, this.screenY(view, 0.55), 0, this.screenY(view, 0));
    fade.addColorStop(0, this.style.ground);
    fade.addColorStop(1, this.style.groundFaded);
    ctx.fillStyle = fade;
    ctx.fill();
    this.traceHill(ctx, view);
    ctx.strokeStyle = this.style.hill;
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    ctx.stroke();
    ctx.restore();
  }

  private traceHill(ctx: CanvasRenderingContext2D, view: Viewport): void {
    ctx.beginPath();
    for (let i = 0; i <= HILL_SAMPLES; i++) {
      const x = MIN_POSITION + (WORLD_WIDTH * i) / HILL_SAMPLES;
      const screenX = this.screenX(view, x);
      const screenY = this.screenY(view, hillHeight(x));
      if (i === 0) ctx.moveTo(screenX, screenY);
      else ctx.lineTo(screenX, screenY);
    }
  }

  /** The goal: a pole on the hill at x = 0.45 with a pennant. */
  private drawFlag(ctx: CanvasRenderingContext2D, view: Viewport): void {
    const baseX = this.screenX(view, GOAL_POSITION);
    const baseY = this.screenY(view, hillHeight(GOAL_POSITION));
    const topY = baseY - FLAG_POLE_HEIGHT * view.scale;
    ctx.save();
    ctx.strokeStyle = this.style.pole;
    ctx.lineWidth = 2;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(baseX, baseY);
    ctx.lineTo(baseX, topY);
    ctx.stroke();
    ctx.fillStyle = this.style.flag;
    ctx.beginPath();
    ctx.moveTo(baseX + 1, topY);
    ctx.lineTo(baseX + 1 + FLAG_WIDTH * view.scale, topY + (FLAG_HEIGHT * view.scale) / 2);
    ctx.lineTo(baseX + 1, topY + FLAG_HEIGHT * view.scale);
    ctx.closePath();
    ctx.fill();
    ctx.restore();
  }

  /** Where the car's middle was over the last few frames, as fading dots. */
  private drawTrail(ctx: CanvasRenderingContext2D, view: Viewport, position: number, continuous: boolean, colours: readonly string[]): void {
    if (!continuous) this.trail.length = 0;
    const last = this.trail[this.trail.length - 1];
    if (last === undefined || Math.abs(last - position) * view.scale > 0.5) this.trail.push(position);
    if (this.trail.length > TRAIL_LENGTH) this.trail.shift();
    const lift = (2 * WHEEL_RADIUS + CAR_BODY_HEIGHT / 2) * view.scale;
    const radius = Math.max(3, CAR_BODY_HEIGHT * 0.4 * view.scale);
    this.trail.forEach((x, index) => {
      const age = this.trail.length - 1 - index;
      if (age === 0) return;
      const angle = slopeAngle(x);
      ctx.fillStyle = colours[age];
      ctx.beginPath();
      ctx.arc(
        this.screenX(view, x) - Math.sin(angle) * lift,
        this.screenY(view, hillHeight(x)) - Math.cos(angle) * lift,
        radius * (1 - 0.45 * (age / TRAIL_LENGTH)),
        0,
        2 * Math.PI,
      );
      ctx.fill();
    });
  }

  /**
   * The car in its own frame: x along the slope (right is +x in the world), y the normal (up is
   * negative, as on the canvas). Canvas rotation is clockwise, so a slope rising to the right
   * turns the car by −angle.
   */
  private drawCar(ctx: CanvasRenderingContext2D, view: Viewport, position: number, force: number, bodyColour: string): void {
    const scale = view.scale;
    const length = Math.max(26, CAR_LENGTH * scale);
    const unit = length / CAR_LENGTH;
    const wheelRadius = WHEEL_RADIUS * unit;
    const bodyHeight = CAR_BODY_HEIGHT * unit;
    const { palette } = this;
    ctx.save();
    ctx.translate(this.screenX(view, position), this.screenY(view, hillHeight(position)));
    ctx.rotate(-slopeAngle(position));

    const bodyBottom = -wheelRadius;
    const bodyTop = bodyBottom - bodyHeight;
    ctx.fillStyle = bodyColour;
    ctx.strokeStyle = palette.background;
    ctx.lineWidth = 1.5;
    // The cabin first, so the body's outline runs across its foot.
    const cabinWidth = length * 0.45;
    const cabinHeight = bodyHeight * 0.8;
    const cabinLeft = -cabinWidth * 0.6;
    const cabinRadius = cabinHeight * 0.45;
    ctx.beginPath();
    ctx.roundRect(cabinLeft, bodyTop - cabinHeight + 1, cabinWidth, cabinHeight, [cabinRadius, cabinRadius, 0, 0]);
    ctx.fill();
    ctx.stroke();
    const inset = Math.max(2, cabinHeight * 0.22);
    ctx.fillStyle = this.style.window;
    ctx.beginPath();
    ctx.roundRect(cabinLeft + inset, bodyTop - cabinHeight + 1 + inset, cabinWidth - 2 * inset, cabinHeight - inset, [cabinRadius * 0.6, cabinRadius * 0.6, 0, 0]);
    ctx.fill();
    ctx.fillStyle = bodyColour;
    ctx.beginPath();
    ctx.roundRect(-length / 2, bodyTop, length, bodyHeight, bodyHeight * 0.35);
    ctx.fill();
    ctx.stroke();

    ctx.fillStyle = this.style.wheel;
    ctx.strokeStyle = palette.background;
    ctx.lineWidth = 1.5;
    for (const offset of [-length / 4, length / 4]) {
      ctx.beginPath();
      ctx.arc(offset, -wheelRadius, wheelRadius, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    this.drawForce(ctx, force, bodyTop - cabinHeight - Math.max(6, 0.35 * bodyHeight), unit);
    ctx.restore();
  }

  /** An arrow above the car along the slope, from the car's middle the way the force pushes. */
  private drawForce(ctx: CanvasRenderingContext2D, force: number, y: number, unit: number): void {
    const fraction = Math.min(1, Math.abs(force) / this.setup.environment.actionHigh);
    if (fraction < 0.01) return;
    const direction = force > 0 ? 1 : -1;
    const length = fraction * FULL_FORCE_ARROW * unit;
    // A weak force still shows a short shaft behind its head: the head shrinks with the length.
    const headLength = Math.min(Math.max(7, 0.045 * unit), 0.6 * length);
    const halfWidth = headLength * 0.6;
    const tip = direction * length;
    ctx.strokeStyle = this.palette.orange;
    ctx.fillStyle = this.palette.orange;
    ctx.lineWidth = Math.max(3, 0.014 * unit);
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(tip - direction * headLength, y);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(tip, y);
    ctx.lineTo(tip - direction * headLength, y - halfWidth);
    ctx.lineTo(tip - direction * headLength, y + halfWidth);
    ctx.closePath();
    ctx.fill();
  }
}

export const MOUNTAIN_CAR_RENDERER: RendererDefinition = {
  kind: 'mountainCar',
  canvasTestId: 'mountain-car-canvas',
  // [position, force]: the car moves straight between steps; the force is held for the whole step.
  blend: ['linear', 'hold'],
  create: (canvas, palette, setup) => new MountainCarRenderer(canvas, palette, setup),
};
