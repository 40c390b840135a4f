/**
 * Screenshots of the learning curves on long runs in VS Code's dark, light and high-contrast
 * themes, into test-results/webview/: a 2,000-episode run (whole, and zoomed into its first
 * episodes), and a run resumed at episode 450 (its own part, and with the parent history).
 *
 *   npm run build && node --import tsx test/webview/longRunScreenshots.ts
 */

import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { sendToWebview } from './harnessBrowser';
import { longRunMessage, resumedRunMessage } from './longRunSnapshots';
import { openShownDashboard, outputDir, runScreenshots, settle, THEMES } from './themeScreenshots';

/** Drags across the returns chart between two shares of its plot's width (a zoom). */
async function zoomReturns(page: Page, fromShare: number, toShare: number): Promise<void> {
  const canvas = page.getByTestId('returns-chart');
  const box = await canvas.boundingBox();
  const area = (await canvas.getAttribute('data-area'))?.split(',').map(Number);
  if (!box || !area) throw new Error('the returns chart is not drawn');
  const [left, top, right, bottom] = area;
  const y = box.y + (top + bottom) / 2;
  await page.mouse.move(box.x + left + fromShare * (right - left), y);
  await page.mouse.down();
  await page.mouse.move(box.x + left + toShare * (right - left), y, { steps: 8 });
  await page.mouse.up();
}

runScreenshots(async (browser, serverUrl) => {
  for (const theme of THEMES) {
    for (const width of [1200, 600]) {
      const harness = await openShownDashboard(browser, serverUrl, { stream: false, respond: false, theme, width, height: 900 });
      const { page } = harness;
      const shoot = async (name: string) => {
        await settle(page);
        await page.locator('.charts').screenshot({ path: join(outputDir, `charts-${name}-${theme}-${width}.png`) });
      };
      await sendToWebview(page, longRunMessage(2000));
      await page.getByTestId('episode-points').filter({ hasText: '2000' }).waitFor();
      await shoot('2000-episodes');
      if (width === 1200) {
        await zoomReturns(page, 0, 0.1);
        await shoot('2000-episodes-zoomed');
      }
      await sendToWebview(page, resumedRunMessage(450, 600));
      await page.getByTestId('episode-points').filter({ hasText: '600' }).waitFor();
      await shoot('resumed');
      if (width === 1200) {
        await page.getByTestId('show-parent-history').check();
        await shoot('resumed-parent');
      }
      if (harness.errors.length > 0) throw new Error(`page errors: ${harness.errors.join('; ')}`);
      await harness.close();
    }
  }
  console.log(`screenshots in ${outputDir}`);
});
