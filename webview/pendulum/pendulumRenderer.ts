/**
 * Draws one pendulum pose on a canvas: the path circle with the upright goal, the rod, the bob with
 * a short motion trail, the pivot, and the applied torque as a curved arrow around the pivot whose
 * direction is the torque's sign and whose sweep is its magnitude.
 *
 * Orientation follows Gymnasium's Pendulum renderer: θ = 0 points up and positive θ (and positive
 * torque) turns counter-clockwise on screen, so the bob sits at (−sin θ, cos θ) with y up.
 */

import type { ThemePalette } from '../theme';
import { withAlpha } from '../theme';
import { formatSignedTorque } from '../format';
import type { PendulumPose } from './framePlayer';

export interface PendulumLabels {
  /** Steps per episode, shown as "step k / N". */
  maxEpisodeSteps: number;
  /** Torque limit of the environment: a full-strength torque sweeps the longest arc. */
  maxTorque: number;
}

const TRAIL_LENGTH = 10;
/** A torque at the limit sweeps three quarters of a turn. */
const FULL_TORQUE_SWEEP = 1.5 * Math.PI;

type Phase = PendulumPose['phase'];

/**
 * Colours and fonts derived from the palette once per theme change: parsing colour and font
 * strings on every frame (60 per second) would cost more than drawing.
 */
interface RenderStyle {
  rod: string;
  goal: string;
  bob: Record<Phase, string>;
  /** Trail colours, newest first. */
  trail: Record<Phase, string[]>;
  pillFill: Record<Phase, string>;
  baseFontSize: number;
  titleFont: string;
  bodyFont: string;
  bodyBoldFont: string;
  pillFont: string;
  noteFont: string;
}

function styleFor(palette: ThemePalette): RenderStyle {
  const bob = { train: palette.blue, eval: palette.purple };
  const trailOf = (colour: string) => Array.from({ length: TRAIL_LENGTH }, (_, age) => withAlpha(colour, 0.18 * (1 - age / TRAIL_LENGTH)));
  const base = Math.max(11, Math.min(13, palette.fontSize));
  const family = palette.fontFamily;
  return {
    rod: withAlpha(palette.foreground, 0.9),
    goal: withAlpha(palette.green, 0.9),
    bob,
    trail: { train: trailOf(bob.train), eval: trailOf(bob.eval) },
    pillFill: { train: withAlpha(bob.train, 0.16), eval: withAlpha(bob.eval, 0.28) },
    baseFontSize: base,
    titleFont: `600 ${base + 1}px ${family}`,
    bodyFont: `${base}px ${family}`,
    bodyBoldFont: `600 ${base}px ${family}`,
    pillFont: `600 ${base - 1}px ${family}`,
    noteFont: `${base - 1}px ${family}`,
  };
}

export class PendulumRenderer {
  private readonly context: CanvasRenderingContext2D;
  private widthCss = 0;
  private heightCss = 0;
  private pixelRatio = 1;
  private readonly trail: { x: number; y: number }[] = [];
  private style: RenderStyle;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private palette: ThemePalette,
    private labels: PendulumLabels,
  ) {
    const context = canvas.getContext('2d');
    if (!context) throw new Error('2D canvas context unavailable');
    this.context = context;
    this.style = styleFor(palette);
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.style = styleFor(palette);
  }

  setLabels(labels: PendulumLabels): void {
    this.labels = labels;
  }

  /** Matches the backing store to the CSS size times devicePixelRatio so lines stay crisp. */
  resize(widthCss: number, heightCss: number, pixelRatio: number): boolean {
    const width = Math.max(1, Math.round(widthCss * pixelRatio));
    const height = Math.max(1, Math.round(heightCss * pixelRatio));
    if (width === this.canvas.width && height === this.canvas.height && pixelRatio === this.pixelRatio) return false;
    this.canvas.width = width;
    this.canvas.height = height;
    this.widthCss = widthCss;
    this.heightCss = heightCss;
    this.pixelRatio = pixelRatio;
    this.trail.length = 0;
    return true;
  }

  /** Draws the pose, or a faded hanging pendulum when there is nothing to play. */
  draw(pose: PendulumPose | null): void {
    const ctx = this.context;
    const { widthCss: width, heightCss: height, palette } = this;
    ctx.setTransform(this.pixelRatio, 0, 0, this.pixelRatio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (width < 10 || height < 10) return;

    const size = Math.min(width, height);
    const centreX = width / 2;
    const centreY = height / 2 + size * 0.02;
    const rodLength = size * 0.33;
    const theta = pose ? pose.theta : Math.PI;
    const bobX = centreX - rodLength * Math.sin(theta);
    const bobY = centreY - rodLength * Math.cos(theta);
    const phase: Phase = pose?.phase ?? 'train';
    const { style } = this;

    this.drawPath(centreX, centreY, rodLength, size);
    ctx.globalAlpha = pose ? 1 : 0.35;
    if (pose) this.drawTrail(bobX, bobY, pose.continuous, style.trail[phase], size);
    if (pose) this.drawTorque(centreX, centreY, rodLength * 0.42, theta, pose.torque, size);

    ctx.lineCap = 'round';
    ctx.strokeStyle = style.rod;
    ctx.lineWidth = Math.max(4, size * 0.026);
    ctx.beginPath();
    ctx.moveTo(centreX, centreY);
    ctx.lineTo(bobX, bobY);
    ctx.stroke();

    ctx.fillStyle = style.bob[phase];
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

    if (pose) this.drawOverlay(pose, width, height);
  }

  /** The circle the bob travels on, with a tick marking the upright goal. */
  private drawPath(centreX: number, centreY: number, radius: number, size: number): void {
    const ctx = this.context;
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

  private drawTrail(bobX: number, bobY: number, continuous: boolean, colours: readonly string[], size: number): void {
    if (!continuous) this.trail.length = 0;
    const last = this.trail[this.trail.length - 1];
    if (!last || Math.hypot(last.x - bobX, last.y - bobY) > 0.5) this.trail.push({ x: bobX, y: bobY });
    if (this.trail.length > TRAIL_LENGTH) this.trail.shift();
    const ctx = this.context;
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
  private drawTorque(centreX: number, centreY: number, radius: number, theta: number, torque: number, size: number): void {
    const fraction = Math.min(1, Math.abs(torque) / this.labels.maxTorque);
    if (fraction < 0.01) return;
    const ctx = this.context;
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

  /** Episode and step (top left), the phase (top right) and the torque value (bottom left). */
  private drawOverlay(pose: PendulumPose, width: number, height: number): void {
    const ctx = this.context;
    const { palette, style } = this;
    const base = style.baseFontSize;
    const margin = 10;
    ctx.save();
    ctx.textBaseline = 'top';
    ctx.textAlign = 'left';
    ctx.fillStyle = palette.foreground;
    ctx.font = style.titleFont;
    ctx.fillText(`Episode ${pose.episode}`, margin, margin);
    ctx.fillStyle = palette.mutedForeground;
    ctx.font = style.bodyFont;
    ctx.fillText(`step ${pose.step + 1} / ${this.labels.maxEpisodeSteps}`, margin, margin + base + 6);

    const phaseText = pose.phase === 'eval' ? 'EVALUATION' : 'TRAINING';
    ctx.font = style.pillFont;
    const textWidth = ctx.measureText(phaseText).width;
    const pillHeight = base + 8;
    const pillX = width - margin - textWidth - 14;
    ctx.fillStyle = style.pillFill[pose.phase];
    ctx.strokeStyle = style.bob[pose.phase];
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.roundRect(pillX, margin, textWidth + 14, pillHeight, pillHeight / 2);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = palette.foreground;
    ctx.textBaseline = 'middle';
    ctx.fillText(phaseText, pillX + 7, margin + pillHeight / 2 + 0.5);
    if (pose.phase === 'eval') {
      ctx.font = style.noteFont;
      ctx.fillStyle = palette.mutedForeground;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'top';
      ctx.fillText('deterministic policy', width - margin, margin + pillHeight + 5);
    }

    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.font = style.bodyFont;
    ctx.fillStyle = palette.mutedForeground;
    const label = 'torque';
    ctx.fillText(label, margin, height - margin);
    const valueX = margin + ctx.measureText(label).width + 6;
    ctx.fillStyle = palette.foreground;
    ctx.font = style.bodyBoldFont;
    ctx.fillText(formatSignedTorque(pose.torque), valueX, height - margin);
    ctx.restore();
  }
}
