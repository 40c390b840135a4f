/**
 * The run comparison's host side against a fake webview panel: what it serves, the ready
 * handshake, runs read from disk and from a live trainer, unreadable folders reported by name,
 * live refresh, opening a run, guards, and revival after a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { defaultConfig, type RunConfig } from '../../src/shared/config';
import { METRICS_FILE, RUN_FILE } from '../../src/shared/node/runDirectory';
import { taskFieldsOf } from '../../src/shared/runFormat';
import { COMPARISON_VIEW_TYPE, ComparisonController } from '../../src/extension/comparisonPanel';
import type { ComparisonTarget } from '../../src/extension/runComparison';
import type { EpisodeRow, EvalRow, HostToComparison, RunInfo, ShowComparisonMessage } from '../../src/shared/protocol';
import { fakeApi, uri } from '../helpers/fakeWebviewPanel';
import { fakeRunManager } from '../helpers/hostFakes';
import { quietPeriod, waitFor } from '../helpers/waitFor';

const episodeRow = (n: number, ret: number): EpisodeRow => ({
  type: 'episode', episode: n, step: n * 200, return: ret, length: 200, criticLoss: 1, actorLoss: -1, meanQ: -5, wallTime: n * 0.1,
});
const evalRow = (step: number, mean: number): EvalRow => ({ type: 'eval', episode: step / 200, step, mean, std: 3, returns: [mean], wallTime: step / 2000 });

/** A finished run folder as the trainer leaves it. */
function writeRun(runsDir: string, id: string, config: RunConfig, evalMeans: number[]): ComparisonTarget {
  const runDir = path.join(runsDir, id);
  mkdirSync(runDir, { recursive: true });
  const info: RunInfo = { id, name: id, created: '2026-11-24T00:00:00Z', updated: '2026-11-24T00:01:00Z', config, ...taskFieldsOf(config), engine: { engine: 'wasm', backend: 'wasm-simd' }, seed: config.seed, status: 'finished' };
  writeFileSync(path.join(runDir, RUN_FILE), JSON.stringify(info));
  const rows = [
    ...Array.from({ length: 20 }, (_, i) => episodeRow(i + 1, -1200 + i * 50)),
    ...evalMeans.map((mean, i) => evalRow((i + 1) * 1000, mean)),
  ].sort((a, b) => a.step - b.step);
  writeFileSync(path.join(runDir, METRICS_FILE), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { runId: id, runDir };
}

async function setup() {
  const fake = fakeApi<HostToComparison>();
  const { manager, trainers } = fakeRunManager();
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-compare-'));
  const logged: string[] = [];
  const opened: ComparisonTarget[] = [];
  const controller = new ComparisonController(fake.api, {
    runManager: manager,
    extensionUri: uri('/ext'),
    locateRun: async (runId) => (runId === 'gone' ? undefined : path.join(runsDir, runId)),
    openRun: (target) => opened.push(target),
    log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
    liveRefreshMs: 30,
  });
  const a = writeRun(runsDir, 'run-a', { ...defaultConfig(), seed: 1 }, [-900, -180, -150]);
  const b = writeRun(runsDir, 'run-b', { ...defaultConfig(), seed: 2 }, [-1000, -400]);
  const c = writeRun(runsDir, 'run-c', { ...defaultConfig(), seed: 3, tau: 0.05 }, []);
  return { ...fake, manager, trainers, controller, runsDir, logged, opened, a, b, c };
}

const comparisons = (posted: HostToComparison[]) => posted.filter((m): m is ShowComparisonMessage => m.type === 'showComparison');
/** Waits until the panel has been sent `count` comparisons: each is built from run folders read asynchronously. */
const comparisonsPosted = (panel: { posted: HostToComparison[] }, count: number) =>
  waitFor(() => comparisons(panel.posted).length >= count, `comparison ${count} to be posted`);

test('the panel serves dist/compare.js with the dashboard and comparison styles, and posts nothing before ready', async () => {
  const { controller, panels, a, b } = await setup();
  controller.open([a, b]);
  const panel = panels[0];
  const html = panel.webview.html;
  assert.match(html, /data-testid="comparison-root"/);
  assert.match(html, /src="vscode-resource:\/webview\/ext\/dist\/compare\.js"/);
  assert.ok(html.indexOf('media/dashboard.css') < html.indexOf('media/compare.css'), 'the comparison sheet builds on the dashboard one');
  assert.equal(panel.title, 'DDPG: compare 2 runs');
  await quietPeriod(50); // time enough to read two small run folders, were a comparison built before ready
  assert.deepEqual(panel.posted, []);
  assert.deepEqual(controller.comparedRunIds, ['run-a', 'run-b']);
});

test('on ready the webview gets every run with its summary, group and the settings that differ', async () => {
  const { controller, panels, a, b, c } = await setup();
  controller.open([a, b, c]);
  panels[0].fromWebview({ type: 'ready' });
  await comparisonsPosted(panels[0], 1);
  const [message] = comparisons(panels[0].posted);
  assert.deepEqual(message.runs.map((r) => r.run.id), ['run-a', 'run-b', 'run-c']);
  assert.deepEqual(message.differingSettings, ['tau', 'seed']);
  assert.deepEqual(message.problems, []);
  assert.deepEqual(message.environments, [{ id: 'Pendulum-v1', title: 'Pendulum', solvedThreshold: -200, solvedLabel: 'solved (DDPG Lab: -200)' }]);
  assert.ok(message.runs.every((r) => r.environment === 'Pendulum-v1' && r.algorithm === 'ddpg'));
  const [runA, runB, runC] = message.runs;
  assert.equal(runA.groupKey, runB.groupKey, 'seeds of one experiment share a group');
  assert.notEqual(runA.groupKey, runC.groupKey);
  assert.equal(runA.summary.bestEval, -150);
  assert.deepEqual(runA.summary.solved, { episode: 10, step: 2000, wallTime: 1 });
  assert.equal(runB.summary.solved, null);
  assert.equal(runC.summary.finalEval, null);
  assert.deepEqual(runA.evals[1], { episode: 10, step: 2000, wallTime: 1, mean: -180, std: 3 }, 'means without the per-episode returns');
  assert.equal(runA.returns.length, 20);
  assert.equal(runA.returns[19].value, (-1200 * 10 + 50 * (10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19)) / 10);
  assert.ok(message.runs.every((r) => !r.live));
});

test('a folder that is not a readable run is named with its error; the other runs are still compared', async () => {
  const { controller, panels, a, b, runsDir, logged } = await setup();
  const broken = path.join(runsDir, 'broken');
  mkdirSync(broken);
  writeFileSync(path.join(broken, RUN_FILE), '{ not json');
  controller.open([a, { runId: 'broken', runDir: broken }, b]);
  panels[0].fromWebview({ type: 'ready' });
  await comparisonsPosted(panels[0], 1);
  const [message] = comparisons(panels[0].posted);
  assert.deepEqual(message.runs.map((r) => r.run.id), ['run-a', 'run-b']);
  assert.equal(message.problems.length, 1);
  assert.equal(message.problems[0].runDir, broken);
  assert.match(message.problems[0].error, /run\.json/);
  assert.ok(logged.some((l) => l.includes(broken)));
});

test('a live run is marked live and re-sent (throttled) while it trains; Refresh re-reads every run at once', async () => {
  const { controller, panels, manager, trainers, a, runsDir } = await setup();
  const live = await manager.startTraining(runsDir, { ...defaultConfig(), episodes: 50 });
  const info = JSON.parse(readFileSync(path.join(live.runDir, RUN_FILE), 'utf8')) as RunInfo;
  trainers[0].emit({ type: 'started', engine: { engine: 'wasm', backend: 'fake' }, run: { ...info, status: 'running' } });
  controller.open([a, { runId: live.runId, runDir: live.runDir }]);
  const panel = panels[0];
  panel.fromWebview({ type: 'ready' });
  await comparisonsPosted(panel, 1);
  assert.equal(comparisons(panel.posted).length, 1);
  assert.equal(comparisons(panel.posted)[0].runs[1].live, true);
  // A finished run's folder is read once, not on every live refresh; Refresh reads it again.
  appendFileSync(path.join(a.runDir, METRICS_FILE), JSON.stringify(evalRow(4000, -120)) + '\n');
  for (let n = 1; n <= 5; n++) trainers[0].emit({ type: 'episode', row: episodeRow(n, -1000 + n) });
  trainers[0].emit({ type: 'eval', row: evalRow(1000, -190) });
  await comparisonsPosted(panel, 2);
  await quietPeriod(100); // three refresh intervals, in which a second refresh for the same events would come
  const after = comparisons(panel.posted);
  assert.equal(after.length, 2, 'six events, one refresh');
  const liveRun = after[1].runs[1];
  assert.equal(liveRun.summary.episodes, 5);
  assert.equal(liveRun.summary.solved?.step, 1000);
  assert.equal(after[1].runs[0].evals.length, 3, 'the live refresh did not re-read run-a');
  panel.fromWebview({ type: 'refresh' });
  await comparisonsPosted(panel, 3);
  assert.equal(comparisons(panel.posted).length, 3);
  assert.equal(comparisons(panel.posted)[2].runs[0].evals.length, 4, 'Refresh re-read run-a');
});

test('openRun opens a compared run in the dashboard; unknown runs and invalid messages are ignored with a log line', async () => {
  const { controller, panels, a, b, opened, logged } = await setup();
  controller.open([a, b]);
  const panel = panels[0];
  panel.fromWebview({ type: 'openRun', runId: 'run-b' });
  panel.fromWebview({ type: 'openRun', runId: 'elsewhere' });
  panel.fromWebview({ type: 'openRun', runId: 42 });
  panel.fromWebview({ type: 'command', runId: 'run-a', command: 'stop' });
  assert.deepEqual(opened, [b]);
  assert.ok(logged.some((l) => l.includes('elsewhere')));
  assert.equal(logged.filter((l) => l.includes('ignored an invalid message')).length, 2);
});

test('a second Compare reuses the panel; after a reload the serializer revives it from the stored run ids', async () => {
  const { controller, panels, a, b, c, serializer } = await setup();
  controller.open([a, b]);
  controller.open([b, c]);
  assert.equal(panels.length, 1);
  assert.deepEqual(controller.comparedRunIds, ['run-b', 'run-c']);

  const revivedPanel = panels[0];
  const s = serializer() as vscode.WebviewPanelSerializer;
  await s.deserializeWebviewPanel(revivedPanel, { runIds: ['run-a', 'gone', 7, 'run-c'] });
  assert.deepEqual(controller.comparedRunIds, ['run-a', 'run-c']);
  revivedPanel.fromWebview({ type: 'ready' });
  await comparisonsPosted(revivedPanel, 1);
  const message = comparisons(revivedPanel.posted).at(-1)!;
  assert.deepEqual(message.runs.map((r) => r.run.id), ['run-a', 'run-c']);
  assert.deepEqual(message.problems, [{ runDir: 'gone', error: 'this run no longer exists in the runs directory' }]);
  assert.equal(COMPARISON_VIEW_TYPE, 'ddpgLab.comparison');
});

test('a Pendulum run and a MountainCar run: never one experiment, each judged by its own environment’s threshold', async () => {
  const { controller, panels, runsDir, a } = await setup();
  // Same learning settings as run-a, another environment; its evaluations are MountainCar returns.
  const car = writeRun(runsDir, 'car', { ...defaultConfig(), environment: 'MountainCarContinuous-v0', seed: 1 }, [-30, 60, 93]);
  const carSeed2 = writeRun(runsDir, 'car-2', { ...defaultConfig(), environment: 'MountainCarContinuous-v0', seed: 2 }, [-30, 85]);
  controller.open([a, car, carSeed2]);
  panels[0].fromWebview({ type: 'ready' });
  await comparisonsPosted(panels[0], 1);
  const [message] = comparisons(panels[0].posted);
  const [pendulum, mountainCar, mountainCar2] = message.runs;
  assert.deepEqual(message.runs.map((r) => r.environment), ['Pendulum-v1', 'MountainCarContinuous-v0', 'MountainCarContinuous-v0']);
  assert.deepEqual(
    message.environments.map((e) => [e.id, e.solvedThreshold, e.solvedLabel]),
    [
      ['Pendulum-v1', -200, 'solved (DDPG Lab: -200)'],
      ['MountainCarContinuous-v0', 90, 'solved (Gymnasium: 90)'],
    ],
  );
  assert.notEqual(pendulum.groupKey, mountainCar.groupKey, 'equal learning settings on two environments are two experiments');
  assert.equal(mountainCar.groupKey, mountainCar2.groupKey, 'seeds on one environment are one experiment');
  // −180 solves Pendulum (≥ −200); 60 does not solve MountainCar (< 90), 93 does.
  assert.deepEqual(pendulum.summary.solved, { episode: 10, step: 2000, wallTime: 1 });
  assert.deepEqual(mountainCar.summary.solved, { episode: 15, step: 3000, wallTime: 1.5 });
  assert.equal(mountainCar2.summary.solved, null);
  assert.ok(message.differingSettings.includes('environment'));
  assert.ok(!message.differingSettings.includes('gravity'), 'gravity applies to Pendulum only: one value, nothing differs');
});

test('a run written before environments existed is a Pendulum-v1 DDPG run, a seed of the same experiment as a new one', async () => {
  const { controller, panels, runsDir, a } = await setup();
  // run.json as the code before environments wrote it: no algorithm, environment or goal velocity anywhere, Pendulum's time limit spelled out.
  const old = writeRun(runsDir, 'old', { ...defaultConfig(), seed: 5 }, [-300]);
  const runJson = path.join(old.runDir, RUN_FILE);
  const stored = JSON.parse(readFileSync(runJson, 'utf8')) as Record<string, unknown> & { config: Record<string, unknown> };
  for (const key of ['environment', 'algorithm']) delete stored[key];
  for (const key of ['environment', 'algorithm', 'goalVelocity']) delete stored.config[key];
  stored.config.maxEpisodeSteps = 200;
  writeFileSync(runJson, JSON.stringify(stored));
  controller.open([a, old]);
  panels[0].fromWebview({ type: 'ready' });
  await comparisonsPosted(panels[0], 1);
  const [message] = comparisons(panels[0].posted);
  assert.deepEqual(message.runs.map((r) => [r.environment, r.algorithm]), [['Pendulum-v1', 'ddpg'], ['Pendulum-v1', 'ddpg']]);
  assert.equal(message.runs[0].groupKey, message.runs[1].groupKey, 'a time limit of 0 (the environment’s own) is Pendulum’s 200');
  assert.deepEqual(message.differingSettings, ['seed']);
});
