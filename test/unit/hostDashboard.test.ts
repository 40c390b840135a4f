/**
 * The dashboard's host side against a fake webview panel (the vscode module injected as a fake to
 * isolate the message layer): HTML and CSP, the ready handshake, history replay without
 * duplicates, routing of webview messages through the guards, frames on demand, revival state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HostToWebview, RunInfo, TrainerToHost } from '../../src/shared/protocol';
import { defaultConfig } from '../../src/shared/config';
import { DashboardController } from '../../src/extension/dashboardPanel';
import { WebviewChannel } from '../../src/extension/webviewChannel';
import { contentSecurityPolicy, createNonce, webviewPageHtml } from '../../src/extension/webviewHtml';
import { fakeVscode } from '../helpers/fakeVscode';
import { uri } from '../helpers/fakeWebviewPanel';
import { fakeRunManager, manifestFixture } from '../helpers/hostFakes';

async function setup() {
  const fake = fakeVscode<HostToWebview>();
  const { manager, trainers } = fakeRunManager();
  const logged: string[] = [];
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-dash-'));
  const controller = new DashboardController(fake.api, {
    runManager: manager,
    extensionUri: uri('/ext'),
    locateRun: async (runId) => path.join(runsDir, runId),
    log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
  });
  const run = await manager.startTraining(runsDir, { ...defaultConfig(), episodes: 3 });
  const trainer = trainers[0];
  const info = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
  trainer.emit({ type: 'started', engine: { engine: 'wasm', backend: 'fake' }, run: { ...info, status: 'running' } });
  return { panels: fake.panels, messages: fake.messages, manager, controller, run, trainer, trainers, logged, runsDir };
}

const episodeEvent = (n: number): TrainerToHost => ({
  type: 'episode',
  row: { type: 'episode', episode: n, step: n * 200, return: -1000 + n, length: 200, criticLoss: null, actorLoss: null, meanQ: null, wallTime: n },
});
const tick = () => new Promise((r) => setTimeout(r, 20));
/** Longer than the panel's 100 ms batching of live events. */
const batchWindow = () => new Promise((r) => setTimeout(r, 250));

// ─── tests ──────────────────────────────────────────────────────────────────────────────────────

test('the HTML has the contract markup and a CSP whose only script source is the nonce', () => {
  const nonce = createNonce();
  assert.match(nonce, /^[0-9a-f]{32}$/);
  assert.notEqual(createNonce(), nonce, 'fresh each time');
  const html = webviewPageHtml({
    cspSource: 'vscode-src',
    nonce,
    scriptUri: 'https://x/dist/webview.js',
    styleUris: ['https://x/media/dashboard.css'],
    title: 'T',
    rootTestId: 'dashboard-root',
  });
  assert.ok(html.includes('<body><div id="app" data-testid="dashboard-root"></div><script nonce="' + nonce + '" src="https://x/dist/webview.js"></script></body>'));
  assert.ok(html.includes('<link rel="stylesheet" href="https://x/media/dashboard.css">'));
  assert.equal(
    contentSecurityPolicy('vscode-src', nonce),
    `default-src 'none'; img-src vscode-src data:; style-src vscode-src; font-src vscode-src; script-src 'nonce-${nonce}'`,
  );
  assert.ok(html.includes(`content="default-src 'none'; img-src vscode-src data:; style-src vscode-src; font-src vscode-src; script-src 'nonce-${nonce}'"`));
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
});

test('the panel serves dist/webview.js and media/dashboard.css with resource roots limited to dist and media', async () => {
  const { controller, panels, run } = await setup();
  controller.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
  const panel = panels[0];
  assert.deepEqual(
    panel.webview.options.localResourceRoots?.map((u) => u.path),
    ['/ext/dist', '/ext/media'],
  );
  assert.equal(panel.webview.options.enableScripts, true);
  assert.ok(panel.webview.html.includes('src="vscode-resource:/webview/ext/dist/webview.js"'));
  assert.ok(panel.webview.html.includes('href="vscode-resource:/webview/ext/media/dashboard.css"'));
});

test('nothing is posted before ready; ready gets the whole history once, then live events', async () => {
  const { controller, panels, run, trainer } = await setup();
  trainer.emit(episodeEvent(1));
  controller.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
  const panel = panels[0];
  trainer.emit(episodeEvent(2));
  await tick();
  assert.equal(panel.posted.length, 0, 'the webview is not listening yet');
  panel.fromWebview({ type: 'ready' });
  await tick();
  assert.equal(panel.posted.length, 1);
  const show = panel.posted[0];
  assert.equal(show.type, 'showRun');
  if (show.type !== 'showRun') return;
  assert.deepEqual(show.snapshot.episodes.map((e) => e.episode), [1, 2], 'events from before ready are in the snapshot, not replayed');
  assert.equal(show.snapshot.live, true);
  assert.deepEqual(show.mode, { kind: 'live' });
  trainer.emit(episodeEvent(3));
  trainer.emit(episodeEvent(4));
  assert.equal(panel.posted.length, 1, 'live events wait for their batch');
  await batchWindow();
  assert.deepEqual(panel.posted.slice(1), [{ type: 'runEvents', runId: run.runId, events: [episodeEvent(3), episodeEvent(4)] }], 'one post per batch, in order');
});

test('hidden then shown again: the reloaded webview gets a fresh snapshot, without duplicates', async () => {
  const { controller, panels, run, trainer } = await setup();
  controller.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  await tick();
  panel.setVisible(false);
  trainer.emit(episodeEvent(1));
  trainer.emit(episodeEvent(2));
  const before = panel.posted.length;
  panel.setVisible(true);
  panel.fromWebview({ type: 'ready' });
  await tick();
  const after = panel.posted.slice(before);
  assert.equal(after.length, 1, 'one snapshot, no stale queued events');
  assert.equal(after[0].type, 'showRun');
  if (after[0].type === 'showRun') assert.deepEqual(after[0].snapshot.episodes.map((e) => e.episode), [1, 2]);
});

test('switching runs: events of the run shown before are not sent as the new run\'s', async () => {
  const { controller, panels, run, trainer, manager, runsDir, trainers } = await setup();
  const other = await manager.startTraining(runsDir, { ...defaultConfig(), episodes: 3 });
  controller.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  await tick();
  trainer.emit(episodeEvent(1)); // posted at once or held for its batch
  trainer.emit(episodeEvent(2));
  trainer.emit({ type: 'status', status: { state: 'running', episode: 2, totalEpisodes: 3, step: 400, totalSteps: null, stepsPerSecond: 0, elapsedSeconds: 1, latestEval: null, bestEval: null } });
  trainer.emit({ type: 'status', status: { state: 'running', episode: 2, totalEpisodes: 3, step: 401, totalSteps: null, stepsPerSecond: 0, elapsedSeconds: 1, latestEval: null, bestEval: null } });
  controller.open({ runId: other.runId, runDir: other.runDir, mode: { kind: 'live' } });
  const switched = panel.posted.length;
  trainers[1].emit(episodeEvent(7));
  await new Promise((r) => setTimeout(r, 500));
  const after = panel.posted.slice(switched);
  const labelledOther = after.filter((m) => m.type === 'runEvents' || m.type === 'runEvent');
  const episodes = labelledOther.flatMap((m) => (m.type === 'runEvents' ? m.events : m.type === 'runEvent' ? [m.event] : []));
  assert.ok(labelledOther.every((m) => (m as { runId: string }).runId === other.runId));
  assert.deepEqual(
    episodes.map((e) => (e.type === 'episode' ? e.row.episode : e.type === 'status' ? `status ${e.status.step}` : e.type)),
    [7],
    'only the new run\'s own events follow its snapshot',
  );
});

test('webview commands reach the trainer of the run shown; invalid or foreign ones do not', async () => {
  const { controller, panels, run, trainer, logged, messages } = await setup();
  controller.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  panel.fromWebview({ type: 'command', runId: run.runId, command: 'pause' });
  panel.fromWebview({ type: 'command', runId: run.runId, command: 'rm -rf' });
  panel.fromWebview({ type: 'command', runId: 'another-run', command: 'stop' });
  panel.fromWebview('not even an object');
  await tick();
  assert.deepEqual(trainer.sent.map((c) => c.type), ['start', 'pause']);
  assert.equal(logged.filter((l) => l.includes('ignored an invalid message')).length, 2);
  assert.deepEqual(messages.map((m) => m.severity), ['warning']);
  assert.match(messages[0].message, /another-run is not training in this window/);
  panel.fromWebview({ type: 'webviewError', message: 'TypeError: x is undefined' });
  assert.ok(logged.some((l) => l.includes('dashboard script error: TypeError: x is undefined')));
});

test('frames stream only while a visible, ready dashboard asks for them', async () => {
  const { controller, panels, run, trainer } = await setup();
  controller.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
  const panel = panels[0];
  const frameCommands = () => trainer.sent.filter((c) => c.type === 'setFrameStreaming');
  panel.fromWebview({ type: 'ready' });
  await tick();
  panel.fromWebview({ type: 'framesWanted', enabled: true });
  assert.deepEqual(frameCommands(), [{ type: 'setFrameStreaming', enabled: true }]);
  const frames: TrainerToHost = { type: 'frames', frames: { episode: 1, firstStep: 0, phase: 'train', stride: 2, data: [0.1, 0.2] } };
  trainer.emit(frames);
  await batchWindow();
  assert.deepEqual(panel.posted[panel.posted.length - 1], { type: 'runEvents', runId: run.runId, events: [frames] });
  panel.setVisible(false);
  assert.deepEqual(frameCommands()[1], { type: 'setFrameStreaming', enabled: false }, 'hiding the panel stops frames');
  const count = panel.posted.length;
  trainer.emit(frames);
  panel.setVisible(true);
  panel.fromWebview({ type: 'ready' });
  await batchWindow();
  assert.ok(panel.posted.slice(count).every((m) => m.type === 'showRun'), 'frames are never queued for later');
});

test('inspect mode: the snapshot is cut at the checkpoint step and live events are not forwarded', async () => {
  const { controller, panels, run, trainer } = await setup();
  for (let n = 1; n <= 4; n++) trainer.emit(episodeEvent(n));
  const manifest = manifestFixture({ name: 'ep-2', runId: run.runId, episode: 2, step: 400 });
  controller.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'inspect', checkpoint: manifest, checkpointDir: '/c' } });
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  await tick();
  const show = panel.posted[0];
  assert.equal(show.type, 'showRun');
  if (show.type === 'showRun') {
    assert.deepEqual(show.snapshot.episodes.map((e) => e.episode), [1, 2]);
    assert.equal(show.mode.kind, 'inspect');
  }
  trainer.emit(episodeEvent(5));
  assert.equal(panel.posted.length, 1);
  assert.match(panel.title, /@ ep 2/);
});

test('revival: stored state becomes a target; an evaluation comes back as an inspection', async () => {
  const { controller, runsDir, run } = await setup();
  const checkpointDir = path.join(runsDir, run.runId, 'checkpoints', 'ep-1');
  mkdirSync(checkpointDir, { recursive: true });
  const manifest = { formatVersion: 1, name: 'ep-1', runId: run.runId, episode: 1, step: 200, config: defaultConfig() };
  writeFileSync(path.join(checkpointDir, 'checkpoint.json'), JSON.stringify(manifest));
  assert.deepEqual(await controller.targetFromState({ runId: run.runId }), { runId: run.runId, runDir: path.join(runsDir, run.runId), mode: { kind: 'live' } });
  const revived = await controller.targetFromState({ runId: run.runId, mode: { kind: 'evaluate', checkpointDir, episodes: 5 } });
  assert.equal(revived?.mode.kind, 'inspect');
  assert.equal(revived?.runDir, path.join(runsDir, run.runId));
  assert.equal(await controller.targetFromState(undefined), undefined);
  assert.equal(await controller.targetFromState({ runId: 42 }), undefined, 'a malformed state is ignored');
});

test('WebviewChannel: queues until open, drops ephemeral messages, caps the queue', () => {
  const posted: number[] = [];
  const channel = new WebviewChannel<number>(async (m) => {
    posted.push(m);
    return true;
  }, 3);
  channel.send(1);
  channel.send(2, true);
  channel.send(3);
  channel.send(4);
  channel.send(5);
  assert.deepEqual(posted, []);
  assert.equal(channel.queuedCount, 3);
  channel.open();
  assert.deepEqual(posted, [3, 4, 5], 'oldest dropped beyond the cap, ephemeral never queued');
  channel.send(6, true);
  assert.deepEqual(posted, [3, 4, 5, 6]);
});
