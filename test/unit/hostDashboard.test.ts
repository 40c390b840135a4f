/**
 * The dashboards' host side against fake webview panels (the vscode module injected as a fake to
 * isolate the message layer): HTML and CSP, the ready handshake, history replay without
 * duplicates, routing of webview messages through the guards, frames on demand; and the panels
 * together: a panel per run and per checkpoint, live panels that stay live beside a checkpoint,
 * Open Dashboard coming back to the live run, title-bar context keys that follow the panel in
 * front, every panel revived after a reload, titles that tell checkpoints apart, and a MuJoCo
 * run's scene read from its folder for a run that ended before the window saw it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { CheckpointManifest, HostToWebview, RunInfo, RunSnapshot, TrainerToHost } from '../../src/shared/protocol';
import { defaultConfig } from '../../src/shared/config';
import { MUJOCO_ENVIRONMENTS } from '../../src/shared/mujocoEnvironments';
import type { MujocoScene } from '../../src/shared/mujocoScene';
import { COMMAND_IDS, DdpgCommands, type CommandDependencies } from '../../src/extension/commands';
import { CONTEXT_KEYS, ContextKeys } from '../../src/extension/contextKeys';
import { DASHBOARD_VIEW_TYPE } from '../../src/extension/dashboardPanel';
import { DashboardPanels } from '../../src/extension/dashboardPanels';
import type { EvaluationResult, EvaluationSession } from '../../src/extension/runManager';
import { WebviewChannel } from '../../src/extension/webviewChannel';
import { contentSecurityPolicy, createNonce, webviewPageHtml } from '../../src/extension/webviewHtml';
import { fakeVscode } from '../helpers/fakeVscode';
import { FakePanel, uri } from '../helpers/fakeWebviewPanel';
import { fakeRunManager, manifestFixture, runInfoFixture } from '../helpers/hostFakes';
import { quietPeriod, waitFor } from '../helpers/waitFor';

type Panel = FakePanel<HostToWebview>;

async function setup() {
  const fake = fakeVscode<HostToWebview>();
  const { manager, trainers } = fakeRunManager();
  const logged: string[] = [];
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-dash-'));
  const dashboards = new DashboardPanels(fake.api, {
    runManager: manager,
    extensionUri: uri('/ext'),
    locateRun: async (runId) => path.join(runsDir, runId),
    log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
  });
  const startRun = async () => {
    const run = await manager.startTraining(runsDir, { ...defaultConfig(), episodes: 3 });
    const trainer = trainers[trainers.length - 1];
    const info = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
    trainer.emit({ type: 'started', engine: { engine: 'wasm', backend: 'fake' }, run: { ...info, status: 'running' } });
    return { run, trainer };
  };
  const { run, trainer } = await startRun();
  /** A checkpoint of `run` on disk, as the trainer writes it. */
  const checkpoint = (name: string, episode: number, runDir = run.runDir): { manifest: CheckpointManifest; dir: string } => {
    const manifest = manifestFixture({ name, runId: path.basename(runDir), episode, step: episode * 200 });
    const dir = path.join(runDir, 'checkpoints', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify(manifest));
    return { manifest, dir };
  };
  const live = { runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } } as const;
  const inspect = (c: { manifest: CheckpointManifest; dir: string }) => ({ runId: run.runId, runDir: run.runDir, mode: { kind: 'inspect' as const, checkpoint: c.manifest, checkpointDir: c.dir } });
  return { fake, panels: fake.panels, messages: fake.messages, manager, dashboards, run, trainer, trainers, logged, runsDir, startRun, checkpoint, live, inspect };
}

/** The commands, wired to the real dashboards as extension.ts wires them. */
function commandsFor(s: Awaited<ReturnType<typeof setup>>): DdpgCommands {
  const deps: CommandDependencies = {
    extensionId: 'ddpg-lab.ddpg-lab',
    runManager: s.manager,
    dashboard: s.dashboards,
    comparison: { open: () => undefined },
    tree: { refresh: () => undefined, scheduleRefresh: () => undefined },
    runsDirectory: () => s.runsDir,
    mainLog: { info() {}, error() {} },
  };
  return new DdpgCommands(s.fake.api, deps);
}

/**
 * What VS Code does when the user brings `panel` to the front of its editor group: it becomes
 * visible and active, the panel it covers (if any) is hidden, the one focused before loses focus.
 */
function bringToFront(panel: Panel, all: readonly Panel[], covers?: Panel): void {
  for (const other of all) {
    if (other === panel || (!other.active && other !== covers)) continue;
    other.active = false;
    other.setVisible(other === covers ? false : other.visible);
  }
  panel.active = true;
  panel.setVisible(true);
}

const episodeEvent = (n: number): TrainerToHost => ({
  type: 'episode',
  row: { type: 'episode', episode: n, step: n * 200, return: -1000 + n, length: 200, criticLoss: null, actorLoss: null, meanQ: null, wallTime: n },
});
const statusEvent = (state: 'running' | 'paused', step = 400): TrainerToHost => ({
  type: 'status',
  status: { state, episode: 2, totalEpisodes: 3, step, totalSteps: null, stepsPerSecond: 0, elapsedSeconds: 1, latestEval: null, bestEval: null },
});
/** Longer than the panel's 100 ms batching of live events: the window of a check that something is NOT posted. */
const BATCH_WINDOW_MS = 250;
/** Waits until `panel` has been posted more than `count` messages (a snapshot is built from files read asynchronously). */
const postedMoreThan = (panel: Panel, count: number, what: string) => waitFor(() => panel.posted.length > count, what);
const liveEpisodes = (posted: HostToWebview[]) =>
  posted.flatMap((m) => (m.type === 'runEvents' ? m.events : m.type === 'runEvent' ? [m.event] : [])).flatMap((e) => (e.type === 'episode' ? [e.row.episode] : []));

// ─── one panel ──────────────────────────────────────────────────────────────────────────────────

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
  const { dashboards, panels, live } = await setup();
  dashboards.open(live);
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
  const { dashboards, panels, run, trainer, live } = await setup();
  trainer.emit(episodeEvent(1));
  dashboards.open(live);
  const panel = panels[0];
  trainer.emit(episodeEvent(2));
  await quietPeriod(BATCH_WINDOW_MS);
  assert.equal(panel.posted.length, 0, 'the webview is not listening yet');
  panel.fromWebview({ type: 'ready' });
  await postedMoreThan(panel, 0, 'the snapshot');
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
  await postedMoreThan(panel, 1, 'the batch of live events');
  assert.deepEqual(panel.posted.slice(1), [{ type: 'runEvents', runId: run.runId, events: [episodeEvent(3), episodeEvent(4)] }], 'one post per batch, in order');
});

test('hidden then shown again: the reloaded webview gets a fresh snapshot, without duplicates', async () => {
  const { dashboards, panels, trainer, live } = await setup();
  dashboards.open(live);
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  await postedMoreThan(panel, 0, 'the first snapshot');
  panel.setVisible(false);
  trainer.emit(episodeEvent(1));
  trainer.emit(episodeEvent(2));
  const before = panel.posted.length;
  panel.setVisible(true);
  panel.fromWebview({ type: 'ready' });
  await postedMoreThan(panel, before, 'the fresh snapshot');
  const after = panel.posted.slice(before);
  assert.equal(after.length, 1, 'one snapshot, no stale queued events');
  assert.equal(after[0].type, 'showRun');
  if (after[0].type === 'showRun') assert.deepEqual(after[0].snapshot.episodes.map((e) => e.episode), [1, 2]);
});

test('an empty dashboard is put to use by the next run, and gets none of another run\'s events', async () => {
  const { dashboards, panels, trainer, startRun } = await setup();
  const empty = dashboards.open();
  assert.equal(empty.currentTarget, undefined);
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  await postedMoreThan(panel, 0, 'noRun');
  assert.deepEqual(panel.posted, [{ type: 'noRun' }]);
  trainer.emit(episodeEvent(1));
  const other = await startRun();
  assert.equal(dashboards.open({ runId: other.run.runId, runDir: other.run.runDir, mode: { kind: 'live' } }), empty, 'the empty panel, not a new one');
  assert.equal(panels.length, 1);
  const shownAt = panel.posted.length;
  trainer.emit(episodeEvent(2));
  other.trainer.emit(episodeEvent(7));
  // Its snapshot and its batch of live events, which would carry episode 2 as well were it forwarded.
  await waitFor(() => panel.posted.slice(shownAt).some((m) => m.type === 'showRun') && liveEpisodes(panel.posted.slice(shownAt)).length > 0, 'the new run\'s snapshot and live batch');
  const after = panel.posted.slice(shownAt);
  assert.ok(after.every((m) => m.type === 'showRun' || (m as { runId: string }).runId === other.run.runId));
  assert.deepEqual(liveEpisodes(after), [7], 'only its own run\'s events follow its snapshot');
});

test('webview commands reach the trainer of the run shown; invalid or foreign ones do not', async () => {
  const { dashboards, panels, run, trainer, logged, messages, live } = await setup();
  dashboards.open(live);
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  panel.fromWebview({ type: 'command', runId: run.runId, command: 'pause' });
  panel.fromWebview({ type: 'command', runId: run.runId, command: 'rm -rf' });
  panel.fromWebview({ type: 'command', runId: 'another-run', command: 'stop' });
  panel.fromWebview('not even an object');
  await waitFor(() => messages.length > 0, 'the warning about the foreign run');
  assert.deepEqual(trainer.sent.map((c) => c.type), ['start', 'pause']);
  assert.equal(logged.filter((l) => l.includes('ignored an invalid message')).length, 2);
  assert.deepEqual(messages.map((m) => m.severity), ['warning']);
  assert.match(messages[0].message, /another-run is not training in this window/);
  panel.fromWebview({ type: 'webviewError', message: 'TypeError: x is undefined' });
  assert.ok(logged.some((l) => l.includes('dashboard script error: TypeError: x is undefined')));
});

test('frames stream only while a visible, ready dashboard asks for them', async () => {
  const { dashboards, panels, run, trainer, live } = await setup();
  dashboards.open(live);
  const panel = panels[0];
  const frameCommands = () => trainer.sent.filter((c) => c.type === 'setFrameStreaming');
  panel.fromWebview({ type: 'ready' });
  await postedMoreThan(panel, 0, 'the snapshot');
  panel.fromWebview({ type: 'framesWanted', enabled: true });
  assert.deepEqual(frameCommands(), [{ type: 'setFrameStreaming', enabled: true }]);
  const frames: TrainerToHost = { type: 'frames', frames: { episode: 1, firstStep: 0, phase: 'train', stride: 2, data: [0.1, 0.2] } };
  const shown = panel.posted.length;
  trainer.emit(frames);
  await postedMoreThan(panel, shown, 'the batch with the frames');
  assert.deepEqual(panel.posted[panel.posted.length - 1], { type: 'runEvents', runId: run.runId, events: [frames] });
  panel.setVisible(false);
  assert.deepEqual(frameCommands()[1], { type: 'setFrameStreaming', enabled: false }, 'hiding the panel stops frames');
  const count = panel.posted.length;
  trainer.emit(frames);
  panel.setVisible(true);
  panel.fromWebview({ type: 'ready' });
  await postedMoreThan(panel, count, 'the fresh snapshot');
  await quietPeriod(BATCH_WINDOW_MS); // and no batch after it
  assert.ok(panel.posted.slice(count).every((m) => m.type === 'showRun'), 'frames are never queued for later');
});

test('inspect mode: the snapshot is cut at the checkpoint step and live events are not forwarded', async () => {
  const { dashboards, panels, trainer, checkpoint, inspect } = await setup();
  for (let n = 1; n <= 4; n++) trainer.emit(episodeEvent(n));
  dashboards.open(inspect(checkpoint('ep-2', 2)));
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  await postedMoreThan(panel, 0, 'the snapshot');
  const show = panel.posted[0];
  assert.equal(show.type, 'showRun');
  if (show.type === 'showRun') {
    assert.deepEqual(show.snapshot.episodes.map((e) => e.episode), [1, 2]);
    assert.equal(show.mode.kind, 'inspect');
  }
  trainer.emit(episodeEvent(5));
  await quietPeriod(BATCH_WINDOW_MS);
  assert.equal(panel.posted.length, 1);
  assert.match(panel.title, /@ ep 2/);
});

// ─── many panels ────────────────────────────────────────────────────────────────────────────────

test('inspecting a checkpoint while the run trains opens a second panel; the live one stays live and keeps its frames', async () => {
  const { dashboards, panels, run, trainer, checkpoint, live, inspect } = await setup();
  const livePanel = dashboards.open(live);
  const [liveWebview] = panels;
  liveWebview.fromWebview({ type: 'ready' });
  await postedMoreThan(liveWebview, 0, 'the live snapshot');
  liveWebview.fromWebview({ type: 'framesWanted', enabled: true });
  const inspected = dashboards.open(inspect(checkpoint('ep-1', 1)));
  assert.notEqual(inspected, livePanel);
  assert.equal(panels.length, 2, 'side by side, not in place of the live run');
  const inspectWebview = panels[1];
  // The user drags it beside the live panel: both visible, the new one focused.
  bringToFront(inspectWebview, panels);
  inspectWebview.fromWebview({ type: 'ready' });
  await postedMoreThan(inspectWebview, 0, 'the checkpoint snapshot');
  assert.deepEqual(livePanel.currentTarget, live, 'the live panel still shows the run live');
  const frames: TrainerToHost = { type: 'frames', frames: { episode: 3, firstStep: 0, phase: 'train', stride: 1, data: [0.5] } };
  const beforeLive = liveWebview.posted.length;
  const beforeInspect = inspectWebview.posted.length;
  trainer.emit(episodeEvent(3));
  trainer.emit(frames);
  await postedMoreThan(liveWebview, beforeLive, 'the live batch');
  assert.deepEqual(liveWebview.posted.slice(beforeLive), [{ type: 'runEvents', runId: run.runId, events: [episodeEvent(3), frames] }]);
  assert.equal(inspectWebview.posted.length, beforeInspect, 'a checkpoint takes no live events');
  assert.deepEqual(trainer.sent.filter((c) => c.type === 'setFrameStreaming').at(-1), { type: 'setFrameStreaming', enabled: true }, 'frames still flow to the visible live panel');
  assert.equal(dashboards.titleBarRunId, undefined, 'the title bar of a checkpoint has no run controls');
  assert.equal(dashboards.visibleRunId, run.runId);
  assert.equal(dashboards.isShowingLive(run.runId), true, 'the run tells the user itself: no notification needed');
});

test('an evaluation over before its page says ready still plays: its scene, frames and result come after ready, in order', async () => {
  const { dashboards, panels, manager, run, checkpoint } = await setup();
  const emitted: TrainerToHost[] = [
    { type: 'scene', scene: { model: 'half_cheetah', bodies: [], geoms: [] } },
    { type: 'frames', frames: { episode: 1, firstStep: 0, phase: 'eval', stride: 2, data: [0, 1, 2, 3] } },
    { type: 'frames', frames: { episode: 2, firstStep: 0, phase: 'eval', stride: 2, data: [4, 5] } },
    { type: 'evaluation', result: { returns: [1, 2], mean: 1.5, std: 0.5 } } as never,
  ];
  let over = false;
  manager.evaluate = (manifest, checkpointDir, _episodes, onEvent) => {
    // The whole evaluation is over at once, as a short MuJoCo one is before a new page has loaded.
    setImmediate(() => {
      emitted.forEach(onEvent);
      over = true;
    });
    return { runId: manifest.runId, checkpointDir, result: Promise.resolve({ returns: [1, 2], mean: 1.5, std: 0.5 }), cancel: async () => undefined };
  };
  const best = checkpoint('best', 2);
  dashboards.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'evaluate', checkpoint: best.manifest, checkpointDir: best.dir, episodes: 2 } });
  const panel = panels.at(-1)!;
  await waitFor(() => over, 'the evaluation to be over');
  assert.equal(panel.posted.length, 0, 'nothing reaches a page that is not listening');
  const replayed = () => panel.posted.flatMap((m) => (m.type === 'runEvent' ? [m.event] : []));
  panel.fromWebview({ type: 'ready' });
  await waitFor(() => replayed().length >= emitted.length, 'the evaluation replayed');
  assert.deepEqual(replayed(), emitted, 'every event of the evaluation, frames included, in the order they came');

  panel.fromWebview({ type: 'ready' }); // the page reloads (hidden and shown again)
  await waitFor(() => replayed().length >= 2 * emitted.length, 'the evaluation replayed again');
  assert.deepEqual(replayed(), [...emitted, ...emitted], 'and again after a reload');
});

test('the same checkpoint in the same mode reuses its panel; another mode or checkpoint gets its own', async () => {
  const { dashboards, panels, manager, messages, logged, run, checkpoint, live, inspect } = await setup();
  const evaluations: Array<{ settle: { resolve(r: EvaluationResult): void; reject(e: Error): void }; episodes: number }> = [];
  manager.evaluate = (manifest, checkpointDir, episodes) => {
    let settle!: (typeof evaluations)[number]['settle'];
    const promise = new Promise<EvaluationResult>((resolve, reject) => (settle = { resolve, reject }));
    evaluations.push({ settle, episodes });
    return { runId: manifest.runId, checkpointDir, result: promise, cancel: async () => undefined } satisfies EvaluationSession;
  };
  const first = checkpoint('ep-1', 1);
  const second = checkpoint('ep-2', 2);
  const evaluate = (c: typeof first, episodes = 5) => ({ runId: run.runId, runDir: run.runDir, mode: { kind: 'evaluate' as const, checkpoint: c.manifest, checkpointDir: c.dir, episodes } });
  dashboards.open(live);
  const inspected = dashboards.open(inspect(first));
  assert.equal(dashboards.open(inspect(first)), inspected);
  assert.equal(dashboards.open({ ...inspect(first), mode: { ...inspect(first).mode, checkpointDir: `${first.dir}${path.sep}` } }), inspected, 'the same folder spelled differently');
  assert.notEqual(dashboards.open(inspect(second)), inspected);
  assert.equal(panels.length, 3);

  const evaluated = dashboards.open(evaluate(first));
  assert.equal(panels.length, 4, 'evaluating is not inspecting');
  assert.equal(evaluations.length, 1);
  assert.equal(dashboards.open(evaluate(first)), evaluated);
  assert.equal(evaluations.length, 1, 'an evaluation under way is not started again');
  evaluations[0].settle.reject(new Error('trainer crashed'));
  await waitFor(() => messages.some((m) => /evaluating checkpoint ep-1 .*failed: trainer crashed/.test(m.message)), 'the failure to be told');
  assert.equal(dashboards.open(evaluate(first)), evaluated);
  assert.equal(evaluations.length, 2, 'a failed evaluation runs again, in its panel');
  evaluations[1].settle.resolve({ returns: [-150], mean: -150, std: 0 });
  await waitFor(() => logged.some((l) => l.startsWith(`evaluation of ${first.dir}: mean -150.0`)), 'the result to be logged');
  dashboards.open(evaluate(first));
  assert.equal(evaluations.length, 2, 'a deterministic evaluation that succeeded is only shown again');
  assert.equal(dashboards.open(evaluate(first, 10)), evaluated);
  assert.deepEqual(evaluations.map((e) => e.episodes), [5, 5, 10], 'another episode count runs again');
  assert.equal(panels.length, 4);
});

test('Open Dashboard comes back to the live run from a checkpoint, and opens its panel again once closed', async () => {
  const s = await setup();
  const { fake, dashboards, panels, run, checkpoint, live } = s;
  commandsFor(s);
  await fake.run(COMMAND_IDS.openDashboard, run.runId);
  const [liveWebview] = panels;
  liveWebview.fromWebview({ type: 'ready' });
  const { dir } = checkpoint('ep-2', 2);
  await fake.run(COMMAND_IDS.inspectCheckpoint, dir);
  assert.equal(panels.length, 2);
  const inspectWebview = panels[1];
  bringToFront(inspectWebview, panels, liveWebview); // a new tab in the same group covers the live one
  assert.equal(dashboards.currentTarget?.mode.kind, 'inspect');
  assert.equal(dashboards.isShowingLive(run.runId), false, 'a checkpoint of the run is not the run');

  await fake.run(COMMAND_IDS.openDashboard);
  assert.equal(panels.length, 2, 'no new panel: the live one is brought back');
  assert.equal(liveWebview.visible, true);
  assert.deepEqual(dashboards.currentTarget, live);
  assert.equal(dashboards.all[0].panel, liveWebview);
  const shownAt = liveWebview.posted.length;
  liveWebview.fromWebview({ type: 'ready' }); // its page reloads once visible
  await postedMoreThan(liveWebview, shownAt, 'the live snapshot');
  const show = liveWebview.posted[shownAt];
  assert.ok(show.type === 'showRun' && show.snapshot.live && show.mode.kind === 'live', 'the live run, live');

  liveWebview.dispose();
  assert.equal(dashboards.all.length, 1);
  await fake.run(COMMAND_IDS.openDashboard);
  assert.equal(panels.length, 3, 'a closed live panel is opened again');
  assert.deepEqual(dashboards.all[0].currentTarget, live);
});

test('title-bar context keys and actions follow the panel in front', async () => {
  const s = await setup();
  const { fake, dashboards, panels, run, trainer, startRun, checkpoint, live, inspect } = s;
  commandsFor(s);
  const keys = new ContextKeys(fake.api, s.manager);
  keys.followTitleBarRun(dashboards);
  const key = (name: string) => fake.executed.filter((c) => c.command === 'setContext' && c.args[0] === name).at(-1)?.args[1];
  assert.equal(key(CONTEXT_KEYS.dashboardCanPause), false, 'no dashboard yet');

  dashboards.open(live);
  assert.equal(key(CONTEXT_KEYS.dashboardCanPause), true);
  assert.equal(key(CONTEXT_KEYS.dashboardCanStop), true);
  dashboards.open(inspect(checkpoint('ep-1', 1)));
  bringToFront(panels[1], panels, panels[0]);
  assert.equal(key(CONTEXT_KEYS.dashboardCanPause), false, 'a checkpoint in front: no Pause above it');
  assert.equal(key(CONTEXT_KEYS.dashboardCanStop), false);
  assert.equal(key(CONTEXT_KEYS.canPause), true, 'the palette still offers Pause');

  const other = await startRun();
  dashboards.open({ runId: other.run.runId, runDir: other.run.runDir, mode: { kind: 'live' } });
  bringToFront(panels[2], panels, panels[1]);
  other.trainer.emit(statusEvent('paused'));
  assert.equal(key(CONTEXT_KEYS.dashboardCanResume), true, 'the state of the run in front');
  assert.equal(key(CONTEXT_KEYS.dashboardCanPause), false);
  other.trainer.emit(statusEvent('running'));
  assert.equal(key(CONTEXT_KEYS.dashboardCanPause), true);

  bringToFront(panels[0], panels, panels[2]);
  assert.equal(key(CONTEXT_KEYS.dashboardCanPause), true, 'back to the first run, still running');
  assert.equal(key(CONTEXT_KEYS.dashboardCanResume), false);
  // Dragged into a group beside it, the other run's panel stays visible: focus alone decides.
  panels[2].setVisible(true);
  assert.equal(dashboards.titleBarRunId, run.runId);
  bringToFront(panels[2], panels);
  assert.equal(dashboards.titleBarRunId, other.run.runId);
  bringToFront(panels[0], panels);
  assert.equal(dashboards.titleBarRunId, run.runId);
  // The title bar passes the webview's resource, which names no run: the run in front is meant,
  // though both runs could pause.
  const webviewResource = { scheme: 'webview-panel', path: 'webview-panel/webview-1' } as unknown as vscode.Uri;
  assert.equal(await fake.run(COMMAND_IDS.pause, webviewResource), run.runId);
  assert.ok(trainer.sent.some((c) => c.type === 'pause'));
  assert.ok(!other.trainer.sent.some((c) => c.type === 'pause'));

  // Focus moves to a text editor beside: the dashboard's own title bar still shows its run.
  panels[0].active = false;
  panels[0].setVisible(true);
  assert.equal(dashboards.titleBarRunId, run.runId);
  panels[0].dispose();
  bringToFront(panels[1], panels); // VS Code shows the group's next tab
  assert.equal(dashboards.titleBarRunId, undefined, 'the panel left in front shows a checkpoint');
  assert.equal(key(CONTEXT_KEYS.dashboardCanStop), false);
  keys.dispose();
});

test('revival: every panel comes back with its run and mode; an evaluation comes back as an inspection', async () => {
  const { fake, dashboards, run, trainer, runsDir, checkpoint, inspect } = await setup();
  const first = checkpoint('ep-1', 1);
  const second = checkpoint('ep-2', 2);
  const serializer = fake.serializers.get(DASHBOARD_VIEW_TYPE);
  assert.ok(serializer);
  const restored = [new FakePanel<HostToWebview>(DASHBOARD_VIEW_TYPE), new FakePanel<HostToWebview>(DASHBOARD_VIEW_TYPE), new FakePanel<HostToWebview>(DASHBOARD_VIEW_TYPE), new FakePanel<HostToWebview>(DASHBOARD_VIEW_TYPE)];
  for (const panel of restored.slice(1)) panel.active = false;
  await serializer.deserializeWebviewPanel(restored[0], { runId: run.runId, mode: { kind: 'live' } });
  await serializer.deserializeWebviewPanel(restored[1], { runId: run.runId, mode: { kind: 'inspect', checkpointDir: first.dir, checkpoint: first.manifest } });
  await serializer.deserializeWebviewPanel(restored[2], { runId: run.runId, mode: { kind: 'evaluate', checkpointDir: second.dir, episodes: 5 } });
  await serializer.deserializeWebviewPanel(restored[3], undefined);
  assert.deepEqual(
    dashboards.all.map((p) => [p.currentTarget?.mode.kind, p.currentTarget?.mode.kind === 'live' ? p.currentTarget.runId : p.currentTarget?.mode.checkpointDir]),
    [['live', run.runId], ['inspect', first.dir], ['inspect', second.dir], [undefined, undefined]],
    'the focused one first',
  );
  for (const panel of restored) panel.fromWebview({ type: 'ready' });
  await waitFor(() => restored.every((p) => p.posted.length > 0), 'a snapshot on every revived panel');
  assert.deepEqual(restored.map((p) => p.posted[0]?.type), ['showRun', 'showRun', 'showRun', 'noRun']);
  assert.equal(restored[1].title, `DDPG: ${run.runId} · periodic @ ep 1`);
  trainer.emit(episodeEvent(1));
  await waitFor(() => liveEpisodes(restored[0].posted).length > 0, 'the live batch on the revived live panel');
  assert.deepEqual(liveEpisodes(restored[0].posted), [1], 'the revived live panel is live');
  assert.deepEqual(liveEpisodes(restored[1].posted), []);
  assert.equal(dashboards.open(inspect(first)).panel, restored[1], 'a revived panel is reused like any other');
  assert.equal(fake.panels.length, 0, 'no new panel was created');

  assert.deepEqual(await dashboards.targetFromState({ runId: run.runId }), { runId: run.runId, runDir: path.join(runsDir, run.runId), mode: { kind: 'live' } });
  assert.equal(await dashboards.targetFromState(undefined), undefined);
  assert.equal(await dashboards.targetFromState({ runId: 42 }), undefined, 'a malformed state is ignored');
  const gone = await dashboards.targetFromState({ runId: run.runId, mode: { kind: 'inspect', checkpointDir: path.join(runsDir, run.runId, 'checkpoints', 'pruned') } });
  assert.equal(gone?.mode.kind, 'live', 'a checkpoint deleted since falls back to its run');
});

test('titles say which checkpoint a panel shows: best and final of one episode get two titles, inspected or evaluated alike', async () => {
  const { dashboards, panels, manager, run, checkpoint, inspect } = await setup();
  manager.evaluate = (manifest, checkpointDir) => ({ runId: manifest.runId, checkpointDir, result: new Promise(() => undefined), cancel: async () => undefined });
  const best = checkpoint('best', 20);
  const final = checkpoint('final-ep0020-step4000', 20);
  best.manifest.reason = 'best';
  final.manifest.reason = 'final';
  const evaluate = (c: typeof best) => ({ runId: run.runId, runDir: run.runDir, mode: { kind: 'evaluate' as const, checkpoint: c.manifest, checkpointDir: c.dir, episodes: 5 } });
  dashboards.open(evaluate(best));
  dashboards.open(evaluate(final));
  dashboards.open(inspect(best));
  dashboards.open(inspect(final));
  assert.deepEqual(panels.map((p) => p.title), [
    `DDPG: evaluate ${run.runId} · best @ ep 20`,
    `DDPG: evaluate ${run.runId} · final @ ep 20`,
    `DDPG: ${run.runId} · best @ ep 20`,
    `DDPG: ${run.runId} · final @ ep 20`,
  ]);
  dashboards.open(inspect(best));
  panels[2].fromWebview({ type: 'watchCheckpoint' });
  assert.equal(panels[2].title, `DDPG: evaluate ${run.runId} · best @ ep 20`, 'Watch this policy retitles the panel it evaluates in');
});

// ─── a MuJoCo run reopened after it ended ───────────────────────────────────────────────────────

const CHEETAH = MUJOCO_ENVIRONMENTS['HalfCheetah-v5'];

/** HalfCheetah's shape (the world and its seven bodies), without loading MuJoCo. */
const cheetahScene: MujocoScene = {
  model: 'cheetah',
  bodies: ['world', ...CHEETAH.mujoco.bodies].map((name, i) => ({ name, parent: [0, 0, 1, 2, 3, 1, 5, 6][i], restPos: [0, 0, 0.7], restQuat: [1, 0, 0, 0] })),
  geoms: [{ name: 'torso', body: 1, type: 'capsule', size: [0.046, 0.5, 0], pos: [0, 0, 0], quat: [0.707, 0, 0.707, 0], rgba: [0.8, 0.6, 0.4, 1], material: '' }],
};

/** A stopped HalfCheetah run's folder, as a trainer this window never saw left it. */
function stoppedCheetahRun(runsDir: string, id: string, scene?: string): string {
  const runDir = path.join(runsDir, id);
  mkdirSync(path.join(runDir, 'checkpoints'), { recursive: true });
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(runInfoFixture({ id, status: 'stopped', config: { ...defaultConfig(), environment: 'HalfCheetah-v5' } })));
  if (scene !== undefined) writeFileSync(path.join(runDir, 'scene.json'), scene);
  return runDir;
}

async function shownSnapshot(panel: Panel): Promise<RunSnapshot> {
  const before = panel.posted.length;
  panel.fromWebview({ type: 'ready' });
  await postedMoreThan(panel, before, 'the snapshot');
  const show = panel.posted.at(-1);
  assert.ok(show?.type === 'showRun', `a showRun, not ${show?.type}`);
  return show.snapshot;
}

test('a MuJoCo run that ended before this window saw it: its snapshot carries the scene from scene.json, in every mode', async () => {
  const { dashboards, panels, runsDir } = await setup();
  const runDir = stoppedCheetahRun(runsDir, 'cheetah-stopped', JSON.stringify(cheetahScene));
  dashboards.open({ runId: 'cheetah-stopped', runDir, mode: { kind: 'live' } });
  const snapshot = await shownSnapshot(panels[0]);
  assert.equal(snapshot.live, false);
  assert.equal(snapshot.status.state, 'stopped');
  assert.deepEqual(snapshot.scene, cheetahScene);

  const manifest = manifestFixture({ name: 'best', runId: 'cheetah-stopped', episode: 3, reason: 'best', config: { ...defaultConfig(), environment: 'HalfCheetah-v5' } });
  const checkpointDir = path.join(runDir, 'checkpoints', 'best');
  dashboards.open({ runId: 'cheetah-stopped', runDir, mode: { kind: 'inspect', checkpoint: manifest, checkpointDir } });
  assert.deepEqual((await shownSnapshot(panels[1])).scene, cheetahScene, 'inspecting a checkpoint of it too');
});

test('a MuJoCo run folder without scene.json (an earlier version\u2019s) opens without a scene and without a complaint; a v1 Pendulum run opens as before', async () => {
  const { dashboards, panels, runsDir, logged } = await setup();
  const runDir = stoppedCheetahRun(runsDir, 'cheetah-old');
  dashboards.open({ runId: 'cheetah-old', runDir, mode: { kind: 'live' } });
  const snapshot = await shownSnapshot(panels[0]);
  assert.equal(snapshot.run.id, 'cheetah-old');
  assert.equal('scene' in snapshot, false);

  const v1 = path.join(__dirname, '..', 'fixtures', 'v1-run', '2026-12-01_08-17-27');
  dashboards.open({ runId: '2026-12-01_08-17-27', runDir: v1, mode: { kind: 'live' } });
  const pendulum = await shownSnapshot(panels[1]);
  assert.equal(pendulum.run.environment.id, 'Pendulum-v1');
  assert.ok(pendulum.episodes.length > 0);
  assert.equal('scene' in pendulum, false);
  assert.deepEqual(logged.filter((line) => /scene/i.test(line)), []);
});

test('a damaged scene.json costs only the 3D model: the run is shown, and the file is named in the log once', async () => {
  const { dashboards, panels, runsDir, logged } = await setup();
  const damaged = stoppedCheetahRun(runsDir, 'cheetah-damaged', '{"model":"cheetah","bodies":[');
  dashboards.open({ runId: 'cheetah-damaged', runDir: damaged, mode: { kind: 'live' } });
  const snapshot = await shownSnapshot(panels[0]);
  assert.equal(snapshot.run.id, 'cheetah-damaged', 'the run, not noRun');
  assert.equal('scene' in snapshot, false);
  await shownSnapshot(panels[0]); // the page reloads
  const warnings = logged.filter((line) => line.includes(path.join(damaged, 'scene.json')));
  assert.equal(warnings.length, 1, `once: ${JSON.stringify(logged)}`);
  assert.match(warnings[0], /not valid JSON/);

  const otherModel = stoppedCheetahRun(runsDir, 'cheetah-with-ants-scene', JSON.stringify({ ...cheetahScene, model: 'ant', bodies: cheetahScene.bodies.slice(0, 3) }));
  dashboards.open({ runId: 'cheetah-with-ants-scene', runDir: otherModel, mode: { kind: 'live' } });
  assert.equal('scene' in (await shownSnapshot(panels[1])), false, 'another model\u2019s scene is not drawn as the cheetah');
  assert.ok(logged.some((line) => line.includes(path.join(otherModel, 'scene.json')) && line.includes('not HalfCheetah-v5')));
});

test('a live run\u2019s own scene wins over the file', async () => {
  const { dashboards, panels, manager, trainers, runsDir } = await setup();
  const run = await manager.startTraining(runsDir, { ...defaultConfig(), environment: 'HalfCheetah-v5', episodes: 3 });
  const trainer = trainers.at(-1)!;
  const info = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
  trainer.emit({ type: 'started', engine: { engine: 'wasm', backend: 'fake' }, run: { ...info, status: 'running' } });
  const sent = { ...cheetahScene, model: 'cheetah as sent' };
  trainer.emit({ type: 'scene', scene: sent });
  writeFileSync(path.join(run.runDir, 'scene.json'), JSON.stringify(cheetahScene));
  dashboards.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
  assert.equal((await shownSnapshot(panels[0])).scene?.model, 'cheetah as sent');
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
