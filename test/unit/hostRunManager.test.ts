/**
 * RunManager routing with a fake trainer (the one place a mock isolates the piece under test):
 * what is sent to the trainer and when, how events build the history, and what a crash leaves
 * on disk and reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EpisodeRow, HostToTrainer, RunInfo, StatusSnapshot, TrainerToHost } from '../../src/shared/protocol';
import { defaultConfig } from '../../src/shared/config';
import { RunManager, type RunCrash, type RunLog } from '../../src/extension/runManager';
import type { TrainerExit, TrainerHandle, TrainerListeners } from '../../src/extension/trainerProcess';
import { manifestFixture } from '../helpers/hostFakes';

class FakeTrainer implements TrainerHandle {
  readonly pid = 4242;
  readonly sent: HostToTrainer[] = [];
  exited: Promise<TrainerExit>;
  private resolveExit!: (exit: TrainerExit) => void;
  running = true;
  stderr: string[] = [];
  /** What stop() does: exit cleanly (default) or hang until killed. */
  onStop: 'exit' | 'hang' = 'exit';

  constructor(readonly listeners: TrainerListeners) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }
  get isRunning() {
    return this.running;
  }
  send(command: HostToTrainer): boolean {
    if (!this.running) return false;
    this.sent.push(command);
    return true;
  }
  emit(event: TrainerToHost) {
    this.listeners.onEvent(event);
  }
  exit(exit: TrainerExit) {
    this.running = false;
    this.resolveExit(exit);
  }
  async stop(saveCheckpoint: boolean, timeoutMs: number): Promise<TrainerExit> {
    this.send({ type: 'stop', saveCheckpoint });
    if (this.onStop === 'exit') {
      this.emit({ type: 'exiting', status: 'stopped' });
      this.exit({ code: 0, signal: null, exitingStatus: 'stopped' });
    } else {
      setTimeout(() => this.exit({ code: null, signal: 'SIGKILL', killedBecause: `did not stop within ${timeoutMs} ms` }), 5);
    }
    return this.exited;
  }
  async kill(reason: string): Promise<TrainerExit> {
    this.exit({ code: null, signal: 'SIGKILL', killedBecause: reason });
    return this.exited;
  }
  stderrTail() {
    return this.stderr;
  }
}

class MemoryLog implements RunLog {
  lines: string[] = [];
  shown = 0;
  info = (m: string) => this.lines.push(`info ${m}`);
  warn = (m: string) => this.lines.push(`warn ${m}`);
  error = (m: string) => this.lines.push(`error ${m}`);
  append = (l: string) => this.lines.push(`out ${l}`);
  show = () => this.shown++;
  dispose = () => undefined;
}

function setup() {
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-runs-'));
  const trainers: FakeTrainer[] = [];
  const logs: MemoryLog[] = [];
  const manager = new RunManager({
    trainerScript: '/nowhere/trainer.js',
    createLog: () => {
      const log = new MemoryLog();
      logs.push(log);
      return log;
    },
    launch: (_launch, listeners) => {
      const t = new FakeTrainer(listeners);
      trainers.push(t);
      return t;
    },
    stopTimeoutMs: 50,
  });
  return { runsDir, trainers, logs, manager };
}

const config = { ...defaultConfig(), episodes: 5 };
const engine = { engine: 'wasm' as const, backend: 'fake' };

function started(info: RunInfo): TrainerToHost {
  return { type: 'started', engine, run: { ...info, status: 'running', engine } };
}
function status(state: StatusSnapshot['state'], episode = 0): TrainerToHost {
  return {
    type: 'status',
    status: { state, episode, totalEpisodes: 5, step: episode * 200, totalSteps: null, stepsPerSecond: 1000, elapsedSeconds: 1, latestEval: null, bestEval: null },
  };
}
function episode(n: number, ret: number): TrainerToHost {
  const row: EpisodeRow = { type: 'episode', episode: n, step: n * 200, return: ret, length: 200, criticLoss: 1, actorLoss: 2, meanQ: 3, wallTime: n };
  return { type: 'episode', row };
}

test('starting a run writes run.json, sends start with the config, and marks the run live', async () => {
  const { runsDir, trainers, manager } = setup();
  const run = await manager.startTraining(runsDir, config);
  assert.equal(trainers.length, 1);
  assert.deepEqual(trainers[0].sent, [{ type: 'start', runDir: run.runDir, config, streamFrames: false }]);
  const onDisk = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
  assert.equal(onDisk.status, 'starting');
  assert.deepEqual(onDisk.config, config);
  assert.ok(existsSync(path.join(run.runDir, 'checkpoints')));
  assert.equal(manager.isLive(run.runId), true);
  assert.equal(manager.liveRun(run.runId)?.state, 'starting');
  manager.dispose();
});

test('resumeFrom is passed on to the trainer', async () => {
  const { runsDir, trainers, manager } = setup();
  await manager.startTraining(runsDir, config, { resumeFrom: '/x/checkpoints/ep-5' });
  assert.equal((trainers[0].sent[0] as { resumeFrom?: string }).resumeFrom, '/x/checkpoints/ep-5');
  manager.dispose();
});

test('commands given before the trainer has started are held, then delivered in order', async () => {
  const { runsDir, trainers, manager } = setup();
  const run = await manager.startTraining(runsDir, config);
  const trainer = trainers[0];
  manager.setFrameStreaming(run.runId, true);
  assert.equal(manager.pause(run.runId), true);
  assert.deepEqual(trainer.sent.map((c) => c.type), ['start'], 'nothing but start before started');
  const info = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
  trainer.emit(started(info));
  assert.deepEqual(trainer.sent.map((c) => c.type), ['start', 'pause', 'setFrameStreaming']);
  assert.deepEqual(trainer.sent[2], { type: 'setFrameStreaming', enabled: true });
  manager.setFrameStreaming(run.runId, true);
  assert.equal(trainer.sent.length, 3, 'an unchanged frame wish is not re-sent');
  manager.setFrameStreaming(run.runId, false);
  assert.deepEqual(trainer.sent[3], { type: 'setFrameStreaming', enabled: false });
  manager.dispose();
});

test('events build the history, are re-published, and change the live state', async () => {
  const { runsDir, trainers, manager } = setup();
  const run = await manager.startTraining(runsDir, config);
  const trainer = trainers[0];
  const published: string[] = [];
  const changes: string[] = [];
  manager.onDidReceiveEvent(({ event }) => published.push(event.type));
  manager.onDidChangeRun(({ change }) => changes.push(JSON.stringify(change)));
  trainer.emit(started(JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo));
  trainer.emit(status('running'));
  trainer.emit(episode(1, -1200));
  trainer.emit(episode(2, -900));
  trainer.emit(episode(2, -900)); // duplicate
  trainer.emit({ type: 'eval', row: { type: 'eval', episode: 2, step: 400, mean: -700, std: 10, returns: [-700], wallTime: 2 } });
  const manifest = manifestFixture({ name: 'ep-2', runId: run.runId, episode: 2, step: 400, recentReturn: -1050, bestEval: -700, reason: 'periodic', configHash: 'x', config, engine, hasReplayBuffer: false });
  trainer.emit({ type: 'checkpoint', dir: path.join(run.runDir, 'checkpoints', 'ep-2'), manifest });
  trainer.emit(status('paused', 2));
  assert.deepEqual(published, ['started', 'status', 'episode', 'episode', 'episode', 'eval', 'checkpoint', 'status']);
  const summary = manager.liveRun(run.runId)!;
  assert.equal(summary.state, 'paused');
  assert.equal(summary.episode, 2);
  assert.equal(summary.latestReturn, -900);
  const snapshot = await manager.snapshot(run.runId, run.runDir);
  assert.equal(snapshot.live, true);
  assert.deepEqual(snapshot.episodes.map((e) => e.episode), [1, 2], 'the duplicate episode is dropped');
  assert.equal(snapshot.evals.length, 1);
  assert.equal(snapshot.checkpoints[0].name, 'ep-2');
  assert.ok(changes.some((c) => (JSON.parse(c) as { checkpoints?: unknown }).checkpoints));
  manager.dispose();
});

test('trainer log and error events go to the run log', async () => {
  const { runsDir, trainers, logs, manager } = setup();
  await manager.startTraining(runsDir, config);
  trainers[0].emit({ type: 'log', level: 'warn', message: 'tfjs-node missing' });
  trainers[0].listeners.onOutput('raw stderr', 'stderr');
  trainers[0].listeners.onInvalidMessage({ type: 'nonsense' });
  assert.ok(logs[0].lines.includes('warn tfjs-node missing'));
  assert.ok(logs[0].lines.includes('out raw stderr'));
  assert.ok(logs[0].lines.some((l) => l.startsWith('warn ignored an invalid message') && l.includes('nonsense')));
  manager.dispose();
});

test('a crash marks the run crashed in run.json, keeps its files, and reports the stderr tail', async () => {
  const { runsDir, trainers, manager } = setup();
  const run = await manager.startTraining(runsDir, config);
  const trainer = trainers[0];
  trainer.emit(started(JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo));
  trainer.emit({ type: 'error', message: 'NaN in critic loss' });
  trainer.stderr = ['Error: NaN in critic loss', '    at update'];
  const crashes: RunCrash[] = [];
  manager.onDidCrash((c) => crashes.push(c));
  trainer.exit({ code: 1, signal: null });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(crashes.length, 1);
  assert.match(crashes[0].reason, /NaN in critic loss \(the trainer exited with code 1\)/);
  assert.deepEqual(crashes[0].stderrTail, ['Error: NaN in critic loss', '    at update']);
  const onDisk = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
  assert.equal(onDisk.status, 'crashed');
  assert.match(onDisk.error ?? '', /NaN in critic loss/);
  assert.equal(manager.isLive(run.runId), false);
  assert.equal(manager.history(run.runId)?.state, 'crashed', 'the history is kept in memory');
  assert.ok(manager.logOf(run.runId), 'the log survives for Show Log');
  assert.equal(manager.pause(run.runId), false, 'no commands to a dead run');
  manager.dispose();
});

test('a clean stop is not a crash; a trainer stopped before it started gets its final status written', async () => {
  const { runsDir, manager } = setup();
  const run = await manager.startTraining(runsDir, config);
  let crashed = false;
  manager.onDidCrash(() => (crashed = true));
  await manager.stop(run.runId);
  assert.equal(crashed, false);
  assert.equal(manager.isLive(run.runId), false);
  const onDisk = JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo;
  assert.equal(onDisk.status, 'stopped', "the host's 'starting' is replaced");
  manager.dispose();
});

test('stopAll stops every run and counts a trainer that had to be killed as crashed', async () => {
  const { runsDir, trainers, manager } = setup();
  const a = await manager.startTraining(runsDir, config);
  const b = await manager.startTraining(runsDir, config);
  trainers[1].onStop = 'hang';
  const crashes: string[] = [];
  manager.onDidCrash((c) => crashes.push(c.runId));
  await manager.stopAll(20);
  assert.deepEqual(manager.liveRuns(), []);
  assert.ok(trainers.every((t) => t.sent.some((c) => c.type === 'stop' && c.saveCheckpoint)));
  assert.deepEqual(crashes, [b.runId]);
  assert.equal(manager.history(a.runId)?.state, 'stopped');
  manager.dispose();
});

test('dashboard commands reach only live runs and only the allowed four', async () => {
  const { runsDir, trainers, manager } = setup();
  const run = await manager.startTraining(runsDir, config);
  trainers[0].emit(started(JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo));
  assert.equal(manager.dashboardCommand(run.runId, 'pause'), true);
  assert.equal(manager.dashboardCommand(run.runId, 'checkpoint'), true);
  assert.equal(manager.dashboardCommand('someone-else', 'pause'), false);
  const types = trainers[0].sent.map((c) => c.type);
  assert.deepEqual(types, ['start', 'pause', 'checkpoint']);
  assert.deepEqual(trainers[0].sent[2], { type: 'checkpoint', requestId: 1 });
  manager.dispose();
});

test('a finished run is loaded from its folder', async () => {
  const { runsDir, trainers, manager } = setup();
  const run = await manager.startTraining(runsDir, config);
  trainers[0].emit(started(JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo));
  await manager.stop(run.runId);
  const fresh = setup().manager; // another window: knows nothing in memory
  const snapshot = await fresh.snapshot(run.runId, run.runDir);
  assert.equal(snapshot.live, false);
  assert.equal(snapshot.run.id, run.runId);
  assert.deepEqual(snapshot.episodes, []);
  fresh.dispose();
  manager.dispose();
});

test('evaluation: the result resolves, frames are forwarded; a crash rejects with the reason', async () => {
  const { trainers, manager } = setup();
  const manifest = manifestFixture({ runId: 'r', name: 'ep-1', episode: 1, config });
  const seen: string[] = [];
  const session = manager.evaluate(manifest, '/runs/r/checkpoints/ep-1', 3, (e) => seen.push(e.type));
  assert.deepEqual(trainers[0].sent, [{ type: 'evaluate', checkpointDir: '/runs/r/checkpoints/ep-1', episodes: 3, streamFrames: true }]);
  trainers[0].emit({ type: 'frames', frames: { episode: 1, firstStep: 0, phase: 'eval', stride: 2, data: [0, 0] } });
  trainers[0].emit({ type: 'evaluation', checkpointDir: '/runs/r/checkpoints/ep-1', returns: [-150, -160, -170], mean: -160, std: 8 });
  trainers[0].emit({ type: 'exiting', status: 'finished' });
  trainers[0].exit({ code: 0, signal: null, exitingStatus: 'finished' });
  assert.deepEqual(await session.result, { returns: [-150, -160, -170], mean: -160, std: 8 });
  assert.deepEqual(seen, ['frames', 'evaluation', 'exiting']);

  const failing = manager.evaluate(manifest, '/runs/r/checkpoints/ep-1', 3, () => undefined);
  trainers[1].emit({ type: 'error', message: 'checkpoint manifest is missing' });
  trainers[1].exit({ code: 1, signal: null });
  await assert.rejects(failing.result, /checkpoint manifest is missing/);
  manager.dispose();
});

test('once a stop is sent, status events still in flight do not flip the run back to running', async () => {
  const { runsDir, trainers, manager } = setup();
  const run = await manager.startTraining(runsDir, config);
  const trainer = trainers[0];
  trainer.emit(started(JSON.parse(readFileSync(path.join(run.runDir, 'run.json'), 'utf8')) as RunInfo));
  trainer.emit(status('running', 1));
  trainer.onStop = 'hang';
  const stopping = manager.stop(run.runId);
  assert.equal(manager.liveRun(run.runId)?.state, 'stopping');
  trainer.emit(status('running', 2));
  assert.equal(manager.liveRun(run.runId)?.state, 'stopping');
  assert.equal(manager.liveRun(run.runId)?.episode, 2, 'the rest of the status still updates');
  await stopping;
  manager.dispose();
});
