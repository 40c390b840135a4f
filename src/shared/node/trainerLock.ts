/**
 * `<run dir>/trainer.lock`: the run has a live trainer, and here is how to reach it.
 *
 * The trainer claims the lock once its socket listens and removes it when it exits; a trainer
 * killed outright leaves it behind. So a lock is believed only when its process exists and its
 * socket answers: a stale one (pid gone, or the pid reused by something that does not listen
 * there) is removed by whoever finds it. The trainer process, the CLI, the extension and the test
 * harnesses all read it through this file, so they agree on what it says.
 */

import { promises as fs, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectToTrainer, provesNoListener, socketDirectory } from './trainerSocket';

export const LOCK_FILE = 'trainer.lock';
export const LOCK_FORMAT_VERSION = 1;

/** Who started the trainer: a window of the extension, or a terminal (the CLI trains in-process). */
export type TrainerOrigin = 'extension' | 'cli';

export interface TrainerLock {
  formatVersion: typeof LOCK_FORMAT_VERSION;
  runId: string;
  pid: number;
  socketPath: string;
  /** ISO 8601; with the pid it tells one trainer of a folder from a later one. */
  startedAt: string;
  /** A pid means nothing on another machine (a runs directory on a network drive). */
  hostname: string;
  origin: TrainerOrigin;
}

export function lockFileOf(runDir: string): string {
  return path.join(runDir, LOCK_FILE);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed lock file; the error names the file and the field that is wrong. */
export function parseTrainerLock(value: unknown, file: string): TrainerLock {
  const wrong = (what: string) => new Error(`trainer lock ${file}: ${what}`);
  if (!isObject(value)) throw wrong('not a JSON object');
  if (value.formatVersion !== LOCK_FORMAT_VERSION) throw wrong(`unknown formatVersion ${JSON.stringify(value.formatVersion)} (expected ${LOCK_FORMAT_VERSION})`);
  if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) throw wrong('pid must be a positive integer');
  for (const key of ['runId', 'socketPath', 'startedAt', 'hostname'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') throw wrong(`${key} must be a non-empty string`);
  }
  if (value.origin !== 'extension' && value.origin !== 'cli') throw wrong('origin must be "extension" or "cli"');
  return value as unknown as TrainerLock;
}

/** The lock of a run, or undefined when it has none. A lock that cannot be parsed throws, naming the file. */
export async function readTrainerLock(runDir: string): Promise<TrainerLock | undefined> {
  const file = lockFileOf(runDir);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`trainer lock ${file} cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`trainer lock ${file}: not valid JSON`);
  }
  return parseTrainerLock(value, file);
}

/** True while a process with this pid exists (also one of another user: EPERM). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockVerdict =
  | { state: 'none' }
  | { state: 'live'; lock: TrainerLock }
  /** Held by a trainer on another machine: neither attachable nor provably stale from here. */
  | { state: 'elsewhere'; lock: TrainerLock }
  | { state: 'stale'; lock?: TrainerLock; reason: string };

/** What a run's lock says, checked: the process must exist and its socket must answer. */
export async function inspectTrainerLock(runDir: string): Promise<LockVerdict> {
  let lock: TrainerLock | undefined;
  try {
    lock = await readTrainerLock(runDir);
  } catch (err) {
    return { state: 'stale', reason: (err as Error).message };
  }
  if (!lock) return { state: 'none' };
  if (lock.hostname !== os.hostname()) return { state: 'elsewhere', lock };
  if (!isProcessAlive(lock.pid)) return { state: 'stale', lock, reason: `process ${lock.pid} is gone` };
  try {
    (await connectToTrainer(lock.socketPath)).destroy();
  } catch (err) {
    // A pid can be reused; only a refused or missing socket proves the trainer is gone. A
    // timeout may be a busy machine: the lock stays.
    if (provesNoListener(err)) return { state: 'stale', lock, reason: `its socket does not answer (${(err as NodeJS.ErrnoException).code})` };
  }
  return { state: 'live', lock };
}

/**
 * Removes a stale lock (and its socket file). It is read again first: a new trainer may have
 * replaced it since it was judged, and that one's lock must stay.
 */
export async function clearStaleLock(runDir: string, judged: TrainerLock | undefined): Promise<void> {
  const file = lockFileOf(runDir);
  if (judged) {
    const now = await readTrainerLock(runDir).catch(() => undefined);
    if (now && (now.pid !== judged.pid || now.startedAt !== judged.startedAt)) return;
    if (process.platform !== 'win32' && path.dirname(judged.socketPath) === socketDirectory()) {
      await fs.rm(judged.socketPath, { force: true }).catch(() => undefined);
    }
  }
  await fs.rm(file, { force: true });
}

/** The run's lock if its trainer is live; a stale lock is cleared on the way. */
export async function liveTrainerOf(runDir: string): Promise<TrainerLock | undefined> {
  const verdict = await inspectTrainerLock(runDir);
  if (verdict.state === 'live') return verdict.lock;
  if (verdict.state === 'stale') await clearStaleLock(runDir, verdict.lock);
  return undefined;
}

/**
 * Takes the lock for this process. The content is written to a temporary file and hard-linked
 * into place, so the lock appears whole and only one of two racing trainers gets it. A stale
 * lock is cleared and the claim tried again; a live one is an error naming its pid.
 */
export async function claimTrainerLock(runDir: string, lock: TrainerLock): Promise<void> {
  const file = lockFileOf(runDir);
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await fs.writeFile(tmp, JSON.stringify(lock, null, 2) + '\n', { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await linkOrCreate(tmp, file, lock);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const verdict = await inspectTrainerLock(runDir);
      if (verdict.state === 'live' || verdict.state === 'elsewhere') {
        throw new Error(`run ${runDir} already has a live trainer (pid ${verdict.lock.pid} on ${verdict.lock.hostname}, started ${verdict.lock.startedAt})`);
      }
      if (verdict.state === 'stale') await clearStaleLock(runDir, verdict.lock);
    }
    throw new Error(`could not take the trainer lock ${file}: another trainer keeps replacing it`);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

async function linkOrCreate(tmp: string, file: string, lock: TrainerLock): Promise<void> {
  try {
    await fs.link(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Some file systems (FAT, some network mounts) have no hard links: exclusive create instead.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    await fs.writeFile(file, JSON.stringify(lock, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
  }
}

/**
 * Removes the lock if it is still this one. Synchronous: it runs in a process's 'exit' handler,
 * the one place every way out (exit(), a fatal error) passes through.
 */
export function releaseTrainerLockSync(runDir: string, lock: TrainerLock): void {
  const file = lockFileOf(runDir);
  try {
    const now = parseTrainerLock(JSON.parse(readFileSync(file, 'utf8')), file);
    if (now.pid === lock.pid && now.startedAt === lock.startedAt) rmSync(file, { force: true });
  } catch {
    // Gone or replaced: not ours to remove.
  }
}

/** Every live trainer under the runs directories given (their run folders' locks), stale locks cleared. */
export async function liveTrainersIn(runsDirs: readonly string[]): Promise<Array<{ runDir: string; lock: TrainerLock }>> {
  const found: Array<{ runDir: string; lock: TrainerLock }> = [];
  for (const runsDir of runsDirs) {
    let names: string[];
    try {
      names = (await fs.readdir(runsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      continue;
    }
    for (const name of names) {
      const runDir = path.join(runsDir, name);
      const lock = await liveTrainerOf(runDir);
      if (lock) found.push({ runDir, lock });
    }
  }
  return found;
}

/**
 * Stops trainers the way a person would, then harder: SIGTERM (each saves a final checkpoint and
 * exits), and SIGKILL for any still there after `graceMs`. For test harnesses and `npm start`,
 * so that nothing keeps training once they end. Resolves with the pids signalled.
 */
export async function stopLiveTrainers(runsDirs: readonly string[], graceMs = 10_000): Promise<number[]> {
  const trainers = await liveTrainersIn(runsDirs);
  const pids = trainers.map((t) => t.lock.pid).filter((pid) => pid !== process.pid);
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isProcessAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(isProcessAlive)) signal(pid, 'SIGKILL');
  for (const { runDir, lock } of trainers) await clearStaleLock(runDir, lock).catch(() => undefined);
  return pids;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
