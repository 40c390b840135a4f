/**
 * The run comparison webview in Chromium, through its harness page (a fake VS Code host that
 * answers `ready` with seven synthetic runs, five on Pendulum and two on MountainCar): the
 * handshake, the runs table, a chart pair per environment with its own "solved" line, the charts
 * with single runs and with seeds averaged, the x axis, hiding runs, the settings table, a live
 * refresh, persisted view state, themes, CSP; and the "solved" line's place (inside the axis when
 * the curves come near it, else marked at the plot's edge: two early HalfCheetah runs).
 *
 *   npm run build && node --import tsx --test test/webview/comparison.test.ts
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { CONFIG_KEYS } from '../../src/shared/config';
import { aggregateCurves } from '../../src/shared/comparison';
import type { ShowComparisonMessage } from '../../src/shared/protocol';
import { drawnCurves, runCurve } from '../../webview/compare/curves';
import { cspViolations, openComparisonHarness, postedMessages, savedViewState, sendToWebview, setHarnessTheme, type HarnessPage } from './harnessBrowser';
import { useHarnessSession } from './harnessSession';
import { halfCheetahEarlyComparison, pendulumEarlyComparison, syntheticComparison } from './syntheticComparison';

const session = useHarnessSession();
const expected = syntheticComparison();

async function open(theme: 'dark' | 'light' | 'high-contrast' = 'dark', width = 1200): Promise<HarnessPage> {
  const harness = await openComparisonHarness(session.browser, session.server.url, { theme, width, height: 900 });
  session.openPages.push(harness);
  await harness.page.locator('[data-testid=comparison-runs-table] tbody tr').first().waitFor();
  return harness;
}

/** The runs table as rows of cell texts (first two columns: the checkbox cell and the name). */
async function tableRows(page: Page): Promise<string[][]> {
  return page.locator('[data-testid=comparison-runs-table] tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())),
  );
}

const PENDULUM = 'Pendulum-v1';
const MOUNTAIN_CAR = 'MountainCarContinuous-v0';

/** Runs table columns, as on the page. */
const COLUMN = { name: 1, environment: 2, algorithm: 3, status: 4, seed: 5, episodes: 7, best: 10, solved: 12 } as const;

const chartBox = (page: Page, testId: string, environment: string) => page.locator(`[data-testid=${testId}][data-environment="${environment}"]`);

async function chartCounts(page: Page, testId: string, environment = PENDULUM): Promise<{ lines: number; bands: number; points: number; xMax: number }> {
  const box = chartBox(page, testId, environment);
  const read = async (name: string) => Number(await box.getAttribute(`data-${name}`));
  return { lines: await read('lines'), bands: await read('bands'), points: await read('points'), xMax: await read('x-max') };
}

async function waitForCounts(page: Page, testId: string, check: (c: Awaited<ReturnType<typeof chartCounts>>) => boolean, what: string, environment = PENDULUM) {
  const deadline = Date.now() + 5000;
  let last = await chartCounts(page, testId, environment);
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await chartCounts(page, testId, environment);
  }
  return last;
}

const pointsOf = (message: ShowComparisonMessage, kind: 'eval' | 'returns', environment = PENDULUM) =>
  message.runs.filter((run) => run.environment === environment).reduce((sum, run) => sum + runCurve(run, kind, 'step').length, 0);

test('posts ready, lists every run with its figures, names the unreadable folder, and has no CSP violations', async () => {
  const { page, errors } = await open();
  const posted = await postedMessages(page);
  assert.deepEqual(posted[0], { type: 'ready' });
  const rows = await tableRows(page);
  assert.deepEqual(
    rows.map((r) => r[1]),
    expected.runs.map((r) => r.run.name),
  );
  const seed1 = rows[0];
  const run1 = expected.runs[0];
  assert.deepEqual([seed1[COLUMN.environment], seed1[COLUMN.algorithm]], ['Pendulum', 'DDPG']);
  assert.equal(seed1[COLUMN.status], 'finished');
  assert.equal(seed1[COLUMN.seed], '1');
  assert.equal(seed1[COLUMN.best], run1.summary.bestEval!.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
  assert.match(seed1[COLUMN.solved], new RegExp(`^step ${run1.summary.solved!.step.toLocaleString('en-US')} · `));
  assert.equal(rows[3][COLUMN.status], 'running · live');
  assert.equal(rows[3][COLUMN.solved], 'no evaluations yet');
  assert.equal(rows[4][COLUMN.solved], 'not yet', 'the other experiment never reaches −200');
  assert.equal(rows[5][COLUMN.environment], 'Mountain Car (continuous)');
  assert.match(await page.getByTestId('comparison-problems').innerText(), /\/runs\/2026-11-20_broken.*not valid JSON/s);
  assert.match(await page.locator('h1').innerText(), /Comparing 7 runs/);
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(errors, []);
});

test('one line per run with its every point; Average seeds draws one mean ± std per experiment, equal to aggregateCurves', async () => {
  const { page } = await open();
  const single = await waitForCounts(page, 'comparison-eval-chart', (c) => c.lines > 0, 'eval lines');
  // The fourth seed has no evaluations: no line for it.
  assert.deepEqual(single, { lines: 4, bands: 0, points: pointsOf(expected, 'eval'), xMax: 24_000 });
  const returns = await chartCounts(page, 'comparison-returns-chart');
  assert.equal(returns.lines, 5);
  assert.equal(returns.points, pointsOf(expected, 'returns'));

  await page.getByTestId('comparison-average-seeds').check();
  const grouped = await waitForCounts(page, 'comparison-eval-chart', (c) => c.bands === 1, 'one band');
  const tauGroup = expected.runs.slice(0, 4).map((r) => runCurve(r, 'eval', 'step'));
  const mean = aggregateCurves(tauGroup);
  assert.deepEqual(grouped, { lines: 2, bands: 1, points: mean.length + runCurve(expected.runs[4], 'eval', 'step').length, xMax: 24_000 });
  const curves = drawnCurves(expected.runs, 'eval', 'step', { groupSeeds: true, hidden: new Set(), differing: expected.differingSettings });
  assert.deepEqual(curves[0].points, mean.map((p) => ({ x: p.x, y: p.mean })));
  const legend = await page.getByTestId('comparison-group-legend').innerText();
  assert.match(legend, /Pendulum: mean ± std of tau 0\.01 · batchSize 128 \(4 seeds\)/);
  assert.match(legend, /Pendulum: tau 0\.05 · batchSize 64 \(1 run\)/);
  assert.match(legend, /Mountain Car \(continuous\): mean ± std of all runs \(2 seeds\)/);
  // Every run of a group shares its colour in the table.
  const swatches = await page.locator('[data-testid=comparison-runs-table] .run-swatch').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('style')));
  assert.equal(new Set(swatches.slice(0, 4)).size, 1);
  assert.notEqual(swatches[4], swatches[0]);
});

test('a Pendulum run and a MountainCar run: a chart pair each, never averaged together, each with its own solved line', async () => {
  const { page } = await open();
  const sections = await page.getByTestId('comparison-environment').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('data-environment'), n.querySelector('h2')?.textContent]));
  assert.deepEqual(sections, [
    [PENDULUM, 'Pendulum'],
    [MOUNTAIN_CAR, 'Mountain Car (continuous)'],
  ]);
  const threshold = async (environment: string) => {
    const box = chartBox(page, 'comparison-eval-chart', environment);
    return [Number(await box.getAttribute('data-threshold')), await box.getAttribute('data-threshold-label')];
  };
  assert.deepEqual(await threshold(PENDULUM), [-200, 'solved (DDPG Lab: -200)']);
  assert.deepEqual(await threshold(MOUNTAIN_CAR), [90, 'solved (Gymnasium: 90)']);
  assert.equal(await chartBox(page, 'comparison-returns-chart', MOUNTAIN_CAR).getAttribute('data-threshold'), '', 'the training returns have no solved line');
  const car = await chartCounts(page, 'comparison-eval-chart', MOUNTAIN_CAR);
  assert.deepEqual(car, { lines: 2, bands: 0, points: pointsOf(expected, 'eval', MOUNTAIN_CAR), xMax: Math.max(...expected.runs.slice(5).map((r) => r.evals.at(-1)!.step)) });

  await page.getByTestId('comparison-average-seeds').check();
  const carMean = await waitForCounts(page, 'comparison-eval-chart', (c) => c.bands === 1, 'the MountainCar mean', MOUNTAIN_CAR);
  assert.equal(carMean.lines, 1, 'the two MountainCar seeds are one mean');
  assert.equal(carMean.points, aggregateCurves(expected.runs.slice(5).map((r) => runCurve(r, 'eval', 'step'))).length);
  assert.deepEqual(await chartCounts(page, 'comparison-eval-chart', PENDULUM).then((c) => [c.lines, c.bands]), [2, 1], 'Pendulum: its two experiments, nothing of MountainCar');

  const rows = await tableRows(page);
  assert.match(rows[5][COLUMN.solved], new RegExp(`^step ${expected.runs[5].summary.solved!.step.toLocaleString('en-US')} · `), 'MountainCar seed 1 passes 90');
  assert.equal(rows[6][COLUMN.solved], 'not yet', 'seed 2 levels off at 86: far above −200, below 90');
  const solvedTitle = await page.locator('[data-testid=comparison-runs-table] tbody tr').nth(6).locator('td').nth(COLUMN.solved - 1).getAttribute('title');
  assert.match(solvedTitle ?? '', /at least 90: solved \(Gymnasium: 90\)/);
});

test('hiding a run removes its line, the x axis switches the unit, and both persist with the run ids', async () => {
  const { page } = await open();
  await page.locator('[data-testid=comparison-runs-table] tbody tr').nth(4).locator('input[type=checkbox]').uncheck();
  const hidden = await waitForCounts(page, 'comparison-eval-chart', (c) => c.lines === 3, 'three eval lines');
  assert.equal(hidden.points, pointsOf(expected, 'eval') - expected.runs[4].evals.length);

  await page.getByTestId('comparison-x-axis').selectOption('wallTime');
  const wall = await waitForCounts(page, 'comparison-eval-chart', (c) => c.xMax < 1000, 'wall-time x values');
  const lastWallTime = Math.max(...expected.runs.slice(0, 4).flatMap((r) => r.evals.map((e) => e.wallTime)));
  assert.ok(Math.abs(wall.xMax - lastWallTime) < 1e-9, `${wall.xMax} vs ${lastWallTime}`);
  await page.getByTestId('comparison-x-axis').selectOption('episode');
  await waitForCounts(page, 'comparison-eval-chart', (c) => c.xMax === 120, 'episode x values');

  const state = (await savedViewState(page)) as Record<string, unknown>;
  assert.deepEqual(state.runIds, expected.runs.map((r) => r.run.id));
  assert.deepEqual(state.hidden, ['tau-0.05-batch-64']);
  assert.equal(state.xAxis, 'episode');
  // Revived (a reload keeps the state, as VS Code does across panel revivals): the choices hold.
  await page.reload();
  await page.locator('[data-testid=comparison-runs-table] tbody tr').first().waitFor();
  await waitForCounts(page, 'comparison-eval-chart', (c) => c.lines === 3 && c.xMax === 120, 'the restored view');
  assert.equal(await page.getByTestId('comparison-x-axis').inputValue(), 'episode');
});

test('Refresh and a run name post to the host', async () => {
  const { page } = await open();
  await page.getByTestId('comparison-refresh').click();
  await page.getByTestId('comparison-run-link').nth(2).click();
  const posted = await postedMessages(page);
  assert.deepEqual(posted.slice(1), [{ type: 'refresh' }, { type: 'openRun', runId: 'tau-0.01-seed-3' }]);
});

test('the settings table shows exactly the settings that differ, or all of them', async () => {
  const { page } = await open();
  const keys = () => page.locator('[data-testid=comparison-settings-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
  assert.deepEqual(await keys(), expected.differingSettings);
  assert.deepEqual(expected.differingSettings.slice(0, 3), ['environment', 'tau', 'batchSize']);
  const marked = await page.locator('[data-testid=comparison-settings-table] tr[data-key=tau] td.value-differs').allInnerTexts();
  assert.deepEqual(marked, ['0.05']);
  // A time limit of 0 is each environment's own.
  const timeLimits = await page.locator('[data-testid=comparison-settings-table] tr[data-key=maxEpisodeSteps] td').allInnerTexts();
  assert.deepEqual(timeLimits, [...Array(5).fill('0 (200)'), '0 (999)', '0 (999)']);
  await page.getByTestId('comparison-show-all-settings').check();
  assert.deepEqual(await keys(), [...CONFIG_KEYS]);
  // Pendulum's gravity does not apply to the MountainCar runs: a dash there, and not a difference.
  assert.ok(!expected.differingSettings.includes('gravity'));
  const gravity = await page.locator('[data-testid=comparison-settings-table] tr[data-key=gravity] td').allInnerTexts();
  assert.deepEqual(gravity, [...Array(5).fill('10'), '—', '—']);
});

test('a refreshed comparison (a live run moved on) updates in place and keeps the user’s choices', async () => {
  const { page } = await open();
  await page.getByTestId('comparison-average-seeds').check();
  const checkbox = page.locator('[data-testid=comparison-runs-table] tbody tr').nth(1).locator('input[type=checkbox]');
  await checkbox.uncheck();
  const rowBefore = await page.locator('[data-testid=comparison-runs-table] tbody tr').nth(3).elementHandle();
  const next = structuredClone(expected);
  const live = next.runs[3];
  live.summary = { ...live.summary, episodes: 40, steps: 8000 };
  live.evals = expected.runs[0].evals.slice(0, 8);
  await sendToWebview(page, next);
  await page.waitForFunction(`document.querySelectorAll('[data-testid=comparison-runs-table] tbody tr')[3]?.children[${COLUMN.episodes}]?.textContent === '40'`);
  assert.equal(await checkbox.isChecked(), false, 'the hidden run stays hidden');
  assert.equal(await page.getByTestId('comparison-average-seeds').isChecked(), true);
  const rowAfter = await page.locator('[data-testid=comparison-runs-table] tbody tr').nth(3).elementHandle();
  assert.ok(await page.evaluate(([a, b]) => a === b, [rowBefore, rowAfter]), 'the row element is reused, not rebuilt');
  assert.equal((await chartCounts(page, 'comparison-eval-chart')).bands, 1);
});

test('a message that is not a comparison is ignored; a comparison of one run says how to add more', async () => {
  const { page, errors } = await open();
  await sendToWebview(page, { type: 'showComparison', runs: 'nope' });
  await sendToWebview(page, { type: 'showRun' });
  // Every run must have its environment described: a MountainCar run without one has no charts to go in.
  await sendToWebview(page, { ...expected, environments: [{ ...expected.environments[1], id: PENDULUM }] });
  await page.waitForTimeout(50);
  assert.match(await page.locator('h1').innerText(), /Comparing 7 runs/);
  await sendToWebview(page, { ...expected, runs: expected.runs.slice(4, 5), problems: [], differingSettings: [] });
  await page.waitForFunction("document.querySelector('h1')?.textContent === 'Comparing 1 run'");
  assert.match(await page.locator('.comparison-header .comparison-note').innerText(), /add runs with Compare Runs/);
  assert.equal(await page.getByTestId('comparison-average-seeds').isDisabled(), true);
  assert.equal(await page.getByTestId('comparison-problems').isHidden(), true);
  assert.deepEqual(errors, []);
});

test('light and high-contrast themes: readable, no errors', async () => {
  for (const theme of ['light', 'high-contrast'] as const) {
    const { page, errors } = await open(theme, 700);
    assert.equal(await chartBox(page, 'comparison-eval-chart', PENDULUM).getAttribute('data-lines'), '4');
    await setHarnessTheme(page, 'dark');
    await page.waitForTimeout(100);
    assert.equal(await chartBox(page, 'comparison-eval-chart', PENDULUM).getAttribute('data-lines'), '4');
    assert.equal(await chartBox(page, 'comparison-eval-chart', MOUNTAIN_CAR).getAttribute('data-lines'), '2');
    assert.deepEqual(errors, [], theme);
  }
});

// ─── the solved threshold's place ─────────────────────────────────────────────────────────────

const HALF_CHEETAH = 'HalfCheetah-v5';

interface Shown {
  yMin: number;
  yMax: number;
  area: { left: number; top: number; right: number; bottom: number };
}

/** What a chart's canvas says it shows (shownRangeAttributesPlugin), once it has drawn. */
async function shownRange(page: Page, testId: string, environment: string): Promise<Shown> {
  const canvas = chartBox(page, testId, environment).locator('canvas');
  await page.waitForFunction((node) => (node as unknown as { dataset: { area?: string } }).dataset.area !== undefined, await canvas.elementHandle());
  const data = await canvas.evaluate((node) => ({ ...(node as unknown as { dataset: Record<string, string> }).dataset }));
  const [left, top, right, bottom] = (data.area ?? '').split(',').map(Number);
  return { yMin: Number(data.yMin), yMax: Number(data.yMax), area: { left, top, right, bottom } };
}

/** Pixels of a chart's canvas in a CSS-pixel rectangle drawn in `colour` (#rrggbb), within `tolerance`. */
async function pixelsInColour(page: Page, testId: string, environment: string, rect: { left: number; top: number; width: number; height: number }, colour: string, tolerance = 60) {
  return chartBox(page, testId, environment)
    .locator('canvas')
    .evaluate(
      (node, { rect, colour, tolerance }) => {
        const canvas = node as unknown as { width: number; clientWidth: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
        const scale = canvas.width / canvas.clientWidth;
        const { data } = canvas.getContext('2d').getImageData(Math.round(rect.left * scale), Math.round(rect.top * scale), Math.max(1, Math.round(rect.width * scale)), Math.max(1, Math.round(rect.height * scale)));
        const n = Number.parseInt(colour.slice(1), 16);
        const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
        let matching = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 150 && Math.hypot(data[i] - r, data[i + 1] - g, data[i + 2] - b) < tolerance) matching++;
        return { matching, total: data.length / 4 };
      },
      { rect, colour, tolerance },
    );
}

/** The share of pixels along y = `value` (three rows, the left 60 % of the plot) in the threshold's muted colour. */
async function thresholdLineShare(page: Page, environment: string, value: number, muted: string): Promise<number> {
  const s = await shownRange(page, 'comparison-eval-chart', environment);
  const y = s.area.top + ((s.yMax - value) / (s.yMax - s.yMin)) * (s.area.bottom - s.area.top);
  const width = 0.6 * (s.area.right - s.area.left);
  const { matching, total } = await pixelsInColour(page, 'comparison-eval-chart', environment, { left: s.area.left + 2, top: y - 1, width, height: 3 }, muted, 40);
  return matching / total;
}

const chartNote = (page: Page, testId: string, environment: string) =>
  page.locator('.chart-card', { has: chartBox(page, testId, environment) }).locator('.chart-note').innerText();

test('two HalfCheetah runs far below 4,800: the eval axis follows the curves, the threshold is marked at the top edge and the caption says so', async () => {
  const { page, errors } = await open();
  const message = halfCheetahEarlyComparison();
  await sendToWebview(page, message);
  await waitForCounts(page, 'comparison-eval-chart', (c) => c.lines === 2, 'two HalfCheetah eval lines', HALF_CHEETAH);
  const box = chartBox(page, 'comparison-eval-chart', HALF_CHEETAH);
  assert.equal(await box.getAttribute('data-threshold'), '4800');
  assert.equal(await box.getAttribute('data-threshold-shown'), 'above');

  const means = message.runs.flatMap((run) => run.evals.map((e) => e.mean));
  const span = Math.max(...means) - Math.min(...means);
  assert.ok(Math.min(...means) < -400 && Math.max(...means) > 200, 'the evaluations run from about −500 to +250');
  const s = await shownRange(page, 'comparison-eval-chart', HALF_CHEETAH);
  assert.ok(s.yMax < 1000 && s.yMin > -1000, `the axis [${s.yMin}, ${s.yMax}] stops short of 4,800`);
  assert.ok(span / (s.yMax - s.yMin) > 0.6, `the curves span ${((100 * span) / (s.yMax - s.yMin)).toFixed(0)} % of the axis`);

  // The dashboard's marker, in the threshold line's muted colour, along the plot's top edge.
  const canvas = box.locator('canvas');
  assert.equal(await canvas.getAttribute('data-solved-marker'), 'solved at 4,800 ↑');
  const [left, top, right, bottom] = ((await canvas.getAttribute('data-solved-marker-box')) ?? '').split(',').map(Number);
  assert.ok(top >= s.area.top && top < s.area.top + 6 && right - left > 60, `the marker's box ${left},${top},${right},${bottom} sits at the top of the plot`);
  const muted = '#9d9d9d'; // the dark theme's --vscode-descriptionForeground
  const marker = await pixelsInColour(page, 'comparison-eval-chart', HALF_CHEETAH, { left, top, width: right - left, height: bottom - top }, muted);
  assert.ok(marker.matching >= 30, `${marker.matching} muted pixels in the marker`);

  // The caption still names the threshold, and says where it went.
  assert.equal(await chartNote(page, 'comparison-eval-chart', HALF_CHEETAH), 'dashed: solved (Gymnasium: 4800), above the axis');
  // The training returns have no threshold, so no marker either.
  const returnsBox = chartBox(page, 'comparison-returns-chart', HALF_CHEETAH);
  assert.equal(await returnsBox.getAttribute('data-threshold'), '');
  assert.equal(await returnsBox.locator('canvas').getAttribute('data-solved-marker'), null);
  assert.ok((await shownRange(page, 'comparison-returns-chart', HALF_CHEETAH)).yMax < 1000);

  // Averaged, the mean ± std band is fitted too and the threshold stays off the axis.
  await page.getByTestId('comparison-average-seeds').check();
  await waitForCounts(page, 'comparison-eval-chart', (c) => c.bands === 1, 'the HalfCheetah mean', HALF_CHEETAH);
  assert.equal(await box.getAttribute('data-threshold-shown'), 'above');
  assert.ok((await shownRange(page, 'comparison-eval-chart', HALF_CHEETAH)).yMax < 1000);
  assert.equal(await canvas.getAttribute('data-solved-marker'), 'solved at 4,800 ↑');
  assert.deepEqual(errors, []);
});

test('Pendulum near −200 keeps the dashed line inside the axis, early in training as well', async () => {
  const { page, errors } = await open();
  const muted = '#9d9d9d';
  const check = async (what: string) => {
    const box = chartBox(page, 'comparison-eval-chart', PENDULUM);
    assert.equal(await box.getAttribute('data-threshold-shown'), 'inside', what);
    const s = await shownRange(page, 'comparison-eval-chart', PENDULUM);
    assert.ok(s.yMin < -200 && s.yMax >= -200, `${what}: the axis [${s.yMin}, ${s.yMax}] holds −200`);
    assert.equal(await box.locator('canvas').getAttribute('data-solved-marker'), null, `${what}: no off-axis marker`);
    assert.equal(await chartNote(page, 'comparison-eval-chart', PENDULUM), 'dashed: solved (DDPG Lab: -200)', what);
    const share = await thresholdLineShare(page, PENDULUM, -200, muted);
    assert.ok(share > 0.15, `${what}: ${(100 * share).toFixed(0)} % muted pixels along y = −200`);
  };
  // The seven runs: Pendulum's evaluations climb to −150…−170, past −200.
  await waitForCounts(page, 'comparison-eval-chart', (c) => c.lines === 4, 'the Pendulum eval lines');
  await check('the synthetic comparison');
  assert.equal(await chartBox(page, 'comparison-eval-chart', MOUNTAIN_CAR).getAttribute('data-threshold-shown'), 'inside', 'MountainCar climbs past 90');
  // Two runs' first episodes, −1,650…−1,180: about two spans below −200, near enough for the line.
  await sendToWebview(page, pendulumEarlyComparison());
  await waitForCounts(page, 'comparison-eval-chart', (c) => c.lines === 2 && c.xMax === 4000, 'the early Pendulum runs');
  await check('two early runs');
  assert.deepEqual(errors, []);
});
