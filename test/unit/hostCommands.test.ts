/**
 * Commands on several items selected in the Runs view, with the vscode API faked to isolate the
 * command layer: one confirmation deletes every selected checkpoint; a refused one is reported
 * without stopping the others; Cancel deletes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckpointNode } from '../../src/extension/checkpointTree';
import { COMMAND_IDS, DdpgCommands, type CommandDependencies } from '../../src/extension/commands';
import type { VSCode } from '../../src/extension/vscodeApi';
import { fakeRunManager } from '../helpers/hostFakes';

function setup(answer: string | undefined) {
  const handlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const warnings: Array<{ message: string; detail?: string }> = [];
  const errors: string[] = [];
  let refreshes = 0;
  const api = {
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => Promise<unknown>) => {
        handlers.set(id, handler);
        return { dispose() {} };
      },
    },
    window: {
      showWarningMessage: async (message: string, options: { detail?: string }) => {
        warnings.push({ message, detail: options.detail });
        return answer;
      },
      showErrorMessage: async (message: string) => {
        errors.push(message);
        return undefined;
      },
      showInformationMessage: async () => undefined,
    },
  } as unknown as VSCode;
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-commands-'));
  const deps = {
    extensionId: 'ddpg-lab.ddpg-lab',
    runManager: fakeRunManager().manager,
    dashboard: {},
    comparison: {},
    tree: { scheduleRefresh: () => refreshes++ },
    runsDirectory: () => runsDir,
    mainLog: { info() {}, error() {} },
  } as unknown as CommandDependencies;
  new DdpgCommands(api, deps);
  const checkpoint = (run: string, name: string): CheckpointNode => {
    const runDir = path.join(runsDir, run);
    const dir = path.join(runDir, 'checkpoints', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'checkpoint.json'), '{}');
    return { kind: 'checkpoint', dir, runId: run, runDir };
  };
  return { run: (id: string, ...args: unknown[]) => handlers.get(id)!(...args), warnings, errors, checkpoint, refreshes: () => refreshes, runsDir };
}

test('Delete Checkpoint on several selected checkpoints asks once and deletes them all', async () => {
  const { run, warnings, checkpoint, refreshes } = setup('Delete');
  const selected = [checkpoint('run-a', 'ep1'), checkpoint('run-a', 'ep2'), checkpoint('run-b', 'final')];
  assert.equal(await run(COMMAND_IDS.deleteCheckpoint, selected[1], selected), true);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].message, 'Delete 3 checkpoints of 2 runs?');
  for (const c of selected) {
    assert.ok(warnings[0].detail?.includes(c.dir));
    assert.equal(existsSync(c.dir), false, `${c.dir} deleted`);
  }
  assert.equal(refreshes(), 1);
});

test('Cancel deletes nothing; a checkpoint that cannot be deleted is reported and the others still go', async () => {
  const cancelled = setup(undefined);
  const kept = [cancelled.checkpoint('run-a', 'ep1'), cancelled.checkpoint('run-a', 'ep2')];
  assert.equal(await cancelled.run(COMMAND_IDS.deleteCheckpoint, kept[0], kept), false);
  assert.equal(cancelled.warnings[0].message, 'Delete 2 checkpoints of run run-a?');
  assert.ok(kept.every((c) => existsSync(c.dir)));

  const { run, errors, checkpoint, runsDir } = setup('Delete');
  const good = checkpoint('run-a', 'ep1');
  const outside = { kind: 'checkpoint', dir: path.join(runsDir, 'run-a'), runId: 'run-a', runDir: path.join(runsDir, 'run-a') } as CheckpointNode;
  assert.equal(await run(COMMAND_IDS.deleteCheckpoint, good, [good, outside]), undefined, 'the command reports the failure');
  assert.equal(existsSync(good.dir), false);
  assert.ok(existsSync(outside.dir), 'a folder that is not a checkpoint is never deleted');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /1 of 2 checkpoints were not deleted: Checkpoint not deleted: .* is not a checkpoint folder/);
});
