/**
 * Posting to a webview that may not be listening: a webview cannot receive messages before its
 * script has loaded, nor while it is hidden (its document is destroyed without
 * retainContextWhenHidden). Posts wait here until the webview says `ready`.
 */

export class WebviewChannel<T> {
  private ready = false;
  private queue: T[] = [];

  constructor(
    private readonly post: (message: T) => PromiseLike<boolean>,
    private readonly maxQueued = 2000,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Posts now when the webview is ready, else queues. `ephemeral` messages (animation frames)
   * are dropped instead: replaying stale frames later would only lag the animation.
   */
  send(message: T, ephemeral = false): void {
    if (this.ready) {
      this.postSafely(message);
      return;
    }
    if (ephemeral) return;
    this.queue.push(message);
    // A hidden panel on a long run must not grow without bound; the next snapshot covers what is dropped.
    if (this.queue.length > this.maxQueued) this.queue.splice(0, this.queue.length - this.maxQueued);
  }

  /** Posts immediately, bypassing the queue (the snapshot that precedes the queued messages). */
  sendNow(message: T): void {
    this.postSafely(message);
  }

  /** The webview is listening: flush what waited, in order. */
  open(): void {
    this.ready = true;
    const queued = this.queue;
    this.queue = [];
    for (const message of queued) this.postSafely(message);
  }

  /** The webview went away (hidden, reloading): queue again. */
  close(): void {
    this.ready = false;
  }

  /** Forgets queued messages (a full snapshot is about to replace them). */
  discardQueued(): void {
    this.queue = [];
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  private postSafely(message: T): void {
    try {
      void Promise.resolve(this.post(message)).then(undefined, () => undefined);
    } catch {
      // The panel was disposed between the check and the post: nothing to deliver to.
    }
  }
}
