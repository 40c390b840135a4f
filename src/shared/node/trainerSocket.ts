/**
 * Where a trainer's socket lives and how it is opened, for the trainer (which listens) and the
 * hosts (which connect).
 *
 * Not in the run folder: a Unix socket's path must fit sun_path (~108 bytes), and a workspace
 * path alone can exceed that. So the socket goes into a private folder under the temp directory,
 * named by a hash of the run folder, and the lock file records the exact path. The folder is
 * 0700 and must belong to us: that is what keeps other users out (Node cannot ask a Unix socket
 * who its peer is). On Windows it is a named pipe, whose default security already admits only
 * the creating user and administrators.
 */

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const isWindows = process.platform === 'win32';

function userTag(): string {
  if (typeof process.getuid === 'function') return String(process.getuid());
  try {
    return os.userInfo().username.replace(/[^A-Za-z0-9_-]/g, '_');
  } catch {
    return 'user';
  }
}

/** The private folder of this user's trainer sockets (not used for named pipes). */
export function socketDirectory(tmpdir = os.tmpdir()): string {
  return path.join(tmpdir, `ddpg-lab-${userTag()}`);
}

function runHash(runDir: string): string {
  // A new trainer for the same folder (a resumed interrupted run) must not collide with the
  // stale socket of the old one's pid: the pid is part of the name.
  return createHash('sha256').update(path.resolve(runDir)).digest('hex').slice(0, 12);
}

/** The socket a trainer of `runDir` listens on: short enough for sun_path from any workspace. */
export function socketPathFor(runDir: string, pid = process.pid, tmpdir = os.tmpdir()): string {
  const name = `${runHash(runDir)}-${pid}`;
  if (isWindows) return `\\\\.\\pipe\\ddpg-lab-${userTag()}-${name}`;
  return path.join(socketDirectory(tmpdir), `${name}.sock`);
}

/**
 * Creates the socket folder 0700, or checks an existing one: a real folder (not a symlink), ours,
 * with no access for group or others. A folder someone else prepared is refused, not used.
 */
export async function ensurePrivateSocketDirectory(dir: string): Promise<void> {
  if (isWindows) return;
  try {
    await fs.mkdir(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = await fs.lstat(dir);
  if (!stat.isDirectory()) throw new Error(`the trainer socket folder is not a folder: ${dir}`);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) throw new Error(`the trainer socket folder belongs to another user: ${dir}`);
  if ((stat.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
}

/** Listens on `socketPath` with owner-only permissions; a leftover socket file of a dead trainer is removed first. */
export async function listenPrivately(server: net.Server, socketPath: string): Promise<void> {
  if (!isWindows) {
    await ensurePrivateSocketDirectory(path.dirname(socketPath));
    await fs.rm(socketPath, { force: true });
  }
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(socketPath, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // The folder already keeps others out; the mode says so on the socket itself too.
  if (!isWindows) await fs.chmod(socketPath, 0o600);
}

/** Connects to a trainer's socket; rejects with the system error (ENOENT, ECONNREFUSED, …) or a timeout. */
export function connectToTrainer(socketPath: string, timeoutMs = 2000): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no answer from the trainer socket within ${timeoutMs} ms: ${socketPath}`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Error codes that prove nobody listens on a socket path. */
export function provesNoListener(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ENOTSOCK';
}

/**
 * Whether this machine lets us serve a trainer socket at all (a sandbox, a read-only or full temp
 * directory may not): opens and closes a throwaway one. The answer decides between a detached
 * trainer and a child process.
 */
export async function canServeTrainerSockets(tmpdir = os.tmpdir()): Promise<{ ok: true } | { ok: false; reason: string }> {
  const probe = isWindows ? `\\\\.\\pipe\\ddpg-lab-${userTag()}-probe-${process.pid}` : path.join(socketDirectory(tmpdir), `probe-${process.pid}.sock`);
  const server = net.createServer();
  try {
    await listenPrivately(server, probe);
    const client = await connectToTrainer(probe, 1000);
    client.destroy();
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!isWindows) await fs.rm(probe, { force: true }).catch(() => undefined);
  }
}
