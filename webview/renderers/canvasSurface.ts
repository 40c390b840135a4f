/**
 * A 2D canvas whose backing store follows its CSS size times devicePixelRatio, so lines and text
 * stay crisp on HiDPI screens. Renderers draw in CSS pixels after `begin()`.
 */

export class CanvasSurface {
  readonly context: CanvasRenderingContext2D;
  widthCss = 0;
  heightCss = 0;
  private pixelRatio = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext('2d');
    if (!context) throw new Error('2D canvas context unavailable');
    this.context = context;
  }

  /** True when the size or pixel ratio changed (the backing store was then cleared). */
  resize(widthCss: number, heightCss: number, pixelRatio: number): boolean {
    const width = Math.max(1, Math.round(widthCss * pixelRatio));
    const height = Math.max(1, Math.round(heightCss * pixelRatio));
    if (width === this.canvas.width && height === this.canvas.height && pixelRatio === this.pixelRatio) return false;
    this.canvas.width = width;
    this.canvas.height = height;
    this.widthCss = widthCss;
    this.heightCss = heightCss;
    this.pixelRatio = pixelRatio;
    return true;
  }

  /** Clears the canvas and sets up CSS-pixel coordinates; returns the context to draw with. */
  begin(): CanvasRenderingContext2D {
    const ctx = this.context;
    ctx.setTransform(this.pixelRatio, 0, 0, this.pixelRatio, 0, 0);
    ctx.clearRect(0, 0, this.widthCss, this.heightCss);
    return ctx;
  }
}
