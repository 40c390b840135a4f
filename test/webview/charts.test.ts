/**
 * The dashboard's charts on long and resumed runs, in Chromium through the harness page: zoom and
 * reset, the y axis fitted to the visible returns, evaluation markers on top of the return band,
 * the "solved" line (inside the axis when the returns come near it, else marked at the top edge),
 * the per-episode line's contrast in each theme, a resumed run's axis and faint parent history, the
 * metric picker, PNG export.
 * The charts publish what they show on their canvas (data-x-min … data-area); pixels are read
 * from the canvas itself.
 *
 *   npm run build && node --import tsx --test test/webview/charts.test.ts
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { isWebviewToHost, type ShowRunMessage } from '../../src/shared/protocol';
import { closeDashboard, openDashboard, sendEvent, waitFor, waitForText } from './dashboardPage';
import { postedMessages, sendToWebview, type HarnessPage } from './harnessBrowser';
import { useHarnessSession } from './harnessSession';
import { longRunMessage, resumedRunMessage } from './longRunSnapshots';
import type { HarnessTheme } from './themes';
import { climbingRunMessage, HALF_CHEETAH_EARLY, PENDULUM_NEAR } from './thresholdSnapshots';

const session = useHarnessSession();

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────

interface Shown {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  area: { left: number; top: number; right: number; bottom: number };
}

async function shown(page: Page, canvasTestId: string): Promise<Shown> {
  const data = await page.getByTestId(canvasTestId).evaluate((node) => ({ ...(node as unknown as { dataset: Record<string, string> }).dataset }));
  const [left, top, right, bottom] = (data.area ?? '').split(',').map(Number);
  return { xMin: Number(data.xMin), xMax: Number(data.xMax), yMin: Number(data.yMin), yMax: Number(data.yMax), area: { left, top, right, bottom } };
}

const pixelX = (s: Shown, x: number) => s.area.left + ((x - s.xMin) / (s.xMax - s.xMin)) * (s.area.right - s.area.left);
const pixelY = (s: Shown, y: number) => s.area.top + ((s.yMax - y) / (s.yMax - s.yMin)) * (s.area.bottom - s.area.top);

type Rgb = [number, number, number];

/** The canvas' pixels in a CSS-pixel rectangle, as RGBA rows (the backing store may be HiDPI). */
async function canvasPixels(page: Page, canvasTestId: string, left: number, top: number, width: number, height: number): Promise<number[]> {
  return page.getByTestId(canvasTestId).evaluate(
    (node, rect) => {
      const canvas = node as unknown as { width: number; clientWidth: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
      const scale = canvas.width / canvas.clientWidth;
      const image = canvas.getContext('2d').getImageData(Math.round(rect.left * scale), Math.round(rect.top * scale), Math.max(1, Math.round(rect.width * scale)), Math.max(1, Math.round(rect.height * scale)));
      return Array.from(image.data);
    },
    { left, top, width, height },
  );
}

async function cssColour(page: Page, variable: string): Promise<Rgb> {
  type StyleReader = { getComputedStyle(node: unknown): { getPropertyValue(name: string): string } };
  const value = await page.locator('body').evaluate((body, name) => (globalThis as unknown as StyleReader).getComputedStyle(body).getPropertyValue(name).trim(), variable);
  const hex = /^#([0-9a-f]{6})$/i.exec(value);
  assert.ok(hex, `${variable} is a #rrggbb colour (${value})`);
  const n = Number.parseInt(hex[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const distance = (pixels: number[], i: number, colour: Rgb) =>
  Math.hypot(pixels[i] - colour[0], pixels[i + 1] - colour[1], pixels[i + 2] - colour[2]);

/**
 * How much colour is drawn between two x pixels, in horizontal bands (the canvas is transparent
 * where nothing is drawn): the mean of alpha × saturation. The bands leave out the labels of the
 * reference lines.
 */
async function ink(page: Page, canvasTestId: string, left: number, right: number, bands: ReadonlyArray<[number, number]>): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const [top, bottom] of bands) {
    const pixels = await canvasPixels(page, canvasTestId, left, top, right - left, bottom - top);
    // Colour counts, not grey: grid lines, the background ring of markers and label boxes are alike on both sides.
    for (let i = 0; i < pixels.length; i += 4) {
      const saturation = Math.max(pixels[i], pixels[i + 1], pixels[i + 2]) - Math.min(pixels[i], pixels[i + 1], pixels[i + 2]);
      sum += (pixels[i + 3] / 255) * saturation;
    }
    count += pixels.length / 4;
  }
  return sum / count;
}

async function showRun(message: ShowRunMessage, options: { width?: number; theme?: HarnessTheme } = {}): Promise<HarnessPage> {
  const harness = await openDashboard(session, { width: options.width ?? 1200, height: 900, theme: options.theme, environment: message.snapshot.run.config.environment });
  await sendToWebview(harness.page, message);
  await waitForText(harness.page, 'episode-points', String(message.snapshot.episodes.length));
  return harness;
}

/** The share of pixels along y = `value`, over the left 60 % of the plot, in the solved line's green. */
async function solvedLineShare(page: Page, value: number): Promise<number> {
  const green = await cssColour(page, '--vscode-charts-green');
  const s = await shown(page, 'returns-chart');
  const y = pixelY(s, value);
  const width = (s.area.right - s.area.left) * 0.6;
  const pixels = await canvasPixels(page, 'returns-chart', s.area.left + 2, y - 1, width, 3);
  let greenPixels = 0;
  for (let i = 0; i < pixels.length; i += 4) if (distance(pixels, i, green) < 60 && pixels[i + 3] > 200) greenPixels++;
  return greenPixels / (pixels.length / 4);
}

/** WCAG's contrast ratio of two colours. */
function contrast(a: Rgb, b: Rgb): number {
  const luminance = (rgb: Rgb) => {
    const [r, g, b] = rgb.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The canvas pixel at RGBA index `i` as seen over `background` (the canvas is transparent where nothing is drawn). */
const seenOver = (pixels: number[], i: number, background: Rgb): Rgb =>
  [0, 1, 2].map((c) => background[c] + (pixels[i + 3] / 255) * (pixels[i + c] - background[c])) as Rgb;

/** Drags across the returns chart from one share of the plot's width to another. */
async function dragAcross(page: Page, canvasTestId: string, fromShare: number, toShare: number, modifier?: 'Shift'): Promise<void> {
  const box = await page.getByTestId(canvasTestId).boundingBox();
  assert.ok(box);
  const s = await shown(page, canvasTestId);
  const y = box.y + (s.area.top + s.area.bottom) / 2;
  const at = (share: number) => box.x + s.area.left + share * (s.area.right - s.area.left);
  if (modifier) await page.keyboard.down(modifier);
  await page.mouse.move(at(fromShare), y);
  await page.mouse.down();
  await page.mouse.move(at((fromShare + toShare) / 2), y, { steps: 5 });
  await page.mouse.move(at(toShare), y, { steps: 5 });
  await page.mouse.up();
  if (modifier) await page.keyboard.up(modifier);
}

// ─── tests ────────────────────────────────────────────────────────────────────────────────────

test('dragging across a chart zooms both into that stretch; double-click shows the whole run again', async () => {
  const harness = await showRun(longRunMessage(2000));
  const { page } = harness;
  const whole = await shown(page, 'returns-chart');
  assert.equal(whole.xMin, 0);
  assert.equal(whole.xMax, 2000);
  assert.equal(await page.getByTestId('reset-zoom').isDisabled(), true);

  await dragAcross(page, 'returns-chart', 0.25, 0.5);
  await waitFor(async () => (await shown(page, 'returns-chart')).xMax < 1500, 'the returns chart to zoom');
  const zoomed = await shown(page, 'returns-chart');
  assert.ok(Math.abs(zoomed.xMin - 500) < 40 && Math.abs(zoomed.xMax - 1000) < 40, `zoomed to [${zoomed.xMin}, ${zoomed.xMax}]`);
  await waitFor(async () => (await shown(page, 'loss-chart')).xMax === zoomed.xMax, 'the loss chart to follow');
  assert.equal((await shown(page, 'loss-chart')).xMin, zoomed.xMin);
  assert.equal(await page.getByTestId('reset-zoom').isDisabled(), false);

  // Shift-drag pans: dragging to the right shows earlier episodes.
  await dragAcross(page, 'returns-chart', 0.3, 0.6, 'Shift');
  await waitFor(async () => (await shown(page, 'returns-chart')).xMin < zoomed.xMin - 50, 'a pan to earlier episodes');
  const panned = await shown(page, 'returns-chart');
  assert.ok(Math.abs(panned.xMax - panned.xMin - (zoomed.xMax - zoomed.xMin)) < 1, 'a pan keeps the width of the range');

  await page.getByTestId('returns-chart').dblclick();
  await waitFor(async () => (await shown(page, 'returns-chart')).xMax === 2000, 'the whole run again');
  assert.equal((await shown(page, 'returns-chart')).xMin, 0);
  await waitFor(async () => (await shown(page, 'loss-chart')).xMax === 2000, 'the loss chart reset too');
  assert.equal(await page.getByTestId('reset-zoom').isDisabled(), true);
  await closeDashboard(session, harness);
});

test('on a 2,000-episode run the y axis is set by the bulk of the returns, not the first episodes', async () => {
  const message = longRunMessage(2000);
  const harness = await showRun(message);
  const { page } = harness;
  const tail = message.snapshot.episodes.slice(200).map((row) => row.return);
  const tailSpan = Math.max(...tail) - Math.min(...tail);
  const all = message.snapshot.episodes.map((row) => row.return);
  const s = await shown(page, 'returns-chart');
  assert.ok(tailSpan / (s.yMax - s.yMin) > 0.75, `the last 90 % span ${((100 * tailSpan) / (s.yMax - s.yMin)).toFixed(0)} % of the axis`);
  assert.ok(s.yMin > Math.min(...all), 'the first episodes lie below the axis');
  assert.match((await page.getByTestId('returns-chart-note').textContent()) ?? '', /\d+ below ▼/);

  // Zoomed into the first 100 episodes, the axis refits to them: they are what is visible.
  await dragAcross(page, 'returns-chart', 0, 0.05);
  await waitFor(async () => (await shown(page, 'returns-chart')).xMax <= 110, 'a zoom into the first episodes');
  const early = await shown(page, 'returns-chart');
  assert.ok(early.yMin <= Math.min(...all.slice(0, 100)), `the early returns fit (axis from ${early.yMin})`);

  // The loss line stays inside its chart: its log axis comes from the data.
  await page.getByTestId('returns-chart').dblclick();
  await waitFor(async () => (await shown(page, 'loss-chart')).xMax === 2000, 'the whole run again');
  const loss = await shown(page, 'loss-chart');
  const losses = message.snapshot.episodes.slice(200).map((row) => row.criticLoss ?? Number.NaN);
  const inside = losses.filter((value) => value >= loss.yMin && value <= loss.yMax).length;
  assert.ok(inside / losses.length > 0.95, `the loss axis [${loss.yMin}, ${loss.yMax}] holds ${inside} of ${losses.length} settled losses`);
  assert.ok(loss.yMax < Math.max(...all.map((_, i) => message.snapshot.episodes[i].criticLoss ?? 0)), 'the first, large losses are clipped and marked');
  await closeDashboard(session, harness);
});

test('the returns canvas says the first, best and latest return of its rows, as episodes stream in too', async () => {
  const message = longRunMessage(300);
  const harness = await showRun(message);
  const { page } = harness;
  const rows = message.snapshot.episodes;
  const returnsData = () => page.getByTestId('returns-chart').evaluate((node) => ({ ...(node as unknown as { dataset: Record<string, string> }).dataset }));
  const best = rows.reduce((a, b) => (b.return > a.return ? b : a));
  let data = await returnsData();
  assert.equal(Number(data.firstReturn), rows[0].return);
  assert.equal(Number(data.bestReturn), best.return);
  assert.equal(Number(data.bestEpisode), best.episode);
  assert.equal(Number(data.latestReturn), rows[rows.length - 1].return);
  assert.equal(Number(data.latestEpisode), rows[rows.length - 1].episode);

  // Appended rows are scanned on their own: a new best, then a worse latest that leaves it best.
  const next = (episode: number, value: number) => ({ ...rows[rows.length - 1], episode, step: rows[rows.length - 1].step + (episode - 300) * 200, return: value });
  await sendEvent(page, { type: 'episode', row: next(301, best.return + 50) }, message.snapshot.run.id);
  await sendEvent(page, { type: 'episode', row: next(302, best.return - 500) }, message.snapshot.run.id);
  await waitForText(page, 'episode-points', '302');
  await waitFor(async () => (await returnsData()).latestEpisode === '302', 'the canvas to say episode 302 is the latest');
  data = await returnsData();
  assert.equal(Number(data.firstReturn), rows[0].return);
  assert.deepEqual([Number(data.bestReturn), data.bestEpisode], [best.return + 50, '301']);
  assert.equal(Number(data.latestReturn), best.return - 500);
  await closeDashboard(session, harness);
});

test('evaluation markers are drawn on top of the return band', async () => {
  const message = longRunMessage(2000);
  const harness = await showRun(message);
  const { page } = harness;
  const purple = await cssColour(page, '--vscode-charts-purple');
  const s = await shown(page, 'returns-chart');
  // Inside the band: evaluations of the settled policy, where the moving average runs too.
  const samples = message.snapshot.evals.filter((row) => row.episode % 200 === 0);
  let onTop = 0;
  for (const evaluation of samples) {
    const x = pixelX(s, evaluation.episode);
    const y = pixelY(s, evaluation.mean);
    const pixels = await canvasPixels(page, 'returns-chart', x - 0.5, y - 0.5, 1, 1);
    if (distance(pixels, 0, purple) < 70) onTop++;
  }
  assert.ok(onTop >= samples.length - 1, `${onTop} of ${samples.length} markers show their own colour`);
  await closeDashboard(session, harness);
});

test('the return chart draws the environment\'s "solved" line at its threshold', async () => {
  // Ten episodes in, returns are far below Pendulum's −200: the line runs through empty space.
  const harness = await showRun(longRunMessage(10));
  const { page } = harness;
  const card = page.locator('.chart-card', { has: page.getByTestId('returns-chart') });
  assert.equal(await card.getAttribute('data-solved-threshold'), '-200');
  const s = await shown(page, 'returns-chart');
  assert.ok(s.yMax >= -200, 'the axis reaches the threshold');
  // A dashed line (6 on, 4 off) three pixel rows tall, at HiDPI or not: a third of them at least.
  const share = await solvedLineShare(page, -200);
  assert.ok(share > 0.15, `${(100 * share).toFixed(0)} % green pixels along y = −200`);
  await closeDashboard(session, harness);
});

test('far below its threshold, the y axis follows the returns and the threshold is marked at the top edge', async () => {
  // HalfCheetah's first 20,000 steps: −500 to +250 under a threshold of 4,800.
  const message = climbingRunMessage(HALF_CHEETAH_EARLY);
  const harness = await showRun(message);
  const { page } = harness;
  const card = page.locator('.chart-card', { has: page.getByTestId('returns-chart') });
  const canvas = page.getByTestId('returns-chart');
  assert.equal(await card.getAttribute('data-solved-threshold'), '4800');
  assert.equal(await card.getAttribute('data-solved-shown'), 'above');
  const returns = message.snapshot.episodes.map((row) => row.return);
  const span = Math.max(...returns) - Math.min(...returns);
  const s = await shown(page, 'returns-chart');
  assert.ok(s.yMax < 1000, `the axis [${s.yMin}, ${s.yMax}] stops short of 4,800`);
  assert.ok(span / (s.yMax - s.yMin) > 0.75, `the returns span ${((100 * span) / (s.yMax - s.yMin)).toFixed(0)} % of the axis`);

  // The marker says the threshold, in the solved line's green, along the plot's top edge.
  assert.equal(await canvas.getAttribute('data-solved-marker'), 'solved at 4,800 ↑');
  const [left, top, right, bottom] = ((await canvas.getAttribute('data-solved-marker-box')) ?? '').split(',').map(Number);
  assert.ok(top >= s.area.top && top < s.area.top + 6 && right - left > 60, `the marker's box ${left},${top},${right},${bottom} sits at the top of the plot`);
  const green = await cssColour(page, '--vscode-charts-green');
  const pixels = await canvasPixels(page, 'returns-chart', left, top, right - left, bottom - top);
  let greenPixels = 0;
  for (let i = 0; i < pixels.length; i += 4) if (distance(pixels, i, green) < 90 && pixels[i + 3] > 150) greenPixels++;
  assert.ok(greenPixels >= 30, `${greenPixels} green pixels in the marker`);

  // Zoomed into the first half and back, the axis still follows the returns.
  await dragAcross(page, 'returns-chart', 0, 0.5);
  await waitFor(async () => (await shown(page, 'returns-chart')).xMax <= 12, 'a zoom into the first episodes');
  assert.ok((await shown(page, 'returns-chart')).yMax < 1000, 'zoomed, the axis stops short of 4,800 too');
  assert.equal(await canvas.getAttribute('data-solved-marker'), 'solved at 4,800 ↑');
  await canvas.dblclick();
  await waitFor(async () => (await shown(page, 'returns-chart')).xMax === 20, 'the whole run again');
  assert.ok((await shown(page, 'returns-chart')).yMax < 1000);

  // Once the returns climb within reach of the threshold, the line comes into the axis.
  const last = message.snapshot.episodes[message.snapshot.episodes.length - 1];
  for (let episode = 21; episode <= 30; episode++) {
    const row = { ...last, episode, step: episode * 1000, return: 250 + (episode - 20) * 300 };
    await sendEvent(page, { type: 'episode', row }, message.snapshot.run.id);
  }
  await waitForText(page, 'episode-points', '30');
  await waitFor(async () => (await card.getAttribute('data-solved-shown')) === 'inside', 'the threshold to join the axis');
  await waitFor(async () => (await canvas.getAttribute('data-solved-marker')) === null, 'the marker to give way to the line');
  assert.ok((await shown(page, 'returns-chart')).yMax >= 4800);
  assert.ok((await solvedLineShare(page, 4800)) > 0.15, 'the dashed line at 4,800');
  await closeDashboard(session, harness);
});

test('around its threshold (Pendulum from −300 to −150), the axis shows the solved line itself', async () => {
  const harness = await showRun(climbingRunMessage(PENDULUM_NEAR));
  const { page } = harness;
  const card = page.locator('.chart-card', { has: page.getByTestId('returns-chart') });
  assert.equal(await card.getAttribute('data-solved-shown'), 'inside');
  const s = await shown(page, 'returns-chart');
  assert.ok(s.yMin < -200 && s.yMax > -200, `the axis [${s.yMin}, ${s.yMax}] holds −200`);
  assert.equal(await page.getByTestId('returns-chart').getAttribute('data-solved-marker'), null, 'no off-axis marker');
  const share = await solvedLineShare(page, -200);
  assert.ok(share > 0.15, `${(100 * share).toFixed(0)} % green pixels along y = −200`);
  await closeDashboard(session, harness);
});

test('the per-episode return line shows in every theme, lighter than the moving average', async () => {
  const message = climbingRunMessage(HALF_CHEETAH_EARLY);
  const rows = message.snapshot.episodes;
  // The episode whose return lies furthest above the moving average (10 episodes), away from the
  // evaluation markers (every fifth episode): a peak of the faint line with nothing on it.
  const average = (i: number) => {
    const window = rows.slice(Math.max(0, i - 9), i + 1);
    return window.reduce((sum, row) => sum + row.return, 0) / window.length;
  };
  const peak = rows
    .map((row, i) => ({ row, gap: row.return - average(i) }))
    .filter(({ row }) => row.episode % 5 !== 0 && row.episode > 1 && row.episode < rows.length)
    .reduce((a, b) => (b.gap > a.gap ? b : a)).row;
  const floors: Record<HarnessTheme, number> = { light: 1.8, dark: 2.6, 'high-contrast': 4.5 };
  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    const harness = await showRun(message, { theme });
    const { page } = harness;
    const background = await cssColour(page, '--vscode-editorWidget-background');
    const blue = await cssColour(page, '--vscode-charts-blue');
    const s = await shown(page, 'returns-chart');
    const x = pixelX(s, peak.episode);
    const y = pixelY(s, peak.return);
    const pixels = await canvasPixels(page, 'returns-chart', x - 3, y - 3, 7, 7);
    let strongest = 1;
    for (let i = 0; i < pixels.length; i += 4) strongest = Math.max(strongest, contrast(seenOver(pixels, i, background), background));
    const full = contrast(blue, background);
    assert.ok(strongest >= floors[theme], `${theme}: the line at episode ${peak.episode} has a contrast of ${strongest.toFixed(2)}:1 (at least ${floors[theme]}:1)`);
    assert.ok(strongest < 0.8 * full, `${theme}: fainter than the moving average's ${full.toFixed(2)}:1 (${strongest.toFixed(2)}:1)`);
    await closeDashboard(session, harness);
  }
});

test('a resumed run continues its axis from the checkpoint, with the parent history drawn faint', async () => {
  const message = resumedRunMessage(450, 600);
  const resumedFrom = message.snapshot.run.resumedFrom!;
  const harness = await showRun(message);
  const { page } = harness;
  let s = await shown(page, 'returns-chart');
  assert.equal(s.xMin, 450, 'the episode axis starts at the resume point');
  assert.equal(s.xMax, 600);
  await page.getByTestId('x-axis-select').selectOption('step');
  await waitFor(async () => (await shown(page, 'returns-chart')).xMin === resumedFrom.step, 'the step axis to start at the checkpoint step');
  await page.getByTestId('x-axis-select').selectOption('episode');
  await waitFor(async () => (await shown(page, 'returns-chart')).xMin === 450, 'the episode axis again');

  // With the parent history shown, the 50 episodes before the resume point are drawn fainter than
  // the 50 after it (zoomed in, both are drawn point for point).
  await page.getByTestId('show-parent-history').check();
  await waitFor(async () => (await shown(page, 'returns-chart')).xMin === 0, 'the axis to start at 0');
  s = await shown(page, 'returns-chart');
  await dragAcross(page, 'returns-chart', 400 / 600, 500 / 600);
  await waitFor(async () => (await shown(page, 'returns-chart')).xMax <= 510, 'a zoom around the resume point');
  for (const canvas of ['returns-chart', 'loss-chart']) {
    s = await shown(page, canvas);
    const resumePixel = pixelX(s, 450);
    // Below the resume line's label; around the solved line's label on the return chart.
    const top = s.area.top + 24;
    const bottom = s.area.bottom - 2;
    const solvedY = pixelY(s, -200);
    const bands: Array<[number, number]> = canvas === 'returns-chart' ? [[top, solvedY - 22], [solvedY + 22, bottom]] : [[top, bottom]];
    const parent = await ink(page, canvas, s.area.left + 4, resumePixel - 4, bands);
    const own = await ink(page, canvas, resumePixel + 4, s.area.right - 4, bands);
    assert.ok(parent < 0.65 * own, `${canvas}: the parent part is faint (ink ${parent.toFixed(1)} against ${own.toFixed(1)})`);
  }
  await closeDashboard(session, harness);
});

test('the second chart offers every numeric field of the episode rows, and only those', async () => {
  const message = longRunMessage(60);
  message.snapshot.episodes = message.snapshot.episodes.map((row, i) => ({
    ...row,
    ...(i >= 10 ? { alpha: 0.5 * Math.exp(-i / 30), entropy: -0.5 - i / 100 } : {}),
    note: 'not a number',
    nested: { q: 1 },
    missing: null,
  }));
  const harness = await showRun(message);
  const { page } = harness;
  const options = await page.getByTestId('metric-select').locator('option').allTextContents();
  for (const expected of ['Critic loss', 'Actor loss', 'Mean Q', 'Episode length', 'Temperature α', 'Entropy']) {
    assert.ok(options.includes(expected), `${expected} is offered (${options.join(', ')})`);
  }
  assert.equal(options.length, 6, 'nothing else is offered');
  assert.match((await page.locator('.chart-card', { has: page.getByTestId('loss-chart') }).locator('.card-title').textContent()) ?? '', /^Critic loss and mean Q$/);

  await page.getByTestId('metric-select').selectOption('alpha');
  await page.getByTestId('metric-second-select').selectOption('');
  const title = page.locator('.chart-card', { has: page.getByTestId('loss-chart') }).locator('.card-title');
  await waitFor(async () => (await title.textContent()) === 'Temperature α', 'the title to name the metric');
  const alpha = await shown(page, 'loss-chart');
  assert.ok(alpha.yMax <= 1 && alpha.yMin > 0, `a log axis around α's values [${alpha.yMin}, ${alpha.yMax}]`);

  // Entropy is negative: no log scale for it.
  await page.getByTestId('metric-select').selectOption('entropy');
  await waitFor(() => page.getByTestId('loss-log-scale').isDisabled(), 'the log scale to be unavailable');
  const entropy = await shown(page, 'loss-chart');
  assert.ok(entropy.yMin < -0.5 && entropy.yMax > -1.2, `a linear axis around the entropy [${entropy.yMin}, ${entropy.yMax}]`);
  await closeDashboard(session, harness);
});

test('each chart exports as a PNG data URL that the host accepts', async () => {
  const run = longRunMessage(200);
  const harness = await showRun(run);
  const { page } = harness;
  await page.getByTestId('returns-chart-export').click();
  await page.getByTestId('loss-chart-export').click();
  let exports: Array<{ type: string; name: string; dataUrl: string }> = [];
  await waitFor(async () => {
    exports = (await postedMessages(page)).filter((m) => (m as { type?: unknown }).type === 'exportChart') as typeof exports;
    return exports.length === 2;
  }, 'two exportChart messages');
  assert.equal(exports[0].name, `${run.snapshot.run.id}-returns.png`);
  assert.equal(exports[1].name, `${run.snapshot.run.id}-criticLoss.png`);
  const canvasWidth = await page.getByTestId('returns-chart').evaluate((node) => (node as unknown as { width: number }).width);
  for (const exported of exports) {
    assert.ok(isWebviewToHost(exported), 'the host guard accepts it');
    assert.ok(exported.dataUrl.startsWith('data:image/png;base64,'));
    const png = Buffer.from(exported.dataUrl.slice('data:image/png;base64,'.length), 'base64');
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'PNG signature');
    assert.equal(png.readUInt32BE(16), canvasWidth, 'the picture has the canvas\' full resolution');
  }
  assert.equal(isWebviewToHost({ type: 'exportChart', name: 'x.png', dataUrl: 'data:text/html;base64,PGI+' }), false, 'only PNG data URLs pass');
  await closeDashboard(session, harness);
});

