/** Delete refuses anything that is not <runs dir>/<run>/checkpoints/<name>, and touches nothing when it refuses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkCheckpointDeletion, deleteCheckpoint, segmentsInside } from '../../src/extension/checkpointDeletion';

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
