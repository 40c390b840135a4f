/**
 * Leftovers of interrupted writes and deletions in a run folder: checkpoint folders being written
 * (`checkpoints/.tmp-<name>-<pid>-<ms>`) or deleted (`checkpoints/.trash-<name>-<pid>-<ms>`), and
 * files written atomically (`run.json.tmp-<pid>-<ms>`). Each name carries the writer's pid, so a
 * leftover is removed only when that process is gone: a live writer's work in progress is never
 * touched, whoever sweeps (the trainer starting, a resume, the extension listing a run).
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const FOLDER = /^\.(?:tmp|trash)-.+-(\d+)-\d+$/;
const FILE = /\.tmp-(\d+)-\d+$/;

/** The pid in a leftover's name, or null when the name is not a leftover's. */
export function leftoverWriter(name: string): number | null {
  const match = FOLDER.exec(name) ?? FILE.exec(name);
  return match ? Number(match[1]) : null;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else; only ESRCH says it is gone.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function sweepFolder(folder: string, isWriterAlive: (pid: number) => boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = leftoverWriter(name);
    if (pid === null || isWriterAlive(pid)) continue;
    await fs.rm(path.join(folder, name), { recursive: true, force: true });
    removed.push(path.join(folder, name));
  }
  return removed;
}

/** Removes the leftovers of dead writers in a run folder and its checkpoints folder; returns what it removed. */
export async function sweepRunLeftovers(runDir: string, isWriterAlive: (pid: number) => boolean = isAlive): Promise<string[]> {
  return [...(await sweepFolder(runDir, isWriterAlive)), ...(await sweepFolder(path.join(runDir, 'checkpoints'), isWriterAlive))];
}
