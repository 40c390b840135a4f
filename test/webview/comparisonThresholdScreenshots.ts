/**
 * Screenshots of the comparison's "solved" threshold in VS Code's dark, light and high-contrast
 * themes, into test-results/webview/: two early HalfCheetah-v5 runs far below their threshold (the
 * axis follows the curves, the threshold is marked at the top edge), single and seeds averaged,
 * and two early Pendulum-v1 runs near enough to theirs for the dashed line (dark only). Each as
 * the environment's pair of charts, and the whole page.
 *
 *   npm run build && node --import tsx test/webview/comparisonThresholdScreenshots.ts
 */

import { join } from 'node:path';
import type { ShowComparisonMessage } from '../../src/shared/protocol';
import { sendToWebview } from './harnessBrowser';
import { halfCheetahEarlyComparison, pendulumEarlyComparison } from './syntheticComparison';
import type { HarnessTheme } from './themes';
import { byTheme, finishShot, openShownComparison, outputDir, runScreenshots, settle, shootPartAndPage, THEMES } from './themeScreenshots';

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

runScreenshots(async (browser, serverUrl) => {
  for (const [theme, shot] of byTheme(SHOTS)) {
    const harness = await openShownComparison(browser, serverUrl, { theme, width: 1200, height: 900 });
    const { page } = harness;
    await sendToWebview(page, shot.message());
    const section = page.locator(`[data-testid=comparison-environment][data-environment="${shot.environment}"]`);
    await section.waitFor({ state: 'visible' });
    if (shot.averageSeeds) await page.getByTestId('comparison-average-seeds').check();
    await settle(page);
    const file = join(outputDir, `compare-threshold-${shot.name}-${theme}.png`);
    await shootPartAndPage(page, section, file, true);
    await finishShot(harness, `${shot.name} ${theme}`, file);
  }
});
