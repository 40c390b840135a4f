/**
 * Draws one Pendulum-v1 frame ([θ, torque]) on a canvas: the path circle with the upright goal,
 * the rod, the bob with a short motion trail, the pivot, and the applied torque as a curved arrow
 * around the pivot whose direction is the torque's sign and whose sweep is its magnitude.
 *
 * Orientation follows Gymnasium's Pendulum renderer: θ = 0 points up and positive θ (and positive
 * torque) turns counter-clockwise on screen, so the bob sits at (−sin θ, cos θ) with y up.
 */

import type { ThemePalette } from '../../theme';
import { withAlpha } from '../../theme';
import { CanvasSurface } from '../canvasSurface';
import type { EnvironmentRenderer, PlayedFrame, RendererDefinition, RendererSetup } from '../environmentRenderer';
import type { FramePhase } from '../frameQueue';
import { drawOverlay, overlayStyleFor, type OverlayStyle } from '../sceneOverlay';

const TRAIL_LENGTH = 10;
/** A torque at the limit sweeps three quarters of a turn. */
const FULL_TORQUE_SWEEP = 1.5 * Math.PI;

interface RenderStyle {
  rod: string;
  goal: string;
  /** Trail colours, newest first. */
  trail: Record<FramePhase, string[]>;
  overlay: OverlayStyle;
}

function styleFor(palette: ThemePalette): RenderStyle {
  const overlay = overlayStyleFor(palette);
  const trailOf = (colour: string) => Array.from({ length: TRAIL_LENGTH }, (_, age) => withAlpha(colour, 0.18 * (1 - age / TRAIL_LENGTH)));
  return {
    rod: withAlpha(palette.foreground, 0.9),
    goal: withAlpha(palette.green, 0.9),
    trail: { train: trailOf(overlay.phaseColour.train), eval: trailOf(overlay.phaseColour.eval) },
    overlay,
  };
}

export class PendulumRenderer implements EnvironmentRenderer {
  private readonly surface: CanvasSurface;
  private readonly trail: { x: number; y: number }[] = [];
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
    if (!this.surface.resize(widthCss, heightCss, pixelRatio)) return false;
    this.trail.length = 0;
    return true;
  }

  dispose(): void {
    this.trail.length = 0;
  }

  /** Draws the frame, or a faded hanging pendulum when there is nothing to play. */
  draw(frame: PlayedFrame | null): void {
    const ctx = this.surface.begin();
    const { widthCss: width, heightCss: height } = this.surface;
    const { palette, style } = this;
    if (width < 10 || height < 10) return;

    const size = Math.min(width, height);
    const centreX = width / 2;
    const centreY = height / 2 + size * 0.02;
    const rodLength = size * 0.33;
    const theta = frame ? frame.values[0] : Math.PI;
    const torque = frame ? frame.values[1] : 0;
    const bobX = centreX - rodLength * Math.sin(theta);
    const bobY = centreY - rodLength * Math.cos(theta);
    const phase: FramePhase = frame?.phase ?? 'train';

    this.drawPath(ctx, centreX, centreY, rodLength, size);
    ctx.globalAlpha = frame ? 1 : 0.35;
    if (frame) this.drawTrail(ctx, bobX, bobY, frame.continuous, style.trail[phase], size);
    if (frame) this.drawTorque(ctx, centreX, centreY, rodLength * 0.42, theta, torque, size);

    ctx.lineCap = 'round';
    ctx.strokeStyle = style.rod;
    ctx.lineWidth = Math.max(4, size * 0.026);
    ctx.beginPath();
    ctx.moveTo(centreX, centreY);
    ctx.lineTo(bobX, bobY);
    ctx.stroke();

    ctx.fillStyle = style.overlay.phaseColour[phase];
    ctx.strokeStyle = palette.background;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(bobX, bobY, Math.max(8, size * 0.05), 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();

    ctx.fillStyle = palette.background;
    ctx.strokeStyle = palette.foreground;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(centreX, centreY, Math.max(4, size * 0.018), 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    ctx.globalAlpha = 1;

    if (frame) {
      const content = { frame, maxEpisodeSteps: this.setup.maxEpisodeSteps, environment: this.setup.environment, action: torque };
      drawOverlay(ctx, palette, style.overlay, content, width, height);
    }
  }

  /** The circle the bob travels on, with a tick marking the upright goal. */
  private drawPath(ctx: CanvasRenderingContext2D, centreX: number, centreY: number, radius: number, size: number): void {
    ctx.save();
    ctx.strokeStyle = this.palette.gridLines;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 5]);
    ctx.beginPath();
    ctx.arc(centreX, centreY, radius, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.strokeStyle = this.style.goal;
    ctx.lineWidth = 2;
    const tick = Math.max(6, size * 0.03);
    ctx.beginPath();
    ctx.moveTo(centreX, centreY - radius - tick);
    ctx.lineTo(centreX, centreY - radius + tick);
    ctx.stroke();
    ctx.restore();
  }

  private drawTrail(ctx: CanvasRenderingContext2D, bobX: number, bobY: number, continuous: boolean, colours: readonly string[], size: number): void {
    if (!continuous) this.trail.length = 0;
    const last = this.trail[this.trail.length - 1];
    if (!last || Math.hypot(last.x - bobX, last.y - bobY) > 0.5) this.trail.push({ x: bobX, y: bobY });
    if (this.trail.length > TRAIL_LENGTH) this.trail.shift();
    const radius = Math.max(8, size * 0.05);
    this.trail.forEach((point, index) => {
      const age = this.trail.length - 1 - index;
      ctx.fillStyle = colours[age];
      ctx.beginPath();
      ctx.arc(point.x, point.y, radius * (1 - 0.45 * (age / TRAIL_LENGTH)), 0, 2 * Math.PI);
      ctx.fill();
    });
  }

  /**
   * A curved arrow around the pivot, starting at the rod and sweeping the way the torque turns it.
   * Canvas angles grow clockwise (y down), so counter-clockwise on screen is decreasing angle.
   */
  private drawTorque(ctx: CanvasRenderingContext2D, centreX: number, centreY: number, radius: number, theta: number, torque: number, size: number): void {
    const fraction = Math.min(1, Math.abs(torque) / this.setup.environment.actionHigh);
    if (fraction < 0.01) return;
    const counterClockwise = torque > 0;
    const rodAngle = Math.atan2(-Math.cos(theta), -Math.sin(theta));
    const sweep = fraction * FULL_TORQUE_SWEEP;
    const direction = counterClockwise ? -1 : 1;
    // A weak torque still shows a short arc behind its head: the head shrinks with the sweep.
    const headLength = Math.min(Math.max(7, size * 0.035), 0.55 * sweep * radius);
    // Stop the line short of the arrowhead so the head's tip marks the sweep's end.
    const lineEnd = rodAngle + direction * Math.max(0, sweep - headLength / radius);
    const end = rodAngle + direction * sweep;

    ctx.save();
    ctx.strokeStyle = this.palette.orange;
    ctx.fillStyle = this.palette.orange;
    ctx.lineWidth = Math.max(3, size * 0.014);
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.arc(centreX, centreY, radius, rodAngle, lineEnd, counterClockwise);
    ctx.stroke();

    const tipX = centreX + radius * Math.cos(end);
    const tipY = centreY + radius * Math.sin(end);
    // Unit tangent pointing along the direction of travel at the tip.
    const tangentX = -Math.sin(end) * direction;
    const tangentY = Math.cos(end) * direction;
    const normalX = -tangentY;
    const normalY = tangentX;
    const halfWidth = headLength * 0.6;
    ctx.beginPath();
    ctx.moveTo(tipX, tipY);
    ctx.lineTo(tipX - tangentX * headLength + normalX * halfWidth, tipY - tangentY * headLength + normalY * halfWidth);
    ctx.lineTo(tipX - tangentX * headLength - normalX * halfWidth, tipY - tangentY * headLength - normalY * halfWidth);
    ctx.closePath();
    ctx.fill();
    ctx.restore();
  }
}

export const PENDULUM_RENDERER: RendererDefinition = {
  kind: 'pendulum',
  canvasTestId: 'pendulum-canvas',
  // [θ, torque]: the angle goes the short way round; the torque is held for the whole step.
  blend: ['angle', 'hold'],
  create: (canvas, palette, setup) => new PendulumRenderer(canvas, palette, setup),
};
