/**
 * Show Run Log opens the run's trainer.log, which the trainer writes itself: any run, from any
 * window, whether or not this window ever trained it. A run from before trainer.log existed falls
 * back to this window's log of it, else says there is none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMAND_IDS, DdpgCommands, type CommandDependencies } from '../../src/extension/commands';
import { fakeVscode } from '../helpers/fakeVscode';
import { fakeRunManager, runInfoFixture } from '../helpers/hostFakes';

function setup() {
  const fake = fakeVscode({});
  const opened: string[] = [];
  // The two calls Show Run Log makes, recorded (the shared fake does not model documents).
  const workspace = fake.api.workspace as unknown as Record<string, unknown>;
  workspace.openTextDocument = async (uri: { fsPath: string }) => ({ uri });
  (fake.api.window as unknown as Record<string, unknown>).showTextDocument = async (document: { uri: { fsPath: string } }) => {
    opened.push(document.uri.fsPath);
  };
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-showlog-'));
  const deps = {
    extensionId: 'ddpg-lab.ddpg-lab',
    runManager: fakeRunManager().manager,
    dashboard: { currentTarget: undefined, visibleRunId: undefined, isShowingLive: () => false, open: () => ({ currentEvaluation: undefined }) },
    comparison: { open: () => undefined },
    tree: { refresh: () => undefined, scheduleRefresh: () => undefined },
    runsDirectory: () => runsDir,
    mainLog: { info() {}, error() {} },
  } as unknown as CommandDependencies;
  const commands = new DdpgCommands(fake.api, deps);
  const run = (id: string, log?: string) => {
    const runDir = path.join(runsDir, id);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(runInfoFixture({ id, status: 'running' })));
    if (log !== undefined) writeFileSync(path.join(runDir, 'trainer.log'), log);
    return runDir;
  };
  return { fake, opened, commands, run };
}

test('Show Run Log opens trainer.log of a run this window never trained', async () => {
  const { fake, opened, commands, run } = setup();
  const runDir = run('2026-01-01_00-00-00', 'episode 1  step 200  return -1200.0\n');
  await fake.run(COMMAND_IDS.showLog, '2026-01-01_00-00-00');
  assert.deepEqual(opened, [path.join(runDir, 'trainer.log')]);
  commands.dispose();
});

test('a run without trainer.log (and no log here) says so, naming the file', async () => {
  const { fake, opened, commands, run } = setup();
  const runDir = run('2026-01-01_00-00-01');
  await fake.run(COMMAND_IDS.showLog, '2026-01-01_00-00-01');
  assert.deepEqual(opened, []);
  assert.ok(fake.messages.some((m) => m.message.includes(path.join(runDir, 'trainer.log'))), JSON.stringify(fake.messages));
  commands.dispose();
});
