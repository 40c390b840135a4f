/**
 * The text every environment's canvas shows over its scene, in the same places: episode and step
 * (top left), the phase as a pill (top right), the applied action with its name and unit (bottom
 * left). Fonts and colours are derived once per theme change: parsing colour and font strings on
 * every frame would cost more than drawing.
 */

import type { EnvironmentDescriptor } from '../../src/shared/environments';
import { formatSignedAction } from '../format';
import { withAlpha, type ThemePalette } from '../theme';
import type { PlayedFrame } from './environmentRenderer';
import type { FramePhase } from './frameQueue';

export interface OverlayStyle {
  /** The colour of what the agent moves: blue while training, purple when evaluating. */
  phaseColour: Record<FramePhase, string>;
  pillFill: Record<FramePhase, string>;
  baseFontSize: number;
  titleFont: string;
  bodyFont: string;
  bodyBoldFont: string;
  pillFont: string;
  noteFont: string;
}

export function overlayStyleFor(palette: ThemePalette): OverlayStyle {
  const phaseColour = { train: palette.blue, eval: palette.purple };
  const base = Math.max(11, Math.min(13, palette.fontSize));
  const family = palette.fontFamily;
  return {
    phaseColour,
    pillFill: { train: withAlpha(phaseColour.train, 0.16), eval: withAlpha(phaseColour.eval, 0.28) },
    baseFontSize: base,
    titleFont: `600 ${base + 1}px ${family}`,
    bodyFont: `${base}px ${family}`,
    bodyBoldFont: `600 ${base}px ${family}`,
    pillFont: `600 ${base - 1}px ${family}`,
    noteFont: `${base - 1}px ${family}`,
  };
}

const MARGIN = 10;

/** Height the top captions take, so a scene can keep clear of them. */
export function overlayTopHeight(style: OverlayStyle): number {
  return MARGIN + 2 * style.baseFontSize + 10;
}

/** Height the bottom caption takes. */
export function overlayBottomHeight(style: OverlayStyle): number {
  return MARGIN + style.baseFontSize + 6;
}

export interface OverlayContent {
  frame: PlayedFrame;
  maxEpisodeSteps: number;
  environment: EnvironmentDescriptor;
  /** The applied action (the first of the frame's action numbers). */
  action: number;
}

export function drawOverlay(
  ctx: CanvasRenderingContext2D,
  palette: ThemePalette,
  style: OverlayStyle,
  content: OverlayContent,
  width: number,
  height: number,
): void {
  const { frame, environment } = content;
  const base = style.baseFontSize;
  const margin = MARGIN;
  ctx.save();
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillStyle = palette.foreground;
  ctx.font = style.titleFont;
  ctx.fillText(frame.title ?? `Episode ${frame.episode}`, margin, margin);
  ctx.fillStyle = palette.mutedForeground;
  ctx.font = style.bodyFont;
  ctx.fillText(`step ${frame.step + 1} / ${content.maxEpisodeSteps}`, margin, margin + base + 6);

  const phaseText = frame.badge ?? (frame.phase === 'eval' ? 'EVALUATION' : 'TRAINING');
  ctx.font = style.pillFont;
  const textWidth = ctx.measureText(phaseText).width;
  const pillHeight = base + 8;
  const pillX = width - margin - textWidth - 14;
  ctx.fillStyle = style.pillFill[frame.phase];
  ctx.strokeStyle = style.phaseColour[frame.phase];
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.roundRect(pillX, margin, textWidth + 14, pillHeight, pillHeight / 2);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = palette.foreground;
  ctx.textBaseline = 'middle';
  ctx.fillText(phaseText, pillX + 7, margin + pillHeight / 2 + 0.5);
  if (frame.phase === 'eval') {
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
  const label = environment.actionName;
  ctx.fillText(label, margin, height - margin);
  const valueX = margin + ctx.measureText(label).width + 6;
  ctx.fillStyle = palette.foreground;
  ctx.font = style.bodyBoldFont;
  ctx.fillText(formatSignedAction(content.action, environment.actionUnit), valueX, height - margin);
  ctx.restore();
}
