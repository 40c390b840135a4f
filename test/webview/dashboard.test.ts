/**
 * The dashboard webview in Chromium, through the harness page (a fake VS Code host that replays a
 * synthetic run): the handshake, charts, the pendulum animation, the controls, the status line,
 * the three modes, theme changes, error reporting and robustness to bad messages.
 *
 *   npm run build && node --import tsx --test test/webview/dashboard.test.ts
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { appliesTo, CONFIG_KEYS } from '../../src/shared/config';
import type { EpisodeRow, FrameBatch, HostToWebview, StatusSnapshot, TrainerToHost } from '../../src/shared/protocol';
import { DDPG_NETWORKS } from '../../src/shared/runFormat';
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
import {
  harnessRunId,
  postedMessages,
  savedViewState,
  sendToWebview,
  setHarnessTheme,
  type HarnessPage,
  type HarnessPageOptions,
} from './harnessBrowser';
import { useHarnessSession } from './harnessSession';
import { longRunMessage, PARENT_RUN_ID, resumedRunMessage } from './longRunSnapshots';

const session = useHarnessSession();

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────

const open = (options: HarnessPageOptions = {}) => openDashboard(session, options);
const closeClean = (harness: HarnessPage, expectedErrors: RegExp[] = []) => closeDashboard(session, harness, expectedErrors);

function episodeRow(episode: number, overrides: Partial<EpisodeRow> = {}): EpisodeRow {
  return {
    type: 'episode', episode, step: episode * 200, return: -150 - episode, length: 200,
    criticLoss: 0.2, actorLoss: 12, meanQ: -14, wallTime: episode * 0.25, ...overrides,
  };
}

function status(overrides: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    state: 'running', episode: 60, totalEpisodes: 150, step: 12_000, totalSteps: null, stepsPerSecond: 800,
    elapsedSeconds: 15, latestEval: -97.8, bestEval: -96.9, ...overrides,
  };
}

/** A swinging pendulum: `count` frames of episode `episode` starting at step `firstStep`. */
function frames(episode: number, firstStep: number, count: number, phase: FrameBatch['phase'] = 'train'): FrameBatch {
  const data: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = (firstStep + i) * 0.05;
    data.push(Math.PI * Math.cos(t), 2 * Math.sin(3 * t));
  }
  return { episode, firstStep, phase, stride: 2, data };
}

async function commandsPosted(page: Page): Promise<string[]> {
  return (await postedMessages(page))
    .filter((m): m is { type: 'command'; command: string; runId: string } => (m as { type?: unknown }).type === 'command')
    .map((m) => m.command);
}

// ─── tests ────────────────────────────────────────────────────────────────────────────────────

test('posts ready first, asks for frames, and persists the run and mode for the serializer', async () => {
  const harness = await open();
  const { page } = harness;
  await waitFor(async () => (await postedMessages(page)).length >= 2, 'the first two messages');
  const posted = await postedMessages(page);
  assert.deepEqual(posted[0], { type: 'ready' });
  assert.deepEqual(posted[1], { type: 'framesWanted', enabled: true });
  const saved = (await savedViewState(page)) as { runId?: string; mode?: { kind: string } };
  assert.equal(saved.runId, await harnessRunId(page));
  assert.equal(saved.mode?.kind, 'live');
  await closeClean(harness);
});

test('plots every episode of the snapshot and each streamed episode', async () => {
  const harness = await open({ episodes: 60 });
  const { page } = harness;
  await waitForText(page, 'episode-points', '60');
  await sendEvent(page, { type: 'episode', row: episodeRow(61) });
  await waitForText(page, 'episode-points', '61');
  await sendEvent(page, { type: 'episode', row: episodeRow(62) });
  await sendEvent(page, { type: 'episode', row: episodeRow(63) });
  await waitForText(page, 'episode-points', '63');
  assert.match(await text(page, 'status-episode'), /^63 \/ 150$/);

  // The same episode twice (the host replays what it already sent) is drawn once.
  await sendEvent(page, { type: 'episode', row: episodeRow(63) });
  await page.waitForTimeout(400);
  assert.equal(await text(page, 'episode-points'), '63');

  // A batch (how the host posts a fast run's events) is applied in order, in one update.
  const batch: HostToWebview = {
    type: 'runEvents', runId: await harnessRunId(page),
    events: [{ type: 'episode', row: episodeRow(64) }, { type: 'episode', row: episodeRow(65) }, { type: 'status', status: status({ episode: 65, step: 13000 }) }],
  };
  await sendToWebview(page, batch);
  await waitForText(page, 'episode-points', '65');
  assert.match(await text(page, 'status-episode'), /^65 \/ 150$/);

  await page.getByTestId('x-axis-select').selectOption('step');
  await waitFor(async () => ((await savedViewState(page)) as { xAxis?: string }).xAxis === 'step', 'xAxis saved');
  assert.equal(await text(page, 'episode-points'), '65');
  await closeClean(harness);
});

test('plays frames on the HiDPI pendulum canvas at the chosen speed', async () => {
  const harness = await open({ deviceScaleFactor: 2 });
  const { page } = harness;
  const canvas = page.getByTestId('pendulum-canvas');
  const size = await canvas.evaluate((node) => {
    const element = node as unknown as { width: number; clientWidth: number };
    return { backing: element.width, css: element.clientWidth };
  });
  assert.equal(size.backing, size.css * 2, 'the backing store follows devicePixelRatio');

  assert.equal(await frameCount(page), 0);
  const idle = await canvas.screenshot();
  await sendEvent(page, { type: 'frames', frames: frames(61, 0, 10) });
  // Real time is 20 steps/s: ten frames take about half a second.
  await waitFor(async () => (await frameCount(page)) === 10, 'ten frames played', 3000);
  assert.notDeepEqual(await canvas.screenshot(), idle, 'the canvas shows the pendulum');
  assert.match(await text(page, 'environment-caption'), /Training episode 61/);

  await page.getByTestId('speed-select').selectOption('max');
  await sendEvent(page, { type: 'frames', frames: frames(61, 10, 100) });
  await waitFor(async () => (await frameCount(page)) === 110, '100 more frames at max speed', 2000);
  await closeClean(harness);
});

test('with reduced motion the pendulum shows a still pose a second instead of an animation', async () => {
  for (const reducedMotion of ['no-preference', 'reduce'] as const) {
    const harness = await open({ reducedMotion });
    const { page } = harness;
    // 60 frames of one swinging episode: 3 s at real time.
    await sendEvent(page, { type: 'frames', frames: frames(61, 0, 60) });
    await waitFor(async () => (await frameCount(page)) > 0, 'playback to start', 3000);
    const playedBefore = await frameCount(page);
    const images = await distinctCanvasImages(page, 'pendulum-canvas', 2000);
    if (reducedMotion === 'reduce') {
      assert.ok(images <= 3, `${images} different poses in 2 s with reduced motion`);
      assert.match(await text(page, 'environment-caption'), /Reduced motion: one still pose a second/);
    } else {
      assert.ok(images >= 10, `${images} different poses in 2 s of animation`);
      assert.doesNotMatch(await text(page, 'environment-caption'), /Reduced motion/);
    }
    // Playback itself goes on (the caption and the episode list follow it); only drawing is held.
    assert.ok((await frameCount(page)) >= playedBefore + 10, 'playback went on');
    await closeClean(harness);
  }
});

test('Pause/Resume posts the command and follows the state the trainer reports', async () => {
  const harness = await open();
  const { page } = harness;
  const button = page.getByTestId('btn-pause-resume');
  assert.equal(await text(page, 'btn-pause-resume'), 'Pause');
  await button.click();
  await waitFor(async () => (await commandsPosted(page)).includes('pause'), 'the pause command');
  const command = (await postedMessages(page)).find((m) => (m as { type?: string }).type === 'command');
  assert.deepEqual(command, { type: 'command', runId: await harnessRunId(page), command: 'pause' });
  assert.equal(await button.isDisabled(), true, 'disabled until the trainer answers');

  await sendEvent(page, { type: 'status', status: status({ state: 'paused' }) });
  await waitForText(page, 'btn-pause-resume', 'Resume');
  await waitForText(page, 'status-state', 'paused');
  assert.equal(await button.isEnabled(), true);
  await button.click();
  await waitFor(async () => (await commandsPosted(page)).includes('resume'), 'the resume command');

  await sendEvent(page, { type: 'status', status: status({ state: 'running' }) });
  await waitForText(page, 'btn-pause-resume', 'Pause');
  await waitForText(page, 'status-state', 'running');
  await closeClean(harness);
});

test('Save Checkpoint and Stop post their commands; a checkpoint event shows a toast', async () => {
  const harness = await open();
  const { page } = harness;
  const before = Number(await text(page, 'checkpoint-count'));
  await page.getByTestId('btn-checkpoint').click();
  await waitFor(async () => (await commandsPosted(page)).includes('checkpoint'), 'the checkpoint command');

  const manifest = {
    formatVersion: 2 as const, algorithm: 'ddpg' as const, environment: { id: 'Pendulum-v1' as const, options: { g: 10 } }, networks: [...DDPG_NETWORKS],
    name: 'manual-ep0060', runId: await harnessRunId(page), episode: 60, step: 12_000,
    recentReturn: -160, bestEval: -96.9, reason: 'manual' as const, created: '2025-11-23T20:16:00.000Z',
    configHash: '5f3a9c21', config: {} as never, engine: { engine: 'wasm' as const, backend: 'wasm-simd' }, hasReplayBuffer: true,
  };
  await sendEvent(page, { type: 'checkpoint', dir: '/runs/x/checkpoints/manual-ep0060', manifest, requestId: 1 });
  await waitForText(page, 'toast', /manual-ep0060/);
  await waitForText(page, 'checkpoint-count', String(before + 1));
  assert.equal(await page.getByTestId('btn-checkpoint').isEnabled(), true);

  await page.getByTestId('btn-stop').click();
  await waitFor(async () => (await commandsPosted(page)).includes('stop'), 'the stop command');
  assert.deepEqual(await commandsPosted(page), ['checkpoint', 'stop']);
  await closeClean(harness);
});

test('checkpoints: only a manual one gets a toast; the list leads with the kind and its own evaluation; a pruned one leaves it', async () => {
  const harness = await open();
  const { page } = harness;
  const runId = await harnessRunId(page);
  type Reason = 'manual' | 'periodic' | 'best' | 'final';
  const manifest = (name: string, reason: Reason, episode: number, evaluation?: { mean: number; std: number; step: number; episode: number } | null) => ({
    formatVersion: 2 as const, algorithm: 'ddpg' as const, environment: { id: 'Pendulum-v1' as const, options: { g: 10 } }, networks: [...DDPG_NETWORKS],
    name, runId, episode, step: episode * 200, recentReturn: -160, bestEval: -96.9, reason,
    ...(evaluation === undefined ? {} : { evaluation }),
    created: '2025-11-23T20:16:00.000Z', configHash: '5f3a9c21', config: {} as never, engine: { engine: 'wasm' as const, backend: 'wasm-simd' }, hasReplayBuffer: true,
  });
  const checkpoint = (name: string, reason: Reason, episode: number, evaluation?: { mean: number; std: number; step: number; episode: number } | null): TrainerToHost => ({
    type: 'checkpoint', dir: `/runs/x/checkpoints/${name}`, manifest: manifest(name, reason, episode, evaluation),
  });
  await sendToWebview(page, {
    type: 'runEvents', runId,
    events: [
      checkpoint('manual-ep9061', 'manual', 9061, null),
      checkpoint('ep9062', 'periodic', 9062, { mean: -160.44, std: 9, step: 1_812_000, episode: 9060 }),
      checkpoint('best', 'best', 9063, { mean: -141.24, std: 3.04, step: 1_812_600, episode: 9063 }),
    ],
  });
  await waitFor(async () => (await page.getByTestId('toast').count()) === 1, 'one toast');
  // The synthetic run has a best checkpoint already: the new one replaces it, as on disk.
  const saved = Number(await text(page, 'checkpoint-count'));
  assert.match((await page.getByTestId('toast').allInnerTexts())[0], /manual-ep9061/, 'the checkpoint the user asked for');
  const rows = async () => page.getByTestId('checkpoint-row').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
  const shown = await rows();
  assert.deepEqual(shown.slice(0, 3), [
    ['best', 'eval −141.2 ± 3.0 @ 1,812,600', 'best'],
    ['periodic', 'eval −160.4 @ 1,812,000', 'ep9062'],
    ['manual', 'not evaluated', 'manual-ep9061'],
  ]);
  const title = await page.getByTestId('checkpoint-row').first().getAttribute('title');
  assert.match(title ?? '', /^Evaluation −141\.2 ± 3\.0 at step 1,812,600 \(the one that made it the best\)\. Saved at episode 9,063/);

  await sendEvent(page, { type: 'checkpointDeleted', name: 'ep9062', dir: '/runs/x/checkpoints/ep9062' });
  await waitForText(page, 'checkpoint-count', String(saved - 1));
  assert.ok(!(await rows()).some((cells) => cells[2] === 'ep9062'), 'the pruned checkpoint is gone from the list');
  await sendEvent(page, checkpoint('ep9067', 'periodic', 9067, { mean: -150, std: 1, step: 1_813_400, episode: 9067 }));
  await waitForText(page, 'checkpoint-count', String(saved));
  assert.equal(await page.getByTestId('toast').count(), 1, 'an automatic checkpoint pops no toast');
  await closeClean(harness);
});

test('the status line follows status events and the controls close when the trainer exits', async () => {
  const harness = await open();
  const { page } = harness;
  await waitForText(page, 'status-state', 'running');
  await sendEvent(page, {
    type: 'status',
    status: status({ episode: 64, step: 12_345, stepsPerSecond: 999, elapsedSeconds: 125, latestEval: -150.5, bestEval: -120.2 }),
  });
  await waitForText(page, 'status-step', '12,345');
  assert.match(await text(page, 'status-episode'), /\b64\b/);
  assert.equal(await text(page, 'status-rate'), '999');
  assert.match(await text(page, 'status-elapsed'), /^2m 0[5-7]s$/);
  assert.equal(await text(page, 'status-latest-eval'), '-150.5');
  assert.equal(await text(page, 'status-best-eval'), '-120.2');
  assert.match(await text(page, 'engine-info'), /wasm/);

  await sendEvent(page, { type: 'exiting', status: 'stopped' });
  await waitForText(page, 'status-state', 'stopped');
  for (const id of ['btn-pause-resume', 'btn-checkpoint', 'btn-stop']) {
    assert.equal(await page.getByTestId(id).isDisabled(), true, `${id} disabled once the trainer is gone`);
  }
  // Nothing was played: the card says what can still be watched (frames are only ever sent live).
  await waitForText(page, 'environment-caption', 'Training stopped. Evaluate Checkpoint in the Runs view plays a checkpoint\u2019s policy.');
  await closeClean(harness);
});

test('an evaluation shows in Latest/Best eval as soon as its row arrives, before the next status', async () => {
  const harness = await open();
  const { page } = harness;
  await waitForText(page, 'status-state', 'running');
  await sendEvent(page, { type: 'status', status: status({ step: 90_000, latestEval: -300, bestEval: -250 }) });
  await waitForText(page, 'status-latest-eval', '-300.0');
  const evalRow = (step: number, mean: number) => ({ type: 'eval' as const, episode: step / 200, step, mean, std: 5, returns: [mean], wallTime: step / 800 });
  // A better evaluation, then the best checkpoint it caused: both before the status that reports them.
  await sendEvent(page, { type: 'eval', row: evalRow(100_000, -144.1) });
  await waitForText(page, 'status-latest-eval', '-144.1');
  assert.equal(await text(page, 'status-best-eval'), '-144.1');
  // A worse one: latest follows, best stays.
  await sendEvent(page, { type: 'eval', row: evalRow(101_000, -420) });
  await waitForText(page, 'status-latest-eval', '-420.0');
  assert.equal(await text(page, 'status-best-eval'), '-144.1');
  // The status that was sent after both rows knows them; it is the reference again from here.
  await sendEvent(page, { type: 'status', status: status({ step: 101_200, latestEval: -420, bestEval: -144.1 }) });
  await waitForText(page, 'status-step', '101,200');
  assert.equal(await text(page, 'status-latest-eval'), '-420.0');
  assert.equal(await text(page, 'status-best-eval'), '-144.1');
  await closeClean(harness);
});

test('ignores messages that are malformed or meant for another run', async () => {
  const harness = await open({ episodes: 60 });
  const { page } = harness;
  const runId = await harnessRunId(page);
  await waitForText(page, 'episode-points', '60');
  const junk: unknown[] = [
    null,
    'showRun',
    42,
    { type: 'bogus' },
    { type: 'runEvent', runId: 'another-run', event: { type: 'episode', row: episodeRow(61) } },
    { type: 'runEvent', runId, event: { type: 'episode', row: { ...episodeRow(61), return: 'NaN' } } },
    { type: 'runEvent', runId, event: { type: 'episode', row: { ...episodeRow(61), step: null } } },
    { type: 'runEvent', runId, event: { type: 'status', status: { state: 'exploded', step: 1 } } },
    { type: 'runEvent', runId, event: { type: 'frames', frames: { episode: 61, firstStep: 0, phase: 'train', stride: 2, data: [0.1] } } },
    { type: 'runEvent', runId, event: { type: 'frames', frames: { episode: 61, firstStep: 0, phase: 'train', stride: 2, data: [0.1, 'x'] } } },
    { type: 'runEvent', runId, event: { type: 'nonsense' } },
    { type: 'showRun', snapshot: { run: {} }, mode: { kind: 'live' } },
  ];
  for (const message of junk) await sendToWebview(page, message);
  await page.waitForTimeout(500);
  assert.equal(await text(page, 'episode-points'), '60');
  assert.equal(await text(page, 'status-state'), 'running');
  assert.equal(await frameCount(page), 0);
  const errors = (await postedMessages(page)).filter((m) => (m as { type?: string }).type === 'webviewError');
  assert.equal(errors.length, 1, 'only the unreadable showRun is reported to the host');
  assert.match((errors[0] as { message: string }).message, /showRun/);

  // Still alive: a valid episode afterwards is drawn.
  await sendEvent(page, { type: 'episode', row: episodeRow(61) });
  await waitForText(page, 'episode-points', '61');
  await closeClean(harness, [/showRun carried/]);
});

test('a resumed run names its parent run and checkpoint on one line; the folder is in the tooltip', async () => {
  const harness = await open();
  const { page } = harness;
  const message = resumedRunMessage(450, 600);
  await sendToWebview(page, message);
  await waitForText(page, 'run-name', message.snapshot.run.name);
  const facts = page.locator('.run-facts span').first();
  const shown = ((await facts.textContent()) ?? '').trim();
  assert.match(shown, new RegExp(`resumed from ${PARENT_RUN_ID} / ep0450 \\(episode 450\\)$`));
  assert.doesNotMatch(shown, /\/runs\//, 'not the absolute folder');
  assert.equal(await facts.getAttribute('title'), `Resumed from checkpoint /runs/${PARENT_RUN_ID}/checkpoints/ep0450`);
  await closeClean(harness);
});

test('inspect mode: the checkpoint banner, curves cut at the checkpoint, no controls', async () => {
  const harness = await open({ scenario: 'inspect' });
  const { page } = harness;
  const banner = page.getByTestId('mode-banner');
  await banner.waitFor({ state: 'visible' });
  assert.match(await banner.innerText(), /Inspecting checkpoint\s+ep0075/);
  assert.match(await banner.innerText(), /Reason\s+periodic/);
  const evaluationFact = banner.locator('.manifest-item', { hasText: /^Evaluation/ });
  assert.match((await evaluationFact.locator('dd').textContent()) ?? '', /^−?[\d,]+\.\d ± [\d,]+\.\d at step 15,000 \(this policy\)$/, 'the label says "evaluation" once');
  await waitForText(page, 'episode-points', '75');
  assert.match(await text(page, 'mode-banner'), /15,000/);
  assert.equal(await page.getByTestId('btn-pause-resume').isVisible(), false);
  assert.equal(await page.getByTestId('btn-stop').isVisible(), false);
  assert.equal(await page.getByTestId('returns-chart').isVisible(), true);
  const framesWanted = (await postedMessages(page)).filter((m) => (m as { type?: string }).type === 'framesWanted');
  assert.deepEqual(framesWanted, [{ type: 'framesWanted', enabled: false }]);
  await closeClean(harness);
});

test('evaluate mode: evaluation episodes animate, then the returns with mean ± std', async () => {
  const harness = await open({ scenario: 'evaluate', stream: true });
  const { page } = harness;
  assert.match(await text(page, 'mode-banner'), /Evaluating checkpoint\s*best/);
  await page.getByTestId('eval-results').waitFor({ state: 'visible' });
  await waitForText(page, 'eval-mean', /^-?[\d,.]+ ± [\d,.]+$/, 8000);
  assert.equal(await page.getByTestId('eval-results').locator('li').count(), 5);
  assert.match(await text(page, 'eval-summary'), /over 5 episodes/);
  await waitFor(async () => (await frameCount(page)) > 0, 'evaluation frames played');
  assert.match(await text(page, 'environment-caption'), /Checkpoint best \(step [\d,]+\), start 1 of 5/);
  assert.equal(await page.getByTestId('btn-stop').isVisible(), false);
  await closeClean(harness);
});

test('hyperparameters: grouped like the settings, changed values highlighted with their defaults', async () => {
  const harness = await open();
  const { page } = harness;
  const section = page.getByTestId('hyperparameters');
  const pendulumSettings = CONFIG_KEYS.filter((key) => appliesTo(key, { algorithm: 'ddpg', environment: 'Pendulum-v1' }));
  assert.ok(pendulumSettings.length < CONFIG_KEYS.length, 'some settings are for other environments');
  assert.match(await section.locator('summary').innerText(), new RegExp(`${pendulumSettings.length} settings for Pendulum-v1, 7 changed from the defaults`));
  await section.locator('summary').click();
  const groups = await section.locator('h3').allInnerTexts();
  assert.deepEqual(groups, ['Task', 'Network', 'Optimisation', 'Exploration', 'Schedule', 'Environment', 'Evaluation', 'Checkpoints', 'Runtime']);
  assert.match(await section.innerText(), /\bgravity\b/);
  assert.doesNotMatch(await section.innerText(), /goalVelocity/, "MountainCar's option is not Pendulum's");
  const changed = section.locator('tr[data-changed="true"]');
  assert.equal(await changed.count(), 7);
  assert.match(await changed.filter({ hasText: 'noiseStd' }).innerText(), /0\.2\s+default 0\.1/);
  assert.doesNotMatch(await section.innerText(), /\*mixing\*/, 'markdown emphasis is not shown raw');

  await page.getByTestId('hp-only-changed').check();
  assert.equal(await section.locator('tr:visible').count(), 7);
  await waitFor(async () => ((await savedViewState(page)) as { onlyChangedHyperparameters?: boolean }).onlyChangedHyperparameters === true, 'the filter saved');
  await closeClean(harness);
});

test('hyperparameters: a seed drawn for the run is not shown as a change from the defaults', async () => {
  const harness = await open();
  const { page } = harness;
  const summary = page.getByTestId('hyperparameters').locator('summary');
  const withSeed = (seed: number) => {
    const message = longRunMessage(60);
    message.snapshot.run = { ...message.snapshot.run, seed, config: { ...message.snapshot.run.config, seed } };
    return message;
  };
  await sendToWebview(page, withSeed(1));
  await waitFor(async () => /changed from the defaults|all defaults/.test(await summary.innerText()), 'the table');
  const atDefault = await summary.innerText();
  await sendToWebview(page, withSeed(1_234_567_890));
  await waitFor(async () => /seed 1234567890/.test((await page.locator('.run-facts').textContent()) ?? ''), 'the drawn seed in the header');
  assert.equal(await summary.innerText(), atDefault);
  await closeClean(harness);
});

test('no run: the empty state explains how to start one', async () => {
  const harness = await open({ scenario: 'none' });
  assert.match(await text(harness.page, 'empty-state'), /No training run/);
  await closeClean(harness);
});

test('follows VS Code theme changes on the canvas and the charts', async () => {
  const harness = await open({ theme: 'dark' });
  const { page } = harness;
  await sendEvent(page, { type: 'frames', frames: frames(61, 0, 2) });
  await waitFor(async () => (await frameCount(page)) === 2, 'two frames played');
  await page.waitForTimeout(300);
  const pendulumDark = await page.getByTestId('pendulum-canvas').screenshot();
  const chartDark = await page.getByTestId('returns-chart').screenshot();
  await setHarnessTheme(page, 'light');
  await page.waitForTimeout(300);
  const pendulumLight = await page.getByTestId('pendulum-canvas').screenshot();
  const chartLight = await page.getByTestId('returns-chart').screenshot();
  assert.notDeepEqual(pendulumLight, pendulumDark);
  assert.notDeepEqual(chartLight, chartDark);
  await closeClean(harness);
});

test('uncaught errors in the webview are posted to the host as webviewError', async () => {
  const harness = await open();
  const { page } = harness;
  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error('harness-induced failure');
    });
  });
  await waitFor(
    async () =>
      (await postedMessages(page)).some(
        (m) => (m as { type?: string }).type === 'webviewError' && /harness-induced failure/.test((m as { message: string }).message),
      ),
    'the webviewError message',
  );
  await closeClean(harness, [/harness-induced failure/]);
});

test('view preferences survive a reload; the data comes again from the host', async () => {
  const harness = await open();
  const { page } = harness;
  await page.getByTestId('x-axis-select').selectOption('step');
  await page.getByTestId('speed-select').selectOption('4');
  await page.reload();
  await page.getByTestId('run-name').waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('x-axis-select').inputValue(), 'step');
  assert.equal(await page.getByTestId('speed-select').inputValue(), '4');
  await waitForText(page, 'episode-points', '60');
  await closeClean(harness);
});

test('narrow panels stack the pendulum above the status and never scroll sideways', async () => {
  const harness = await open({ width: 500, height: 800 });
  const { page } = harness;
  const pendulum = await page.locator('.pendulum-card').boundingBox();
  const statusCard = await page.locator('.status-card').boundingBox();
  assert.ok(pendulum && statusCard);
  assert.ok(statusCard.y >= pendulum.y + pendulum.height, 'the status card is below the pendulum');
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
    return root.documentElement.scrollWidth - root.documentElement.clientWidth;
  });
  assert.equal(overflow, 0, 'no horizontal scrolling');
  await closeClean(harness);
});
