/**
 * Rate limits for trainer events on their way to the dashboard. A small network can train at
 * tens of thousands of steps per second and report hundreds of episodes, statuses and frame
 * batches per second; every one is a postMessage across the webview boundary. `status` is a
 * snapshot: only the latest matters, so at most one per interval is sent (a change of state —
 * paused, stopping — goes at once, and the last one is never dropped). Everything else passes
 * through in order, frames included: the trainer already sends only whole episodes, at the rate
 * the page plays them, and dropping one batch would cut an episode the page is to play whole.
 */

import type { StatusEvent, TrainerToHost } from '../shared/protocol';

export interface ThrottleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock and timers. */
export const systemClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ThrottleOptions {
  statusIntervalMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = { statusIntervalMs: 200 };

export class RunEventThrottle {
  private lastStatusAt = -Infinity;
  private lastState: string | undefined;
  private pendingStatus: StatusEvent | undefined;
  private timer: unknown;

  constructor(
    private readonly forward: (event: TrainerToHost) => void,
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly clock: ThrottleClock = systemClock,
  ) {}

  push(event: TrainerToHost): void {
    const now = this.clock.now();
    switch (event.type) {
      case 'status': {
        const stateChanged = event.status.state !== this.lastState;
        if (stateChanged || now - this.lastStatusAt >= this.options.statusIntervalMs) {
          this.cancelPending();
          this.sendStatus(event, now);
        } else {
          this.pendingStatus = event;
          this.timer ??= this.clock.setTimeout(() => this.flush(), this.lastStatusAt + this.options.statusIntervalMs - now);
        }
        return;
      }
      case 'exiting':
      case 'error':
        // The final status must arrive before the run says goodbye.
        this.flush();
        this.forward(event);
        return;
      default:
        this.forward(event);
    }
  }

  /** Sends a held-back status now. */
  flush(): void {
    const pending = this.pendingStatus;
    this.cancelPending();
    if (pending) this.sendStatus(pending, this.clock.now());
  }

  /** Forgets a held-back status (the dashboard is about to get a full snapshot instead). */
  reset(): void {
    this.cancelPending();
    this.lastState = undefined;
    this.lastStatusAt = -Infinity;
  }

  dispose(): void {
    this.cancelPending();
  }

  private sendStatus(event: StatusEvent, now: number): void {
    this.lastStatusAt = now;
    this.lastState = event.status.state;
    this.forward(event);
  }

  private cancelPending(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pendingStatus = undefined;
  }
}
