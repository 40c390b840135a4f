/**
 * What the MuJoCo tests and screenshots do to a harness page: the fake host (which has no MuJoCo)
 * shows a MuJoCo run's snapshot; these send it the events the trainer would — the scene, then an
 * episode's frames made in Node on the real environment — and read back what the 3D renderer drew
 * from its canvas's data attributes. The renderer comes in a script of its own, loaded when the
 * first MuJoCo run is shown: waitForMujocoView waits for it.
 */

import type { Page } from 'playwright-core';
import type { MujocoScene } from '../../src/shared/mujocoScene';
import type { TrainerToHost } from '../../src/shared/protocol';
import { harnessRunId, sendToWebview } from './harnessBrowser';
import { episodeFrameBatches, type MujocoEpisode } from './syntheticMujoco';

export const MUJOCO_CANVAS = 'mujoco-canvas';
/** The 3D renderer's own script, which the dashboard loads for MuJoCo runs only. */
export const MUJOCO_SCRIPT = '/dist/webview-mujoco.js';

/** Every script the page has requested so far, by path (the Resource Timing entries, so also those before a listener could be attached). */
export function requestedScripts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (globalThis as unknown as { performance: { getEntriesByType(type: string): { name: string }[] } }).performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.endsWith('.js')),
  );
}

/** Waits until the 3D renderer's script has run and the renderer took over the canvas (data-webgl says whether WebGL is there). */
export async function waitForMujocoView(page: Page, timeoutMs = 10_000): Promise<void> {
  await page.locator(`[data-testid="${MUJOCO_CANVAS}"][data-webgl]`).waitFor({ state: 'attached', timeout: timeoutMs });
}

export async function sendRunEvents(page: Page, events: TrainerToHost[], runId?: string): Promise<void> {
  await sendToWebview(page, { type: 'runEvents', runId: runId ?? (await harnessRunId(page)), events });
}

export async function sendScene(page: Page, scene: MujocoScene): Promise<void> {
  await sendRunEvents(page, [{ type: 'scene', scene }]);
}

/** The scene, then the episode's frames in the trainer's batches. */
export async function playMujocoEpisode(page: Page, episode: MujocoEpisode, episodeNumber = 61): Promise<void> {
  await sendRunEvents(page, [{ type: 'scene', scene: episode.scene }, ...episodeFrameBatches(episode, episodeNumber)]);
}

/** A data attribute of the 3D canvas ('' when absent). */
export async function canvasData(page: Page, key: string): Promise<string> {
  return (await page.getByTestId(MUJOCO_CANVAS).getAttribute(`data-${key}`)) ?? '';
}

function vectors(text: string): [number, number, number][] {
  return text
    .split(' ')
    .filter(Boolean)
    .map((triple) => triple.split(',').map(Number) as [number, number, number]);
}

/** Each moving body's world position as the three.js scene holds it. */
export async function bodyPositions(page: Page): Promise<[number, number, number][]> {
  return vectors(await canvasData(page, 'body-positions'));
}

export async function cameraTarget(page: Page): Promise<[number, number, number] | null> {
  return vectors(await canvasData(page, 'camera-target'))[0] ?? null;
}

export async function cameraPosition(page: Page): Promise<[number, number, number] | null> {
  return vectors(await canvasData(page, 'camera-position'))[0] ?? null;
}

export async function renderCount(page: Page): Promise<number> {
  return Number(await canvasData(page, 'renders')) || 0;
}
