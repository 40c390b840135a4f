/**
 * The dashboard draws whatever environment the run has: the renderer registry picks the run's
 * renderer, a MountainCarContinuous-v0 frame moves the car (found by its colour on the canvas),
 * frame batches of a bad stride are dropped, and switching between a Pendulum run and a
 * MountainCar run swaps the renderers cleanly. Chromium, through the harness page.
 *
 *   npm run build && node --import tsx --test test/webview/environments.test.ts
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { DashboardMode, FrameBatch, RunSnapshot } from '../../src/shared/protocol';
import {
  closeDashboard,
  distinctCanvasImages,
  frameCount,
  openDashboard,
  sendEvent,
  text,
  waitFor,
  waitForText,
} from './dashboardPage';
import { postedMessages, sendToWebview, setHarnessTheme, type HarnessPage, type HarnessPageOptions } from './harnessBrowser';
import { useHarnessSession } from './harnessSession';
import { SyntheticRun } from './syntheticRun';
import { THEME_VARIABLES } from './themes';

const session = useHarnessSession();
const MOUNTAIN_CAR = 'MountainCarContinuous-v0';
const CAR_CANVAS = 'mountain-car-canvas';

const open = (options: HarnessPageOptions = {}) => openDashboard(session, options);
const closeClean = (harness: HarnessPage, expectedErrors: RegExp[] = []) => closeDashboard(session, harness, expectedErrors);

/** One MountainCar step per frame: [position, force]. */
function carFrames(episode: number, firstStep: number, steps: readonly (readonly [number, number])[], phase: FrameBatch['phase'] = 'train'): FrameBatch {
  return { episode, firstStep, phase, stride: 2, data: steps.flat() };
}

/** A car rocking in the valley: `count` steps of episode `episode`. */
function rockingCar(episode: number, count: number): FrameBatch {
  const steps = Array.from({ length: count }, (_, i) => [-0.5 + 0.4 * Math.sin(i / 6), Math.sign(Math.cos(i / 6))] as const);
  return carFrames(episode, 0, steps);
}

function hexToRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/**
 * Where the canvas shows `colour` (within a small tolerance), below the captions: the centroid of
 * those pixels in CSS pixels, and how many there are.
 */
async function colourCentroid(page: Page, canvasTestId: string, colour: string): Promise<{ x: number; y: number; count: number }> {
  const [red, green, blue] = hexToRgb(colour);
  return page.getByTestId(canvasTestId).evaluate(
    (node, target) => {
      interface CanvasLike {
        width: number;
        height: number;
        clientWidth: number;
        getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      }
      const canvas = node as unknown as CanvasLike;
      const ratio = canvas.width / canvas.clientWidth;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let sumX = 0, sumY = 0, count = 0;
      // The top captions hold the phase pill, drawn in the same colour as the car.
      for (let y = Math.round(60 * ratio); y < canvas.height; y++) {
        for (let x = 0; x < canvas.width; x++) {
          const i = 4 * (y * canvas.width + x);
          const near = Math.abs(data[i] - target.red) < 24 && Math.abs(data[i + 1] - target.green) < 24 && Math.abs(data[i + 2] - target.blue) < 24;
          if (near && data[i + 3] > 230) {
            sumX += x;
            sumY += y;
            count++;
          }
        }
      }
      return { x: sumX / count / ratio, y: sumY / count / ratio, count };
    },
    { red, green, blue },
  );
}

const DARK = THEME_VARIABLES.dark;

test('the registry gives each run the renderer of its environment, with its names and limits', async () => {
  const pendulum = await open();
  assert.equal(await pendulum.page.getByTestId('pendulum-canvas').count(), 1);
  assert.equal(await pendulum.page.getByTestId(CAR_CANVAS).count(), 0);
  assert.equal(await pendulum.page.getByTestId('environment-stage').getAttribute('data-renderer'), 'pendulum');
  assert.equal(await text(pendulum.page, 'environment-title'), 'Pendulum-v1');
  assert.equal(await text(pendulum.page, 'run-environment'), 'Pendulum-v1');
  await closeClean(pendulum);

  const car = await open({ environment: MOUNTAIN_CAR, deviceScaleFactor: 2 });
  const { page } = car;
  assert.equal(await page.getByTestId('pendulum-canvas').count(), 0);
  assert.equal(await page.getByTestId('environment-stage').getAttribute('data-renderer'), 'mountainCar');
  assert.equal(await text(page, 'environment-title'), MOUNTAIN_CAR);
  assert.equal(await text(page, 'run-environment'), MOUNTAIN_CAR);
  assert.match(await page.getByTestId(CAR_CANVAS).getAttribute('aria-label') ?? '', /^Mountain Car \(continuous\) animation/);
  const size = await page.getByTestId(CAR_CANVAS).evaluate((node) => {
    const canvas = node as unknown as { width: number; clientWidth: number };
    return { backing: canvas.width, css: canvas.clientWidth };
  });
  assert.ok(size.css > 100, 'the canvas has its size');
  assert.equal(size.backing, size.css * 2, 'the backing store follows devicePixelRatio');

  // The hyperparameters are the car's: its goal velocity, not Pendulum's gravity.
  const settings = (await page.getByTestId('hyperparameters').textContent()) ?? '';
  assert.match(settings, /goalVelocity/);
  assert.doesNotMatch(settings, /\bgravity\b/);
  assert.match(settings, new RegExp(`settings for ${MOUNTAIN_CAR}`));
  await closeClean(car);
});

test('a MountainCar frame moves the car along the hill and draws its force the way it pushes', async () => {
  const harness = await open({ environment: MOUNTAIN_CAR });
  const { page } = harness;
  const carColour = DARK['--vscode-charts-blue'];
  const forceColour = DARK['--vscode-charts-orange'];

  await sendEvent(page, { type: 'frames', frames: carFrames(1, 0, [[-1.0, 0.8]]) });
  await waitFor(async () => (await frameCount(page)) === 1, 'the first frame played', 3000);
  await page.waitForTimeout(200);
  const left = await colourCentroid(page, CAR_CANVAS, carColour);
  const pushRight = await colourCentroid(page, CAR_CANVAS, forceColour);
  assert.ok(left.count > 50, `the car is drawn (${left.count} pixels of its colour)`);
  assert.ok(pushRight.count > 10, 'a force is drawn');
  assert.ok(pushRight.x > left.x, 'a positive force points right');
  await waitForText(page, 'environment-caption', /Training episode 1/);

  await sendEvent(page, { type: 'frames', frames: carFrames(2, 0, [[0.3, -0.8]]) });
  await waitFor(async () => (await frameCount(page)) === 2, 'the second frame played', 3000);
  await page.waitForTimeout(200);
  const right = await colourCentroid(page, CAR_CANVAS, carColour);
  const pushLeft = await colourCentroid(page, CAR_CANVAS, forceColour);
  const width = await page.getByTestId(CAR_CANVAS).evaluate((node) => (node as unknown as { clientWidth: number }).clientWidth);
  assert.ok(right.x - left.x > 0.5 * width, `the car moved right: ${left.x.toFixed(0)} → ${right.x.toFixed(0)} of ${width} px`);
  // The hill is higher at x = 0.3 (0.90) than at x = −1.0 (0.49); y grows downwards.
  assert.ok(right.y < left.y, 'the car climbed the hill');
  assert.ok(pushLeft.x < right.x, 'a negative force points left');

  await sendEvent(page, { type: 'frames', frames: carFrames(3, 0, [[0.3, 0]]) });
  await waitFor(async () => (await frameCount(page)) === 3, 'the third frame played', 3000);
  await page.waitForTimeout(200);
  assert.equal((await colourCentroid(page, CAR_CANVAS, forceColour)).count, 0, 'no force, no arrow');
  await closeClean(harness);
});

test('frame batches of a bad stride, or not of the run\'s environment, are dropped', async () => {
  const harness = await open({ environment: MOUNTAIN_CAR });
  const { page } = harness;
  const base = { episode: 1, firstStep: 0, phase: 'train' as const };
  const bad: unknown[] = [
    { ...base, data: [0.1, 0.2] },
    { ...base, stride: 0, data: [] },
    { ...base, stride: -2, data: [0.1, 0.2] },
    { ...base, stride: 2.5, data: [0.1, 0.2, 0.3, 0.4, 0.5] },
    { ...base, stride: '2', data: [0.1, 0.2] },
    { ...base, stride: 65, data: Array.from({ length: 65 }, () => 0) },
    { ...base, stride: 3, data: [0.1, 0.2, 0.3, 0.4] },
    { ...base, stride: 2, data: [0.1, Number.NaN] },
    { ...base, stride: 2, data: [Number.POSITIVE_INFINITY, 0.2] },
    // Well formed, but three numbers a step are not a MountainCar frame.
    { ...base, stride: 3, data: [0.1, 0.2, 0.3] },
    { ...base, stride: 64, data: Array.from({ length: 128 }, () => 0) },
  ];
  for (const frames of bad) await sendEvent(page, { type: 'frames', frames } as never);
  await page.waitForTimeout(500);
  assert.equal(await frameCount(page), 0);
  const errors = (await postedMessages(page)).filter((m) => (m as { type?: string }).type === 'webviewError');
  assert.deepEqual(errors, [], 'dropping a batch is not an error of the page');

  await sendEvent(page, { type: 'frames', frames: carFrames(1, 0, [[-0.5, 0.2], [-0.49, 0.3]]) });
  await waitFor(async () => (await frameCount(page)) === 2, 'the valid batch played', 3000);
  await closeClean(harness);
});

/** What the host's showRun would carry for the synthetic run. */
function snapshotOf(run: SyntheticRun): RunSnapshot {
  return { run: run.runInfo('running'), status: run.status('running'), episodes: run.episodes, evals: run.evals, checkpoints: run.checkpoints, live: true };
}

test('switching from a Pendulum run to a MountainCar run and back swaps the renderers cleanly', async () => {
  const harness = await open();
  const { page } = harness;
  const pendulumRunId = await page.evaluate(() => (globalThis as unknown as { harness: { runId: string } }).harness.runId);
  await sendEvent(page, { type: 'frames', frames: { episode: 61, firstStep: 0, phase: 'train', stride: 2, data: [1, 0.5, 1.1, 0.5, 1.2, 0.5] } });
  await waitFor(async () => (await frameCount(page)) === 3, 'the pendulum played', 3000);

  const live: DashboardMode = { kind: 'live' };
  const car = new SyntheticRun(12, MOUNTAIN_CAR);
  const carRunId = car.runInfo('running').id;
  await sendToWebview(page, { type: 'showRun', snapshot: snapshotOf(car), mode: live });
  await page.getByTestId(CAR_CANVAS).waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('pendulum-canvas').count(), 0, 'the pendulum canvas is gone');
  assert.equal(await page.getByTestId(CAR_CANVAS).count(), 1);
  assert.equal(await frameCount(page), 0, 'nothing of the pendulum is still counted');
  assert.equal(await text(page, 'environment-title'), MOUNTAIN_CAR);
  assert.equal(await text(page, 'run-environment'), MOUNTAIN_CAR);
  await waitForText(page, 'environment-caption', /Waiting for the first frames/);
  const backing = await page.getByTestId(CAR_CANVAS).evaluate((node) => {
    const canvas = node as unknown as { width: number; clientWidth: number };
    return { backing: canvas.width, css: canvas.clientWidth };
  });
  assert.ok(backing.css > 100 && backing.backing === backing.css, 'the new canvas was sized at once');

  // Frames of the run no longer shown are ignored; the car's play.
  await sendEvent(page, { type: 'frames', frames: rockingCar(61, 5) }, pendulumRunId);
  await sendEvent(page, { type: 'frames', frames: rockingCar(1, 20) }, carRunId);
  await waitFor(async () => (await frameCount(page)) === 20, 'the car played', 4000);
  assert.ok((await colourCentroid(page, CAR_CANVAS, DARK['--vscode-charts-blue'])).count > 50, 'the car is drawn');

  await sendToWebview(page, { type: 'showRun', snapshot: snapshotOf(new SyntheticRun(3)), mode: live });
  await page.getByTestId('pendulum-canvas').waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId(CAR_CANVAS).count(), 0, 'the car canvas is gone');
  assert.equal(await text(page, 'environment-title'), 'Pendulum-v1');
  assert.equal(await frameCount(page), 0);
  await closeClean(harness);
});

test('the car follows theme changes and, with reduced motion, shows a still pose a second', async () => {
  const themed = await open({ environment: MOUNTAIN_CAR, theme: 'dark' });
  await sendEvent(themed.page, { type: 'frames', frames: rockingCar(1, 2) });
  await waitFor(async () => (await frameCount(themed.page)) === 2, 'two frames played', 3000);
  await themed.page.waitForTimeout(300);
  const dark = await themed.page.getByTestId(CAR_CANVAS).screenshot();
  await setHarnessTheme(themed.page, 'light');
  await themed.page.waitForTimeout(300);
  assert.notDeepEqual(await themed.page.getByTestId(CAR_CANVAS).screenshot(), dark);
  await closeClean(themed);

  const still = await open({ environment: MOUNTAIN_CAR, reducedMotion: 'reduce' });
  // 90 steps of a rocking car: 3 s at MountainCar's real time (30 steps/s).
  await sendEvent(still.page, { type: 'frames', frames: rockingCar(1, 90) });
  await waitFor(async () => (await frameCount(still.page)) > 0, 'playback to start', 3000);
  const images = await distinctCanvasImages(still.page, CAR_CANVAS, 2000);
  assert.ok(images <= 3, `${images} different poses in 2 s with reduced motion`);
  assert.match(await text(still.page, 'environment-caption'), /Reduced motion: one still pose a second/);
  await closeClean(still);
});
