/**
 * A trainer reached over its socket rather than owned as a child: one this window started
 * detached (it outlives the window), or one it attached to (started by an earlier window, another
 * window, or the CLI in a terminal). Implements the same TrainerHandle as the child process, so the
 * run manager treats both alike, plus `detach()`: let go without stopping it.
 *
 * The socket carries newline-delimited JSON; every line goes through the protocol guards, a bad
 * one costs only itself. When the connection ends the handle decides what happened: the trainer
 * said `exiting` (a clean end), its process is gone without a word (a crash: the tail of its
 * trainer.log says why), or it still runs (the connection broke: reconnect).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import { encodeJsonLine, JsonLineReader, MAX_EVENT_LINE_BYTES } from '../shared/node/jsonLines';
import { isProcessAlive, readTrainerLock, type TrainerLock } from '../shared/node/trainerLock';
import { connectToTrainer } from '../shared/node/trainerSocket';
import { unpackTrainerMessage, type HostToTrainer, type RunStatus } from '../shared/protocol';
import { killProcessTree } from './processTree';
import type { TrainerExit, TrainerHandle, TrainerLaunch, TrainerListeners } from './trainerProcess';

export const RUN_LOG_FILE = 'trainer.log';
/** How long a freshly launched trainer gets to open its socket and claim its lock. */
const LAUNCH_TIMEOUT_MS = 20_000;
/** After the connection ends without `exiting`, how long the process gets to disappear before we try to reconnect. */
const EXIT_GRACE_MS = 3000;
const RECONNECT_ATTEMPTS = 3;
const TAIL_LINES = 60;

/** The last lines of a run's trainer.log (its stderr, when it was launched detached). */
export function readLogTail(runDir: string, lines = TAIL_LINES): string[] {
  let fd: number | undefined;
  try {
    fd = openSync(path.join(runDir, RUN_LOG_FILE), 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').split('\n').filter((l) => l !== '').slice(-lines);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SocketTrainer implements TrainerHandle {
  readonly exited: Promise<TrainerExit>;
  readonly detachable = true;
  private resolveExit!: (exit: TrainerExit) => void;
  private socket: net.Socket | undefined;
  /** Commands given before the connection is up. */
  private readonly queued: HostToTrainer[] = [];
  private lock: TrainerLock | undefined;
  private exitingStatus: RunStatus | undefined;
  private detaching = false;
  private killedBecause: string | undefined;
  private done = false;
  private tail: string[] = [];
  private child: ChildProcess | undefined;
  private childExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(
    private readonly runDir: string,
    private readonly listeners: TrainerListeners,
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /**
   * Starts dist/trainer.js detached (its own session, so closing the window or its terminal does
   * not take it along) serving `runDir`, and connects once it has claimed the run's lock.
   */
  static launchDetached(launch: TrainerLaunch & { runDir: string }, listeners: TrainerListeners): SocketTrainer {
    const trainer = new SocketTrainer(launch.runDir, listeners);
    void trainer.start(launch);
    return trainer;
  }

  /** Attaches to the live trainer a run's lock names. */
  static attach(runDir: string, lock: TrainerLock, listeners: TrainerListeners): SocketTrainer {
    const trainer = new SocketTrainer(runDir, listeners);
    trainer.lock = lock;
    void trainer.connect().catch((err: Error) => trainer.lost(err));
    return trainer;
  }

  get pid(): number | undefined {
    return this.lock?.pid ?? this.child?.pid;
  }

  get origin(): TrainerLock['origin'] | undefined {
    return this.lock?.origin;
  }

  get isRunning(): boolean {
    return !this.done;
  }

  send(command: HostToTrainer): boolean {
    if (this.done || this.detaching) return false;
    if (!this.socket) {
      this.queued.push(command);
      return true;
    }
    if (this.socket.destroyed || !this.socket.writable) return false;
    this.socket.write(encodeJsonLine(command));
    return true;
  }

  async stop(saveCheckpoint: boolean, timeoutMs: number): Promise<TrainerExit> {
    if (this.done) return this.exited;
    this.send({ type: 'stop', saveCheckpoint });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return outcome;
    return this.kill(`the trainer did not stop within ${Math.round(timeoutMs / 100) / 10} s and was killed`);
  }

  async kill(reason: string): Promise<TrainerExit> {
    const pid = this.pid;
    if (!this.done && pid !== undefined) {
      this.killedBecause ??= reason;
      await killProcessTree(pid);
      // A trainer we did not start is not our child: no 'exit' event tells us it is gone.
      this.finishWhenGone(pid);
    }
    return this.exited;
  }

  /** Lets go of the trainer: it goes on training, and another window (or this one, reloaded) can attach. */
  detach(): Promise<TrainerExit> {
    if (this.done) return this.exited;
    this.detaching = true;
    if (this.socket) {
      this.socket.end();
      // A trainer that does not close its end must not hold up a closing window.
      setTimeout(() => this.socket?.destroy(), 1000).unref();
    } else {
      this.finish({ code: null, signal: null, detached: true });
    }
    return this.exited;
  }

  stderrTail(): string[] {
    return this.tail;
  }

  // ─── internals ──────────────────────────────────────────────────────────────────────────────

  private async start(launch: TrainerLaunch & { runDir: string }): Promise<void> {
    let logFd: number;
    try {
      logFd = openSync(path.join(launch.runDir, RUN_LOG_FILE), 'a');
    } catch (err) {
      this.finish({ code: null, signal: null, spawnError: (err as Error).message });
      return;
    }
    try {
      // execArgv is not inherited by spawn; the env is a copy (handing process.env itself to a
      // child is unreliable under Electron). In desktop VS Code process.execPath is Electron: it
      // runs as Node only with ELECTRON_RUN_AS_NODE, which the extension host has already.
      this.child = spawn(process.execPath, [launch.script, '--serve', launch.runDir], {
        cwd: launch.cwd ?? launch.runDir,
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        windowsHide: true,
      });
    } catch (err) {
      closeSync(logFd);
      this.finish({ code: null, signal: null, spawnError: (err as Error).message });
      return;
    }
    closeSync(logFd);
    const child = this.child;
    child.on('error', (err) => {
      if (child.pid === undefined) this.finish({ code: null, signal: null, spawnError: err.message });
    });
    child.on('exit', (code, signal) => {
      this.childExit = { code, signal };
      // The connection's end decides in the normal case; this covers a trainer that never connected.
      if (!this.socket) setTimeout(() => this.finishFromChild(), 200);
    });
    // The window may close first: the trainer must not keep the extension host waiting for it.
    child.unref();
    const deadline = Date.now() + LAUNCH_TIMEOUT_MS;
    while (!this.done && !this.childExit && Date.now() < deadline) {
      const lock = await readTrainerLock(launch.runDir).catch(() => undefined);
      if (lock && lock.pid === child.pid) {
        this.lock = lock;
        try {
          await this.connect();
        } catch (err) {
          this.lost(err as Error);
        }
        return;
      }
      await sleep(50);
    }
    if (this.done || this.childExit) return;
    await this.kill(`the trainer did not open its socket within ${LAUNCH_TIMEOUT_MS / 1000} s`);
  }

  private async connect(): Promise<void> {
    const socket = await connectToTrainer(this.lock!.socketPath);
    if (this.done) {
      socket.destroy();
      return;
    }
    this.socket = socket;
    const onEvent = (event: Parameters<TrainerListeners['onEvent']>[0]) => {
      if (event.type === 'exiting') this.exitingStatus = event.status;
      this.listeners.onEvent(event);
    };
    const reader = new JsonLineReader(
      {
        onMessage: (value) => unpackTrainerMessage(value, onEvent, (invalid) => this.listeners.onInvalidMessage(invalid)),
        onBadLine: (reason, preview) => this.listeners.onInvalidMessage(`a ${reason} line: ${preview}`),
      },
      MAX_EVENT_LINE_BYTES,
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => void this.onClose(socket));
    for (const command of this.queued.splice(0)) socket.write(encodeJsonLine(command));
  }

  private async onClose(socket: net.Socket): Promise<void> {
    if (this.socket !== socket || this.done) return;
    this.socket = undefined;
    if (this.detaching) {
      this.finish({ code: null, signal: null, detached: true });
      return;
    }
    const pid = this.pid!;
    const deadline = Date.now() + EXIT_GRACE_MS;
    while (isProcessAlive(pid) && !this.childExit && Date.now() < deadline) await sleep(50);
    // Our own child: its exit code is worth the wait of its 'exit' event.
    for (let waited = 0; this.child && !this.childExit && !isProcessAlive(pid) && waited < 1000; waited += 50) await sleep(50);
    if (this.childExit || !isProcessAlive(pid) || this.exitingStatus !== undefined) {
      this.finishFromChild();
      return;
    }
    // The process is alive but the connection broke (it dropped a host that fell behind, say).
    for (let attempt = 0; attempt < RECONNECT_ATTEMPTS && !this.done; attempt++) {
      try {
        await this.connect();
        this.listeners.onOutput(`reattached to the trainer (pid ${pid}) after the connection broke`, 'stderr');
        return;
      } catch {
        await sleep(500);
      }
    }
    this.lost(new Error(`the connection to the trainer (pid ${pid}) broke and it does not answer`));
  }

  /** The process is gone: report how it ended, as well as we can know (a child's exit code, else its last word). */
  private finishFromChild(): void {
    if (this.done) return;
    if (this.exitingStatus === undefined) this.tail = readLogTail(this.runDir);
    const exit = this.childExit;
    this.finish({
      code: exit ? exit.code : this.exitingStatus !== undefined ? 0 : null,
      signal: exit?.signal ?? null,
      ...(this.exitingStatus !== undefined ? { exitingStatus: this.exitingStatus } : {}),
      ...(this.killedBecause !== undefined ? { killedBecause: this.killedBecause } : {}),
    });
  }

  /**
   * The connection is gone but the process may live on: the window lets go of the run (it is not
   * marked crashed: the lock scan attaches again once it answers).
   */
  private lost(err: Error): void {
    if (this.done) return;
    const pid = this.pid;
    if (pid !== undefined && !isProcessAlive(pid)) {
      this.finishFromChild();
      return;
    }
    this.listeners.onOutput(`lost the trainer: ${err.message}`, 'stderr');
    this.finish({ code: null, signal: null, detached: true, lostConnection: err.message });
  }

  private finishWhenGone(pid: number): void {
    const poll = () => {
      if (this.done) return;
      if (!isProcessAlive(pid) || this.childExit) this.finishFromChild();
      else setTimeout(poll, 50);
    };
    poll();
  }

  private finish(exit: TrainerExit): void {
    if (this.done) return;
    this.done = true;
    this.socket?.destroy();
    this.resolveExit(exit);
  }
}
