/**
 * The trainer lock and socket helpers (src/shared/node/): the lock's format and its checks,
 * staleness (pid gone, socket refusing), exclusive claims, the socket path's length and the
 * private folder's permissions, and stopping trainers found by their locks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  claimTrainerLock,
  inspectTrainerLock,
  isProcessAlive,
  LOCK_FORMAT_VERSION,
  liveTrainerOf,
  liveTrainersIn,
  lockFileOf,
  parseTrainerLock,
  readTrainerLock,
  releaseTrainerLockSync,
  stopLiveTrainers,
  type TrainerLock,
} from '../../src/shared/node/trainerLock';
import { canServeTrainerSockets, ensurePrivateSocketDirectory, listenPrivately, socketDirectory, socketPathFor } from '../../src/shared/node/trainerSocket';

const isWindows = process.platform === 'win32';

function runDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'ddpg-lock-'));
}

function lockFor(dir: string, overrides: Partial<TrainerLock> = {}): TrainerLock {
  return {
    formatVersion: LOCK_FORMAT_VERSION,
    runId: path.basename(dir),
    pid: process.pid,
    socketPath: socketPathFor(dir),
    startedAt: new Date().toISOString(),
    hostname: os.hostname(),
    origin: 'extension',
    ...overrides,
  };
}

/** A pid that no process has: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

async function serve(socketPath: string): Promise<net.Server> {
  const server = net.createServer((socket) => socket.end());
  await listenPrivately(server, socketPath);
  return server;
}

test('parseTrainerLock names the file and the field that is wrong', () => {
  const good = lockFor('/runs/r1');
  assert.deepEqual(parseTrainerLock(good, '/runs/r1/trainer.lock'), good);
  const cases: Array<[unknown, RegExp]> = [
    [null, /not a JSON object/],
    [{ ...good, formatVersion: 9 }, /unknown formatVersion 9/],
    [{ ...good, pid: -1 }, /pid must be a positive integer/],
    [{ ...good, pid: 1.5 }, /pid must be a positive integer/],
    [{ ...good, socketPath: '' }, /socketPath must be a non-empty string/],
    [{ ...good, origin: 'browser' }, /origin must be "extension" or "cli"/],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => parseTrainerLock(value, '/runs/r1/trainer.lock'), (err: Error) => message.test(err.message) && err.message.includes('/runs/r1/trainer.lock'));
  }
});

test('no lock is "none"; an unreadable lock is stale, and cleared', async () => {
  const dir = runDir();
  assert.deepEqual(await inspectTrainerLock(dir), { state: 'none' });
  writeFileSync(lockFileOf(dir), '{"half": ');
  const verdict = await inspectTrainerLock(dir);
  assert.equal(verdict.state, 'stale');
  assert.equal(await liveTrainerOf(dir), undefined);
  assert.equal(existsSync(lockFileOf(dir)), false);
});

test('a lock is live only while its process exists and its socket answers', { skip: isWindows }, async () => {
  const dir = runDir();
  const lock = lockFor(dir);
  const server = await serve(lock.socketPath);
  await claimTrainerLock(dir, lock);
  assert.deepEqual(await readTrainerLock(dir), lock);
  assert.equal((await inspectTrainerLock(dir)).state, 'live');
  assert.deepEqual(await liveTrainersIn([path.dirname(dir)]).then((all) => all.filter((t) => t.runDir === dir).map((t) => t.lock)), [lock]);

  // The pid exists (it is ours) but nothing listens any more: a reused pid, a stale lock.
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const refused = await inspectTrainerLock(dir);
  assert.equal(refused.state, 'stale');
  assert.match(refused.state === 'stale' ? refused.reason : '', /socket does not answer/);
  assert.equal(await liveTrainerOf(dir), undefined);
  assert.equal(existsSync(lockFileOf(dir)), false, 'whoever finds it stale clears it');
});

test('a lock whose process is gone is stale; one from another machine is left alone', async () => {
  const dir = runDir();
  const pid = await deadPid();
  assert.equal(isProcessAlive(pid), false);
  writeFileSync(lockFileOf(dir), JSON.stringify(lockFor(dir, { pid })));
  const verdict = await inspectTrainerLock(dir);
  assert.equal(verdict.state, 'stale');
  assert.match(verdict.state === 'stale' ? verdict.reason : '', new RegExp(`process ${pid} is gone`));

  writeFileSync(lockFileOf(dir), JSON.stringify(lockFor(dir, { hostname: 'some-other-machine' })));
  assert.equal((await inspectTrainerLock(dir)).state, 'elsewhere');
  assert.equal(await liveTrainerOf(dir), undefined);
  assert.equal(existsSync(lockFileOf(dir)), true, 'a lock of another machine is not ours to clear');
});

test('claiming: a live lock refuses a second trainer; a stale one is replaced; release removes only our own', { skip: isWindows }, async () => {
  const dir = runDir();
  const first = lockFor(dir);
  const server = await serve(first.socketPath);
  await claimTrainerLock(dir, first);
  await assert.rejects(claimTrainerLock(dir, lockFor(dir, { startedAt: 'later' })), /already has a live trainer \(pid \d+/);
  await new Promise<void>((resolve) => server.close(() => resolve()));

  const second = lockFor(dir, { pid: await deadPid() });
  writeFileSync(lockFileOf(dir), JSON.stringify(second));
  const third = lockFor(dir, { startedAt: '2030-01-01T00:00:00.000Z' });
  const thirdServer = await serve(third.socketPath);
  await claimTrainerLock(dir, third);
  assert.deepEqual(await readTrainerLock(dir), third, 'the stale lock was replaced');
  releaseTrainerLockSync(dir, first);
  assert.ok(existsSync(lockFileOf(dir)), 'a lock that is not ours stays');
  releaseTrainerLockSync(dir, third);
  assert.equal(existsSync(lockFileOf(dir)), false);
  await new Promise<void>((resolve) => thirdServer.close(() => resolve()));
  assert.deepEqual((await fs.readdir(dir)).filter((n) => n.includes('tmp')), [], 'no temporary file is left');
});

test('socket paths fit sun_path from any run folder, one per run and process', () => {
  const deep = path.join('/', ...Array.from({ length: 30 }, (_, i) => `a-rather-long-folder-name-${i}`));
  const socketPath = socketPathFor(deep, 4_194_304);
  assert.ok(Buffer.byteLength(socketPath) <= 100, socketPath);
  assert.notEqual(socketPathFor('/runs/a', 1), socketPathFor('/runs/b', 1));
  assert.notEqual(socketPathFor('/runs/a', 1), socketPathFor('/runs/a', 2));
  if (!isWindows) assert.equal(path.dirname(socketPath), socketDirectory());
});

test('the socket folder is made private, and one that is not a folder is refused', { skip: isWindows }, async () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'ddpg-sockdir-'));
  const dir = path.join(base, 'sockets');
  await ensurePrivateSocketDirectory(dir);
  assert.equal((await fs.stat(dir)).mode & 0o777, 0o700);
  await fs.chmod(dir, 0o755);
  await ensurePrivateSocketDirectory(dir);
  assert.equal((await fs.stat(dir)).mode & 0o777, 0o700, 'loose permissions are tightened');
  const file = path.join(base, 'a-file');
  writeFileSync(file, '');
  await assert.rejects(ensurePrivateSocketDirectory(file), /not a folder/);
  const link = path.join(base, 'a-link');
  await fs.symlink(dir, link);
  await assert.rejects(ensurePrivateSocketDirectory(link), /not a folder/);
});

test('sockets can be served here (the probe that decides detached trainers)', async () => {
  assert.deepEqual(await canServeTrainerSockets(), { ok: true });
});

test('stopLiveTrainers: SIGTERM first, SIGKILL for one that ignores it, locks cleared', { skip: isWindows }, async () => {
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-stopall-'));
  const started: Array<{ dir: string; pid: number }> = [];
  for (const [name, onTerm] of [['polite', 'process.exit(0)'], ['stubborn', '0']] as const) {
    const dir = path.join(runsDir, name);
    await fs.mkdir(dir);
    // A stand-in trainer: listens on its socket, writes its lock, and handles SIGTERM its way.
    const script = `
      const net = require('node:net'); const fs = require('node:fs');
      const lock = JSON.parse(process.argv[1]); lock.pid = process.pid;
      const server = net.createServer((s) => s.end());
      try { fs.rmSync(lock.socketPath, { force: true }); } catch {}
      server.listen(lock.socketPath, () => { fs.writeFileSync(${JSON.stringify(lockFileOf(dir))}, JSON.stringify(lock)); });
      process.on('SIGTERM', () => { ${onTerm}; });
      setInterval(() => {}, 1000);`;
    await ensurePrivateSocketDirectory(socketDirectory());
    const child = spawn(process.execPath, ['-e', script, JSON.stringify(lockFor(dir, { socketPath: socketPathFor(dir, 0) }))], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!existsSync(lockFileOf(dir)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    started.push({ dir, pid: child.pid! });
  }
  const pids = await stopLiveTrainers([runsDir], 500);
  assert.deepEqual(pids.sort(), started.map((s) => s.pid).sort());
  for (const { dir, pid } of started) {
    // Our own children: gone once this process has reaped them, a moment after they exit.
    for (let waited = 0; isProcessAlive(pid) && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    assert.equal(isProcessAlive(pid), false, `${dir} stopped`);
    assert.equal(existsSync(lockFileOf(dir)), false);
  }
});
