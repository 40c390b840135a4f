/**
 * What the Runs view, the status bar and the context keys show, from fixture run directories:
 * tree contents and labels (each run's environment among them), state icons, command
 * availability, resume checks, and loading a run's history from disk (a half-written last
 * metrics line is skipped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { CheckpointManifest, RunInfo, RunStatus, StatusSnapshot, TrainerToHost } from '../../src/shared/protocol';
import { defaultConfig } from '../../src/shared/config';
import { displayedState, REFRESH_DELAY_MS, RunsTreeProvider, stateIcon, type CheckpointNode, type RunNode, type RunsTreeNode } from '../../src/extension/checkpointTree';
import { allows, runContextKeys } from '../../src/extension/contextKeys';
import { changedSettings, limitAlreadyReached } from '../../src/extension/resumePolicy';
import { RunHistory } from '../../src/extension/runHistory';
import { RunIndex } from '../../src/extension/runIndex';
import { checkpointDescription, checkpointLabel, formatReturn, manifestMarkdown, runDescription } from '../../src/extension/runLabels';
import { RunManager } from '../../src/extension/runManager';
import { statusBarText, TrainingStatusBar } from '../../src/extension/statusBar';
import type { ThrottleClock } from '../../src/extension/runEventThrottle';
import { fakeVscode, type FakeVscode } from '../helpers/fakeVscode';
import { FakeTrainer, ManualClock, manifestFixture, quietLog, runInfoFixture } from '../helpers/hostFakes';

const config = { ...defaultConfig(), episodes: 50 };
const engine = { engine: 'wasm' as const, backend: 'simd' };

function manifest(runId: string, name: string, episode: number, reason: CheckpointManifest['reason'], recentReturn: number | null): CheckpointManifest {
  return manifestFixture({ name, runId, episode, recentReturn, bestEval: -300, reason, config, engine });
}

/**
 * A runs directory with a finished run (2 checkpoints, one broken), an interrupted run written
 * before environments were a choice (no algorithm or environment anywhere), a Mountain Car run,
 * and a stray folder.
 */
function fixtureRuns(): string {
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-tree-'));
  const write = (id: string, info: object) => {
    const dir = path.join(runsDir, id);
    mkdirSync(path.join(dir, 'checkpoints'), { recursive: true });
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify(info));
    return dir;
  };
  const finished = write('2025-01-01_10-00-00', runInfoFixture({ id: '2025-01-01_10-00-00', status: 'finished', created: '2025-01-01T10:00:00.000Z', config }));
  const judgedBy = { 'ep-10': { mean: -400, std: 20, step: 1000, episode: 5 }, 'ep-50': { mean: -160.4, std: 10, step: 10000, episode: 50 } };
  for (const [name, ep, reason, ret] of [['ep-10', 10, 'periodic', -900.25], ['ep-50', 50, 'final', -180.5]] as const) {
    mkdirSync(path.join(finished, 'checkpoints', name));
    const written = { ...manifest('2025-01-01_10-00-00', name, ep, reason, ret), evaluation: judgedBy[name] };
    writeFileSync(path.join(finished, 'checkpoints', name, 'checkpoint.json'), JSON.stringify(written));
  }
  mkdirSync(path.join(finished, 'checkpoints', 'broken'));
  writeFileSync(path.join(finished, 'checkpoints', 'broken', 'checkpoint.json'), '{"formatVersion": 1');
  const rows = [
    { type: 'episode', episode: 1, step: 200, return: -1500, length: 200, criticLoss: null, actorLoss: null, meanQ: null, wallTime: 1 },
    { type: 'eval', episode: 25, step: 5000, mean: -400, std: 20, returns: [-400], wallTime: 20 },
    { type: 'eval', episode: 50, step: 10000, mean: -160.4, std: 10, returns: [-160.4], wallTime: 40 },
    { type: 'episode', episode: 50, step: 10000, return: -170, length: 200, criticLoss: 0.1, actorLoss: 20, meanQ: -20, wallTime: 41 },
  ];
  writeFileSync(path.join(finished, 'metrics.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  appendFileSync(path.join(finished, 'metrics.jsonl'), '{"type":"episode","episode":51,"st'); // crash mid-write
  // VS Code closed mid-run, in a version that knew only Pendulum.
  const { algorithm: _a, environment: _e, ...oldConfig } = config;
  const created = '2025-01-02T09:00:00.000Z';
  write('2025-01-02_09-00-00', { id: '2025-01-02_09-00-00', name: '2025-01-02_09-00-00', created, updated: created, config: oldConfig, engine, seed: 1, status: 'running' });
  const car = { ...config, environment: 'MountainCarContinuous-v0' as const };
  write('2025-01-03_08-00-00', runInfoFixture({ id: '2025-01-03_08-00-00', status: 'stopped', created: '2025-01-03T08:00:00.000Z', config: car }));
  mkdirSync(path.join(runsDir, 'not-a-run'));
  return runsDir;
}

/** The Runs view as extension.ts wires it, on the fake API; `changes` is what it asked VS Code to redraw. */
function runsView(manager: RunManager, runsDir: string, options: { onRunCount?: (n: number) => void; clock?: ThrottleClock } = {}) {
  const fake = fakeVscode();
  const index = new RunIndex(fake.api, manager, runsDir);
  const tree = new RunsTreeProvider(fake.api, manager, index, options.onRunCount ?? (() => undefined), options.clock);
  const changes: Array<RunsTreeNode | RunsTreeNode[] | undefined | void> = [];
  tree.onDidChangeTreeData((change) => changes.push(change));
  const dispose = () => {
    tree.dispose();
    index.dispose();
    manager.dispose();
  };
  return { fake, index, tree, changes, dispose };
}

const iconId = (fake: FakeVscode, item: vscode.TreeItem) => (item.iconPath instanceof fake.api.ThemeIcon ? item.iconPath.id : undefined);
const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const tooltipText = (item: vscode.TreeItem) => (typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value);

test('the tree lists runs newest first, with state icons, environments and descriptions from their files', async () => {
  const runsDir = fixtureRuns();
  let count = -1;
  const { fake, tree, dispose } = runsView(new RunManager({ trainerScript: 'x', createLog: () => quietLog }), runsDir, { onRunCount: (n) => (count = n) });
  const runs = (await tree.getChildren()) as RunNode[];
  assert.equal(count, 4);
  const items = await Promise.all(runs.map((r) => tree.getTreeItem(r)));
  const byLabel = Object.fromEntries(items.map((i) => [labelOf(i), i]));
  const finished = byLabel['2025-01-01_10-00-00'];
  assert.equal(finished.description, 'Pendulum · ep 50/50 · best −160.4');
  assert.equal(iconId(fake, finished), 'pass');
  assert.equal(finished.contextValue, 'ddpgRun.finished');
  assert.equal(finished.command?.command, 'ddpg.openDashboard');
  assert.match(tooltipText(finished) ?? '', /DDPG on Pendulum/);
  const interrupted = byLabel['2025-01-02_09-00-00'];
  assert.equal(iconId(fake, interrupted), 'debug-disconnect');
  assert.equal(interrupted.description, 'Pendulum · ep 0/50', 'a run from before environments were a choice is Pendulum-v1');
  assert.match(tooltipText(interrupted) ?? '', /interrupted/);
  assert.match(tooltipText(interrupted) ?? '', /DDPG on Pendulum/, 'and DDPG');
  const car = byLabel['2025-01-03_08-00-00'];
  assert.equal(car.description, 'Mountain Car (continuous) · ep 0/50');
  assert.match(tooltipText(car) ?? '', /DDPG on Mountain Car \(continuous\)/);
  assert.equal(byLabel['not-a-run'].description, 'unreadable');
  assert.equal(items[0].label, '2025-01-03_08-00-00', 'newest first');

  const checkpoints = (await tree.getChildren(runs.find((r) => r.runId === '2025-01-01_10-00-00'))) as CheckpointNode[];
  const cpItems = await Promise.all(checkpoints.map((c) => tree.getTreeItem(c)));
  assert.deepEqual(
    cpItems.map((i) => [i.label, i.description, i.contextValue]),
    [
      ['broken', 'unreadable', 'ddpgCheckpointBroken'],
      ['final · eval −160.4 ± 10.0 @ 10,000', 'ep 50 · step 10,000', 'ddpgCheckpoint'],
      ['periodic · eval −400.0 @ 1,000', 'ep 10 · step 2,000', 'ddpgCheckpoint'],
    ],
  );
  assert.equal(cpItems[1].command?.command, 'ddpg.inspectCheckpoint');
  assert.equal(cpItems[1].tooltip, undefined, 'the manifest table is not sent with every row');
  const hovered = tree.resolveTreeItem(cpItems[1], checkpoints[1]);
  assert.match(tooltipText(hovered) ?? '', /\| Episode \| 50 \|/);
  assert.match(tooltipText(hovered) ?? '', /\| Environment \| Pendulum \|/);
  assert.equal(cpItems[0].tooltip !== undefined, true, 'a broken checkpoint says why at once');
  assert.equal(tree.getParent(checkpoints[1]), runs.find((r) => r.runId === '2025-01-01_10-00-00'), 'the same node object is reused');
  dispose();
});

test('a run history loads from disk; a half-written last line is skipped, a broken checkpoint listed apart', async () => {
  const runsDir = fixtureRuns();
  const history = await RunHistory.load(path.join(runsDir, '2025-01-01_10-00-00'));
  assert.equal(history.episodes.length, 2);
  assert.equal(history.evals.length, 2);
  assert.equal(history.skippedMetricLines, 1);
  assert.deepEqual(history.checkpoints.map((c) => c.manifest.name), ['ep-10', 'ep-50']);
  assert.equal(history.brokenCheckpoints.length, 1);
  assert.equal(history.status.state, 'finished');
  assert.equal(history.status.episode, 50);
  assert.equal(history.bestEval, -160.4);
  const cut = history.snapshotUpTo(2000);
  assert.deepEqual(cut.episodes.map((e) => e.episode), [1]);
  assert.deepEqual(cut.checkpoints.map((c) => c.name), ['ep-10']);
  await assert.rejects(RunHistory.load(path.join(runsDir, 'not-a-run')), /run\.json is missing/);
});

test('context keys: each command only in the states where it means something', () => {
  assert.deepEqual(runContextKeys([]), { 'ddpg.canPause': false, 'ddpg.canResume': false, 'ddpg.canStop': false, 'ddpg.canSaveCheckpoint': false, 'ddpg.hasLiveRun': false });
  assert.deepEqual(runContextKeys(['running']), { 'ddpg.canPause': true, 'ddpg.canResume': false, 'ddpg.canStop': true, 'ddpg.canSaveCheckpoint': true, 'ddpg.hasLiveRun': true });
  assert.deepEqual(runContextKeys(['paused']), { 'ddpg.canPause': false, 'ddpg.canResume': true, 'ddpg.canStop': true, 'ddpg.canSaveCheckpoint': true, 'ddpg.hasLiveRun': true });
  assert.equal(runContextKeys(['starting'])['ddpg.canPause'], false);
  assert.equal(runContextKeys(['starting'])['ddpg.canStop'], true);
  assert.equal(runContextKeys(['stopping'])['ddpg.canStop'], false);
  assert.equal(allows('checkpoint', 'stopping'), false);
});

test('states, icons, labels and the status bar text', () => {
  assert.equal(displayedState('running', false), 'interrupted');
  assert.equal(displayedState('running', true), 'running');
  assert.equal(displayedState('crashed', false), 'crashed');
  assert.equal(displayedState(undefined, false), 'unreadable');
  assert.deepEqual(stateIcon('crashed'), { id: 'error', color: 'errorForeground' });
  assert.equal(stateIcon('paused').id, 'debug-pause');
  assert.equal(formatReturn(-1234.56), '−1234.6');
  assert.equal(formatReturn(null), '–');
  assert.equal(runDescription(undefined, 3, null, null), 'ep 3');
  assert.equal(runDescription('Pendulum', 3, null, -1), 'Pendulum · ep 3 · best −1.0');
  const m = manifest('r', 'ep-3', 3, 'best', null);
  assert.equal(checkpointLabel(m), 'best · eval −300.0', "a best manifest older than recorded evaluations: the run's best when saved is what made it best");
  assert.equal(checkpointDescription(m), 'ep 3 · step 600');
  const judged = { ...m, evaluation: { mean: -141.24, std: 3.04, step: 600, episode: 3 } };
  assert.equal(checkpointLabel(judged), 'best · eval −141.2 ± 3.0 @ 600', 'the kind first, then the evaluation that made it best');
  // Every checkpoint saved since the last evaluation has it as its latest: none is marked as if it were the run's newest.
  const sinceEvaluation = { ...judged, reason: 'periodic' as const, evaluation: { mean: -160.44, std: 9, step: 18000, episode: 90 } };
  assert.deepEqual(
    [19000, 20000].map((step) => checkpointLabel({ ...sinceEvaluation, step })),
    ['periodic · eval −160.4 @ 18,000', 'periodic · eval −160.4 @ 18,000'],
  );
  assert.equal(checkpointLabel({ ...m, reason: 'final', evaluation: null }), 'final · not evaluated');
  assert.equal(checkpointLabel({ ...m, reason: 'periodic' }), 'periodic · eval not recorded', 'any other older manifest has no score to show');
  // Beside the hover's "Evaluation" label, the value does not say "evaluation" again.
  const evaluationRow = (md: string) => md.match(/^\| Evaluation \| (.*) \|$/m)?.[1];
  assert.equal(evaluationRow(manifestMarkdown(judged, '/x')), '−141.2 ± 3.0 at step 600 (the one that made it the best)');
  assert.equal(evaluationRow(manifestMarkdown({ ...sinceEvaluation, step: 20000 }, '/x')), '−160.4 ± 9.0 at step 18,000 (the latest before this checkpoint)');
  assert.equal(evaluationRow(manifestMarkdown({ ...sinceEvaluation, step: 18000 }, '/x')), '−160.4 ± 9.0 at step 18,000 (this policy)');
  assert.equal(evaluationRow(manifestMarkdown({ ...m, reason: 'final', evaluation: null }, '/x')), 'none had run when it was saved');
  assert.equal(evaluationRow(manifestMarkdown(m, '/x')), "−300.0 (the run's best when it was saved)");
  assert.match(manifestMarkdown({ ...m, name: 'a|b' }, '/x'), /Checkpoint a\\\|b/, 'markdown in names is escaped');
  const summary = { runId: 'r', runDir: '/r', name: 'r', state: 'running' as const, episode: 12, totalEpisodes: 100, latestReturn: -812.34, bestEval: null };
  assert.equal(statusBarText(summary, 0), '$(pulse) DDPG ep 12/100 · R −812.3');
  assert.equal(statusBarText({ ...summary, state: 'paused' }, 1), '$(debug-pause) DDPG paused · ep 12/100 (+1)');
});

test('resuming from a checkpoint: limits must lie ahead; the settings changed since are listed', () => {
  const m = manifest('r', 'ep-10', 10, 'periodic', -900);
  assert.equal(limitAlreadyReached({ ...config, episodes: 10 }, m), 'ddpg.episodes is 10 but the checkpoint is already at episode 10: raise it to continue training');
  assert.equal(limitAlreadyReached({ ...config, episodes: 0, totalSteps: 2000 }, m), 'ddpg.totalSteps is 2000 but the checkpoint is already at step 2000: raise it to continue training');
  assert.equal(limitAlreadyReached({ ...config, episodes: 11 }, m), undefined);
  assert.deepEqual(changedSettings({ ...config, actorLr: 0.0005 }, m.config), ['ddpg.actorLr 0.001 → 0.0005']);
  assert.deepEqual(changedSettings({ ...config, goalVelocity: 0.05 }, m.config), [], "another environment's option is not a change worth a word");
});

test('file changes redraw only their run; a new run folder redraws the list; temporary folders nothing', async () => {
  const runsDir = fixtureRuns();
  // Time is the test's: a redraw due REFRESH_DELAY_MS after a file event is made when the clock gets there.
  const clock = new ManualClock();
  const { fake, tree, changes, dispose } = runsView(new RunManager({ trainerScript: 'x', createLog: () => quietLog }), runsDir, { clock });
  assert.equal(fake.watchers.length, 1, 'the runs directory is watched');
  const runs = (await tree.getChildren()) as RunNode[];
  const finished = runs.find((r) => r.runId === '2025-01-01_10-00-00')!;
  const settle = () => clock.advance(REFRESH_DELAY_MS);

  fake.fileEvent('create', path.join(runsDir, '2025-01-01_10-00-00', 'checkpoints', '.tmp-best-1-2', 'checkpoint.json'));
  fake.fileEvent('change', path.join(os.tmpdir(), 'elsewhere', 'run.json'));
  settle();
  assert.deepEqual(changes, [], 'temporary folders and files outside the runs directory are ignored');

  fake.fileEvent('create', path.join(runsDir, '2025-01-01_10-00-00', 'checkpoints', 'best'));
  fake.fileEvent('change', path.join(runsDir, '2025-01-01_10-00-00', 'run.json'));
  settle();
  assert.equal(changes.length, 1, 'a burst is coalesced');
  assert.deepEqual(changes[0], [finished], 'only that run is redrawn');

  changes.length = 0;
  fake.fileEvent('create', path.join(runsDir, '2025-02-02_00-00-00'));
  settle();
  assert.deepEqual(changes, [undefined], 'a new run folder redraws the whole list');

  const other = mkdtempSync(path.join(os.tmpdir(), 'ddpg-tree-other-'));
  tree.setRunsDirectory(other);
  assert.equal(fake.watchers.length, 2);
  assert.equal(fake.watchers[0].disposed, true, 'the old directory is no longer watched');
  assert.deepEqual(await tree.getChildren(), []);
  dispose();
  assert.equal(fake.watchers[1].disposed, true);
});

// ─── a live run, driven by a fake trainer and a manual clock ───────────────────────────────────

async function liveRun() {
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-live-tree-'));
  let trainer: FakeTrainer | undefined;
  const manager = new RunManager({
    trainerScript: 'x',
    createLog: () => quietLog,
    launch: (_options, listeners) => (trainer = new FakeTrainer(listeners)),
  });
  const run = await manager.startTraining(runsDir, config);
  const info = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
  trainer!.emit({ type: 'started', engine, run: { ...info, status: 'running' } });
  let step = 0;
  const status = (state: RunStatus, episode: number): TrainerToHost => {
    const snapshot: StatusSnapshot = { state, episode, totalEpisodes: 50, step, totalSteps: null, stepsPerSecond: 0, elapsedSeconds: 0, latestEval: null, bestEval: null };
    return { type: 'status', status: snapshot };
  };
  const episode = (n: number): TrainerToHost => {
    step += 60;
    return { type: 'episode', row: { type: 'episode', episode: n, step, return: -500, length: 60, criticLoss: null, actorLoss: null, meanQ: null, wallTime: n } };
  };
  return { runsDir, manager, run, trainer: trainer!, status, episode };
}

test('a live run redraws its row at most once a second for episodes, and within 300 ms when it pauses', async () => {
  const { runsDir, manager, run, trainer, status, episode } = await liveRun();
  const clock = new ManualClock();
  const { fake, tree, changes, dispose } = runsView(manager, runsDir, { clock });
  const [node] = (await tree.getChildren()) as RunNode[];
  assert.equal(node.runId, run.runId);
  trainer.emit(status('running', 0));
  await tree.getTreeItem(node); // VS Code draws the row: it shows "running"
  changes.length = 0;

  for (let n = 1; n <= 90; n++) {
    trainer.emit(episode(n));
    if (n % 10 === 0) trainer.emit(status('running', n));
    clock.advance(10);
  }
  assert.deepEqual(changes, [], '90 episodes in 0.9 s: no redraw yet');
  clock.advance(100);
  assert.deepEqual(changes, [[node]], 'one redraw of that run once the second is up');
  assert.equal((await tree.getTreeItem(node)).description, 'Pendulum · ep 90/50');

  changes.length = 0;
  trainer.emit(episode(91));
  clock.advance(50);
  trainer.emit(status('paused', 91));
  clock.advance(300);
  assert.deepEqual(changes, [[node]], 'a change of state brings the redraw forward');
  assert.equal(iconId(fake, await tree.getTreeItem(node)), 'debug-pause');
  clock.advance(2000);
  assert.equal(changes.length, 1, 'and nothing is left to redraw');
  dispose();
});

test("a run's checkpoints are read from disk once; afterwards only folders a file change or a checkpoint event names", async () => {
  const runsDir = fixtureRuns();
  const { fake, tree, dispose } = runsView(new RunManager({ trainerScript: 'x', createLog: () => quietLog }), runsDir, { clock: new ManualClock() });
  const runs = (await tree.getChildren()) as RunNode[];
  const finished = runs.find((r) => r.runId === '2025-01-01_10-00-00')!;
  const checkpointsDir = path.join(runsDir, '2025-01-01_10-00-00', 'checkpoints');
  const describe = async () =>
    ((await tree.getChildren(finished)) as CheckpointNode[]).map((c) => `${path.basename(c.dir)}:${c.manifest ? c.manifest.recentReturn : 'unreadable'}`);
  const rewrite = (name: string, episode: number, recentReturn: number) => {
    mkdirSync(path.join(checkpointsDir, name), { recursive: true });
    writeFileSync(path.join(checkpointsDir, name, 'checkpoint.json'), JSON.stringify(manifest('2025-01-01_10-00-00', name, episode, 'periodic', recentReturn)));
  };
  assert.deepEqual(await describe(), ['broken:unreadable', 'ep-50:-180.5', 'ep-10:-900.25']);

  rewrite('ep-10', 10, -111);
  assert.deepEqual(await describe(), ['broken:unreadable', 'ep-50:-180.5', 'ep-10:-900.25'], 'nothing said ep-10 changed: not read again');

  rewrite('ep-30', 30, -333);
  fake.fileEvent('create', path.join(checkpointsDir, 'ep-30'));
  assert.deepEqual(await describe(), ['broken:unreadable', 'ep-50:-180.5', 'ep-30:-333', 'ep-10:-900.25'], 'the new folder is read, ep-10 still not');

  fake.fileEvent('change', path.join(checkpointsDir, 'ep-10', 'checkpoint.json'));
  rmSync(path.join(checkpointsDir, 'broken'), { recursive: true });
  fake.fileEvent('delete', path.join(checkpointsDir, 'broken'));
  assert.deepEqual(await describe(), ['ep-50:-180.5', 'ep-30:-333', 'ep-10:-111'], 'the changed one is read again, the deleted one is gone');

  rewrite('ep-50', 50, -55);
  tree.refresh();
  assert.deepEqual(await describe(), ['ep-50:-55', 'ep-30:-333', 'ep-10:-111'], 'the Refresh command reads everything again');
  dispose();
});

test("a live run's checkpoint event shows the checkpoint from its manifest, without reading it back", async () => {
  const { runsDir, manager, run, trainer, status } = await liveRun();
  const { tree, dispose } = runsView(manager, runsDir, { clock: new ManualClock() });
  const [node] = (await tree.getChildren()) as RunNode[];
  trainer.emit(status('running', 0));
  assert.deepEqual(await tree.getChildren(node), [], 'no checkpoints yet');
  const written = { ...manifest(run.runId, 'manual-ep0012-step720', 12, 'manual', -420), step: 720 };
  // The event arrives; the folder is not even on disk here, so a listing would not find it.
  trainer.emit({ type: 'checkpoint', dir: path.join(run.runDir, 'checkpoints', written.name), manifest: written, requestId: 1 });
  const children = (await tree.getChildren(node)) as CheckpointNode[];
  assert.deepEqual(children.map((c) => [path.basename(c.dir), c.manifest?.reason]), [['manual-ep0012-step720', 'manual']]);
  dispose();
});

test('the status bar item is only touched when what it shows changes; a change of state shows at once', async () => {
  const { manager, trainer, status, episode } = await liveRun();
  const fake = fakeVscode();
  const bar = new TrainingStatusBar(fake.api, manager, () => undefined);
  const [item] = fake.statusBarItems;
  trainer.emit(status('running', 0));
  bar.update();
  assert.match(item.text, /DDPG ep 0\/50/);
  item.writes.length = 0;
  bar.update();
  bar.update();
  assert.deepEqual(item.writes, [], 'nothing changed: nothing is sent');
  trainer.emit(episode(1));
  bar.update();
  assert.deepEqual(item.writes, ['text', 'tooltip'], 'the episode changed the text and tooltip, not the command');
  item.writes.length = 0;
  trainer.emit(status('paused', 1));
  assert.deepEqual(item.writes, ['text', 'tooltip'], 'pausing redraws without waiting for the interval');
  assert.match(item.text, /paused/);
  bar.dispose();
  manager.dispose();
});

test('an expanded live run with thousands of checkpoints is redrawn less often: about a thousand rows a second', async () => {
  const { runsDir, manager, run, trainer, status, episode } = await liveRun();
  const checkpointsDir = path.join(run.runDir, 'checkpoints');
  for (let n = 1; n <= 3000; n++) {
    const name = `ep${String(n).padStart(5, '0')}`;
    mkdirSync(path.join(checkpointsDir, name), { recursive: true });
    writeFileSync(path.join(checkpointsDir, name, 'checkpoint.json'), JSON.stringify(manifest(run.runId, name, n, 'periodic', -300)));
  }
  const clock = new ManualClock();
  const { tree, changes, dispose } = runsView(manager, runsDir, { clock });
  const [node] = (await tree.getChildren()) as RunNode[];
  trainer.emit(status('running', 0));
  await tree.getTreeItem(node);
  tree.setExpanded(node, true);
  assert.equal((await tree.getChildren(node)).length, 3000);
  clock.advance(1000); // the redraw the start of training asked for
  changes.length = 0;
  trainer.emit(episode(1));
  clock.advance(2900);
  assert.deepEqual(changes, [], '3000 rows: not redrawn within 2.9 s');
  clock.advance(100);
  assert.deepEqual(changes, [[node]]);

  tree.setExpanded(node, false);
  changes.length = 0;
  trainer.emit(episode(2));
  clock.advance(1000);
  assert.deepEqual(changes, [[node]], 'collapsed, only its row is redrawn: once a second again');
  dispose();
});
