/**
 * Delete refuses anything that is not <runs dir>/<run>/checkpoints/<name>, and touches nothing when
 * it refuses. A checkpoint deleted (by the command, or outside VS Code and found gone when its run
 * is read again) leaves every record of it in this window at once: the run's history, the
 * dashboard's list and the Runs view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckpointManifest, HostToWebview, RunInfo, TrainerToHost } from '../../src/shared/protocol';
import { defaultConfig } from '../../src/shared/config';
import { checkCheckpointDeletion, deleteCheckpoint, segmentsInside } from '../../src/extension/checkpointDeletion';
import { RunsTreeProvider, type CheckpointNode, type RunNode } from '../../src/extension/checkpointTree';
import { COMMAND_IDS, DdpgCommands } from '../../src/extension/commands';
import { DashboardPanels } from '../../src/extension/dashboardPanels';
import { RunIndex } from '../../src/extension/runIndex';
import { fakeVscode } from '../helpers/fakeVscode';
import { uri } from '../helpers/fakeWebviewPanel';
import { fakeRunManager, manifestFixture } from '../helpers/hostFakes';
import { waitFor } from '../helpers/waitFor';

function fixture() {
  const base = mkdtempSync(path.join(os.tmpdir(), 'ddpg-delete-'));
  const runsDir = path.join(base, 'runs');
  const checkpoint = path.join(runsDir, 'run-1', 'checkpoints', 'ep-10');
  mkdirSync(checkpoint, { recursive: true });
  writeFileSync(path.join(checkpoint, 'checkpoint.json'), '{}');
  const outside = path.join(base, 'precious');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'thesis.tex'), 'do not delete');
  return { base, runsDir, checkpoint, outside };
}

test('a checkpoint inside the runs directory is deleted', async () => {
  const { runsDir, checkpoint } = fixture();
  assert.deepEqual(await checkCheckpointDeletion(runsDir, checkpoint), { ok: true, dir: realpathSync(checkpoint) });
  await deleteCheckpoint(runsDir, checkpoint);
  assert.equal(existsSync(checkpoint), false);
  assert.equal(existsSync(path.dirname(checkpoint)), true, 'only the checkpoint goes');
});

test('a folder outside the runs directory is refused and kept', async () => {
  const { runsDir, outside } = fixture();
  await assert.rejects(deleteCheckpoint(runsDir, outside), /Checkpoint not deleted: .*not inside the runs directory/);
  assert.equal(existsSync(path.join(outside, 'thesis.tex')), true);
});

test('.. tricks are resolved before checking', async () => {
  const { runsDir, outside } = fixture();
  const sneaky = path.join(runsDir, 'run-1', 'checkpoints', '..', '..', '..', 'precious');
  const check = await checkCheckpointDeletion(runsDir, sneaky);
  assert.equal(check.ok, false);
  assert.equal(existsSync(outside), true);
});

test('the runs directory itself, a run folder and a checkpoints folder are refused', async () => {
  const { runsDir } = fixture();
  for (const target of [runsDir, path.join(runsDir, 'run-1'), path.join(runsDir, 'run-1', 'checkpoints')]) {
    const check = await checkCheckpointDeletion(runsDir, target);
    assert.equal(check.ok, false, target);
    assert.equal(existsSync(target), true);
  }
});

test('a symlink that points outside is refused, and so is a checkpoint reached through one', async () => {
  const { runsDir, outside } = fixture();
  const link = path.join(runsDir, 'run-1', 'checkpoints', 'linked');
  symlinkSync(outside, link);
  const check = await checkCheckpointDeletion(runsDir, link);
  assert.deepEqual(check, { ok: false, reason: `refusing to delete a symbolic link: ${link}` });
  assert.equal(existsSync(path.join(outside, 'thesis.tex')), true);
});

test('a relative path and a missing path are refused with the reason', async () => {
  const { runsDir } = fixture();
  assert.match(((await checkCheckpointDeletion(runsDir, 'runs/run-1/checkpoints/ep-10')) as { reason: string }).reason, /not an absolute path/);
  assert.match(((await checkCheckpointDeletion(runsDir, path.join(runsDir, 'run-1', 'checkpoints', 'gone'))) as { reason: string }).reason, /no longer exists/);
  assert.match(((await checkCheckpointDeletion(path.join(runsDir, 'nope'), path.join(runsDir, 'run-1', 'checkpoints', 'ep-10'))) as { reason: string }).reason, /runs directory does not exist/);
});

test('segmentsInside', () => {
  assert.deepEqual(segmentsInside('/a/b', '/a/b/c/d'), ['c', 'd']);
  assert.equal(segmentsInside('/a/b', '/a/b'), undefined);
  assert.equal(segmentsInside('/a/b', '/a/bc'), undefined, 'a sibling with a common prefix is not inside');
  assert.equal(segmentsInside('/a/b', '/a'), undefined);
});

// ─── what the window remembers of a deleted checkpoint ──────────────────────────────────────────

/** A window as extension.ts wires it (fake vscode, fake trainers), with one run training and two checkpoints saved. */
async function windowWithRun() {
  const fake = fakeVscode<HostToWebview>();
  fake.answer = () => 'Delete';
  const { manager, trainers } = fakeRunManager();
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-forget-'));
  const index = new RunIndex(fake.api, manager, runsDir);
  const tree = new RunsTreeProvider(fake.api, manager, index, () => undefined);
  const dashboards = new DashboardPanels(fake.api, { runManager: manager, extensionUri: uri('/ext'), locateRun: async () => undefined, log: { info() {}, warn() {}, error() {} } });
  const log = { info() {}, error() {} };
  new DdpgCommands(fake.api, { extensionId: 'ddpg-lab.ddpg-lab', runManager: manager, dashboard: dashboards, comparison: { open: () => undefined }, tree, runsDirectory: () => runsDir, mainLog: log });
  const run = await manager.startTraining(runsDir, { ...defaultConfig(), episodes: 100 });
  const trainer = trainers[0];
  const info = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
  trainer.emit({ type: 'started', engine: { engine: 'wasm', backend: 'fake' }, run: { ...info, status: 'running' } });
  /** Written as the trainer writes a checkpoint: the folder, then the event. */
  const save = (name: string, episode: number, fields: Partial<CheckpointManifest> = {}) => {
    const manifest = manifestFixture({ runId: run.runId, name, episode, ...fields });
    const dir = path.join(run.runDir, 'checkpoints', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify(manifest));
    trainer.emit({ type: 'checkpoint', dir, manifest });
    return dir;
  };
  const kept = save('ep0010-step2000', 10);
  const doomed = save('ep0020-step4000', 20);
  dashboards.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
  const panel = fake.panels[0];
  panel.fromWebview({ type: 'ready' });
  // Live events reach the page once its snapshot has gone out.
  await waitFor(() => panel.posted.some((m) => m.type === 'showRun'), 'the dashboard snapshot');
  const runNode = async () => ((await tree.getChildren()) as RunNode[]).find((n) => n.runId === run.runId)!;
  const shownCheckpoints = async () => ((await tree.getChildren(await runNode())) as CheckpointNode[]).map((n) => path.basename(n.dir));
  const heldCheckpoints = () => manager.history(run.runId)!.checkpoints.map((c) => c.manifest.name);
  const snapshotCheckpoints = async () => (await manager.snapshot(run.runId, run.runDir)).checkpoints.map((c) => c.name);
  const liveEventsOnPage = () => panel.posted.flatMap((m): TrainerToHost[] => (m.type === 'runEvents' ? m.events : m.type === 'runEvent' ? [m.event] : []));
  /**
   * Checkpoints the dashboard page was told are gone, once its live batch went out: as many as
   * `expected` (or what came by the deadline). Expecting none, a trainer log line is sent after
   * them and waited for: live events reach the page in order, so a deletion would be before it.
   */
  const deletedOnPage = async (expected: number) => {
    const deleted = () => liveEventsOnPage().flatMap((e) => (e.type === 'checkpointDeleted' ? [e.name] : []));
    if (expected > 0) {
      await waitFor(() => deleted().length >= expected, `${expected} checkpointDeleted event(s) on the page`).catch(() => undefined);
      return deleted();
    }
    const marker = `marker ${Math.random()}`;
    trainer.emit({ type: 'log', level: 'info', message: marker });
    await waitFor(() => liveEventsOnPage().some((e) => e.type === 'log' && e.message === marker), 'the marker line on the page');
    return deleted();
  };
  return { fake, manager, trainer, tree, run, save, kept, doomed, runNode, shownCheckpoints, heldCheckpoints, snapshotCheckpoints, deletedOnPage };
}

test('Delete Checkpoint: the run history, the live dashboard and the Runs view forget it at once', async () => {
  const w = await windowWithRun();
  assert.deepEqual(await w.shownCheckpoints(), ['ep0020-step4000', 'ep0010-step2000']);
  const node = ((await w.tree.getChildren(await w.runNode())) as CheckpointNode[]).find((n) => n.dir === w.doomed)!;
  assert.equal(await w.fake.run(COMMAND_IDS.deleteCheckpoint, node), true);
  assert.equal(existsSync(w.doomed), false);
  assert.deepEqual(w.heldCheckpoints(), ['ep0010-step2000'], 'the run history in memory');
  assert.deepEqual(await w.snapshotCheckpoints(), ['ep0010-step2000'], 'what a dashboard opened now is sent');
  assert.deepEqual(await w.deletedOnPage(1), ['ep0020-step4000'], 'the open dashboard drops it from its list');
  // No file event: the Runs view must not wait for the watcher to notice.
  assert.deepEqual(await w.shownCheckpoints(), ['ep0010-step2000'], 'the Runs view');
});

test('Delete Checkpoint on a run that ended in this window: its kept history forgets it too', async () => {
  const w = await windowWithRun();
  w.trainer.emit({ type: 'exiting', status: 'finished' });
  w.trainer.exit({ code: 0, signal: null, exitingStatus: 'finished' });
  await waitFor(() => !w.manager.isLive(w.run.runId), 'the run to end');
  const selected = ((await w.tree.getChildren(await w.runNode())) as CheckpointNode[]);
  assert.equal(await w.fake.run(COMMAND_IDS.deleteCheckpoint, selected[0], selected), true, 'both, selected together');
  assert.deepEqual(w.heldCheckpoints(), []);
  assert.deepEqual(await w.snapshotCheckpoints(), []);
  assert.deepEqual((await w.deletedOnPage(2)).sort(), ['ep0010-step2000', 'ep0020-step4000']);
});

test('a checkpoint deleted outside VS Code leaves the history when the Runs view reads its run again', async () => {
  const watched = await windowWithRun();
  await watched.shownCheckpoints();
  rmSync(watched.doomed, { recursive: true });
  watched.fake.fileEvent('delete', watched.doomed);
  assert.deepEqual(await watched.shownCheckpoints(), ['ep0010-step2000']);
  assert.deepEqual(watched.heldCheckpoints(), ['ep0010-step2000']);
  assert.deepEqual(await watched.deletedOnPage(1), ['ep0020-step4000']);

  // The watcher may miss it (a runs directory on a network drive): Refresh reads it again.
  const refreshed = await windowWithRun();
  await refreshed.shownCheckpoints();
  rmSync(refreshed.doomed, { recursive: true });
  await refreshed.fake.run(COMMAND_IDS.refresh);
  assert.deepEqual(await refreshed.shownCheckpoints(), ['ep0010-step2000']);
  assert.deepEqual(refreshed.heldCheckpoints(), ['ep0010-step2000']);
});

test('a best checkpoint found gone after it was rewritten is kept: the history holds the new one', async () => {
  const w = await windowWithRun();
  const first = w.save('best', 15, { reason: 'best', created: '2025-01-01T00:00:01.000Z' });
  await w.shownCheckpoints();
  w.save('best', 25, { reason: 'best', created: '2025-01-01T00:00:02.000Z' });
  w.manager.forgetDeletedCheckpoint(w.run.runId, w.run.runDir, first, manifestFixture({ runId: w.run.runId, name: 'best', episode: 15, created: '2025-01-01T00:00:01.000Z' }));
  assert.ok(w.heldCheckpoints().includes('best'));
  assert.deepEqual(await w.deletedOnPage(0), []);
});
