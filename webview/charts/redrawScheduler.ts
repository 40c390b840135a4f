/**
 * Coalesces chart redraws. Episodes can arrive dozens of times a second; the charts redraw at most
 * once per interval, on an animation frame (so never while the panel is hidden).
 */

export class RedrawScheduler {
  private timer: number | null = null;
  private frame: number | null = null;
  private lastRun = 0;

  constructor(
    private readonly minIntervalMs: number,
    private readonly redraw: () => void,
  ) {}

  request(): void {
    if (this.timer !== null || this.frame !== null) return;
    const wait = Math.max(0, this.lastRun + this.minIntervalMs - performance.now());
    this.timer = window.setTimeout(() => {
      this.timer = null;
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        this.lastRun = performance.now();
        this.redraw();
      });
    }, wait);
  }

  /** Redraws now, e.g. after the user changed an axis and expects an immediate answer. */
  flush(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.timer = null;
    this.frame = null;
    this.lastRun = performance.now();
    this.redraw();
  }
}
