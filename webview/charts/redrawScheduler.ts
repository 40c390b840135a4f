/**
 * Coalesces chart redraws. Episodes can arrive dozens of times a second; the charts redraw at most
 * once per interval, on an animation frame (so never while the panel is hidden). The interval
 * grows when a redraw is slow (very long runs): charts never take more than about a tenth of the
 * main thread, which the pendulum animation and the rest of the page need.
 */

const MAX_INTERVAL_MS = 2000;
/** A redraw may use this share of the time between redraws. */
const BUDGET_SHARE = 0.1;

export class RedrawScheduler {
  private timer: number | null = null;
  private frame: number | null = null;
  private lastRun = 0;
  private interval: number;

  constructor(
    private readonly minIntervalMs: number,
    private readonly redraw: () => void,
  ) {
    this.interval = minIntervalMs;
  }

  request(): void {
    if (this.timer !== null || this.frame !== null) return;
    const wait = Math.max(0, this.lastRun + this.interval - performance.now());
    this.timer = window.setTimeout(() => {
      this.timer = null;
      this.frame = requestAnimationFrame(() => {
        this.frame = null;
        this.run();
      });
    }, wait);
  }

  /** Redraws now, e.g. after the user changed an axis and expects an immediate answer. */
  flush(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.timer = null;
    this.frame = null;
    this.run();
  }

  private run(): void {
    const started = performance.now();
    this.redraw();
    this.lastRun = performance.now();
    const took = this.lastRun - started;
    this.interval = Math.min(MAX_INTERVAL_MS, Math.max(this.minIntervalMs, took / BUDGET_SHARE));
  }
}
