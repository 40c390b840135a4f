/**
 * Trainer child-process entry (dist/trainer.js), forked by the extension host.
 * Waits for one `start` or `evaluate` command over IPC, then streams events back. Everything that
 * arrives is validated first: the host is trusted, but the channel carries plain JSON.
 */

import { isHostToTrainer, type EvaluateCommand, type HostToTrainer, type RunStatus, type StartTrainingCommand, type TrainerMessage, type TrainerToHost } from '../shared/protocol';
import { validateConfig } from '../shared/config';
import { enableRelaxedSimd } from './engine/wasm/relaxedSimd';
import { EventBatcher, type SentCallback } from './eventBatcher';
import { evaluateCheckpoint } from './evaluation';
import { Trainer } from './trainer';

function post(message: TrainerMessage, onSent?: SentCallback): void {
  // With a callback, a channel that broke in the meantime (host gone: EPIPE) reports to it instead
  // of raising an 'error' event that would kill the process before its final checkpoint.
  if (process.send && process.connected) process.send(message, undefined, undefined, onSent ?? ignoreChannelError);
  else onSent?.(new Error('the host channel is closed'));
}

function ignoreChannelError(error: Error | null): void {
  if (error) process.stderr.write(`trainer: host channel closed (${error.message})\n`);
}

const events = new EventBatcher({ send: post });

function send(event: TrainerToHost): void {
  events.push(event);
}

/** Sends the last message, after every event still queued, and exits once it has been handed to the channel. */
function exitWith(status: RunStatus, code: number): void {
  events.push({ type: 'exiting', status }, () => process.exit(code));
}

let failed = false;

/**
 * Reports a failure once (stderr for the log, an error event for the host) and exits 1 after the
 * event is handed to the channel. Later failures (an unhandled rejection caused by the first) add
 * nothing: one failure, one report.
 */
function fail(err: unknown): void {
  if (failed) return;
  failed = true;
  const error = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`trainer error: ${error.stack ?? error.message}\n`);
  events.push({ type: 'error', message: error.message, stack: error.stack }, () => process.exit(1));
  // A channel that never reports back must not keep a failed process alive.
  setTimeout(() => process.exit(1), 1000).unref();
}

enableRelaxedSimd();

let trainer: Trainer | null = null;
let started = false;

async function startTraining(command: StartTrainingCommand): Promise<void> {
  const { config, errors } = validateConfig(command.config);
  if (!config) throw new Error(`invalid configuration: ${errors.map((e) => e.message).join('; ')}`);
  trainer = await Trainer.create({ runDir: command.runDir, config, emit: send, resumeFrom: command.resumeFrom, streamFrames: command.streamFrames });
  const summary = await trainer.run();
  exitWith(summary.status, 0);
}

async function evaluate(command: EvaluateCommand): Promise<void> {
  const result = await evaluateCheckpoint(command.checkpointDir, command.episodes, {
    onFrames: command.streamFrames ? (episode, firstStep, data, stride) => send({ type: 'frames', frames: { episode, firstStep, phase: 'eval', stride, data } }) : undefined,
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
process.on('SIGTERM', () => {
  if (trainer) trainer.stop(true);
  else process.exit(0);
});
process.on('unhandledRejection', (reason) => fail(reason));
