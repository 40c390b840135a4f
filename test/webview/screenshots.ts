/**
 * Screenshots of the dashboard and comparison harnesses in VS Code's dark, light and high-contrast
 * themes, at a typical editor size (1200×800) and a narrow one (600×800), into test-results/webview/:
 * a Pendulum run in every scenario, and a MountainCar run live and evaluating.
 *
 *   npm run build && node --import tsx test/webview/screenshots.ts [--only live-dark-1200]
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentId } from '../../src/shared/environments';
import { freezeHarness, launchChromium, openComparisonHarness, openHarness, type HarnessPageOptions } from './harnessBrowser';
import { startHarnessServer } from './harnessServer';
import type { HarnessScenario } from './harnessTypes';
import type { HarnessTheme } from './themes';

const outputDir = join(__dirname, '..', '..', 'test-results', 'webview');

interface Shot {
  scenario: HarnessScenario;
  /** Pendulum-v1 unless said otherwise. */
  environment?: EnvironmentId;
  theme: HarnessTheme;
  width: number;
  height?: number;
  /** Whole page rather than the viewport. */
  fullPage?: boolean;
  /** Open the hyperparameter table first. */
  openHyperparameters?: boolean;
  /** Episodes completed when the picture starts streaming (60 unless said otherwise). */
  episodes?: number;
  /** Let the simulated run stream this long before the picture. */
  streamMs?: number;
  /** false: the fake host sends its first snapshot and nothing more. */
  stream?: boolean;
}

const THEMES: HarnessTheme[] = ['dark', 'light', 'high-contrast'];

const SHOTS: Shot[] = [
  ...THEMES.flatMap((theme): Shot[] => [
    { scenario: 'live', theme, width: 1200, streamMs: 2500 },
    { scenario: 'live', theme, width: 600, fullPage: true, openHyperparameters: true, streamMs: 2500 },
  ]),
  { scenario: 'live', theme: 'dark', width: 1200, fullPage: true, openHyperparameters: true, streamMs: 1500 },
  { scenario: 'inspect', theme: 'dark', width: 1200, fullPage: true },
  { scenario: 'inspect', theme: 'light', width: 600, fullPage: true },
  { scenario: 'evaluate', theme: 'dark', width: 1200, streamMs: 3000 },
  { scenario: 'evaluate', theme: 'high-contrast', width: 600, fullPage: true, streamMs: 3000 },
  { scenario: 'starting', theme: 'light', width: 1200, stream: false },
  { scenario: 'none', theme: 'dark', width: 600 },
  // 30 episodes in, the car still has to rock back and forth a few times before it reaches the flag.
  ...THEMES.map((theme): Shot => ({ scenario: 'live', environment: 'MountainCarContinuous-v0', theme, width: 1200, episodes: 30, streamMs: 2500 })),
  { scenario: 'live', environment: 'MountainCarContinuous-v0', theme: 'light', width: 600, fullPage: true, openHyperparameters: true, streamMs: 2500 },
  { scenario: 'evaluate', environment: 'MountainCarContinuous-v0', theme: 'dark', width: 1200, streamMs: 3000 },
];

const ENVIRONMENT_NAMES: Record<EnvironmentId, string> = { 'Pendulum-v1': '', 'MountainCarContinuous-v0': 'mountaincar' };

/** The comparison page: single runs, and seeds averaged. */
interface ComparisonShot {
  theme: HarnessTheme;
  width: number;
  averageSeeds: boolean;
}

const COMPARISON_SHOTS: ComparisonShot[] = [
  { theme: 'dark', width: 1200, averageSeeds: false },
  { theme: 'light', width: 600, averageSeeds: true },
  { theme: 'high-contrast', width: 1200, averageSeeds: true },
];

function shotName(shot: Shot): string {
  const environment = ENVIRONMENT_NAMES[shot.environment ?? 'Pendulum-v1'];
  return [environment, shot.scenario, shot.theme, shot.width, shot.fullPage ? 'full' : ''].filter(Boolean).join('-');
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

async function main(): Promise<void> {
  mkdirSync(outputDir, { recursive: true });
  const server = await startHarnessServer();
  const browser = await launchChromium();
  try {
    for (const shot of SHOTS) {
      const name = shotName(shot);
      if (only && !name.startsWith(only)) continue;
      const options: HarnessPageOptions = {
        scenario: shot.scenario,
        environment: shot.environment,
        episodes: shot.episodes,
        theme: shot.theme,
        width: shot.width,
        height: shot.height ?? 800,
        stream: shot.stream ?? true,
      };
      const harness = await openHarness(browser, server.url, options);
      const { page } = harness;
      await page.getByTestId(shot.scenario === 'none' ? 'empty-state' : 'run-name').waitFor({ state: 'visible' });
      if (shot.openHyperparameters) await page.getByTestId('hyperparameters').locator('summary').click();
      await page.waitForTimeout(shot.streamMs ?? 400);
      await freezeHarness(page);
      // Let the charts' throttled redraw and the last animation frames land.
      await page.waitForTimeout(400);
      const file = join(outputDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: shot.fullPage ?? false });
      if (harness.errors.length > 0) console.error(`${name}: ${harness.errors.join('\n')}`);
      console.log(file);
      await harness.close();
    }
    for (const shot of COMPARISON_SHOTS) {
      const name = ['compare', shot.theme, shot.width, shot.averageSeeds ? 'averaged' : ''].filter(Boolean).join('-');
      if (only && !name.startsWith(only)) continue;
      const harness = await openComparisonHarness(browser, server.url, { theme: shot.theme, width: shot.width, height: 900 });
      const { page } = harness;
      await page.getByTestId('comparison-runs-table').waitFor({ state: 'visible' });
      if (shot.averageSeeds) await page.getByTestId('comparison-average-seeds').check();
      await page.waitForTimeout(400);
      const file = join(outputDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      if (harness.errors.length > 0) console.error(`${name}: ${harness.errors.join('\n')}`);
      console.log(file);
      await harness.close();
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
