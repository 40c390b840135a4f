/**
 * Waiting in tests for what the code under test does asynchronously. A test waits for the
 * condition itself, polled, never for a fixed time that assumes the work is done by then: CI runs
 * on a small, busy machine where a timer of 20 ms can fire long before a file has been read.
 * The deadline is generous, so it fires only when something is really wrong, and then says what
 * was awaited.
 */

/** How long a condition may take before the test gives up on it. */
export const WAIT_TIMEOUT_MS = 20_000;

/** Resolves once `condition` holds; rejects naming `what` when it still does not after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = WAIT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The window of a negative check: a time in which something must NOT happen (a message not
 * posted, a redraw not made). A busy machine can only make such a check pass more easily, never
 * fail it; whatever the check waits on must be something that would have happened by then.
 */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets every promise chain already under way finish (no timers, no I/O): one turn of the event loop. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
