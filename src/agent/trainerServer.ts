/**
 * The trainer's own socket: any number of hosts (windows of the extension, after any reload)
 * attach, give commands and receive every event. The trainer process (main.ts) and the CLI both
 * serve one while they train, so a run outlives the window that started it and a run started in
 * a terminal can be watched and controlled from a window.
 *
 * Each host has its own event batcher (one line per ~50 ms), its own frame wish and its own
 * checkpoint request ids: the trainer sees one request-id space, and the checkpoint that answers a
 * request carries the requester's id to the requester only. A host that stops reading is dropped
 * rather than let its backlog grow; it can attach again. Lines are validated like IPC messages:
 * a bad one is logged and costs only itself.
 */

import { rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeJsonLine, JsonLineReader, MAX_COMMAND_LINE_BYTES } from '../shared/node/jsonLines';
import { claimTrainerLock, LOCK_FORMAT_VERSION, releaseTrainerLockSync, type TrainerLock, type TrainerOrigin } from '../shared/node/trainerLock';
import { listenPrivately, socketPathFor } from '../shared/node/trainerSocket';
import { isHostToTrainer, type HostToTrainer, type TrainerToHost } from '../shared/protocol';
import { EventBatcher } from './eventBatcher';

/** A host this far behind (unsent bytes) is dropped: a stuck window must not grow the trainer's memory. */
const MAX_BACKLOG_BYTES = 64 << 20;
/** How long closing waits for the last lines to reach the hosts. */
const CLOSE_FLUSH_MS = 1000;
/**
 * Rows a newly attached host is sent from memory. It reads the rest from metrics.jsonl, which
 * the trainer appends to just after it announces a row: these cover rows announced before the
 * host attached and not yet on disk when it read. Duplicates are dropped by the run reducer.
 */
const WELCOME_EPISODES = 200;
const WELCOME_EVALS = 20;

export interface TrainerServerOptions {
  runDir: string;
  origin: TrainerOrigin;
  /** A validated command from a host; checkpoint request ids are already the server's own. */
  onCommand(command: HostToTrainer): void;
  /** Whether any attached host wants animation frames; called when that changes. */
  onFramesWanted(enabled: boolean): void;
  /** Where problems go (the trainer's log). */
  log(message: string): void;
}

class AttachedHost {
  readonly batcher: EventBatcher;
  framesWanted = false;
  closed = false;

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
    onBacklog: () => void,
  ) {
    this.batcher = new EventBatcher({
      send: (message, onSent) => {
        if (this.closed || socket.destroyed) {
          onSent?.(new Error('the host is gone'));
          return;
        }
        socket.write(encodeJsonLine(message), (err) => onSent?.(err ?? null));
        if (socket.writableLength > MAX_BACKLOG_BYTES) onBacklog();
      },
    });
  }
}

export class TrainerServer {
  readonly lock: TrainerLock;
  private readonly hosts = new Set<AttachedHost>();
  private nextHostId = 1;
  private nextRequestId = 1;
  /** Server request id → the host that asked and the id it used. */
  private readonly requests = new Map<number, { host: AttachedHost; requestId: number }>();
  private framesWanted = false;
  private closing = false;
  private started: Extract<TrainerToHost, { type: 'started' }> | undefined;
  private latestStatus: Extract<TrainerToHost, { type: 'status' }> | undefined;
  /** A MuJoCo run's scene: sent once, so a host that attaches later needs it in its welcome. */
  private scene: Extract<TrainerToHost, { type: 'scene' }> | undefined;
  private readonly recentEpisodes: TrainerToHost[] = [];
  private readonly recentEvals: TrainerToHost[] = [];

  private constructor(
    private readonly server: net.Server,
    private readonly options: TrainerServerOptions,
    lock: TrainerLock,
  ) {
    this.lock = lock;
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on the run's socket, then claims its lock (a lock always names a listening socket). */
  static async open(options: TrainerServerOptions): Promise<TrainerServer> {
    const socketPath = socketPathFor(options.runDir);
    const server = net.createServer();
    await listenPrivately(server, socketPath);
    const lock: TrainerLock = {
      formatVersion: LOCK_FORMAT_VERSION,
      runId: path.basename(options.runDir),
      pid: process.pid,
      socketPath,
      startedAt: new Date().toISOString(),
      hostname: os.hostname(),
      origin: options.origin,
    };
    try {
      await claimTrainerLock(options.runDir, lock);
    } catch (err) {
      server.close();
      throw err;
    }
    // Every way out of the process passes here, a crash included: the lock and the socket file go with the process.
    process.on('exit', () => {
      releaseTrainerLockSync(options.runDir, lock);
      if (process.platform !== 'win32') rmSync(socketPath, { force: true });
    });
    return new TrainerServer(server, options, lock);
  }

  get attachedHosts(): number {
    return this.hosts.size;
  }

  /** Sends an event to every attached host (frames only to those that want them). */
  broadcast(event: TrainerToHost): void {
    this.remember(event);
    if (event.type === 'checkpoint' && event.requestId !== undefined) {
      const request = this.requests.get(event.requestId);
      this.requests.delete(event.requestId);
      const anonymous: TrainerToHost = { type: 'checkpoint', dir: event.dir, manifest: event.manifest };
      for (const host of this.hosts) host.batcher.push(request?.host === host ? { ...anonymous, requestId: request.requestId } : anonymous);
      return;
    }
    for (const host of this.hosts) {
      if (event.type === 'frames' && !host.framesWanted) continue;
      host.batcher.push(event);
    }
  }

  /** Sends what is queued, ends every connection, stops listening and releases the lock. Bounded in time. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const flushed = [...this.hosts].map(
      (host) =>
        new Promise<void>((resolve) => {
          host.batcher.flush(() => {
            host.socket.end(() => resolve());
          });
        }),
    );
    await Promise.race([Promise.all(flushed), new Promise((resolve) => setTimeout(resolve, CLOSE_FLUSH_MS).unref())]);
    for (const host of this.hosts) host.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    releaseTrainerLockSync(this.options.runDir, this.lock);
  }

  private accept(socket: net.Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const host = new AttachedHost(this.nextHostId++, socket, () => this.drop(host, 'it stopped reading (more than 64 MB unsent)'));
    this.hosts.add(host);
    const reader = new JsonLineReader(
      {
        onMessage: (value) => this.receive(host, value),
        onBadLine: (reason, preview) => this.options.log(`ignored a line from host ${host.id} (${reason}): ${preview}`),
      },
      MAX_COMMAND_LINE_BYTES,
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', () => undefined); // a host that vanished mid-write: 'close' follows
    socket.on('close', () => this.forget(host));
    for (const event of this.welcome()) host.batcher.push(event);
    host.batcher.flush();
  }

  /** The run as it is now, for a host that just attached: who it is, its latest rows, its state. */
  private welcome(): TrainerToHost[] {
    if (!this.started) return [];
    const state = this.latestStatus?.status.state ?? this.started.run.status;
    const started: TrainerToHost = { ...this.started, run: { ...this.started.run, status: state } };
    return [started, ...(this.scene ? [this.scene] : []), ...this.recentEpisodes, ...this.recentEvals, ...(this.latestStatus ? [this.latestStatus] : [])];
  }

  private remember(event: TrainerToHost): void {
    const keep = (list: TrainerToHost[], limit: number) => {
      list.push(event);
      if (list.length > limit) list.shift();
    };
    if (event.type === 'started') this.started = event;
    else if (event.type === 'scene') this.scene = event;
    else if (event.type === 'status') this.latestStatus = event;
    else if (event.type === 'episode') keep(this.recentEpisodes, WELCOME_EPISODES);
    else if (event.type === 'eval') keep(this.recentEvals, WELCOME_EVALS);
  }

  private receive(host: AttachedHost, value: unknown): void {
    if (!isHostToTrainer(value)) {
      this.options.log(`ignored an invalid message from host ${host.id}: ${JSON.stringify(value)?.slice(0, 200)}`);
      return;
    }
    switch (value.type) {
      case 'setFrameStreaming':
        host.framesWanted = value.enabled;
        this.updateFrameWish();
        return;
      case 'checkpoint': {
        const requestId = this.nextRequestId++;
        this.requests.set(requestId, { host, requestId: value.requestId });
        this.options.onCommand({ type: 'checkpoint', requestId });
        return;
      }
      default:
        this.options.onCommand(value);
    }
  }

  private drop(host: AttachedHost, why: string): void {
    if (host.closed) return;
    this.options.log(`dropped host ${host.id}: ${why}`);
    host.socket.destroy();
    this.forget(host);
  }

  private forget(host: AttachedHost): void {
    host.closed = true;
    if (!this.hosts.delete(host)) return;
    for (const [id, request] of this.requests) if (request.host === host) this.requests.delete(id);
    this.updateFrameWish();
  }

  private updateFrameWish(): void {
    const wanted = [...this.hosts].some((h) => h.framesWanted);
    if (wanted === this.framesWanted) return;
    this.framesWanted = wanted;
    this.options.onFramesWanted(wanted);
  }
}
