/**
 * Opens the dashboard harness in Debian's Chromium through playwright-core, for the test and the
 * screenshot script.
 */

import type { Browser, Page } from 'playwright-core';
import type { EnvironmentId } from '../../src/shared/environments';
import type { HarnessHandle, HarnessScenario } from './harnessTypes';
import type { HarnessTheme } from './themes';

export { launchChromium } from '../helpers/chromium.mjs';

export interface HarnessPageOptions {
  scenario?: HarnessScenario;
  /** The synthetic run's environment (Pendulum-v1 by default). */
  environment?: EnvironmentId;
  theme?: HarnessTheme;
  /** false: the fake host sends the snapshot and nothing more, the test drives the rest. */
  stream?: boolean;
  /** false: the fake host ignores commands, so the test decides what the trainer answers. */
  respond?: boolean;
  episodes?: number;
  width?: number;
  height?: number;
  deviceScaleFactor?: number;
  /** The system preference the page sees through prefers-reduced-motion. */
  reducedMotion?: 'reduce' | 'no-preference';
}

export interface HarnessPage {
  page: Page;
  /** Uncaught page errors and console errors, collected for assertions. */
  errors: string[];
  close(): Promise<void>;
}

/** The page's globals as the Node side sees them (this program has no DOM types). */
interface HarnessGlobal {
  harness: HarnessHandle;
}

/** Every message the webview has posted to the fake host so far. */
export function postedMessages(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (globalThis as unknown as HarnessGlobal).harness.posted);
}

/** Delivers a host message to the webview. */
export function sendToWebview(page: Page, message: unknown): Promise<void> {
  return page.evaluate((m) => (globalThis as unknown as HarnessGlobal).harness.send(m), message);
}

export function savedViewState(page: Page): Promise<unknown> {
  return page.evaluate(() => (globalThis as unknown as HarnessGlobal).harness.savedState);
}

export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as HarnessGlobal).harness.cspViolations);
}

export function harnessRunId(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as HarnessGlobal).harness.runId);
}

export function setHarnessTheme(page: Page, theme: HarnessTheme): Promise<void> {
  return page.evaluate((t) => (globalThis as unknown as HarnessGlobal).harness.setTheme(t), theme);
}

/** Stops the simulated trainer, so that a screenshot shows one settled moment. */
export function freezeHarness(page: Page): Promise<void> {
  return page.evaluate(() => (globalThis as unknown as HarnessGlobal).harness.freeze());
}

/** A fresh browser context and page that collects page errors and console errors. */
async function newHarnessPage(browser: Browser, url: string, options: Pick<HarnessPageOptions, 'width' | 'height' | 'deviceScaleFactor' | 'reducedMotion'>): Promise<HarnessPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1200, height: options.height ?? 800 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    reducedMotion: options.reducedMotion ?? 'no-preference',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

/** The comparison page (dist/compare.js) with the synthetic comparison of syntheticComparison.ts. */
export function openComparisonHarness(
  browser: Browser,
  baseUrl: string,
  options: Pick<HarnessPageOptions, 'theme' | 'width' | 'height' | 'deviceScaleFactor'> = {},
): Promise<HarnessPage> {
  return newHarnessPage(browser, `${baseUrl}compare.html?${new URLSearchParams({ theme: options.theme ?? 'dark' }).toString()}`, options);
}

export async function openHarness(browser: Browser, baseUrl: string, options: HarnessPageOptions = {}): Promise<HarnessPage> {
  const query = new URLSearchParams({
    scenario: options.scenario ?? 'live',
    environment: options.environment ?? 'Pendulum-v1',
    theme: options.theme ?? 'dark',
    stream: options.stream === false ? '0' : '1',
    respond: options.respond === false ? '0' : '1',
    episodes: String(options.episodes ?? 60),
  });
  return newHarnessPage(browser, `${baseUrl}?${query.toString()}`, options);
}
