/**
 * Screenshots of the comparison's "solved" threshold in VS Code's dark, light and high-contrast
 * themes, into test-results/webview/: two early HalfCheetah-v5 runs far below their threshold (the
 * axis follows the curves, the threshold is marked at the top edge), single and seeds averaged,
 * and two early Pendulum-v1 runs near enough to theirs for the dashed line (dark only). Each as
 * the environment's pair of charts, and the whole page.
 *
 *   npm run build && node --import tsx test/webview/comparisonThresholdScreenshots.ts
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ShowComparisonMessage } from '../../src/shared/protocol';
import { launchChromium, openComparisonHarness, sendToWebview } from './harnessBrowser';
import { startHarnessServer } from './harnessServer';
import { halfCheetahEarlyComparison, pendulumEarlyComparison } from './syntheticComparison';
import type { HarnessTheme } from './themes';

const outputDir = join(__dirname, '..', '..', 'test-results', 'webview');
const THEMES: HarnessTheme[] = ['dark', 'light', 'high-contrast'];

interface Shot {
  name: string;
  message: () => ShowComparisonMessage;
  environment: string;
  averageSeeds: boolean;
  themes: HarnessTheme[];
}

const SHOTS: Shot[] = [
  { name: 'halfcheetah-early', message: halfCheetahEarlyComparison, environment: 'HalfCheetah-v5', averageSeeds: false, themes: THEMES },
  { name: 'halfcheetah-early-averaged', message: halfCheetahEarlyComparison, environment: 'HalfCheetah-v5', averageSeeds: true, themes: ['dark'] },
  { name: 'pendulum-early', message: pendulumEarlyComparison, environment: 'Pendulum-v1', averageSeeds: false, themes: ['dark'] },
];

async function main(): Promise<void> {
  mkdirSync(outputDir, { recursive: true });
  const server = await startHarnessServer();
  const browser = await launchChromium();
  try {
    for (const theme of THEMES) {
      for (const shot of SHOTS) {
        if (!shot.themes.includes(theme)) continue;
        const harness = await openComparisonHarness(browser, server.url, { theme, width: 1200, height: 900 });
        const { page } = harness;
        await page.getByTestId('comparison-runs-table').waitFor({ state: 'visible' });
        await sendToWebview(page, shot.message());
        const section = page.locator(`[data-testid=comparison-environment][data-environment="${shot.environment}"]`);
        await section.waitFor({ state: 'visible' });
        if (shot.averageSeeds) await page.getByTestId('comparison-average-seeds').check();
        await page.mouse.move(0, 0); // no tooltip in the picture
        await page.waitForTimeout(400);
        const file = join(outputDir, `compare-threshold-${shot.name}-${theme}.png`);
        await section.screenshot({ path: file });
        await page.screenshot({ path: file.replace(/\.png$/, '-page.png'), fullPage: true });
        if (harness.errors.length > 0) console.error(`${shot.name} ${theme}: ${harness.errors.join('; ')}`);
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
