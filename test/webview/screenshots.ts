/**
 * Screenshots of the dashboard and comparison harnesses in VS Code's dark, light and high-contrast
 * themes, at a typical editor size (1200×800) and a narrow one (600×800), into test-results/webview/:
 * a Pendulum run in every scenario, a MountainCar run live and evaluating, and the playback states
 * (a whole training episode with the skipped count, a chosen evaluation start, a finished run's
 * best evaluation on a loop), MuJoCo runs in 3D, and a stopped HalfCheetah run reopened after it
 * ended (the model at rest from its saved scene, and without one).
 *
 *   npm run build && node --import tsx test/webview/screenshots.ts [--only live-dark-1200]
 */

import { join } from 'node:path';
import type { EnvironmentId } from '../../src/shared/environments';
import type { Page } from 'playwright-core';
import type { RunSnapshot, TrainerToHost } from '../../src/shared/protocol';
import { freezeHarness, harnessRunId, sendToWebview, type HarnessPageOptions } from './harnessBrowser';
import { evaluation, trainingEpisode } from './playbackEpisodes';
import { SyntheticRun } from './syntheticRun';
import { playMujocoEpisode } from './mujocoHarness';
import { mujocoScene, simulateMujocoEpisode } from './syntheticMujoco';
import { ENVIRONMENTS } from '../../src/shared/environments';
import type { MujocoEnvironmentId } from '../../src/shared/mujocoEnvironments';
import type { HarnessScenario } from './harnessTypes';
import type { HarnessTheme } from './themes';
import { finishShot, openShownComparison, openShownDashboard, outputDir, runScreenshots, THEMES } from './themeScreenshots';

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
  /** Drives the page into a playback state (the fake host only sends the snapshot). */
  playback?: PlaybackState;
  /** Shows the run as the host does once it has stopped: no trainer, the scene from its folder ('saved') or none ('none'). */
  reopened?: 'saved' | 'none';
}

type PlaybackState = 'training' | 'evaluation' | 'ended';

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
  ...THEMES.flatMap((theme): Shot[] =>
    (['training', 'evaluation', 'ended'] as const).map((playback) => ({ scenario: 'live', theme, width: 1200, stream: false, playback, streamMs: 2000 })),
  ),
  { scenario: 'live', theme: 'dark', width: 600, fullPage: true, stream: false, playback: 'ended', streamMs: 2000 },
  // MuJoCo runs in 3D: the fake host has no MuJoCo, so the scene and an episode's frames come from Node (syntheticMujoco.ts).
  ...THEMES.flatMap((theme): Shot[] =>
    (['HalfCheetah-v5', 'InvertedPendulum-v5'] as const).map((environment) => ({ scenario: 'live', environment, theme, width: 1200, stream: false, streamMs: 3000 })),
  ),
  ...(['Hopper-v5', 'Walker2d-v5', 'Ant-v5', 'Reacher-v5', 'Swimmer-v5', 'InvertedDoublePendulum-v5'] as const).map(
    (environment): Shot => ({ scenario: 'live', environment, theme: 'dark', width: 1200, stream: false, streamMs: 1500 }),
  ),
  { scenario: 'live', environment: 'HalfCheetah-v5', theme: 'light', width: 600, fullPage: true, stream: false, streamMs: 3000 },
  ...THEMES.map((theme): Shot => ({ scenario: 'live', environment: 'HalfCheetah-v5', theme, width: 1200, stream: false, reopened: 'saved', streamMs: 1000 })),
  { scenario: 'live', environment: 'HalfCheetah-v5', theme: 'dark', width: 1200, stream: false, reopened: 'none', streamMs: 1000 },
];

/** A stopped run as the host sends it to a dashboard opened after the run ended. */
async function showReopenedRun(page: Page, environment: MujocoEnvironmentId, scene: 'saved' | 'none'): Promise<void> {
  const run = new SyntheticRun(60, environment);
  const snapshot: RunSnapshot = {
    run: run.runInfo('stopped'),
    status: run.status('stopped'),
    episodes: run.episodes,
    evals: run.evals,
    checkpoints: run.checkpoints,
    live: false,
    ...(scene === 'saved' ? { scene: await mujocoScene(environment) } : {}),
  };
  await sendToWebview(page, { type: 'showRun', snapshot, mode: { kind: 'live' } });
}

async function sendEvents(page: Page, events: TrainerToHost[]): Promise<void> {
  await sendToWebview(page, { type: 'runEvents', runId: await harnessRunId(page), events });
}

const cardData = (page: Page, key: string) => page.getByTestId('environment-card').getAttribute(`data-${key}`);

async function until(page: Page, key: string, value: string): Promise<void> {
  for (let i = 0; i < 100 && (await cardData(page, key)) !== value; i++) await page.waitForTimeout(50);
}

/** Whole episodes as the trainer sends them, played fast to reach the state, then at real time for the picture. */
async function preparePlayback(page: Page, state: PlaybackState): Promise<void> {
  const history = new SyntheticRun(60);
  const afterSnapshot = history.episodes[59].step;
  const speed = page.getByTestId('speed-select');
  await speed.selectOption('max');
  await sendEvents(page, trainingEpisode(61));
  await until(page, 'playing', 'train 61');
  const best = evaluation(90, afterSnapshot + 6000, 5, -148.6);
  const latest = evaluation(94, afterSnapshot + 7000, 5, -171.3);
  await sendEvents(page, [...best.events, ...latest.events, { type: 'status', status: { ...history.status('running'), episode: 96, step: afterSnapshot + 7200 } }]);
  if (state === 'training') {
    await sendEvents(page, trainingEpisode(95));
    await until(page, 'playing', 'train 95');
  } else if (state === 'evaluation') {
    await page.getByTestId('watch-select').selectOption('latestEvaluation');
    await page.getByTestId('watch-start-select').selectOption('3');
  } else {
    await sendEvents(page, [{ type: 'status', status: { ...history.status('finished'), episode: 150, stepsPerSecond: 0 } }, { type: 'exiting', status: 'finished' }]);
    await until(page, 'playing', `eval ${best.row.step} 1`);
  }
  await speed.selectOption('1');
}

const ENVIRONMENT_NAMES: Partial<Record<EnvironmentId, string>> = { 'Pendulum-v1': '', 'MountainCarContinuous-v0': 'mountaincar' };

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
  const id = shot.environment ?? 'Pendulum-v1';
  const environment = ENVIRONMENT_NAMES[id] ?? id.toLowerCase().replace(/-v\d+$/, '');
  const state = shot.playback ? `playback-${shot.playback}` : shot.reopened ? `reopened-stopped${shot.reopened === 'none' ? '-no-scene' : ''}` : shot.scenario;
  return [environment, state, shot.theme, shot.width, shot.fullPage ? 'full' : ''].filter(Boolean).join('-');
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

runScreenshots(async (browser, serverUrl) => {
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
    const harness = await openShownDashboard(browser, serverUrl, options);
    const { page } = harness;
    if (shot.openHyperparameters) await page.getByTestId('hyperparameters').locator('summary').click();
    if (shot.playback) await preparePlayback(page, shot.playback);
    if (shot.reopened) {
      await showReopenedRun(page, shot.environment as MujocoEnvironmentId, shot.reopened);
    } else if (shot.environment && ENVIRONMENTS[shot.environment].mujoco) {
      await playMujocoEpisode(page, await simulateMujocoEpisode(shot.environment as MujocoEnvironmentId, { maxSteps: 300 }));
    }
    await page.waitForTimeout(shot.streamMs ?? 400);
    await freezeHarness(page);
    // Let the charts' throttled redraw and the last animation frames land.
    await page.waitForTimeout(400);
    const file = join(outputDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: shot.fullPage ?? false });
    await finishShot(harness, name, file, '\n');
  }
  for (const shot of COMPARISON_SHOTS) {
    const name = ['compare', shot.theme, shot.width, shot.averageSeeds ? 'averaged' : ''].filter(Boolean).join('-');
    if (only && !name.startsWith(only)) continue;
    const harness = await openShownComparison(browser, serverUrl, { theme: shot.theme, width: shot.width, height: 900 });
    const { page } = harness;
    if (shot.averageSeeds) await page.getByTestId('comparison-average-seeds').check();
    await page.waitForTimeout(400);
    const file = join(outputDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await finishShot(harness, name, file, '\n');
  }
});
