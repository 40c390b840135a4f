/**
 * Screenshots of the return chart's "solved" threshold in VS Code's dark, light and high-contrast
 * themes, into test-results/webview/: an early HalfCheetah-v5 run far below its threshold (the
 * axis follows the returns, the threshold is marked at the top edge), and a Pendulum-v1 run
 * around its threshold (the dashed line inside the axis); and the marker's other places (top right,
 * bottom) once each. Each as the returns card, and the whole dashboard page.
 *
 *   npm run build && node --import tsx test/webview/thresholdScreenshots.ts
 */

import { join } from 'node:path';
import { sendToWebview } from './harnessBrowser';
import type { HarnessTheme } from './themes';
import { byTheme, finishShot, openShownDashboard, outputDir, runScreenshots, settle, shootPartAndPage, THEMES } from './themeScreenshots';
import { climbingRunMessage, HALF_CHEETAH_EARLY, PENDULUM_NEAR, type ClimbingRun } from './thresholdSnapshots';

const RUNS: Array<{ name: string; spec: ClimbingRun; themes: HarnessTheme[] }> = [
  { name: 'halfcheetah-early', spec: HALF_CHEETAH_EARLY, themes: THEMES },
  { name: 'pendulum-near', spec: PENDULUM_NEAR, themes: THEMES },
  // The marker's other places: the top-right corner when the returns start high at the left (a
  // collapse), the bottom edge when they lie far above the threshold.
  { name: 'halfcheetah-collapse', spec: { ...HALF_CHEETAH_EARLY, from: 250, to: -500 }, themes: ['dark'] },
  { name: 'inverteddoublependulum-above', spec: { environment: 'InvertedDoublePendulum-v5', episodes: 40, from: 9300, to: 9355 }, themes: ['light'] },
];

runScreenshots(async (browser, serverUrl) => {
  for (const [theme, { name, spec }] of byTheme(RUNS)) {
    const harness = await openShownDashboard(browser, serverUrl, { stream: false, respond: false, theme, width: 1200, height: 900, environment: spec.environment });
    const { page } = harness;
    await sendToWebview(page, climbingRunMessage(spec));
    await page.getByTestId('episode-points').filter({ hasText: String(spec.episodes) }).waitFor();
    await settle(page);
    const file = join(outputDir, `threshold-${name}-${theme}.png`);
    await shootPartAndPage(page, page.locator('.chart-card', { has: page.getByTestId('returns-chart') }), file, false);
    await finishShot(harness, `${name} ${theme}`, file);
  }
});
