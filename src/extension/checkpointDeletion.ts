/**
 * Deleting a checkpoint is the one destructive thing the extension does, so the target is checked
 * on disk first: it must be `<runs dir>/<run>/checkpoints/<name>` after resolving symlinks, and not
 * a symlink itself. Anything else is refused with the reason, and nothing is touched.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINTS_DIR } from '../shared/node/runDirectory';

export type DeletionCheck = { ok: true; dir: string } | { ok: false; reason: string };

/** Splits `child` relative to `parent`; undefined when `child` is not strictly inside `parent`. */
export function segmentsInside(parent: string, child: string): string[] | undefined {
  const relative = path.relative(parent, child);
  if (relative === '' || path.isAbsolute(relative)) return undefined;
  const segments = relative.split(path.sep);
  if (segments.some((s) => s === '..' || s === '.' || s === '')) return undefined;
  return segments;
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await fs.realpath(p);
  } catch {
    return undefined;
  }
}

export async function checkCheckpointDeletion(runsDir: string, checkpointDir: string): Promise<DeletionCheck> {
  if (!path.isAbsolute(checkpointDir)) return { ok: false, reason: `not an absolute path: ${checkpointDir}` };
  let stat;
  try {
    stat = await fs.lstat(checkpointDir);
  } catch {
    return { ok: false, reason: `the checkpoint no longer exists: ${checkpointDir}` };
  }
  if (stat.isSymbolicLink()) return { ok: false, reason: `refusing to delete a symbolic link: ${checkpointDir}` };
  if (!stat.isDirectory()) return { ok: false, reason: `not a checkpoint folder: ${checkpointDir}` };
  const realRuns = await realpathOrUndefined(runsDir);
  if (realRuns === undefined) return { ok: false, reason: `the runs directory does not exist: ${runsDir}` };
  const realTarget = (await realpathOrUndefined(checkpointDir))!;
  const segments = segmentsInside(realRuns, realTarget);
  if (segments === undefined) {
    return { ok: false, reason: `${checkpointDir} is not inside the runs directory ${runsDir}` };
  }
  if (segments.length !== 3 || segments[1] !== CHECKPOINTS_DIR) {
    return { ok: false, reason: `${checkpointDir} is not a checkpoint folder (<runs dir>/<run>/${CHECKPOINTS_DIR}/<name>)` };
  }
  return { ok: true, dir: realTarget };
}

/** Deletes the checkpoint after checking it; throws with the reason when refused. */
export async function deleteCheckpoint(runsDir: string, checkpointDir: string): Promise<void> {
  const check = await checkCheckpointDeletion(runsDir, checkpointDir);
  if (!check.ok) throw new Error(`Checkpoint not deleted: ${check.reason}`);
  await fs.rm(check.dir, { recursive: true, force: false });
}
