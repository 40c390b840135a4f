/**
 * Screenshots of the return chart's "solved" threshold in VS Code's dark, light and high-contrast
 * themes, into test-results/webview/: an early HalfCheetah-v5 run far below its threshold (the
 * axis follows the returns, the threshold is marked at the top edge), and a Pendulum-v1 run
 * around its threshold (the dashed line inside the axis); and the marker's other places (top right,
 * bottom) once each. Each as the returns card, and the whole dashboard page.
 *
 *   npm run build && node --import tsx test/webview/thresholdScreenshots.ts
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, openHarness, sendToWebview } from './harnessBrowser';
import { startHarnessServer } from './harnessServer';
import type { HarnessTheme } from './themes';
import { climbingRunMessage, HALF_CHEETAH_EARLY, PENDULUM_NEAR, type ClimbingRun } from './thresholdSnapshots';

const outputDir = join(__dirname, '..', '..', 'test-results', 'webview');
const THEMES: HarnessTheme[] = ['dark', 'light', 'high-contrast'];
const RUNS: Array<[string, ClimbingRun, HarnessTheme[]]> = [
  ['halfcheetah-early', HALF_CHEETAH_EARLY, THEMES],
  ['pendulum-near', PENDULUM_NEAR, THEMES],
  // The marker's other places: the top-right corner when the returns start high at the left (a
  // collapse), the bottom edge when they lie far above the threshold.
  ['halfcheetah-collapse', { ...HALF_CHEETAH_EARLY, from: 250, to: -500 }, ['dark']],
  ['inverteddoublependulum-above', { environment: 'InvertedDoublePendulum-v5', episodes: 40, from: 9300, to: 9355 }, ['light']],
];

async function main(): Promise<void> {
  mkdirSync(outputDir, { recursive: true });
  const server = await startHarnessServer();
  const browser = await launchChromium();
  try {
    for (const theme of THEMES) {
      for (const [name, spec, themes] of RUNS) {
        if (!themes.includes(theme)) continue;
        const harness = await openHarness(browser, server.url, { stream: false, respond: false, theme, width: 1200, height: 900, environment: spec.environment });
        const { page } = harness;
        await page.getByTestId('run-name').waitFor({ state: 'visible' });
        await sendToWebview(page, climbingRunMessage(spec));
        await page.getByTestId('episode-points').filter({ hasText: String(spec.episodes) }).waitFor();
        await page.mouse.move(0, 0); // no tooltip in the picture
        await page.waitForTimeout(400);
        const file = join(outputDir, `threshold-${name}-${theme}.png`);
        await page.locator('.chart-card', { has: page.getByTestId('returns-chart') }).screenshot({ path: file });
        await page.screenshot({ path: file.replace(/\.png$/, '-page.png') });
        if (harness.errors.length > 0) console.error(`${name} ${theme}: ${harness.errors.join('; ')}`);
        console.log(file);
        await harness.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
