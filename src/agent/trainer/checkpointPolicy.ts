/**
 * Which checkpoints a run keeps and what they are called: `best` (replaced whenever an evaluation
 * beats the best so far), `ep0025-step5000` (periodic, the oldest pruned beyond
 * keepPeriodicCheckpoints), `manual-…` and `final-…` (never pruned).
 *
 * Deleting renames first: a checkpoint is complete under its name or absent, even if the process
 * is killed mid-delete. Leftovers of a killed writer or deleter (`.tmp-*`, `.trash-*`) are swept
 * by src/shared/node/leftovers.ts.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointReason } from '../../shared/protocol';

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

/** The run's periodic checkpoints still on disk, oldest first, pruned to the newest `keep` (0 = all). */
export class PeriodicCheckpoints {
  private readonly folders: string[] = [];

  constructor(
    private readonly keep: number,
    private readonly warn: (message: string) => void,
    /** Told of each folder pruned: whoever lists the run's checkpoints must drop it. */
    private readonly deleted: (dir: string) => void = () => {},
  ) {}

  /**
   * Records a new periodic checkpoint and deletes the oldest beyond the limit; a folder that cannot
   * be removed is reported and left. One already gone (the user deleted it from the Runs view, or
   * by hand) is as good as pruned: nothing to report.
   */
  async added(dir: string): Promise<void> {
    this.folders.push(dir);
    while (this.keep > 0 && this.folders.length > this.keep) {
      const oldest = this.folders.shift()!;
      try {
        await deleteCheckpointFolder(oldest).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
        this.deleted(oldest);
      } catch (err) {
        this.warn(`could not delete old periodic checkpoint ${oldest}: ${(err as Error).message}`);
      }
    }
  }
}
