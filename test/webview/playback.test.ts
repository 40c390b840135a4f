/**
 * Whole-episode playback in Chromium: an episode plays from its first step to its last at the
 * chosen speed and is never cut short by a newer one; what was passed over is counted; training
 * and evaluation episodes say what they are; the Watch control picks the latest training
 * episode, a start of the latest evaluation, the best evaluation, and loops; when the run ends
 * the best evaluation plays on a loop under the run's final state; "Watch this policy" evaluates
 * an inspected checkpoint and plays it.
 *
 *   npm run build && node --import tsx --test test/webview/playback.test.ts
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { FrameBatch, TrainerToHost } from '../../src/shared/protocol';
import { closeDashboard, frameCount, openDashboard, sendEvent, text, waitFor, waitForText } from './dashboardPage';
import { harnessRunId, postedMessages, sendToWebview, type HarnessPage, type HarnessPageOptions } from './harnessBrowser';
import { useHarnessSession } from './harnessSession';
import { evaluation, trainingEpisode } from './playbackEpisodes';
import { syntheticConfig, SyntheticRun } from './syntheticRun';

const session = useHarnessSession();
const open = (options: HarnessPageOptions = {}) => openDashboard(session, options);
const closeClean = (harness: HarnessPage) => closeDashboard(session, harness);

async function send(page: Page, events: TrainerToHost[]): Promise<void> {
  await sendToWebview(page, { type: 'runEvents', runId: await harnessRunId(page), events });
}

const card = (page: Page, attribute: string) => page.getByTestId('environment-card').getAttribute(`data-${attribute}`);

async function waitForCard(page: Page, attribute: string, expected: string | ((value: string | null) => boolean), timeoutMs = 8000): Promise<void> {
  let last: string | null = null;
  await waitFor(async () => {
    last = await card(page, attribute);
    return typeof expected === 'string' ? last === expected : expected(last);
  }, `data-${attribute} to be ${String(expected)}`, timeoutMs).catch((error: Error) => {
    throw new Error(`${error.message}; last ${String(last)}`);
  });
}

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const passesAtLeast = (n: number) => (value: string | null) => Number(value) >= n;

/** The harness run's 60th episode ended at this step; later evaluations must come after it. */
const STEP_AFTER_SNAPSHOT = new SyntheticRun(60).episodes[59].step;

test('a training episode plays whole, start to end, at the chosen speed; newer ones wait and the skipped are counted', async () => {
  const harness = await open();
  const { page } = harness;
  await page.getByTestId('speed-select').selectOption('4');
  const started = Date.now();
  await send(page, trainingEpisode(61));
  await waitForCard(page, 'playing', 'train 61');
  assert.match(await text(page, 'environment-caption'), /^Training episode 61 — training is at 61: the actor's action plus exploration noise\.$/);
  await waitForCard(page, 'badge', 'TRAINING');
  // Two newer episodes arrive while 61 plays: neither cuts it short.
  await page.waitForTimeout(600);
  await send(page, [...trainingEpisode(62), ...trainingEpisode(63)]);
  assert.equal(await card(page, 'playing'), 'train 61', 'the episode playing is not cut short');
  await waitForCard(page, 'playing', 'train 63');
  const elapsed = Date.now() - started;
  assert.equal(await card(page, 'last-pass'), 'train 61');
  assert.equal(await card(page, 'last-pass-whole'), 'true', 'steps 0…199, each after the one before');
  assert.equal(await card(page, 'last-pass-steps'), '200');
  // 200 steps at 4× real time (20 steps/s) take 2.5 s; generous bounds, only to tell 4× from 1× and max.
  const playedMs = Number(await card(page, 'last-pass-ms'));
  assert.ok(playedMs > 2000 && playedMs < 5000 && elapsed > 2000, `played in ${playedMs} ms`);
  assert.match(await page.locator('.frame-stats').innerText(), /skipped 1 training episode$/);

  // Training moves on to 95: the next episode shown says how far behind the picture is.
  await sendEvent(page, { type: 'status', status: { ...new SyntheticRun(60).status('running'), episode: 96 } });
  await page.getByTestId('speed-select').selectOption('max');
  await send(page, trainingEpisode(95));
  await waitForCard(page, 'playing', 'train 95');
  assert.match(await text(page, 'environment-caption'), /^Training episode 95 — training is at 96/);
  await waitForText(page, 'skipped-note', '· skipped 32 training episodes');
  await closeClean(harness);
});

test('a page that joins mid-episode waits for the next whole one; badly labelled batches are dropped', async () => {
  const harness = await open();
  const { page } = harness;
  await page.getByTestId('speed-select').selectOption('max');
  const [first, ...rest] = trainingEpisode(61).map((e) => (e as { frames: FrameBatch }).frames);
  void first;
  await send(page, rest.map((frames) => ({ type: 'frames', frames })));
  const bad: FrameBatch[] = [
    { episode: 70, firstStep: 0, phase: 'train', stride: 2, data: [0, 0], evaluation: { step: 1, index: 1, count: 1 } },
    { episode: 71, firstStep: 0, phase: 'train', stride: 2, data: [0, 0, 0, 0], episodeLength: 1 },
    { episode: 2, firstStep: 0, phase: 'eval', stride: 2, data: [0, 0], evaluation: { step: 100, index: 3, count: 2 } },
  ];
  await send(page, bad.map((frames) => ({ type: 'frames', frames })));
  await page.waitForTimeout(400);
  assert.equal(await frameCount(page), 0, 'nothing of a fragment is played');
  await send(page, trainingEpisode(72));
  await waitForCard(page, 'whole-passes', '1');
  assert.equal(await card(page, 'last-pass'), 'train 72');
  await closeClean(harness);
});

test('evaluation episodes are labelled; Watch plays a chosen start of the latest evaluation, the best one, and loops', async () => {
  const harness = await open();
  const { page } = harness;
  await page.getByTestId('speed-select').selectOption('max');
  const best = evaluation(63, STEP_AFTER_SNAPSHOT + 600, 5, -150);
  const latest = evaluation(65, STEP_AFTER_SNAPSHOT + 1000, 5, -400);
  await send(page, [...trainingEpisode(61), ...best.events, ...latest.events]);
  await waitForCard(page, 'playing', 'train 61');
  assert.equal(await page.getByTestId('watch-start-select').isDisabled(), true, 'no start to choose while watching training');

  await page.getByTestId('watch-select').selectOption('latestEvaluation');
  await page.getByTestId('watch-start-select').selectOption('3');
  const latestStep = latest.row.step;
  await waitForCard(page, 'playing', `eval ${latestStep} 3`);
  const ownReturn = oneDecimal.format(latest.row.returns[2]);
  assert.ok(
    (await text(page, 'environment-caption')).startsWith(`Evaluation at step ${latestStep.toLocaleString('en-US')}, start 3 of 5 (return ${ownReturn}): the deterministic policy`),
    await text(page, 'environment-caption'),
  );
  await waitForCard(page, 'badge', 'EVALUATION');
  assert.match((await page.getByTestId('pendulum-canvas').getAttribute('aria-label')) ?? '', /evaluation, start 3 of 5/);
  // Loop off: played once, then held.
  await waitForCard(page, 'last-pass', `eval ${latestStep} 3`);
  const passes = Number(await card(page, 'whole-passes'));
  await page.waitForTimeout(900);
  assert.equal(Number(await card(page, 'whole-passes')), passes, 'held, not replayed');
  assert.match(await text(page, 'environment-caption'), /Played to its end; tick Loop to play it again\./);
  await page.getByTestId('watch-loop').check();
  await waitForCard(page, 'whole-passes', passesAtLeast(passes + 2));
  assert.equal(await card(page, 'last-pass'), `eval ${latestStep} 3`, 'the same start again');
  assert.equal(await card(page, 'last-pass-whole'), 'true');

  // Best: all starts in turn, labelled with the evaluation's mean.
  await page.getByTestId('watch-select').selectOption('bestEvaluation');
  await page.getByTestId('watch-start-select').selectOption('all');
  await waitForCard(page, 'playing', `eval ${best.row.step} 1`);
  assert.match(await text(page, 'environment-caption'), new RegExp(`^Best evaluation \\(step ${best.row.step.toLocaleString('en-US')}, mean -150\\.0\\), start 1 of 5`));
  await waitForCard(page, 'playing', `eval ${best.row.step} 2`);
  assert.equal(await card(page, 'last-pass'), `eval ${best.row.step} 1`);
  assert.equal(await card(page, 'last-pass-whole'), 'true');
  await closeClean(harness);
});

test('when the run ends its best evaluation plays on a loop, under the run\'s final state', async () => {
  const harness = await open();
  const { page } = harness;
  await page.getByTestId('speed-select').selectOption('max');
  const best = evaluation(63, STEP_AFTER_SNAPSHOT + 600, 3, -140);
  const later = evaluation(65, STEP_AFTER_SNAPSHOT + 1000, 3, -420);
  await send(page, trainingEpisode(61));
  await waitForCard(page, 'playing', 'train 61');
  // The last training episode is cut short by the end of the run: it must not hold the picture.
  await send(page, [...best.events, ...later.events, ...trainingEpisode(66, syntheticConfig(), 40)]);
  const finished = { ...new SyntheticRun(60).status('finished'), episode: 150, stepsPerSecond: 0 };
  await send(page, [{ type: 'status', status: finished }, { type: 'exiting', status: 'finished' }]);
  await waitForCard(page, 'watch', 'bestEvaluation');
  assert.equal(await page.getByTestId('watch-loop').isChecked(), true);
  await waitForCard(page, 'playing', `eval ${best.row.step} 1`);
  await waitForCard(page, 'badge', 'FINISHED'); // how the run ended, not TRAINING
  assert.match(await text(page, 'environment-caption'), /^Training finished\. Best evaluation \(step [\d,]+, mean -140\.0\), start 1 of 3.*All starts, on a loop\.$/);
  await waitForCard(page, 'playing', `eval ${best.row.step} 3`);
  await waitForCard(page, 'playing', `eval ${best.row.step} 1`);
  assert.equal(await card(page, 'last-pass'), `eval ${best.row.step} 3`, 'after the last start, the first again');
  await closeClean(harness);
});

test('inspecting a checkpoint offers "Watch this policy": its deterministic episodes run and play', async () => {
  const harness = await open({ scenario: 'inspect', stream: true, respond: true });
  const { page } = harness;
  await page.getByTestId('btn-watch-policy').click();
  await waitFor(async () => (await postedMessages(page)).some((m) => (m as { type?: string }).type === 'watchCheckpoint'), 'the watchCheckpoint message');
  await waitForText(page, 'mode-banner', /Evaluating checkpoint\s*ep0075/);
  await waitForCard(page, 'playing', (value) => value?.startsWith('eval ') ?? false);
  assert.match(await text(page, 'environment-caption'), /^Checkpoint ep0075 \(step [\d,]+\), start 1 of 5/);
  assert.equal(await page.getByTestId('watch-select').isVisible(), false, 'there is only this evaluation to watch');
  assert.equal(await page.getByTestId('watch-loop').isChecked(), true);
  await closeClean(harness);
});

test('MountainCar: an evaluation start that reaches the flag early plays whole to its last step', async () => {
  const harness = await open({ environment: 'MountainCarContinuous-v0', episodes: 60 });
  const { page } = harness;
  await page.getByTestId('speed-select').selectOption('max');
  const config = syntheticConfig('MountainCarContinuous-v0');
  const run = new SyntheticRun(60, 'MountainCarContinuous-v0');
  const { events, row } = evaluation(120, run.episodes[59].step + 5000, 2, undefined, config);
  await send(page, events);
  await page.getByTestId('watch-select').selectOption('latestEvaluation');
  await waitForCard(page, 'last-pass', `eval ${row.step} 1`, 10000);
  const steps = Number(await card(page, 'last-pass-steps'));
  assert.equal(await card(page, 'last-pass-whole'), 'true');
  assert.ok(steps > 0 && steps < 999, `the car reached the flag after ${steps} steps, and every one was played`);
  await closeClean(harness);
});
