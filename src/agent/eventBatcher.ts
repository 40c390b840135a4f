/**
 * Trainer → host events, gathered into one IPC message every few tens of milliseconds.
 *
 * At small networks the trainer ends 700–800 episodes a second, and one message per event made
 * the extension host pay a pipe read, a JSON parse and a dispatch for each (BENCHMARKS.md,
 * "Trainer → host messages"). Events that someone waits on, or that may be the last before the
 * process exits, go out at once, together with everything gathered before them, so the order of
 * events never changes.
 */

import type { RunStatus, TrainerMessage, TrainerToHost } from '../shared/protocol';

/** Called with null once a message has been handed to the channel, or with the error that kept it. */
export type SentCallback = (error: Error | null) => void;

export interface EventBatcherOptions {
  /** Hands one message to the channel; must call `onSent`, when given, even if it cannot send. */
  send: (message: TrainerMessage, onSent?: SentCallback) => void;
  /** Longest time an event waits for company. */
  intervalMs?: number;
  /** A batch this long goes out at once, so that a burst of events cannot grow one message without bound. */
  maxEvents?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const BATCH_INTERVAL_MS = 50;
export const MAX_BATCH_EVENTS = 256;

export class EventBatcher {
  private readonly sendMessage: (message: TrainerMessage, onSent?: SentCallback) => void;
  private readonly intervalMs: number;
  private readonly maxEvents: number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private pending: TrainerToHost[] = [];
  private timer: { handle: unknown } | null = null;
  private lastState: RunStatus | undefined;

  constructor(options: EventBatcherOptions) {
    this.sendMessage = options.send;
    this.intervalMs = options.intervalMs ?? BATCH_INTERVAL_MS;
    this.maxEvents = options.maxEvents ?? MAX_BATCH_EVENTS;
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
  }

  /**
   * Queues an event, or sends it now with everything queued before it when it cannot wait.
   * An event with `onSent` always goes now: whoever waits for it being sent (exit) cannot wait longer.
   */
  push(event: TrainerToHost, onSent?: SentCallback): void {
    const urgent = onSent !== undefined || this.isUrgent(event);
    if (event.type === 'status') this.lastState = event.status.state;
    this.pending.push(event);
    if (urgent || this.pending.length >= this.maxEvents) this.flush(onSent);
    else if (this.timer === null) this.timer = { handle: this.setTimer(() => this.flush(), this.intervalMs) };
  }

  /** Sends whatever is queued as one message (an event alone is sent as itself, not as a batch of one). */
  flush(onSent?: SentCallback): void {
    if (this.timer !== null) {
      this.clearTimer(this.timer.handle);
      this.timer = null;
    }
    if (this.pending.length === 0) {
      onSent?.(null);
      return;
    }
    const events = this.pending;
    this.pending = [];
    this.sendMessage(events.length === 1 ? events[0] : { type: 'batch', events }, onSent);
  }

  /** Events queued and not yet sent. */
  get queued(): number {
    return this.pending.length;
  }

  private isUrgent(event: TrainerToHost): boolean {
    switch (event.type) {
      // The host holds commands given during start-up until it sees 'started'.
      case 'started':
        return true;
      // A new state acknowledges pause, resume or stop; buttons and the status bar follow it.
      // Periodic statuses of an unchanged state can wait.
      case 'status':
        return event.status.state !== this.lastState;
      // "Save Checkpoint" waits for the checkpoint that echoes its request.
      case 'checkpoint':
        return event.requestId !== undefined;
      // The process exits right after these.
      case 'error':
      case 'evaluation':
      case 'exiting':
        return true;
      default:
        return false;
    }
  }
}
