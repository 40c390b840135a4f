/**
 * What the Chromium screenshot scripts (screenshots.ts, thresholdScreenshots.ts,
 * comparisonThresholdScreenshots.ts, longRunScreenshots.ts) share: the output folder and the
 * themes, the harness server and the browser around the shots, opening a page and waiting for
 * what it shows, settling it for the picture, and closing it.
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, openComparisonHarness, openHarness, type HarnessPage, type HarnessPageOptions } from './harnessBrowser';
import { startHarnessServer } from './harnessServer';
import type { HarnessTheme } from './themes';

export const outputDir = join(__dirname, '..', '..', 'test-results', 'webview');

export const THEMES: HarnessTheme[] = ['dark', 'light', 'high-contrast'];

/**
 * Creates the output folder, starts the harness server and Chromium, runs `shoot` with them and
 * closes both; an error is printed and makes the exit code 1.
 */
export function runScreenshots(shoot: (browser: Browser, serverUrl: string) => Promise<void>): void {
  const main = async () => {
    mkdirSync(outputDir, { recursive: true });
    const server = await startHarnessServer();
    const browser = await launchChromium();
    try {
      await shoot(browser, server.url);
    } finally {
      await browser.close();
      await server.close();
    }
  };
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** Each shot with each of its themes, theme by theme in the order of THEMES. */
export function byTheme<T extends { themes: readonly HarnessTheme[] }>(shots: readonly T[]): Array<[HarnessTheme, T]> {
  return THEMES.flatMap((theme) => shots.filter((shot) => shot.themes.includes(theme)).map((shot): [HarnessTheme, T] => [theme, shot]));
}

/** The dashboard harness, once it shows the run (or the empty state for the scenario 'none'). */
export async function openShownDashboard(browser: Browser, serverUrl: string, options: HarnessPageOptions): Promise<HarnessPage> {
  const harness = await openHarness(browser, serverUrl, options);
  await harness.page.getByTestId(options.scenario === 'none' ? 'empty-state' : 'run-name').waitFor({ state: 'visible' });
  return harness;
}

/** The comparison harness, once it shows its runs table. */
export async function openShownComparison(browser: Browser, serverUrl: string, options: Parameters<typeof openComparisonHarness>[2]): Promise<HarnessPage> {
  const harness = await openComparisonHarness(browser, serverUrl, options);
  await harness.page.getByTestId('comparison-runs-table').waitFor({ state: 'visible' });
  return harness;
}

/** Moves the mouse out of the way (no tooltip in the picture) and lets the last redraws land. */
export async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
}

/** A part of the page into `file`, and the page (whole with `fullPage`) into the same name with -page. */
export async function shootPartAndPage(page: Page, part: Locator, file: string, fullPage: boolean): Promise<void> {
  await part.screenshot({ path: file });
  await page.screenshot({ path: file.replace(/\.png$/, '-page.png'), fullPage });
}

/** Prints the page's errors (if any) under `label`, then the picture's file, and closes the page. */
export async function finishShot(harness: HarnessPage, label: string, file: string, separator = '; '): Promise<void> {
  if (harness.errors.length > 0) console.error(`${label}: ${harness.errors.join(separator)}`);
  console.log(file);
  await harness.close();
}
