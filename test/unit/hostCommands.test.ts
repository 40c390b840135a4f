/**
 * The command layer on the fake vscode API: several items selected in the Runs view (one
 * confirmation deletes every selected checkpoint; a refused one is reported without stopping the
 * others; Cancel deletes nothing), and Resume Training from a checkpoint (the shared rule refuses
 * an incompatible one before anything starts; a compatible one starts with the changes named),
 * and the quick pick that Compare Runs offers from the palette.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunConfig } from '../../src/shared/config';
import { defaultConfig } from '../../src/shared/config';
import type { CheckpointNode } from '../../src/extension/checkpointTree';
import { COMMAND_IDS, DdpgCommands, type CommandDependencies } from '../../src/extension/commands';
import type { DashboardTarget } from '../../src/extension/dashboardPanel';
import type { ComparisonTarget } from '../../src/extension/runComparison';
import { fakeVscode, type ShownMessage } from '../helpers/fakeVscode';
import { fakeRunManager, manifestFixture, runInfoFixture } from '../helpers/hostFakes';

function setup(options: { answer?: string; settings?: Partial<RunConfig> } = {}) {
  const settings = Object.fromEntries(Object.entries(options.settings ?? {}).map(([k, v]) => [`ddpg.${k}`, v]));
  const fake = fakeVscode({ settings });
  fake.answer = () => options.answer;
  let refreshes = 0;
  const opened: Array<DashboardTarget | undefined> = [];
  const compared: Array<readonly ComparisonTarget[]> = [];
  const { manager, trainers } = fakeRunManager();
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-commands-'));
  const deps: CommandDependencies = {
    extensionId: 'ddpg-lab.ddpg-lab',
    runManager: manager,
    dashboard: {
      currentTarget: undefined,
      visibleRunId: undefined,
      isShowingLive: () => false,
      open: (target) => {
        opened.push(target);
        return { currentEvaluation: undefined };
      },
    },
    comparison: { open: (targets) => compared.push(targets) },
    tree: { refresh: () => refreshes++, scheduleRefresh: () => refreshes++ },
    runsDirectory: () => runsDir,
    mainLog: { info() {}, error() {} },
  };
  const commands = new DdpgCommands(fake.api, deps);
  const checkpoint = (run: string, name: string, config: RunConfig = defaultConfig()): CheckpointNode => {
    const runDir = path.join(runsDir, run);
    const dir = path.join(runDir, 'checkpoints', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify(manifestFixture({ runId: run, name, episode: 10, config })));
    return { kind: 'checkpoint', dir, runId: run, runDir };
  };
  const shown = (severity: ShownMessage['severity']) => fake.messages.filter((m) => m.severity === severity);
  const run = (id: string, config: RunConfig = defaultConfig(), created = '2025-01-01T00:00:00.000Z') => {
    mkdirSync(path.join(runsDir, id), { recursive: true });
    writeFileSync(path.join(runsDir, id, 'run.json'), JSON.stringify(runInfoFixture({ id, status: 'finished', config, created })));
    return { runId: id, runDir: path.join(runsDir, id) };
  };
  return { fake, commands, manager, trainers, opened, compared, checkpoint, run, shown, refreshes: () => refreshes, runsDir };
}

test('Delete Checkpoint on several selected checkpoints asks once and deletes them all', async () => {
  const { fake, checkpoint, shown, refreshes } = setup({ answer: 'Delete' });
  const selected = [checkpoint('run-a', 'ep1'), checkpoint('run-a', 'ep2'), checkpoint('run-b', 'final')];
  assert.equal(await fake.run(COMMAND_IDS.deleteCheckpoint, selected[1], selected), true);
  const [confirmation, ...others] = shown('warning');
  assert.equal(others.length, 0);
  assert.equal(confirmation.message, 'Delete 3 checkpoints of 2 runs?');
  assert.deepEqual(confirmation.items, ['Delete']);
  for (const c of selected) {
    assert.ok(confirmation.detail?.includes(c.dir));
    assert.equal(existsSync(c.dir), false, `${c.dir} deleted`);
  }
  assert.equal(refreshes(), 1);
});

test('Cancel deletes nothing; a checkpoint that cannot be deleted is reported and the others still go', async () => {
  const cancelled = setup({ answer: undefined });
  const kept = [cancelled.checkpoint('run-a', 'ep1'), cancelled.checkpoint('run-a', 'ep2')];
  assert.equal(await cancelled.fake.run(COMMAND_IDS.deleteCheckpoint, kept[0], kept), false);
  assert.equal(cancelled.shown('warning')[0].message, 'Delete 2 checkpoints of run run-a?');
  assert.ok(kept.every((c) => existsSync(c.dir)));

  const { fake, shown, checkpoint, runsDir } = setup({ answer: 'Delete' });
  const good = checkpoint('run-a', 'ep1');
  const outside: CheckpointNode = { kind: 'checkpoint', dir: path.join(runsDir, 'run-a'), runId: 'run-a', runDir: path.join(runsDir, 'run-a') };
  assert.equal(await fake.run(COMMAND_IDS.deleteCheckpoint, good, [good, outside]), undefined, 'the command reports the failure');
  assert.equal(existsSync(good.dir), false);
  assert.ok(existsSync(outside.dir), 'a folder that is not a checkpoint is never deleted');
  const errors = shown('error');
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /1 of 2 checkpoints were not deleted: Checkpoint not deleted: .* is not a checkpoint folder/);
});

test('Resume Training refuses a checkpoint the settings cannot continue, naming why, before starting anything', async () => {
  const saved = { ...defaultConfig(), episodes: 100 };
  const { fake, checkpoint, shown, trainers, opened } = setup({ settings: { episodes: 100, bufferSize: saved.bufferSize * 2, actorHidden: [32] } });
  const node = checkpoint('run-a', 'ep-10', saved);
  assert.equal(await fake.run(COMMAND_IDS.resumeFromCheckpoint, node), undefined);
  assert.equal(trainers.length, 0, 'no trainer was started');
  assert.deepEqual(opened, [], 'no dashboard was opened');
  const [refusal, ...others] = shown('error');
  assert.equal(others.length, 0);
  assert.match(refusal.message, /^DDPG: cannot resume from checkpoint ep-10 of run-a: /);
  assert.match(refusal.message, /ddpg\.bufferSize/, 'the replay buffer saved with the checkpoint has its size');
  assert.match(refusal.message, /ddpg\.actorHidden/, 'and so do the networks');
  assert.doesNotMatch(refusal.message, /\.\./, 'the reasons make one sentence');
  assert.deepEqual(refusal.items, ['Edit Hyperparameters']);
});

test('Resume Training refuses a checkpoint whose episode limit is already reached', async () => {
  const { fake, checkpoint, shown, trainers } = setup({ settings: { episodes: 10 } });
  assert.equal(await fake.run(COMMAND_IDS.resumeFromCheckpoint, checkpoint('run-a', 'ep-10')), undefined);
  assert.equal(trainers.length, 0);
  assert.match(shown('error')[0].message, /ddpg\.episodes is 10 but the checkpoint is already at episode 10/);
});

test('Resume Training from a compatible checkpoint starts a run from it and names the settings changed since', async () => {
  const saved = { ...defaultConfig(), episodes: 100 };
  const { fake, checkpoint, shown, trainers, opened } = setup({ settings: { episodes: 100, actorLr: 0.0005 } });
  const node = checkpoint('run-a', 'ep-10', saved);
  const runId = await fake.run(COMMAND_IDS.resumeFromCheckpoint, node);
  assert.equal(typeof runId, 'string');
  assert.equal(trainers.length, 1);
  const start = trainers[0].sent[0];
  assert.equal(start.type, 'start');
  assert.equal(start.type === 'start' && start.resumeFrom, node.dir);
  assert.equal(opened[0]?.runId, runId, 'its dashboard opens');
  assert.deepEqual(shown('error'), []);
  assert.deepEqual(
    shown('information').map((m) => m.message),
    [`DDPG: continuing run-a from episode 10 with the current settings; changed since the checkpoint: ddpg.actorLr ${saved.actorLr} → 0.0005.`],
  );
});

test('Compare Runs from the palette offers every run with its algorithm and environment, and compares the ones ticked', async () => {
  const { fake, run, compared } = setup();
  const pendulum = run('2025-01-01_10-00-00');
  const car = run('2025-01-02_10-00-00', { ...defaultConfig(), environment: 'MountainCarContinuous-v0' }, '2025-01-02T10:00:00.000Z');
  let offered: Array<{ label: string; detail?: string; picked?: boolean }> = [];
  fake.pick = (items, options) => {
    assert.equal(options?.canPickMany, true);
    offered = items as typeof offered;
    return items;
  };
  assert.deepEqual(await fake.run(COMMAND_IDS.compareRuns), [car.runId, pendulum.runId]);
  assert.deepEqual(
    offered.map((item) => [item.label, item.detail?.split(' · ')[0], item.picked]),
    [
      [car.runId, 'DDPG on Mountain Car (continuous)', false],
      [pendulum.runId, 'DDPG on Pendulum', false],
    ],
  );
  assert.deepEqual(compared, [[car, pendulum]]);
});
