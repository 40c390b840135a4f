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
import type { TrainerExit, TrainerHandle, TrainerLaunch, TrainerListeners } from '../../src/extension/trainerProcess';
import { LOCK_FORMAT_VERSION, type TrainerLock } from '../../src/shared/node/trainerLock';
import { writeFileSync, mkdirSync } from 'node:fs';
import { manifestFixture } from '../helpers/hostFakes';
import { waitFor } from '../helpers/waitFor';

class FakeTrainer implements TrainerHandle {
  readonly pid = 4242;
  readonly sent: HostToTrainer[] = [];
  exited: Promise<TrainerExit>;
  private resolveExit!: (exit: TrainerExit) => void;
  running = true;
  stderr: string[] = [];
  /** What stop() does: exit cleanly (default) or hang until killed. */
  onStop: 'exit' | 'hang' = 'exit';
  /** A served trainer can be let go; a child cannot. */
  detachable = false;
  origin: 'extension' | 'cli' | undefined;
  detached = 0;
  killed = 0;

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
    this.killed++;
    this.exit({ code: null, signal: 'SIGKILL', killedBecause: reason });
    return this.exited;
  }
  stderrTail() {
    return this.stderr;
  }
  async detach(): Promise<TrainerExit> {
    this.detached++;
    this.exit({ code: null, signal: null, detached: true });
    return this.exited;
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

function setup(options: { detachable?: boolean; onAttach?: (trainer: FakeTrainer, lock: TrainerLock) => void } = {}) {
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-runs-'));
  const trainers: FakeTrainer[] = [];
  const logs: MemoryLog[] = [];
  const launches: TrainerLaunch[] = [];
  const manager = new RunManager({
    trainerScript: '/nowhere/trainer.js',
    createLog: () => {
      const log = new MemoryLog();
      logs.push(log);
      return log;
    },
    launch: (launch, listeners) => {
      launches.push(launch);
      const t = new FakeTrainer(listeners);
      t.detachable = launch.detached === true;
      trainers.push(t);
      return t;
    },
    attach: (_runDir, lock, listeners) => {
      const t = new FakeTrainer(listeners);
      t.detachable = true;
      t.origin = lock.origin;
      trainers.push(t);
      options.onAttach?.(t, lock);
      return t;
    },
    canDetach: async () => options.detachable ?? false,
    stopTimeoutMs: 50,
  });
  return { runsDir, trainers, logs, manager, launches };
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
  // The crash is reported once its run.json says so.
  await waitFor(() => crashes.length > 0, 'the crash report');
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

// ─── trainers that outlive the window ────────────────────────────────────────────────────────

function lockOf(runDir: string, origin: TrainerLock['origin'] = 'extension'): TrainerLock {
  return { formatVersion: LOCK_FORMAT_VERSION, runId: path.basename(runDir), pid: 777, socketPath: '/tmp/x.sock', startedAt: 'now', hostname: os.hostname(), origin };
}

/** A run folder as a trainer leaves it mid-run: run.json says running, metrics.jsonl has `episodes` rows. */
function runFolderOnDisk(runsDir: string, id: string, episodes: number): { runDir: string; info: RunInfo } {
  const runDir = path.join(runsDir, id);
  mkdirSync(path.join(runDir, 'checkpoints'), { recursive: true });
  const info: RunInfo = { id, name: id, created: '2026-01-01T00:00:00.000Z', updated: '2026-01-01T00:00:00.000Z', config, algorithm: 'ddpg', environment: { id: 'Pendulum-v1', options: { g: 10 } }, engine, seed: 1, status: 'running' };
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(info));
  const rows = Array.from({ length: episodes }, (_, i) => JSON.stringify((episode(i + 1, -100 - i) as { row: EpisodeRow }).row));
  writeFileSync(path.join(runDir, 'metrics.jsonl'), rows.join('\n') + '\n');
  return { runDir, info };
}

test('training starts detached when sockets are available, as a child when not', async () => {
  const detached = setup({ detachable: true });
  await detached.manager.startTraining(detached.runsDir, config);
  assert.equal(detached.launches[0].detached, true);
  assert.ok(detached.launches[0].runDir);
  const child = setup({ detachable: false });
  await child.manager.startTraining(child.runsDir, config);
  assert.equal(child.launches[0].detached, false);
  assert.match(child.logs[0].lines.join('\n'), /trainer sockets are not available here/);
  detached.manager.dispose();
  child.manager.dispose();
});

test("attach: history from disk and the trainer's first events merge without a lost or doubled row, and commands work", async () => {
  let welcome: (() => void) | undefined;
  const { runsDir, trainers, manager } = setup({
    onAttach: (trainer) => {
      // The trainer's welcome arrives while the host is still reading the folder.
      welcome = () => {
        trainer.emit(started(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunInfo));
        for (let n = 2; n <= 5; n++) trainer.emit(episode(n, -100 - (n - 1)));
        trainer.emit(status('running', 5));
      };
      welcome();
    },
  });
  const { runDir, info } = runFolderOnDisk(runsDir, '2026-01-01_00-00-00', 3);
  const changes: boolean[] = [];
  manager.onDidChangeRun((e) => changes.push(e.liveness));
  const run = await manager.attach(runDir, lockOf(runDir));
  assert.ok(run && welcome);
  assert.equal(run.runId, info.id);
  assert.equal(manager.isLive(info.id), true);
  assert.deepEqual(manager.history(info.id)!.episodes.map((e) => e.episode), [1, 2, 3, 4, 5], 'disk rows 1–3 and the trainer\'s 2–5, each once');
  assert.equal(manager.history(info.id)!.status.step, 1000);
  assert.equal(manager.liveRun(info.id)?.state, 'running');
  assert.ok(changes.includes(true), 'the run became live');
  assert.equal(await manager.attach(runDir, lockOf(runDir)), undefined, 'attaching twice is a no-op');
  assert.equal(manager.pause(info.id), true);
  assert.deepEqual(trainers[0].sent.map((c) => c.type), ['pause']);
  manager.dispose();
});

test('closing the window with keepTraining lets detachable trainers go; a child stops and its run is interrupted', async () => {
  const { runsDir, trainers, manager } = setup({ detachable: true });
  const detachedRun = await manager.startTraining(runsDir, config);
  trainers[0].emit(started(JSON.parse(readFileSync(path.join(detachedRun.runDir, 'run.json'), 'utf8')) as RunInfo));
  const other = setup({ detachable: false });
  const childRun = await other.manager.startTraining(other.runsDir, config);
  other.trainers[0].emit(started(JSON.parse(readFileSync(path.join(childRun.runDir, 'run.json'), 'utf8')) as RunInfo));

  await manager.closeWindow('keepTraining', 50);
  await other.manager.closeWindow('keepTraining', 50);
  assert.equal(trainers[0].detached, 1);
  assert.equal(trainers[0].sent.some((c) => c.type === 'stop'), false, 'not stopped');
  assert.equal(manager.isLive(detachedRun.runId), false);
  assert.notEqual((JSON.parse(readFileSync(path.join(detachedRun.runDir, 'run.json'), 'utf8')) as RunInfo).status, 'stopped', 'its run.json is the trainer\'s');

  assert.ok(other.trainers[0].sent.some((c) => c.type === 'stop' && c.saveCheckpoint), 'the child saves a final checkpoint');
  assert.equal(other.manager.history(childRun.runId)?.state, 'interrupted');
  assert.equal((JSON.parse(readFileSync(path.join(childRun.runDir, 'run.json'), 'utf8')) as RunInfo).status, 'interrupted');
  manager.dispose();
  other.manager.dispose();
});

test("closing the window with stopWithCheckpoint stops this window's runs, but lets a CLI run go on", async () => {
  const { runsDir, trainers, manager } = setup({ detachable: true });
  const mine = await manager.startTraining(runsDir, config);
  const { runDir } = runFolderOnDisk(runsDir, 'cli-run', 1);
  await manager.attach(runDir, lockOf(runDir, 'cli'));
  await manager.closeWindow('stopWithCheckpoint', 50);
  assert.ok(trainers[0].sent.some((c) => c.type === 'stop' && c.saveCheckpoint));
  assert.equal(manager.history(mine.runId)?.state, 'stopped');
  assert.equal(trainers[1].detached, 1, 'the terminal\'s run is the terminal\'s');
  assert.equal(trainers[1].sent.some((c) => c.type === 'stop'), false);
  manager.dispose();
});

test('dispose lets a detachable trainer go (a reload must not end a run) and kills a child', async () => {
  const { runsDir, trainers, manager } = setup({ detachable: true });
  await manager.startTraining(runsDir, config);
  const other = setup({ detachable: false });
  await other.manager.startTraining(other.runsDir, config);
  manager.dispose();
  other.manager.dispose();
  assert.deepEqual([trainers[0].detached, trainers[0].killed], [1, 0]);
  assert.deepEqual([other.trainers[0].detached, other.trainers[0].killed], [0, 1]);
});

test('an interrupted run resumes in its own folder from its latest checkpoint, with its own settings', async () => {
  const { runsDir, trainers, manager } = setup({ detachable: true });
  const { runDir, info } = runFolderOnDisk(runsDir, 'interrupted-run', 4);
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify({ ...info, status: 'interrupted' }));
  for (const [name, step] of [['periodic-ep0002', 400], ['final-ep0004', 800]] as const) {
    mkdirSync(path.join(runDir, 'checkpoints', name));
    writeFileSync(path.join(runDir, 'checkpoints', name, 'checkpoint.json'), JSON.stringify(manifestFixture({ name, runId: info.id, step, episode: step / 200, config })));
  }
  const run = await manager.resumeInterrupted(runDir);
  assert.equal(run.runId, info.id);
  assert.equal(run.runDir, runDir);
  assert.deepEqual(trainers[0].sent[0], { type: 'start', runDir, config, streamFrames: false, resumeFrom: path.join(runDir, 'checkpoints', 'final-ep0004') });
  assert.equal(manager.liveRun(info.id)?.state, 'starting');
  await assert.rejects(manager.resumeInterrupted(runDir), /already training/);
  manager.dispose();
});
