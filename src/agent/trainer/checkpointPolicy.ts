/**
 * Which checkpoints a run keeps and what they are called: `best` (replaced whenever an evaluation
 * beats the best so far), `ep0025-step5000` (periodic, the oldest pruned beyond
 * keepPeriodicCheckpoints), `manual-…` and `final-…` (never pruned).
 *
 * Deleting renames first: a checkpoint is complete under its name or absent, even if the process
 * is killed mid-delete. Leftovers of a killed writer or deleter (`.tmp-*`, `.trash-*`) are swept
 * when a run starts.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointReason } from '../../shared/protocol';

/** Folder-name prefixes of unfinished writes and deletions inside checkpoints/. */
const LEFTOVER_PREFIXES = ['.tmp-', '.trash-'];

export function checkpointName(reason: CheckpointReason, episode: number, totalSteps: number): string {
  if (reason === 'best') return 'best';
  const tag = `ep${String(episode).padStart(4, '0')}-step${totalSteps}`;
  return reason === 'periodic' ? tag : `${reason}-${tag}`;
}

/** Removes a checkpoint folder so that it never exists half-deleted under its own name. */
export async function deleteCheckpointFolder(dir: string): Promise<void> {
  const trash = path.join(path.dirname(dir), `.trash-${path.basename(dir)}-${process.pid}-${Date.now()}`);
  await fs.rename(dir, trash);
  await fs.rm(trash, { recursive: true, force: true });
}

/**
 * Deletes leftovers of interrupted checkpoint writes and deletions in a checkpoints folder. Only
 * for a folder this process writes (a run it starts): a live writer elsewhere may own them.
 * Returns the names removed.
 */
export async function sweepCheckpointLeftovers(checkpointsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(checkpointsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const leftovers = names.filter((n) => LEFTOVER_PREFIXES.some((p) => n.startsWith(p)));
  for (const name of leftovers) await fs.rm(path.join(checkpointsDir, name), { recursive: true, force: true });
  return leftovers;
}

/** The run's periodic checkpoints still on disk, oldest first, pruned to the newest `keep` (0 = all). */
export class PeriodicCheckpoints {
  private readonly folders: string[] = [];

  constructor(
    private readonly keep: number,
    private readonly warn: (message: string) => void,
  ) {}

  /** Records a new periodic checkpoint and deletes the oldest beyond the limit; a folder that cannot be removed is reported and left. */
  async added(dir: string): Promise<void> {
    this.folders.push(dir);
    while (this.keep > 0 && this.folders.length > this.keep) {
      const oldest = this.folders.shift()!;
      try {
        await deleteCheckpointFolder(oldest);
      } catch (err) {
        this.warn(`could not delete old periodic checkpoint ${oldest}: ${(err as Error).message}`);
      }
    }
  }
}
