/**
 * Finds the live trainers of the runs directory and attaches the run manager to them: on
 * activation (a reload: the runs this window started before it), on Refresh, and every few
 * seconds (a run started from a terminal with the CLI, or by another window). A run folder's
 * `trainer.lock` says a trainer may be live; the lock module checks it (process and socket) and
 * clears a stale one. Runs this window already has are not probed again.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RUN_FILE } from '../shared/node/runDirectory';
import { clearStaleLock, inspectTrainerLock, LOCK_FILE } from '../shared/node/trainerLock';
import { Disposable, toDisposable } from './disposable';
import type { RunManager } from './runManager';

const POLL_MS = 3000;

export interface LiveRunWatcherOptions {
  runManager: Pick<RunManager, 'attach' | 'isLive'>;
  runsDirectory(): string;
  log: { info(message: string): void; warn(message: string): void };
  pollMs?: number;
}

export class LiveRunWatcher extends Disposable {
  private scanning: Promise<number> | undefined;
  private rescan = false;

  constructor(private readonly options: LiveRunWatcherOptions) {
    super();
    const timer = setInterval(() => void this.scan(), options.pollMs ?? POLL_MS);
    timer.unref?.();
    this._register(toDisposable(() => clearInterval(timer)));
  }

  /** Attaches to every live trainer of the runs directory not attached yet; resolves with how many were attached. */
  scan(): Promise<number> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = this.scanOnce().finally(() => {
      this.scanning = undefined;
      if (this.rescan && !this.isDisposed) {
        this.rescan = false;
        void this.scan();
      }
    });
    return this.scanning;
  }

  private async scanOnce(): Promise<number> {
    const runsDir = this.options.runsDirectory();
    let names: string[];
    try {
      names = (await fs.readdir(runsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
    } catch {
      return 0; // no runs directory yet
    }
    let attached = 0;
    for (const name of names) {
      if (this.isDisposed) break;
      if (this.options.runManager.isLive(name)) continue;
      const runDir = path.join(runsDir, name);
      // A CLI run serves its socket a moment before it writes run.json: it is attached next time.
      if (!(await exists(path.join(runDir, LOCK_FILE))) || !(await exists(path.join(runDir, RUN_FILE)))) continue;
      const verdict = await inspectTrainerLock(runDir);
      if (verdict.state === 'stale') {
        this.options.log.info(`cleared the stale trainer lock of ${name}: ${verdict.reason}`);
        await clearStaleLock(runDir, verdict.lock).catch(() => undefined);
        continue;
      }
      if (verdict.state !== 'live' || this.options.runManager.isLive(verdict.lock.runId)) continue;
      try {
        if (await this.options.runManager.attach(runDir, verdict.lock)) attached++;
      } catch (err) {
        this.options.log.warn(`could not attach to the trainer of ${name}: ${(err as Error).message}`);
      }
    }
    return attached;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}
