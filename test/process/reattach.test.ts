/**
 * The extension host's side for real, without VS Code: the RunManager starts the bundled trainer
 * detached, the "window" goes away (its manager is disposed, as a reload does), and a new manager
 * finds the run by its lock (LiveRunWatcher) and attaches: the history is whole, the step counter
 * never went back, and Pause/Resume/Save Checkpoint/Stop work. Also a trainer killed outright (a
 * crash reported with its trainer.log) and a child trainer's run interrupted when sockets are off.
 */
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { readMetrics, readRunInfo } from '../../src/shared/node/runDirectory';
import { readTrainerLock, stopLiveTrainers } from '../../src/shared/node/trainerLock';
import { LiveRunWatcher } from '../../src/extension/liveRuns';
import { RunManager, type RunCrash, type RunLog } from '../../src/extension/runManager';
import { TRAINER, waitUntil } from './socketClient';

const runsDirs: string[] = [];
after(async () => {
  await stopLiveTrainers(runsDirs, 5000);
});

function tinyConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  const { config, errors } = resolveConfig({
    actorHidden: [16, 16], criticHidden: [16, 16], batchSize: 32, bufferSize: 4000, warmupSteps: 100,
    maxEpisodeSteps: 50, episodes: 100_000, evalEverySteps: 2000, evalEpisodes: 2, checkpointEveryEpisodes: 0, ...overrides,
  });
  assert.ok(config, JSON.stringify(errors));
  return config;
}

const quietLog = (): RunLog => ({ info: () => undefined, warn: () => undefined, error: () => undefined, append: () => undefined, show: () => undefined, dispose: () => undefined });

function window(options: { canDetach?: boolean } = {}) {
  const manager = new RunManager({ trainerScript: TRAINER, createLog: quietLog, stopTimeoutMs: 10_000, ...(options.canDetach === false ? { canDetach: async () => false } : {}) });
  return manager;
}

async function newRunsDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-reattach-'));
  runsDirs.push(dir);
  return dir;
}

test('reload: the run trains on, a new window attaches and controls it, no step lost', async () => {
  const runsDir = await newRunsDir();
  const first = window();
  const run = await first.startTraining(runsDir, tinyConfig());
  await waitUntil(() => (first.history(run.runId)?.episodes.length ?? 0) >= 5, 'five episodes in the first window');
  const stepBefore = first.history(run.runId)!.status.step;
  const lock = await readTrainerLock(run.runDir);
  assert.ok(lock, 'the run has a lock');
  await first.closeWindow('keepTraining');
  first.dispose();

  // No window: its metrics.jsonl shows the run training on.
  await waitUntil(async () => (await readMetrics(run.runDir)).episodes.some((e) => e.step > stepBefore), 'an episode finished with no window attached');
  const second = window();
  const steps: number[] = [];
  second.onDidReceiveEvent(({ event }) => event.type === 'status' && steps.push(event.status.step));
  const watcher = new LiveRunWatcher({ runManager: second, runsDirectory: () => runsDir, log: { info: () => undefined, warn: () => undefined }, pollMs: 60_000 });
  assert.equal(await watcher.scan(), 1, 'the scan attaches to the live run');
  assert.equal(await watcher.scan(), 0, 'and only once');
  assert.equal(second.isLive(run.runId), true);
  await waitUntil(() => (second.history(run.runId)?.status.step ?? 0) > stepBefore, 'the step count kept growing');
  const history = second.history(run.runId)!;
  const episodes = history.episodes.map((e) => e.episode);
  assert.deepEqual(episodes, episodes.map((_, i) => i + 1), 'every episode from the first one, once, in order: history from disk and memory');

  assert.equal(second.pause(run.runId), true);
  await waitUntil(() => second.liveRun(run.runId)?.state === 'paused', 'paused');
  assert.equal(second.resume(run.runId), true);
  await waitUntil(() => second.liveRun(run.runId)?.state === 'running', 'running');
  const requestId = second.saveCheckpoint(run.runId);
  assert.ok(requestId !== undefined);
  await waitUntil(() => history.checkpoints.some((c) => c.manifest.reason === 'manual'), 'a manual checkpoint');
  await second.stop(run.runId);
  assert.equal(second.isLive(run.runId), false);
  assert.equal(second.history(run.runId)?.state, 'stopped');
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'the step counter never went back');
  assert.equal((await readRunInfo(run.runDir)).status, 'stopped');
  assert.equal(existsSync(path.join(run.runDir, 'trainer.lock')), false);
  watcher.dispose();
  second.dispose();
});

test('a trainer killed outright is a crash, reported with the end of its trainer.log; its lock is cleared', async () => {
  const runsDir = await newRunsDir();
  const manager = window();
  const run = await manager.startTraining(runsDir, tinyConfig());
  await waitUntil(() => (manager.history(run.runId)?.episodes.length ?? 0) >= 2, 'episodes');
  const crashes: RunCrash[] = [];
  manager.onDidCrash((c) => crashes.push(c));
  const lock = (await readTrainerLock(run.runDir))!;
  process.kill(lock.pid, 'SIGKILL');
  await waitUntil(() => crashes.length === 1, 'the crash report', 10_000);
  assert.match(crashes[0].reason, /killed by signal SIGKILL/);
  assert.ok(crashes[0].stderrTail.some((line) => /serving /.test(line)), crashes[0].stderrTail.join('\n'));
  assert.equal((await readRunInfo(run.runDir)).status, 'crashed');
  assert.equal(existsSync(path.join(run.runDir, 'trainer.lock')), false);
  manager.dispose();
});

test('without sockets the trainer is a child: closing the window stops it with a final checkpoint, interrupted, and Resume continues it', async () => {
  const runsDir = await newRunsDir();
  const manager = window({ canDetach: false });
  const run = await manager.startTraining(runsDir, tinyConfig());
  await waitUntil(() => (manager.history(run.runId)?.episodes.length ?? 0) >= 3, 'episodes');
  assert.equal(existsSync(path.join(run.runDir, 'trainer.lock')), false, 'a child serves no socket');
  await manager.closeWindow('keepTraining');
  assert.equal((await readRunInfo(run.runDir)).status, 'interrupted');
  const stepAtInterruption = manager.history(run.runId)!.status.step;
  manager.dispose();

  const next = window({ canDetach: false });
  const resumed = await next.resumeInterrupted(run.runDir);
  assert.equal(resumed.runDir, run.runDir);
  await waitUntil(() => (next.history(run.runId)?.status.step ?? 0) > stepAtInterruption, 'training continues past the interruption');
  await next.stop(run.runId);
  assert.equal((await readRunInfo(run.runDir)).status, 'stopped');
  next.dispose();
});
