/**
 * Test helpers for trainers that serve a socket: the detached trainer (dist/trainer.js --serve)
 * and the CLI. A client here is what a window is to the trainer: it connects, reads
 * newline-delimited JSON through the protocol guards and writes commands.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import { encodeJsonLine, JsonLineReader, MAX_EVENT_LINE_BYTES } from '../../src/shared/node/jsonLines';
import { readTrainerLock, type TrainerLock } from '../../src/shared/node/trainerLock';
import { connectToTrainer } from '../../src/shared/node/trainerSocket';
import { unpackTrainerMessage, type HostToTrainer, type StatusSnapshot, type TrainerToHost } from '../../src/shared/protocol';

export const DIST = path.resolve(__dirname, '../../dist');
export const TRAINER = path.join(DIST, 'trainer.js');
export const CLI = path.join(DIST, 'cli.js');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts dist/trainer.js detached, serving `runDir`, its output in the run's trainer.log: as the extension does. */
export function launchDetachedTrainer(runDir: string): ChildProcess {
  assert.ok(existsSync(TRAINER), `${TRAINER} is missing: run npm run build first`);
  const log = openSync(path.join(runDir, 'trainer.log'), 'a');
  const child = spawn(process.execPath, [TRAINER, '--serve', runDir], { detached: true, stdio: ['ignore', log, log], env: { ...process.env } });
  closeSync(log);
  child.unref();
  return child;
}

export async function waitForLock(runDir: string, pid?: number, timeoutMs = 20_000): Promise<TrainerLock> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const lock = await readTrainerLock(runDir).catch(() => undefined);
    if (lock && (pid === undefined || lock.pid === pid)) return lock;
    await sleep(25);
  }
  throw new Error(`no trainer.lock in ${runDir} within ${timeoutMs} ms`);
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export class SocketClient {
  readonly events: TrainerToHost[] = [];
  readonly invalid: unknown[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    const reader = new JsonLineReader(
      {
        onMessage: (value) => unpackTrainerMessage(value, (e) => this.events.push(e), (m) => this.invalid.push(m)),
        onBadLine: (reason, preview) => this.invalid.push(`${reason}: ${preview}`),
      },
      MAX_EVENT_LINE_BYTES,
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => (this.closed = true));
  }

  static async connect(lock: TrainerLock): Promise<SocketClient> {
    return new SocketClient(await connectToTrainer(lock.socketPath));
  }

  send(command: HostToTrainer | Record<string, unknown>): void {
    this.socket.write(encodeJsonLine(command));
  }

  raw(text: string): void {
    this.socket.write(text);
  }

  /** Ends the connection the way a dying host does: abruptly. */
  destroy(): void {
    this.socket.destroy();
  }

  async waitFor(predicate: (e: TrainerToHost) => boolean, what: string, timeoutMs = 60_000): Promise<TrainerToHost> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    while (Date.now() < deadline) {
      for (; seen < this.events.length; seen++) if (predicate(this.events[seen])) return this.events[seen];
      if (this.closed) break;
      await sleep(10);
    }
    throw new Error(`timed out waiting for ${what}; last events: ${JSON.stringify(this.events.slice(-3)).slice(0, 600)}`);
  }

  statuses(): StatusSnapshot[] {
    return this.events.flatMap((e) => (e.type === 'status' ? [e.status] : []));
  }

  latestStatusState(): string | undefined {
    return this.statuses().at(-1)?.state;
  }

  latestStep(): number {
    return Math.max(0, ...this.events.map((e) => (e.type === 'status' ? e.status.step : e.type === 'episode' ? e.row.step : 0)));
  }
}
