/**
 * The trainer child process, owned by one object: it forks dist/trainer.js, unpacks and validates
 * every IPC message with the protocol guards, keeps the output lines (for "Show Log" and crash
 * reports), records how the process ended, and stops it — politely first, then by killing its tree.
 */

import { fork, type ChildProcess } from 'node:child_process';
import { unpackTrainerMessage, type HostToTrainer, type RunStatus, type TrainerToHost } from '../shared/protocol';
import { killProcessTree } from './processTree';

/** How a trainer process ended. */
export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The status announced by the trainer's last `exiting` event, if it sent one. */
  exitingStatus?: RunStatus;
  /** Set when the host killed the process, saying why. */
  killedBecause?: string;
  /** Set when the process could not be started at all. */
  spawnError?: string;
  /** The host let go of a trainer that goes on running (window closing, reload): not an end of the run. */
  detached?: boolean;
  /** With `detached`: the connection broke while the process lived on, and why. */
  lostConnection?: string;
}

export type ExitVerdict = { crashed: false } | { crashed: true; reason: string };

/**
 * A trainer ended cleanly only when it said goodbye (`exiting`) and then exited with code 0.
 * Anything else — an error code, a signal, silence, or the host having to kill it — is a crash.
 */
export function classifyExit(exit: TrainerExit): ExitVerdict {
  if (exit.detached) return { crashed: false };
  if (exit.spawnError !== undefined) return { crashed: true, reason: `the trainer could not be started: ${exit.spawnError}` };
  if (exit.killedBecause !== undefined) return { crashed: true, reason: exit.killedBecause };
  if (exit.signal) return { crashed: true, reason: `the trainer was killed by signal ${exit.signal}` };
  // A trainer this window attached to is not its child: no exit code, only its silence.
  if (exit.code === null && exit.exitingStatus === undefined) return { crashed: true, reason: 'the trainer process ended without reporting its final status' };
  if (exit.code !== 0) return { crashed: true, reason: `the trainer exited with code ${exit.code}` };
  if (exit.exitingStatus === undefined) return { crashed: true, reason: 'the trainer exited without reporting its final status' };
  return { crashed: false };
}

/** Splits a byte stream into lines; a line longer than `maxLineLength` is cut so one runaway print cannot eat memory. */
export class LineSplitter {
  private pending = '';
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineLength = 8000,
  ) {}

  push(chunk: string): void {
    this.pending += chunk;
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      this.emit(this.pending.slice(0, newline));
      this.pending = this.pending.slice(newline + 1);
    }
    if (this.pending.length > this.maxLineLength) {
      this.emit(this.pending);
      this.pending = '';
    }
  }

  /** Emits a last line that had no newline (a process killed mid-print). */
  end(): void {
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = '';
  }

  private emit(line: string): void {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    this.onLine(clean.length > this.maxLineLength ? `${clean.slice(0, this.maxLineLength)}… (line cut)` : clean);
  }
}

/** Keeps only the last `capacity` items. */
export class Tail<T> {
  private readonly items: T[] = [];
  constructor(private readonly capacity: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }
  toArray(): T[] {
    return [...this.items];
  }
}

/** What the run manager needs from a trainer; the real process implements it, unit tests fake it. */
export interface TrainerHandle {
  readonly pid: number | undefined;
  /** Resolves once the process is gone and its output has been read. */
  readonly exited: Promise<TrainerExit>;
  readonly isRunning: boolean;
  /** False when the command could not be delivered (process gone or channel closed). */
  send(command: HostToTrainer): boolean;
  /** Sends `stop`, waits up to `timeoutMs` for a clean exit, then kills the process tree. */
  stop(saveCheckpoint: boolean, timeoutMs: number): Promise<TrainerExit>;
  /** Kills the process tree now; `reason` is recorded as the cause. */
  kill(reason: string): Promise<TrainerExit>;
  /** The last lines the process wrote to stderr. */
  stderrTail(): string[];
  /** True for a trainer that can outlive this window (served over its socket). */
  readonly detachable?: boolean;
  /** Who started it, for a trainer this window attached to. */
  readonly origin?: 'extension' | 'cli';
  /** Lets go of a detachable trainer without stopping it; resolves with an exit marked `detached`. */
  detach?(): Promise<TrainerExit>;
}

export interface TrainerListeners {
  onEvent(event: TrainerToHost): void;
  /** A message that failed validation: reported, never used. */
  onInvalidMessage(message: unknown): void;
  onOutput(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface TrainerLaunch {
  /** Absolute path of dist/trainer.js. */
  script: string;
  cwd?: string;
  /** The run folder a training trainer serves; with `detached` it is started in its own session and outlives the window. */
  runDir?: string;
  detached?: boolean;
}

export type TrainerLauncher = (launch: TrainerLaunch, listeners: TrainerListeners) => TrainerHandle;

const STDERR_TAIL_LINES = 60;
/** After 'exit', how long to wait for the pipes to drain before reporting the exit anyway. */
const DRAIN_AFTER_EXIT_MS = 500;

export class TrainerProcess implements TrainerHandle {
  readonly exited: Promise<TrainerExit>;
  private readonly child: ChildProcess;
  private readonly stderr = new Tail<string>(STDERR_TAIL_LINES);
  private exitingStatus: RunStatus | undefined;
  private killedBecause: string | undefined;
  private done = false;

  static launch: TrainerLauncher = (launch, listeners) => new TrainerProcess(launch, listeners);

  private constructor(launch: TrainerLaunch, listeners: TrainerListeners) {
    // execArgv: [] — never inherit the extension host's --inspect or Electron-only flags.
    // env copy — handing process.env itself to a child is unreliable under Electron.
    this.child = fork(launch.script, [], {
      cwd: launch.cwd,
      execArgv: [],
      env: { ...process.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });

    const stdoutLines = new LineSplitter((line) => listeners.onOutput(line, 'stdout'));
    const stderrLines = new LineSplitter((line) => {
      this.stderr.push(line);
      listeners.onOutput(line, 'stderr');
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdoutLines.push(chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderrLines.push(chunk));

    // The trainer sends its events in batches; every listener still sees them one by one.
    const onEvent = (event: TrainerToHost) => {
      if (event.type === 'exiting') this.exitingStatus = event.status;
      listeners.onEvent(event);
    };
    const onInvalidMessage = (message: unknown) => listeners.onInvalidMessage(message);
    this.child.on('message', (message: unknown) => unpackTrainerMessage(message, onEvent, onInvalidMessage));

    this.exited = new Promise<TrainerExit>((resolve) => {
      let code: number | null = null;
      let signal: NodeJS.Signals | null = null;
      let spawnError: string | undefined;
      const finish = () => {
        if (this.done) return;
        this.done = true;
        stdoutLines.end();
        stderrLines.end();
        resolve({
          code,
          signal,
          ...(this.exitingStatus !== undefined ? { exitingStatus: this.exitingStatus } : {}),
          ...(this.killedBecause !== undefined ? { killedBecause: this.killedBecause } : {}),
          ...(spawnError !== undefined ? { spawnError } : {}),
        });
      };
      this.child.on('error', (err) => {
        // 'error' without a pid means the process never started; otherwise it is a failed kill or send.
        if (this.child.pid === undefined) {
          spawnError = err.message;
          finish();
        }
      });
      this.child.on('exit', (exitCode, exitSignal) => {
        code = exitCode;
        signal = exitSignal;
        setTimeout(finish, DRAIN_AFTER_EXIT_MS).unref?.();
      });
      // 'close' comes after the pipes are drained: the normal way to finish.
      this.child.on('close', () => finish());
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return !this.done && this.child.exitCode === null && this.child.signalCode === null;
  }

  send(command: HostToTrainer): boolean {
    if (!this.isRunning || !this.child.connected) return false;
    try {
      return this.child.send(command);
    } catch {
      return false; // the channel closed between the check and the send
    }
  }

  async stop(saveCheckpoint: boolean, timeoutMs: number): Promise<TrainerExit> {
    if (!this.isRunning) return this.exited;
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
    if (this.isRunning && this.child.pid !== undefined) {
      this.killedBecause ??= reason;
      await killProcessTree(this.child.pid);
    }
    return this.exited;
  }

  stderrTail(): string[] {
    return this.stderr.toArray();
  }
}

/** A message that failed validation, shortened for a log line. */
export function previewMessage(message: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(message) ?? String(message);
  } catch {
    text = String(message);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
