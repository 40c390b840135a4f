/**
 * The real bundled trainer (dist/trainer.js, built by `npm run build`) forked over IPC exactly as
 * the extension host forks it: start, pause, resume, checkpoint, stop, evaluate, crash.
 */
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { createRunDirectory, listCheckpoints, readMetrics, readRunInfo } from '../../src/shared/node/runDirectory';
import type { HostToTrainer, TrainerToHost } from '../../src/shared/protocol';
import { unpackTrainerMessage } from '../../src/shared/protocol';

const TRAINER = path.resolve(__dirname, '../../dist/trainer.js');

function tinyConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  const { config, errors } = resolveConfig({
    actorHidden: [16, 16], criticHidden: [16, 16], batchSize: 32, bufferSize: 4000, warmupSteps: 100,
    maxEpisodeSteps: 50, episodes: 2000, evalEverySteps: 200, evalEpisodes: 2, checkpointEveryEpisodes: 0, ...overrides,
  });
  assert.ok(config, JSON.stringify(errors));
  return config;
}

class TrainerProcess {
  readonly child: ChildProcess;
  readonly events: TrainerToHost[] = [];
  /** IPC messages received: fewer than events once the trainer batches them. */
  messages = 0;
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor() {
    assert.ok(existsSync(TRAINER), `${TRAINER} is missing: run npm run build first`);
    this.child = fork(TRAINER, [], { execArgv: [], env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child.stderr!.on('data', (d) => (this.stderr += d));
    this.child.stdout!.resume();
    this.child.on('message', (m) => {
      this.messages++;
      unpackTrainerMessage(
        m,
        (e) => this.events.push(e),
        (invalid) => assert.fail(`invalid message from trainer: ${JSON.stringify(invalid)}`),
      );
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  send(message: HostToTrainer | Record<string, unknown>): void {
    this.child.send(message);
  }

  async waitFor<T extends TrainerToHost>(predicate: (e: TrainerToHost) => e is T, what: string, timeoutMs?: number): Promise<T>;
  async waitFor(predicate: (e: TrainerToHost) => boolean, what: string, timeoutMs?: number): Promise<TrainerToHost>;
  async waitFor(predicate: (e: TrainerToHost) => boolean, what: string, timeoutMs = 60_000): Promise<TrainerToHost> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    while (Date.now() < deadline) {
      for (; seen < this.events.length; seen++) if (predicate(this.events[seen])) return this.events[seen];
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}; last events: ${JSON.stringify(this.events.slice(-3))}\nstderr: ${this.stderr}`);
  }

  latestStatus() {
    const s = [...this.events].reverse().find((e) => e.type === 'status');
    return s && s.type === 'status' ? s.status : undefined;
  }
}

async function newRunDir(): Promise<string> {
  return (await createRunDirectory(await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-proc-')))).dir;
}

test('start → frames and episodes stream → pause → resume → checkpoint → stop with a final checkpoint', async () => {
  const runDir = await newRunDir();
  const p = new TrainerProcess();
  p.send({ type: 'start', runDir, config: tinyConfig(), streamFrames: true });
  const started = await p.waitFor((e) => e.type === 'started', 'started');
  assert.equal(started.type === 'started' && started.run.id, path.basename(runDir));
  await p.waitFor((e) => e.type === 'episode' && e.row.episode >= 3, 'three episodes');
  assert.ok(p.events.some((e) => e.type === 'frames' && e.frames.data.length > 0), 'frames streamed');

  p.send({ type: 'pause' });
  await p.waitFor((e) => e.type === 'status' && e.status.state === 'paused', 'paused');
  const pausedStep = p.latestStatus()!.step;
  const episodesAtPause = p.events.filter((e) => e.type === 'episode').length;
  await new Promise((r) => setTimeout(r, 500)); // a negative check's window: a trainer that went on would finish episodes within it
  assert.equal(p.events.filter((e) => e.type === 'episode').length, episodesAtPause, 'no episodes while paused');
  assert.equal((await readRunInfo(runDir)).status, 'paused');

  p.send({ type: 'checkpoint', requestId: 41 });
  const cp = await p.waitFor((e) => e.type === 'checkpoint' && e.requestId === 41, 'manual checkpoint');
  assert.ok(cp.type === 'checkpoint');
  assert.equal(cp.manifest.step, pausedStep);
  assert.ok(existsSync(path.join(cp.dir, 'checkpoint.json')));

  p.send({ type: 'resume' });
  await p.waitFor((e) => e.type === 'status' && e.status.state === 'running' && e.status.step > pausedStep, 'running again');

  p.send({ type: 'setFrameStreaming', enabled: false });
  p.send({ type: 'stop', saveCheckpoint: true });
  await p.waitFor((e) => e.type === 'exiting', 'exiting');
  const exit = await p.exited;
  assert.equal(exit.code, 0, p.stderr);
  const episodeNumbers = p.events.flatMap((e) => (e.type === 'episode' ? [e.row.episode] : []));
  assert.deepEqual(episodeNumbers, episodeNumbers.map((_, i) => i + 1), 'every episode arrives once, in order');
  assert.equal(p.events.at(-1)?.type, 'exiting', 'no queued event is left behind the last one');
  assert.ok(p.messages < p.events.length, `events arrive batched: ${p.events.length} events in ${p.messages} messages`);
  const checkpoints = await listCheckpoints(runDir);
  assert.ok(checkpoints.some((c) => c.manifest?.reason === 'manual'));
  assert.ok(checkpoints.some((c) => c.manifest?.reason === 'final'));
  assert.equal((await readRunInfo(runDir)).status, 'stopped');
  assert.ok((await readMetrics(runDir)).episodes.length >= 3);
});

test('evaluate a checkpoint: frames of eval episodes and the returns, then exit', async () => {
  const runDir = await newRunDir();
  const trainer = new TrainerProcess();
  trainer.send({ type: 'start', runDir, config: tinyConfig({ episodes: 3 }), streamFrames: false });
  await trainer.waitFor((e) => e.type === 'exiting', 'training to finish');
  assert.equal((await trainer.exited).code, 0);
  const final = (await listCheckpoints(runDir)).find((c) => c.manifest?.reason === 'final')!;

  const evaluator = new TrainerProcess();
  evaluator.send({ type: 'evaluate', checkpointDir: final.dir, episodes: 3, streamFrames: true });
  const result = await evaluator.waitFor((e) => e.type === 'evaluation', 'evaluation');
  assert.ok(result.type === 'evaluation');
  assert.equal(result.returns.length, 3);
  assert.ok(result.returns.every((r) => r < 0 && r > -2000));
  const frames = evaluator.events.flatMap((e) => (e.type === 'frames' ? [e.frames] : []));
  assert.ok(frames.every((f) => f.phase === 'eval'));
  assert.equal(frames.reduce((n, f) => n + f.data.length / 2, 0), 3 * 50);
  assert.equal((await evaluator.exited).code, 0);
});

test('a crash is reported with its message, exits non-zero, and keeps what was written', async () => {
  const runDir = await newRunDir();
  const p = new TrainerProcess();
  // A checkpoint path that does not exist makes the trainer fail while starting.
  p.send({ type: 'start', runDir, config: tinyConfig(), resumeFrom: path.join(runDir, 'no-such-checkpoint'), streamFrames: false });
  const error = await p.waitFor((e) => e.type === 'error', 'error');
  assert.ok(error.type === 'error');
  assert.match(error.message, /no-such-checkpoint/);
  const exit = await p.exited;
  assert.equal(exit.code, 1);
  assert.match(p.stderr, /trainer error: .*no-such-checkpoint/);
  assert.ok(existsSync(runDir), 'the run directory stays');
});

test('invalid messages are ignored and reported on stderr; an invalid config is refused', async () => {
  const p = new TrainerProcess();
  p.send({ type: 'launchMissiles' });
  p.send({ type: 'start', runDir: await newRunDir(), config: { ...tinyConfig(), gamma: 5 }, streamFrames: false });
  const error = await p.waitFor((e) => e.type === 'error', 'error');
  assert.ok(error.type === 'error');
  assert.match(error.message, /gamma must be a number in \[0, 1\); got 5/);
  assert.equal((await p.exited).code, 1);
  assert.match(p.stderr, /ignored an invalid message/);
  // One failure, one report: a single error event and a single stack trace, no uncaught exception.
  assert.equal(p.events.filter((e) => e.type === 'error').length, 1);
  assert.equal(p.stderr.match(/trainer error:/g)?.length, 1, p.stderr);
  assert.equal(p.stderr.match(/^\s+at /gm)?.filter((l) => l).length ?? 0, p.stderr.split('trainer error:')[1].match(/^\s+at /gm)?.length ?? 0, 'every stack line belongs to the one report');
});

test('the trainer stops cleanly with a final checkpoint when the host disconnects', async () => {
  const runDir = await newRunDir();
  const p = new TrainerProcess();
  p.send({ type: 'start', runDir, config: tinyConfig(), streamFrames: false });
  await p.waitFor((e) => e.type === 'episode', 'an episode');
  p.child.disconnect();
  const exit = await p.exited;
  assert.equal(exit.code, 0, p.stderr);
  assert.ok((await listCheckpoints(runDir)).some((c) => c.manifest?.reason === 'final'));
  assert.equal((await readRunInfo(runDir)).status, 'stopped');
});
