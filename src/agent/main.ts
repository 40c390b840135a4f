/**
 * Trainer process entry (dist/trainer.js). Two ways to be started:
 *
 * - `trainer.js --serve <run dir>`: detached by the extension (its own session; stdout and stderr
 *   go to the run's trainer.log). It serves the run's socket (trainerServer.ts) and outlives the
 *   window that started it: the first host sends `start`, any host may attach later and give
 *   commands. With no host ever sending `start`, it gives up after a while.
 * - forked with an IPC channel: evaluations, and training where sockets are impossible. It waits
 *   for one `start` or `evaluate` and streams events back; when the host goes away it stops with
 *   a final checkpoint.
 *
 * Everything that arrives is validated first: the host is trusted, but the channel carries plain JSON.
 */

import { isHostToTrainer, type EvaluateCommand, type HostToTrainer, type RunStatus, type StartTrainingCommand, type TrainerMessage, type TrainerToHost } from '../shared/protocol';
import { validateConfig } from '../shared/config';
import { enableRelaxedSimd } from './engine/wasm/relaxedSimd';
import { EventBatcher, type SentCallback } from './eventBatcher';
import { evaluateCheckpoint } from './evaluation';
import { checkpointSceneEvent } from './sceneEvent';
import { Trainer } from './trainer';
import { RunLog } from './trainer/runLog';
import { TrainerServer } from './trainerServer';

/** A served trainer whose host never sends `start` (it died right after launching it) exits after this. */
const START_TIMEOUT_MS = 60_000;

/** How events reach the host(s), and how the last one is sent before the process exits. */
interface HostChannel {
  send(event: TrainerToHost): void;
  /** Sends `last` after everything queued and calls `done` once it is handed over (bounded in time). */
  finish(last: TrainerToHost, done: () => void): void;
}

function ipcChannel(): HostChannel {
  const post = (message: TrainerMessage, onSent?: SentCallback): void => {
    // With a callback, a channel that broke in the meantime (host gone: EPIPE) reports to it instead
    // of raising an 'error' event that would kill the process before its final checkpoint.
    if (process.send && process.connected) process.send(message, undefined, undefined, onSent ?? ignoreChannelError);
    else onSent?.(new Error('the host channel is closed'));
  };
  const events = new EventBatcher({ send: post });
  return {
    send: (event) => events.push(event),
    finish: (last, done) => events.push(last, () => done()),
  };
}

function ignoreChannelError(error: Error | null): void {
  if (error) process.stderr.write(`trainer: host channel closed (${error.message})\n`);
}

function socketChannel(server: TrainerServer): HostChannel {
  return {
    send: (event) => server.broadcast(event),
    finish: (last, done) => {
      server.broadcast(last);
      void server.close().then(done, done);
    },
  };
}

const serveIndex = process.argv.indexOf('--serve');
const serveRunDir = serveIndex >= 0 ? process.argv[serveIndex + 1] : undefined;

let channel: HostChannel | undefined;
/** Events of this process, for the host(s) and for the run's trainer.log. */
let runLog: RunLog | undefined;
let failed = false;
let trainer: Trainer | null = null;
let started = false;

function send(event: TrainerToHost): void {
  runLog?.onEvent(event);
  channel?.send(event);
}

/** Sends the last message, after every event still queued, and exits once it has been handed over. */
function exitWith(status: RunStatus, code: number): void {
  const last: TrainerToHost = { type: 'exiting', status };
  runLog?.onEvent(last);
  if (!channel) process.exit(code);
  channel.finish(last, () => process.exit(code));
}

/**
 * Reports a failure once (stderr for the log, an error event for the host) and exits 1 after the
 * event is handed over. Later failures (an unhandled rejection caused by the first) add nothing:
 * one failure, one report.
 */
function fail(err: unknown): void {
  if (failed) return;
  failed = true;
  const error = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`trainer error: ${error.stack ?? error.message}\n`);
  const event: TrainerToHost = { type: 'error', message: error.message, stack: error.stack };
  // A served trainer's stderr is its trainer.log already; a child's goes to its host only.
  if (serveRunDir === undefined) runLog?.onEvent(event);
  if (channel) channel.finish(event, () => process.exit(1));
  else process.exit(1);
  // A channel that never reports back must not keep a failed process alive.
  setTimeout(() => process.exit(1), 1500).unref();
}

enableRelaxedSimd();

async function startTraining(command: StartTrainingCommand): Promise<void> {
  if (serveRunDir !== undefined && command.runDir !== serveRunDir) {
    throw new Error(`this trainer serves ${serveRunDir}; it was asked to train in ${command.runDir}`);
  }
  const { config, errors } = validateConfig(command.config);
  if (!config) throw new Error(`invalid configuration: ${errors.map((e) => e.message).join('; ')}`);
  runLog ??= new RunLog(command.runDir);
  trainer = await Trainer.create({ runDir: command.runDir, config, emit: send, resumeFrom: command.resumeFrom, streamFrames: command.streamFrames });
  const summary = await trainer.run();
  exitWith(summary.status, 0);
}

async function evaluate(command: EvaluateCommand): Promise<void> {
  const scene = await checkpointSceneEvent(command.checkpointDir);
  if (scene) send(scene);
  const result = await evaluateCheckpoint(command.checkpointDir, command.episodes, {
    onFrames: command.streamFrames ? (episode, firstStep, data, stride, labels) => send({ type: 'frames', frames: { episode, firstStep, phase: 'eval', stride, data, ...labels } }) : undefined,
    log: (message) => send({ type: 'log', level: 'warn', message }),
  });
  send({ type: 'evaluation', ...result });
  exitWith('finished', 0);
}

function handle(message: HostToTrainer): void {
  switch (message.type) {
    case 'start':
    case 'evaluate':
      if (started) {
        send({ type: 'log', level: 'warn', message: `ignored a second "${message.type}" command: this process already has work` });
        return;
      }
      if (serveRunDir !== undefined && message.type === 'evaluate') {
        send({ type: 'log', level: 'warn', message: 'ignored "evaluate": a served trainer only trains its run' });
        return;
      }
      started = true;
      (message.type === 'start' ? startTraining(message) : evaluate(message)).catch(fail);
      return;
    case 'pause':
      trainer?.pause();
      return;
    case 'resume':
      trainer?.resume();
      return;
    case 'checkpoint':
      trainer?.requestCheckpoint(message.requestId);
      return;
    case 'stop':
      if (trainer) trainer.stop(message.saveCheckpoint);
      else exitWith('stopped', 0);
      return;
    case 'setFrameStreaming':
      trainer?.setFrameStreaming(message.enabled);
      return;
  }
}

function stopOnSignal(signal: NodeJS.Signals): void {
  runLog?.note(`received ${signal}: stopping with a final checkpoint`);
  if (trainer) trainer.stop(true);
  else process.exit(0);
}

async function serve(runDir: string): Promise<void> {
  runLog = new RunLog(runDir);
  const server = await TrainerServer.open({
    runDir,
    origin: 'extension',
    onCommand: handle,
    // The frame wish of this process is the union of its hosts' wishes.
    onFramesWanted: (enabled) => trainer?.setFrameStreaming(enabled),
    log: (message) => runLog?.note(message),
  });
  channel = socketChannel(server);
  runLog.note(`serving ${runDir} on ${server.lock.socketPath} (pid ${process.pid})`);
  setTimeout(() => {
    if (started) return;
    runLog?.note(`no host sent "start" within ${START_TIMEOUT_MS / 1000} s: exiting`);
    exitWith('stopped', 1);
  }, START_TIMEOUT_MS).unref();
}

if (serveRunDir !== undefined) {
  // Detached: no terminal hangs up on it, and no host going away stops it. SIGTERM (the harness,
  // `kill`) stops it with a final checkpoint.
  process.on('SIGHUP', () => runLog?.note('ignored SIGHUP'));
  process.on('SIGTERM', () => stopOnSignal('SIGTERM'));
  process.on('SIGINT', () => stopOnSignal('SIGINT'));
  serve(serveRunDir).catch(fail);
} else {
  channel = ipcChannel();
  process.on('message', (message: unknown) => {
    if (!isHostToTrainer(message)) {
      process.stderr.write(`trainer: ignored an invalid message: ${JSON.stringify(message)?.slice(0, 200)}\n`);
      return;
    }
    handle(message);
  });
  // The host went away (window closed, extension host crashed): stop cleanly with a final checkpoint.
  process.on('disconnect', () => {
    if (trainer) trainer.stop(true);
    else process.exit(0);
  });
  process.on('SIGTERM', () => stopOnSignal('SIGTERM'));
}
process.on('unhandledRejection', (reason) => fail(reason));
