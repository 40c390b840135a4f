/**
 * The 2D layer over the 3D view: the captions every environment's canvas shows (episode, step,
 * phase; sceneOverlay.ts), and at the bottom the applied action as one small bar per actuator,
 * filled up or down from its middle line by the action's share of its limit — six torques of a
 * cheetah read at a glance where six numbers would not. A one-actuator model also gets the number.
 * It is a canvas of its own laid over the WebGL one: text drawn in 2D stays crisp, and the 3D view
 * never has to be redrawn for a caption. Mouse events pass through it to the camera controls.
 */

import type { EnvironmentDescriptor } from '../../../src/shared/environments';
import { formatSignedAction } from '../../format';
import { withAlpha, type ThemePalette } from '../../theme';
import { CanvasSurface } from '../canvasSurface';
import type { PlayedFrame } from '../environmentRenderer';
import { drawOverlay, overlayBottomHeight, overlayStyleFor, type OverlayStyle } from '../sceneOverlay';

const MARGIN = 10;
const BAR_WIDTH = 7;
const BAR_GAP = 4;

export class HudOverlay {
  readonly canvas: HTMLCanvasElement;
  private readonly surface: CanvasSurface;
  private style: OverlayStyle;

  constructor(
    private readonly below: HTMLCanvasElement,
    private palette: ThemePalette,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.dataset.testid = 'mujoco-hud';
    this.canvas.setAttribute('aria-hidden', 'true');
    // Set through the CSSOM, which the webview's style-src policy allows (a style attribute it would not).
    Object.assign(this.canvas.style, { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%', pointerEvents: 'none' });
    below.after(this.canvas);
    this.surface = new CanvasSurface(this.canvas);
    this.style = overlayStyleFor(palette);
  }

  setPalette(palette: ThemePalette): void {
    this.palette = palette;
    this.style = overlayStyleFor(palette);
  }

  resize(widthCss: number, heightCss: number, pixelRatio: number): boolean {
    return this.surface.resize(widthCss, heightCss, pixelRatio);
  }

  /** Captions and action bars for a frame; nothing without one. */
  draw(frame: PlayedFrame | null, environment: EnvironmentDescriptor, maxEpisodeSteps: number): void {
    const ctx = this.surface.begin();
    const { widthCss: width, heightCss: height } = this.surface;
    if (width < 10 || height < 10 || !frame) return;
    const actions = Array.from({ length: environment.actionSize }, (_, i) => frame.values[environment.frameLabels.length - environment.actionSize + i]);
    ctx.save();
    // The shared overlay's bottom line shows one number; here the bars take its place.
    ctx.beginPath();
    ctx.rect(0, 0, width, height - overlayBottomHeight(this.style));
    ctx.clip();
    drawOverlay(ctx, this.palette, this.style, { frame, maxEpisodeSteps, environment, action: actions[0] ?? 0 }, width, height);
    ctx.restore();
    this.drawActions(ctx, actions, environment, height);
  }

  dispose(): void {
    this.canvas.remove();
  }

  private drawActions(ctx: CanvasRenderingContext2D, actions: readonly number[], environment: EnvironmentDescriptor, height: number): void {
    const { palette, style } = this;
    const base = style.baseFontSize;
    const bottom = height - MARGIN;
    const barHeight = base + 4;
    const middle = bottom - barHeight / 2;
    ctx.save();
    ctx.textAlign = 'left';
    ctx.textBaseline = 'bottom';
    ctx.font = style.bodyFont;
    ctx.fillStyle = palette.mutedForeground;
    const label = actions.length === 1 ? environment.actionName : `${environment.actionName}s`;
    ctx.fillText(label, MARGIN, bottom);
    let x = MARGIN + ctx.measureText(label).width + 8;
    const limit = Math.max(Math.abs(environment.actionLow), Math.abs(environment.actionHigh)) || 1;
    for (const action of actions) {
      ctx.fillStyle = withAlpha(palette.foreground, 0.2);
      ctx.fillRect(x, bottom - barHeight, BAR_WIDTH, barHeight);
      const share = Math.max(-1, Math.min(1, action / limit));
      ctx.fillStyle = palette.orange;
      const extent = (share * barHeight) / 2;
      ctx.fillRect(x, Math.min(middle, middle - extent), BAR_WIDTH, Math.max(1, Math.abs(extent)));
      ctx.fillStyle = withAlpha(palette.foreground, 0.5);
      ctx.fillRect(x - 1, middle - 0.5, BAR_WIDTH + 2, 1);
      x += BAR_WIDTH + BAR_GAP;
    }
    if (actions.length === 1) {
      ctx.fillStyle = palette.foreground;
      ctx.font = style.bodyBoldFont;
      ctx.fillText(formatSignedAction(actions[0], environment.actionUnit), x + 4, bottom);
    }
    ctx.restore();
  }
}
