/**
 * Pruning of periodic checkpoints (src/agent/trainer/checkpointPolicy.ts), on real folders: the
 * oldest beyond the limit go; one the user deleted meanwhile (from the Runs view, or by hand) is
 * as good as pruned; one that cannot be removed is reported and left.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { PeriodicCheckpoints } from '../../src/agent/trainer/checkpointPolicy';

function checkpointsFolder(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'ddpg-prune-'));
}

/** A periodic checkpoint folder, as the trainer leaves it. */
function written(parent: string, name: string): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'checkpoint.json'), '{}');
  return dir;
}

function pruner(keep: number) {
  const warnings: string[] = [];
  const pruned: string[] = [];
  const periodic = new PeriodicCheckpoints(keep, (m) => warnings.push(m), (dir) => pruned.push(dir));
  return { periodic, warnings, pruned };
}

test('the oldest periodic checkpoints beyond the limit are deleted and announced; no trash is left', async () => {
  const parent = checkpointsFolder();
  const { periodic, warnings, pruned } = pruner(2);
  const dirs = ['ep0001-step200', 'ep0002-step400', 'ep0003-step600', 'ep0004-step800'].map((n) => written(parent, n));
  for (const dir of dirs) await periodic.added(dir);
  assert.deepEqual(pruned, dirs.slice(0, 2));
  assert.deepEqual(readdirSync(parent).sort(), ['ep0003-step600', 'ep0004-step800']);
  assert.deepEqual(warnings, []);
});

test('a periodic checkpoint the user already deleted counts as pruned, without a warning', async () => {
  const parent = checkpointsFolder();
  const { periodic, warnings, pruned } = pruner(1);
  const first = written(parent, 'ep0001-step200');
  await periodic.added(first);
  rmSync(first, { recursive: true }); // Delete Checkpoint in the Runs view while the run trains
  const second = written(parent, 'ep0002-step400');
  await periodic.added(second);
  assert.deepEqual(warnings, [], 'nothing alarming in the run log');
  assert.deepEqual(pruned, [first], 'announced like any pruned one: whoever still lists it drops it');
  assert.equal(existsSync(second), true);

  // And it is off the list for good: the next prune takes the next one.
  const third = written(parent, 'ep0003-step600');
  await periodic.added(third);
  assert.deepEqual(pruned, [first, second]);
  assert.deepEqual(readdirSync(parent), ['ep0003-step600']);
  assert.deepEqual(warnings, []);
});

test('a periodic checkpoint that cannot be deleted for another reason is still reported, and left', async () => {
  const parent = checkpointsFolder();
  const { periodic, warnings, pruned } = pruner(1);
  // A "folder" under a regular file: deleting it fails with ENOTDIR, whoever runs the test (root included).
  const file = path.join(parent, 'not-a-folder');
  writeFileSync(file, 'x');
  const unremovable = path.join(file, 'ep0001-step200');
  await periodic.added(unremovable);
  await periodic.added(written(parent, 'ep0002-step400'));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^could not delete old periodic checkpoint .*ep0001-step200: ENOTDIR/);
  assert.deepEqual(pruned, [], 'not announced as gone');
});
