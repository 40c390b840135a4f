/**
 * The dashboard's 3D view of MuJoCo runs, in Chromium (software WebGL): every registered MuJoCo
 * environment's scene builds from its real model's geoms; a frame moves the bodies to the poses it
 * carries (read back from the three.js scene through the canvas's data attributes); the camera
 * tracks the root body where Gymnasium's does and stays put where it does not; the mouse orbits
 * and a double click goes back; nothing renders while nothing changes; a scene that comes in a
 * snapshot builds like one that comes as an event; malformed scenes are dropped; without WebGL
 * the card says so; a run reopened after it ended shows its model at rest (or says why it cannot)
 * with a caption that says what can still be watched. The renderer is the one the dashboard loads in a script of its own
 * (dist/webview-mujoco.js; rendererLoading.test.ts tests the loading itself).
 *
 *   npm run build && node --import tsx --test test/webview/mujoco.test.ts
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { MujocoEnvironmentId } from '../../src/shared/mujocoEnvironments';
import { restPoses, type MujocoScene } from '../../src/shared/mujocoScene';
import type { FrameBatch, RunSnapshot } from '../../src/shared/protocol';
import { closeDashboard, frameCount, openDashboard, text, waitFor, waitForText } from './dashboardPage';
import { postedMessages, sendToWebview, setHarnessTheme, type HarnessPageOptions } from './harnessBrowser';
import { useHarnessSession } from './harnessSession';
import { bodyPositions, cameraPosition, cameraTarget, canvasData, MUJOCO_CANVAS, MUJOCO_SCRIPT, renderCount, requestedScripts, sendRunEvents, sendScene, waitForMujocoView } from './mujocoHarness';
import { MUJOCO_ENVIRONMENT_IDS, mujocoScene, simulateMujocoEpisode } from './syntheticMujoco';
import { SyntheticRun } from './syntheticRun';

const session = useHarnessSession();
const open = (environment: MujocoEnvironmentId, options: HarnessPageOptions = {}) => openDashboard(session, { environment, ...options });

/** Numbers per moving body in a frame: x, y, z, qw, qx, qy, qz. */
const POSE = 7;

const drawnGeomCount = (scene: MujocoScene) => scene.geoms.filter((g) => ['sphere', 'capsule', 'ellipsoid', 'cylinder', 'box'].includes(g.type)).length;

function batch(episode: number, steps: readonly (readonly number[])[], stride: number): FrameBatch {
  return { episode, firstStep: 0, phase: 'train', stride, data: steps.flat(), episodeLength: steps.length };
}

/** A frame with every body moved by (dx, dy, 0). */
function shifted(frame: readonly number[], bodies: number, dx: number, dy = 0): number[] {
  const moved = [...frame];
  for (let b = 0; b < bodies; b++) {
    moved[POSE * b] += dx;
    moved[POSE * b + 1] += dy;
  }
  return moved;
}

function assertNear(actual: readonly number[], expected: readonly number[], what: string, tolerance = 2e-3): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((value, i) => assert.ok(Math.abs(value - expected[i]) <= tolerance, `${what}[${i}]: ${value} ≠ ${expected[i]}`));
}

function expectedPositions(frame: readonly number[], bodies: number): number[][] {
  return Array.from({ length: bodies }, (_, b) => frame.slice(POSE * b, POSE * b + 3));
}

async function waitForPositions(page: Page, expected: number[][], what: string): Promise<void> {
  await waitFor(async () => {
    const positions = await bodyPositions(page);
    return positions.length === expected.length && positions.every((p, b) => p.every((v, i) => Math.abs(v - expected[b][i]) <= 2e-3));
  }, what, 5000).catch(async (error: Error) => {
    throw new Error(`${error.message}; drawn ${JSON.stringify(await bodyPositions(page))}, expected ${JSON.stringify(expected)}`);
  });
}

for (const id of MUJOCO_ENVIRONMENT_IDS) {
  test(`${id}: the 3D scene builds from its model's geoms and the first frame places every body`, async () => {
    const harness = await open(id, { stream: false });
    const { page } = harness;
    assert.equal(await page.getByTestId('environment-stage').getAttribute('data-renderer'), 'mujoco');
    await waitForMujocoView(page);
    assert.ok((await requestedScripts(page)).includes(MUJOCO_SCRIPT), 'the 3D renderer came in its own script');
    assert.equal(await canvasData(page, 'webgl'), 'yes', 'software WebGL is there');
    const episode = await simulateMujocoEpisode(id, { maxSteps: 1 });
    const bodies = episode.scene.bodies.length - 1;
    await sendScene(page, episode.scene);
    await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [episode.frames], episode.stride) }]);
    await waitFor(async () => (await frameCount(page)) === 1, 'the frame played', 4000);
    assert.equal(await canvasData(page, 'scene-model'), episode.scene.model);
    assert.equal(Number(await canvasData(page, 'geoms')), drawnGeomCount(episode.scene), 'every body geom is drawn');
    await waitForPositions(page, expectedPositions(episode.frames, bodies), 'the bodies at the frame\u2019s poses');
    assert.ok((await renderCount(page)) > 0, 'it rendered');
    assert.equal(await page.getByTestId('mujoco-note').isVisible(), false, 'no note over a drawn scene');
    await closeDashboard(session, harness);
  });
}

test('a frame moves the bodies, and the camera follows the cheetah\u2019s torso in x and y at a fixed offset', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false });
  const { page } = harness;
  const episode = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 1 });
  const bodies = episode.scene.bodies.length - 1;
  const first = episode.frames;
  await sendScene(page, episode.scene);
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [first], episode.stride) }]);
  await waitForPositions(page, expectedPositions(first, bodies), 'the first pose');
  const target = (await cameraTarget(page))!;
  const position = (await cameraPosition(page))!;
  assertNear(target.slice(0, 2), first.slice(0, 2), 'the camera looks at the torso');
  assert.ok(position[1] < target[1] && position[2] > target[2], 'seen from −y and above, as MuJoCo\u2019s azimuth 90° and a negative elevation put it');

  const ran = shifted(first, bodies, 2.5);
  await sendRunEvents(page, [{ type: 'frames', frames: batch(2, [ran], episode.stride) }]);
  await waitForPositions(page, expectedPositions(ran, bodies), 'the bodies 2.5 m further');
  const followed = (await cameraTarget(page))!;
  assertNear(followed, [target[0] + 2.5, target[1], target[2]], 'the look-at point moved with the torso, at its height');
  assertNear((await cameraPosition(page))!, [position[0] + 2.5, position[1], position[2]], 'the camera kept its offset');
  await closeDashboard(session, harness);
});

test('InvertedPendulum\u2019s camera stays put (Gymnasium tracks the world body) while the cart moves', async () => {
  const harness = await open('InvertedPendulum-v5', { stream: false });
  const { page } = harness;
  const episode = await simulateMujocoEpisode('InvertedPendulum-v5', { maxSteps: 1 });
  const bodies = episode.scene.bodies.length - 1;
  await sendScene(page, episode.scene);
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [episode.frames], episode.stride) }]);
  await waitForPositions(page, expectedPositions(episode.frames, bodies), 'the first pose');
  const target = (await cameraTarget(page))!;
  const moved = shifted(episode.frames, bodies, 0.6);
  await sendRunEvents(page, [{ type: 'frames', frames: batch(2, [moved], episode.stride) }]);
  await waitForPositions(page, expectedPositions(moved, bodies), 'the cart 0.6 m to the right');
  assertNear((await cameraTarget(page))!, target, 'the camera did not move');
  await closeDashboard(session, harness);
});

test('the mouse orbits the view, a double click brings Gymnasium\u2019s back, and nothing renders while nothing changes', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false });
  const { page } = harness;
  const episode = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 1 });
  await sendScene(page, episode.scene);
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [episode.frames], episode.stride) }]);
  await waitForPositions(page, expectedPositions(episode.frames, episode.scene.bodies.length - 1), 'the pose');
  await page.waitForTimeout(300);
  const idle = await renderCount(page);
  await page.waitForTimeout(700);
  assert.equal(await renderCount(page), idle, 'a still frame is not rendered again');

  const home = (await cameraPosition(page))!;
  const box = (await page.getByTestId(MUJOCO_CANVAS).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 5 });
  await page.mouse.up();
  const orbited = (await cameraPosition(page))!;
  assert.ok(Math.hypot(orbited[0] - home[0], orbited[1] - home[1], orbited[2] - home[2]) > 0.3, `the camera orbited: ${home.join(',')} → ${orbited.join(',')}`);
  assert.ok((await renderCount(page)) > idle, 'orbiting rendered');
  await page.getByTestId(MUJOCO_CANVAS).dblclick();
  assertNear((await cameraPosition(page))!, home, 'back to the default view');
  await closeDashboard(session, harness);
});

test('a scene in the showRun snapshot builds as one sent as an event, and follows theme changes', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false, theme: 'dark' });
  const { page } = harness;
  const run = new SyntheticRun(8, 'HalfCheetah-v5');
  const scene = await mujocoScene('HalfCheetah-v5');
  const snapshot: RunSnapshot = { run: run.runInfo('running'), status: run.status('running'), episodes: run.episodes, evals: run.evals, checkpoints: run.checkpoints, live: true, scene };
  await sendToWebview(page, { type: 'showRun', snapshot, mode: { kind: 'live' } });
  const episode = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 1 });
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [episode.frames], episode.stride) }]);
  await waitFor(async () => (await canvasData(page, 'scene-model')) === 'cheetah', 'the scene from the snapshot', 4000);
  await waitForPositions(page, expectedPositions(episode.frames, scene.bodies.length - 1), 'the pose');
  const before = await renderCount(page);
  const dark = await page.getByTestId(MUJOCO_CANVAS).screenshot();
  await setHarnessTheme(page, 'light');
  await waitFor(async () => (await renderCount(page)) > before, 'a render in the new theme', 3000);
  assert.notDeepEqual(await page.getByTestId(MUJOCO_CANVAS).screenshot(), dark, 'the light theme looks different');
  await closeDashboard(session, harness);
});

test('malformed scenes, and a scene that is not the run\u2019s model, are dropped; a valid one then builds', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false });
  const { page } = harness;
  const scene = await mujocoScene('HalfCheetah-v5');
  const geom = scene.geoms[1];
  const bad: unknown[] = [
    null,
    [],
    { ...scene, model: 42 },
    { ...scene, bodies: [] },
    { ...scene, bodies: Array.from({ length: 513 }, (_, i) => ({ name: `b${i}`, parent: 0 })) },
    { ...scene, geoms: Array.from({ length: 2049 }, () => geom) },
    { ...scene, bodies: scene.bodies.map((b, i) => (i === 2 ? { ...b, parent: 5 } : b)) },
    { ...scene, geoms: [{ ...geom, body: 99 }] },
    { ...scene, geoms: [{ ...geom, type: 'teapot' }] },
    { ...scene, geoms: [{ ...geom, size: [0.1, Number.NaN, 0] }] },
    { ...scene, geoms: [{ ...geom, pos: [0, 0] }] },
    { ...scene, geoms: [{ ...geom, quat: [1, 0, 0, '0'] }] },
    { ...scene, geoms: [{ ...geom, rgba: [1, 1, 1, Number.POSITIVE_INFINITY] }] },
    { ...scene, geoms: [{ ...geom, name: 'x'.repeat(500) }] },
    // Well formed, but Ant's: its bodies are not what HalfCheetah's frames place.
    await mujocoScene('Ant-v5'),
  ];
  for (const candidate of bad) await sendRunEvents(page, [{ type: 'scene', scene: candidate as MujocoScene }]);
  const episode = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 1 });
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [episode.frames], episode.stride) }]);
  await waitFor(async () => (await frameCount(page)) === 1, 'the frame played', 4000);
  assert.equal(await canvasData(page, 'scene-model'), '', 'no scene was built');
  assert.equal(await canvasData(page, 'geoms'), '0');
  await waitFor(() => page.getByTestId('mujoco-note').isVisible(), 'the note', 2000);
  assert.match((await page.getByTestId('mujoco-note').textContent()) ?? '', /Waiting for the model.s 3D scene/);
  const errors = (await postedMessages(page)).filter((m) => (m as { type?: string }).type === 'webviewError');
  assert.deepEqual(errors, [], 'a dropped scene is not an error of the page');

  await sendScene(page, scene);
  await waitFor(async () => (await canvasData(page, 'scene-model')) === 'cheetah', 'the valid scene', 3000);
  await waitFor(async () => !(await page.getByTestId('mujoco-note').isVisible()), 'the note to go', 2000);
  await closeDashboard(session, harness);
});

test('without WebGL the card says the 3D view cannot be drawn, instead of staying blank', async () => {
  const harness = await openDashboard(session, { stream: false });
  const { page } = harness;
  await page.evaluate(() => {
    const prototype = (globalThis as unknown as { HTMLCanvasElement: { prototype: { getContext: (this: unknown, kind: string, ...rest: unknown[]) => unknown } } }).HTMLCanvasElement.prototype;
    const original = prototype.getContext;
    prototype.getContext = function (this: unknown, kind: string, ...rest: unknown[]) {
      return kind.startsWith('webgl') ? null : original.call(this, kind, ...rest);
    };
  });
  const run = new SyntheticRun(8, 'HalfCheetah-v5');
  const snapshot: RunSnapshot = { run: run.runInfo('running'), status: run.status('running'), episodes: run.episodes, evals: run.evals, checkpoints: run.checkpoints, live: true, scene: await mujocoScene('HalfCheetah-v5') };
  await sendToWebview(page, { type: 'showRun', snapshot, mode: { kind: 'live' } });
  await waitForMujocoView(page);
  assert.equal(await canvasData(page, 'webgl'), 'no');
  await waitFor(() => page.getByTestId('mujoco-note').isVisible(), 'the note', 3000);
  assert.match((await page.getByTestId('mujoco-note').textContent()) ?? '', /WebGL is not available/);
  // three.js logs the failed context as an error; nothing else may.
  await closeDashboard(session, harness, [/WebGL|THREE/i]);
});

test('switching from a MuJoCo run to a Pendulum run and back leaves nothing of the 3D view behind', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false });
  const { page } = harness;
  const episode = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 1 });
  await sendScene(page, episode.scene);
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [episode.frames], episode.stride) }]);
  await waitFor(async () => (await canvasData(page, 'scene-model')) === 'cheetah', 'the cheetah', 4000);

  const pendulum = new SyntheticRun(3);
  const pendulumSnapshot: RunSnapshot = { run: pendulum.runInfo('running'), status: pendulum.status('running'), episodes: pendulum.episodes, evals: pendulum.evals, checkpoints: pendulum.checkpoints, live: true };
  await sendToWebview(page, { type: 'showRun', snapshot: pendulumSnapshot, mode: { kind: 'live' } });
  await page.getByTestId('pendulum-canvas').waitFor({ state: 'visible' });
  for (const testId of [MUJOCO_CANVAS, 'mujoco-hud', 'mujoco-note']) assert.equal(await page.getByTestId(testId).count(), 0, `${testId} is gone`);

  const cheetah = new SyntheticRun(8, 'HalfCheetah-v5');
  const cheetahSnapshot: RunSnapshot = { run: cheetah.runInfo('running'), status: cheetah.status('running'), episodes: cheetah.episodes, evals: cheetah.evals, checkpoints: cheetah.checkpoints, live: true, scene: episode.scene };
  await sendToWebview(page, { type: 'showRun', snapshot: cheetahSnapshot, mode: { kind: 'live' } });
  await page.getByTestId(MUJOCO_CANVAS).waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('mujoco-hud').count(), 1, 'one overlay');
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [episode.frames], episode.stride) }], cheetah.runInfo('running').id);
  await waitForPositions(page, expectedPositions(episode.frames, episode.scene.bodies.length - 1), 'the cheetah again');
  await closeDashboard(session, harness);
});

test('with reduced motion the 3D view shows a still pose a second', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false, reducedMotion: 'reduce' });
  const { page } = harness;
  // 200 steps: 10 s at HalfCheetah's real time (20 steps/s).
  const episode = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 200 });
  await playMujocoEpisodeFrames(page, episode);
  await waitFor(async () => (await frameCount(page)) > 0, 'playback to start', 4000);
  const before = await renderCount(page);
  await page.waitForTimeout(2000);
  const renders = (await renderCount(page)) - before;
  assert.ok(renders <= 3, `${renders} renders in 2 s with reduced motion`);
  await closeDashboard(session, harness);
});

async function playMujocoEpisodeFrames(page: Page, episode: Awaited<ReturnType<typeof simulateMujocoEpisode>>): Promise<void> {
  await sendScene(page, episode.scene);
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, Array.from({ length: episode.length }, (_, s) => episode.frames.slice(s * episode.stride, (s + 1) * episode.stride)), episode.stride) }]);
}

test('another run\u2019s scene replaces the last one: its geometries leave the GPU', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false });
  const { page } = harness;
  const cheetah = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 1 });
  await sendScene(page, cheetah.scene);
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [cheetah.frames], cheetah.stride) }]);
  await waitFor(async () => (await canvasData(page, 'gpu-geometries')) !== '', 'a render', 4000);
  // The ground's floor, shadow layer and grid, and one geometry per body geom.
  const ground = 3;
  assert.equal(Number(await canvasData(page, 'gpu-geometries')), drawnGeomCount(cheetah.scene) + ground);

  const ant = await simulateMujocoEpisode('Ant-v5', { maxSteps: 1 });
  const run = new SyntheticRun(4, 'Ant-v5');
  const snapshot: RunSnapshot = { run: run.runInfo('running'), status: run.status('running'), episodes: run.episodes, evals: run.evals, checkpoints: run.checkpoints, live: true, scene: ant.scene };
  await sendToWebview(page, { type: 'showRun', snapshot, mode: { kind: 'live' } });
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [ant.frames], ant.stride) }], run.runInfo('running').id);
  await waitFor(async () => (await canvasData(page, 'scene-model')) === ant.scene.model, 'the ant', 4000);
  await waitForPositions(page, expectedPositions(ant.frames, ant.scene.bodies.length - 1), 'the ant\u2019s pose');
  assert.equal(Number(await canvasData(page, 'gpu-geometries')), drawnGeomCount(ant.scene) + ground, 'only the ant\u2019s geometries are held');
  await closeDashboard(session, harness);
});

test('evaluating a checkpoint: the evaluation process\u2019s scene builds the view its episodes play in', async () => {
  const harness = await open('HalfCheetah-v5', { scenario: 'evaluate', stream: false });
  const { page } = harness;
  const episode = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 1 });
  await sendScene(page, episode.scene);
  const frames: FrameBatch = { ...batch(1, [episode.frames], episode.stride), phase: 'eval', evaluation: { step: 150_000, index: 1, count: 5 } };
  await sendRunEvents(page, [{ type: 'frames', frames }]);
  await waitFor(async () => (await canvasData(page, 'scene-model')) === 'cheetah', 'the scene', 4000);
  await waitForPositions(page, expectedPositions(episode.frames, episode.scene.bodies.length - 1), 'the evaluation\u2019s pose');
  await closeDashboard(session, harness);
});

/** A run that ended before this dashboard opened, as the host sends it: no trainer, its scene (if any) from the run folder. */
function endedSnapshot(environment: MujocoEnvironmentId, state: 'stopped' | 'finished' | 'interrupted', scene?: MujocoScene): RunSnapshot {
  const run = new SyntheticRun(40, environment);
  return { run: run.runInfo(state), status: run.status(state), episodes: run.episodes, evals: run.evals, checkpoints: run.checkpoints, live: false, ...(scene ? { scene } : {}) };
}

test('a stopped HalfCheetah run reopened: its model stands at the scene\u2019s rest pose, and the caption says how to watch its policy', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false, theme: 'light' });
  const { page } = harness;
  await waitForMujocoView(page);
  const scene = await mujocoScene('HalfCheetah-v5');
  const rest = restPoses(scene)!;
  await sendToWebview(page, { type: 'showRun', snapshot: endedSnapshot('HalfCheetah-v5', 'stopped'), mode: { kind: 'live' } });
  await page.waitForTimeout(300);
  const empty = await page.getByTestId(MUJOCO_CANVAS).screenshot();

  await sendToWebview(page, { type: 'showRun', snapshot: endedSnapshot('HalfCheetah-v5', 'stopped', scene), mode: { kind: 'live' } });
  await waitFor(async () => (await canvasData(page, 'scene-model')) === 'cheetah', 'the scene from the snapshot', 4000);
  await waitForPositions(page, expectedPositions(rest, scene.bodies.length - 1), 'every body at its rest pose, with no frame played');
  assert.equal(await frameCount(page), 0, 'nothing played');
  assert.ok(await cameraTarget(page), 'the camera was placed on the rest pose');
  assert.ok((await renderCount(page)) > 0, 'it rendered');
  assert.equal(await page.getByTestId('mujoco-note').isVisible(), false, 'no note over a drawn model');
  await page.waitForTimeout(300);
  assert.notDeepEqual(await page.getByTestId(MUJOCO_CANVAS).screenshot(), empty, 'the view is not the empty box it was without the scene');
  await waitForText(page, 'environment-caption', 'Training stopped. The model is shown at its starting pose. Evaluate Checkpoint in the Runs view plays a checkpoint\u2019s policy.');

  // A frame that comes after all (a page that watched the run live) still moves the bodies off the rest pose.
  const episode = await simulateMujocoEpisode('HalfCheetah-v5', { maxSteps: 1 });
  await sendRunEvents(page, [{ type: 'frames', frames: batch(1, [episode.frames], episode.stride) }]);
  await waitForPositions(page, expectedPositions(episode.frames, scene.bodies.length - 1), 'the frame\u2019s pose');
  await closeDashboard(session, harness);
});

test('a finished or interrupted MuJoCo run without a saved scene says so over the view and in the caption, instead of an empty box', async () => {
  const harness = await open('HalfCheetah-v5', { stream: false });
  const { page } = harness;
  await sendToWebview(page, { type: 'showRun', snapshot: endedSnapshot('HalfCheetah-v5', 'finished'), mode: { kind: 'live' } });
  await waitForMujocoView(page);
  await waitFor(() => page.getByTestId('mujoco-note').isVisible(), 'the note over the view', 3000);
  assert.equal(await text(page, 'mujoco-note'), 'No 3D scene was saved with this run.');
  assert.equal(await canvasData(page, 'scene-model'), '');
  await waitForText(page, 'environment-caption', 'Training finished. Without a saved 3D scene its model cannot be drawn. Evaluate Checkpoint in the Runs view plays a checkpoint\u2019s policy.');

  await sendToWebview(page, { type: 'showRun', snapshot: endedSnapshot('HalfCheetah-v5', 'interrupted'), mode: { kind: 'live' } });
  await waitForText(page, 'environment-caption', /^Training was interrupted when its window closed; Resume in the Runs view continues it\. Without a saved 3D scene its model cannot be drawn\.$/);

  // A scene from an older trainer has no rest poses: the view waits for frames, and says so.
  const scene = await mujocoScene('HalfCheetah-v5');
  const withoutRest = { ...scene, bodies: scene.bodies.map(({ name, parent }) => ({ name, parent })) };
  await sendToWebview(page, { type: 'showRun', snapshot: endedSnapshot('HalfCheetah-v5', 'stopped', withoutRest), mode: { kind: 'live' } });
  await waitFor(async () => (await canvasData(page, 'scene-model')) === 'cheetah', 'the scene', 4000);
  await waitForText(page, 'mujoco-note', 'The model is drawn when its first frames play.');
  await waitForText(page, 'environment-caption', 'Training stopped. Evaluate Checkpoint in the Runs view plays a checkpoint\u2019s policy.');
  await closeDashboard(session, harness);
});

test('a live MuJoCo run shows its model at rest until the first frames come', async () => {
  const harness = await open('InvertedDoublePendulum-v5', { stream: false });
  const { page } = harness;
  await waitForMujocoView(page);
  const scene = await mujocoScene('InvertedDoublePendulum-v5');
  await sendScene(page, scene);
  await waitForPositions(page, expectedPositions(restPoses(scene)!, scene.bodies.length - 1), 'the rest pose');
  assert.equal(await page.getByTestId('mujoco-note').isVisible(), false);
  assert.match(await text(page, 'environment-caption'), /^Waiting for the first frames/, 'a live run says nothing of ended runs');
  await closeDashboard(session, harness);
});
