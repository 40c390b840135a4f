/**
 * The 3D renderer and three.js come in a script of their own (dist/webview-mujoco.js), which the
 * dashboard loads only when it shows a MuJoCo run, in Chromium behind the extension's CSP: a
 * Pendulum dashboard never asks for it and never runs three.js; a MuJoCo run says "Loading the 3D
 * view…" until the script has run, then shows the 3D view with what arrived meanwhile; a script
 * that cannot be loaded leaves a message rather than a blank stage, reaches the host as an error,
 * and is tried again when a MuJoCo run comes back.
 *
 *   npm run build && node --import tsx --test test/webview/rendererLoading.test.ts
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page, Route } from 'playwright-core';
import type { MujocoEnvironmentId } from '../../src/shared/mujocoEnvironments';
import type { MujocoScene } from '../../src/shared/mujocoScene';
import type { FrameBatch, RunSnapshot } from '../../src/shared/protocol';
import { closeDashboard, frameCount, openDashboard, waitFor, waitForText } from './dashboardPage';
import { postedMessages, sendToWebview } from './harnessBrowser';
import { useHarnessSession } from './harnessSession';
import { bodyPositions, canvasData, MUJOCO_CANVAS, MUJOCO_SCRIPT, requestedScripts, sendRunEvents, waitForMujocoView } from './mujocoHarness';
import { mujocoScene, simulateMujocoEpisode } from './syntheticMujoco';
import { SyntheticRun } from './syntheticRun';

const session = useHarnessSession();
const NOTE = 'renderer-note';
const SCRIPT_URL = `**${MUJOCO_SCRIPT}`;

function liveSnapshot(run: SyntheticRun, scene?: MujocoScene): RunSnapshot {
  return { run: run.runInfo('running'), status: run.status('running'), episodes: run.episodes, evals: run.evals, checkpoints: run.checkpoints, live: true, scene };
}

async function showMujocoRun(page: Page, id: MujocoEnvironmentId): Promise<SyntheticRun> {
  const run = new SyntheticRun(8, id);
  await sendToWebview(page, { type: 'showRun', snapshot: liveSnapshot(run, await mujocoScene(id)), mode: { kind: 'live' } });
  return run;
}

async function showPendulumRun(page: Page): Promise<void> {
  await sendToWebview(page, { type: 'showRun', snapshot: liveSnapshot(new SyntheticRun(3)), mode: { kind: 'live' } });
  await page.getByTestId('pendulum-canvas').waitFor({ state: 'visible' });
}

const scriptState = (page: Page) => canvasData(page, 'renderer-script');

test('a Pendulum dashboard never requests the 3D renderer\u2019s script, and three.js never runs', async () => {
  const harness = await openDashboard(session, { stream: true });
  const { page } = harness;
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await waitFor(async () => (await frameCount(page)) > 20, 'the pendulum playing', 8000);
  const scripts = await requestedScripts(page);
  assert.deepEqual(scripts.filter((path) => path.startsWith('/dist/')), ['/dist/webview.js'], 'the dashboard\u2019s own script only');
  assert.ok(!requested.includes(MUJOCO_SCRIPT), 'not requested while playing either');
  const threeRan = await page.evaluate(() => '__THREE__' in globalThis);
  assert.equal(threeRan, false, 'three.js never ran (it registers window.__THREE__ when it does)');
  await closeDashboard(session, harness);
});

test('a MuJoCo run shows "Loading the 3D view…" until the script has run, then the 3D view with what came meanwhile', async () => {
  const harness = await openDashboard(session);
  const { page } = harness;
  let release: (() => Promise<void>) | null = null;
  const held = new Promise<void>((resolve) => {
    void page.route(SCRIPT_URL, (route: Route) => {
      release = () => route.continue();
      resolve();
    });
  });
  const id = 'HalfCheetah-v5';
  const run = await showMujocoRun(page, id);
  await held;
  assert.equal(await scriptState(page), 'loading');
  await waitForText(page, NOTE, 'Loading the 3D view\u2026');
  assert.ok(await page.getByTestId(NOTE).isVisible(), 'the note is shown over the empty stage');

  // Frames play on while the script loads; the 3D renderer gets the last one when it takes over.
  const episode = await simulateMujocoEpisode(id, { maxSteps: 1 });
  const frames: FrameBatch = { episode: 1, firstStep: 0, phase: 'train', stride: episode.stride, data: [...episode.frames], episodeLength: 1 };
  await sendRunEvents(page, [{ type: 'frames', frames }], run.runInfo('running').id);
  await waitFor(async () => (await frameCount(page)) === 1, 'the frame played', 4000);
  assert.equal(await canvasData(page, 'webgl'), '', 'no 3D renderer yet');

  await release!();
  await waitForMujocoView(page);
  assert.equal(await scriptState(page), 'loaded');
  assert.equal(await canvasData(page, 'webgl'), 'yes');
  assert.equal(await canvasData(page, 'scene-model'), 'cheetah', 'the snapshot\u2019s scene, kept while loading');
  const bodies = episode.scene.bodies.length - 1;
  await waitFor(async () => {
    const positions = await bodyPositions(page);
    return positions.length === bodies && positions.every((p, b) => p.every((v, i) => Math.abs(v - episode.frames[7 * b + i]) <= 2e-3));
  }, 'the bodies at the frame\u2019s poses', 4000);
  assert.equal(await page.getByTestId(NOTE).count(), 0, 'the loading note is gone');
  assert.equal(await page.getByTestId('mujoco-hud').count(), 1, 'the 3D renderer\u2019s overlay is there');
  await closeDashboard(session, harness);
});

test('a 3D renderer script that cannot load leaves a message, not a blank stage; the host hears of it; the next MuJoCo run tries again', async () => {
  const harness = await openDashboard(session);
  const { page } = harness;
  await page.route(SCRIPT_URL, (route: Route) => route.abort());
  await showMujocoRun(page, 'HalfCheetah-v5');
  await waitFor(async () => (await scriptState(page)) === 'failed', 'the load to fail', 5000);
  assert.ok(await page.getByTestId(NOTE).isVisible(), 'the stage says something');
  assert.match(await page.getByTestId(NOTE).innerText(), /The 3D view could not be loaded.*The curves and the status still update/);
  await waitFor(
    async () => (await postedMessages(page)).some((m) => (m as { type?: string; message?: string }).type === 'webviewError' && /webview-mujoco\.js/.test((m as { message: string }).message)),
    'the error to reach the host',
    3000,
  );

  await page.unroute(SCRIPT_URL);
  await showPendulumRun(page);
  assert.equal(await page.getByTestId(NOTE).count(), 0, 'the message went with the MuJoCo run');
  await showMujocoRun(page, 'Hopper-v5');
  await waitForMujocoView(page);
  assert.equal(await scriptState(page), 'loaded');
  const { model } = await mujocoScene('Hopper-v5');
  await waitFor(async () => (await canvasData(page, 'scene-model')) === model, 'the hopper\u2019s scene', 4000);
  assert.equal(await page.getByTestId(MUJOCO_CANVAS).count(), 1);
  await closeDashboard(session, harness, [/webview-mujoco\.js/, /Failed to load resource/]);
});
