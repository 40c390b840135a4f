/**
 * What the dashboard's Chromium tests do to a harness page, shared by the test files: open it and
 * wait for the run, wait for a condition or a text, send trainer events, read the frame counter,
 * count distinct canvas images, and close it after checking it logged no error and broke no CSP rule.
 */

import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { HostToWebview, TrainerToHost } from '../../src/shared/protocol';
import { cspViolations, harnessRunId, openHarness, sendToWebview, type HarnessPage, type HarnessPageOptions } from './harnessBrowser';
import type { HarnessSession } from './harnessSession';

export async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

export async function waitForText(page: Page, testId: string, expected: string | RegExp, timeoutMs = 5000): Promise<void> {
  let last = '';
  await waitFor(
    async () => {
      last = await text(page, testId);
      return typeof expected === 'string' ? last === expected : expected.test(last);
    },
    `${testId} to read ${expected}`,
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last text "${last}"`);
  });
}

/**
 * Opens the harness and waits until the dashboard shows the run (or the empty state). By default
 * the fake host sends the snapshot only and answers no command: the test drives the rest.
 */
export async function openDashboard(session: HarnessSession, options: HarnessPageOptions = {}): Promise<HarnessPage> {
  const harness = await openHarness(session.browser, session.server.url, { stream: false, respond: false, ...options });
  session.openPages.push(harness);
  const shown = options.scenario === 'none' ? 'empty-state' : 'run-name';
  await harness.page.getByTestId(shown).waitFor({ state: 'visible' });
  return harness;
}

/** Closes the page after checking it logged no errors and broke no CSP rule. */
export async function closeDashboard(session: HarnessSession, harness: HarnessPage, expectedErrors: RegExp[] = []): Promise<void> {
  const violations = await cspViolations(harness.page);
  const unexpected = harness.errors.filter((e) => !expectedErrors.some((pattern) => pattern.test(e)));
  await harness.close();
  session.openPages.splice(session.openPages.indexOf(harness), 1);
  assert.deepEqual(violations, [], 'Content-Security-Policy violations');
  assert.deepEqual(unexpected, [], 'page errors');
}

/** Delivers a trainer event for `runId` (the fake host's run unless said otherwise). */
export async function sendEvent(page: Page, event: TrainerToHost, runId?: string): Promise<void> {
  const message: HostToWebview = { type: 'runEvent', runId: runId ?? (await harnessRunId(page)), event };
  await sendToWebview(page, message);
}

export const frameCount = async (page: Page) => Number(await text(page, 'frame-counter'));

/** Distinct images of the canvas `canvasTestId` seen when sampling it every 100 ms for `ms`. */
export async function distinctCanvasImages(page: Page, canvasTestId: string, ms: number): Promise<number> {
  const seen = new Set<string>();
  const until = Date.now() + ms;
  while (Date.now() < until) {
    seen.add(await page.getByTestId(canvasTestId).evaluate((node) => (node as unknown as { toDataURL(): string }).toDataURL()));
    await page.waitForTimeout(100);
  }
  return seen.size;
}
