/**
 * The real bundled trainer (dist/trainer.js --serve), detached as the extension starts it, and
 * the CLI serving its run: a host dies and a new one attaches with nothing lost, several hosts at
 * once, malformed lines, a killed trainer's stale lock, and control of a terminal's CLI run.
 * Every trainer started here is stopped by its lock file at the end, whatever failed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { createRunDirectory, listCheckpoints, readMetrics, readRunInfo } from '../../src/shared/node/runDirectory';
import { inspectTrainerLock, isProcessAlive, liveTrainerOf, stopLiveTrainers } from '../../src/shared/node/trainerLock';
import { CLI, launchDetachedTrainer, sleep, SocketClient, waitForLock, waitUntil } from './socketClient';

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

async function newRunDir(): Promise<string> {
  const runsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-detached-'));
  runsDirs.push(runsDir);
  return (await createRunDirectory(runsDir)).dir;
}

test('a detached trainer outlives its host: a new client attaches, controls it, and no step is lost', async () => {
  const runDir = await newRunDir();
  const child = launchDetachedTrainer(runDir);
  const lock = await waitForLock(runDir, child.pid);
  assert.equal(lock.origin, 'extension');
  assert.ok(Buffer.byteLength(lock.socketPath) < 100, `socket path fits sun_path: ${lock.socketPath}`);
  if (process.platform !== 'win32') {
    assert.equal((await fs.stat(path.dirname(lock.socketPath))).mode & 0o777, 0o700, 'the socket folder is private');
    assert.equal((await fs.stat(lock.socketPath)).mode & 0o077, 0, 'the socket is owner-only');
  }

  const first = await SocketClient.connect(lock);
  first.send({ type: 'start', runDir, config: tinyConfig(), streamFrames: false });
  await first.waitFor((e) => e.type === 'episode' && e.row.episode >= 5, 'five episodes');
  const stepWhenHostDied = first.latestStep();
  first.destroy(); // the window reloads: its extension host goes away without a word

  // Nobody is attached: its metrics.jsonl shows the trainer going on.
  await waitUntil(async () => (await readMetrics(runDir)).episodes.some((e) => e.step > stepWhenHostDied), 'an episode finished with no host attached');
  assert.ok(isProcessAlive(lock.pid), 'the trainer goes on without its host');
  const second = await SocketClient.connect(lock);
  const welcome = await second.waitFor((e) => e.type === 'started', 'the run as it is now');
  assert.ok(welcome.type === 'started' && welcome.run.id === path.basename(runDir));
  await second.waitFor((e) => e.type === 'status', 'a status');
  assert.ok(second.latestStep() > stepWhenHostDied, `training went on while nobody was attached (${second.latestStep()} > ${stepWhenHostDied})`);

  second.send({ type: 'pause' });
  const paused = await second.waitFor((e) => e.type === 'status' && e.status.state === 'paused', 'paused');
  const pausedStep = paused.type === 'status' ? paused.status.step : -1;
  await sleep(400); // a negative check's window: a trainer that went on would report steps within it (a busy machine only makes it pass more easily)
  assert.equal(second.latestStep(), pausedStep, 'no steps while paused');
  second.send({ type: 'resume' });
  await second.waitFor((e) => e.type === 'status' && e.status.state === 'running' && e.status.step > pausedStep, 'running again');

  second.send({ type: 'stop', saveCheckpoint: true });
  const exiting = await second.waitFor((e) => e.type === 'exiting', 'exiting');
  assert.equal(exiting.type === 'exiting' && exiting.status, 'stopped');
  await waitUntil(() => !isProcessAlive(lock.pid), 'the trainer to exit', 10_000);

  const steps = [...first.statuses(), ...second.statuses()].map((s) => s.step);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'the step counter never went back, across both hosts');
  const episodes = second.events.flatMap((e) => (e.type === 'episode' ? [e.row.episode] : []));
  assert.deepEqual(episodes, [...new Set(episodes)].sort((a, b) => a - b), 'episodes arrive once each, in order');
  assert.equal(existsSync(path.join(runDir, 'trainer.lock')), false, 'the lock goes with the trainer');
  assert.equal((await readRunInfo(runDir)).status, 'stopped');
  assert.ok((await listCheckpoints(runDir)).some((c) => c.manifest?.reason === 'final'));
  const log = await fs.readFile(path.join(runDir, 'trainer.log'), 'utf8');
  assert.match(log, /serving .* on /);
  assert.match(log, /episode \d+ +step \d+ +return/);
  assert.match(log, /ep_rew_mean \(last 10\)/, 'the summary table');
  assert.match(log, /steps_per_second/);
  assert.match(log, /exiting: stopped/);
});

test('two hosts at once: both see every event, a checkpoint answers its requester only, a bad line costs only itself', async () => {
  const runDir = await newRunDir();
  const child = launchDetachedTrainer(runDir);
  const lock = await waitForLock(runDir, child.pid);
  const a = await SocketClient.connect(lock);
  const b = await SocketClient.connect(lock);
  a.send({ type: 'start', runDir, config: tinyConfig(), streamFrames: false });
  await a.waitFor((e) => e.type === 'episode' && e.row.episode >= 3, 'episodes on a');
  await b.waitFor((e) => e.type === 'episode' && e.row.episode >= 3, 'episodes on b');

  // Garbage, an invalid message, a line longer than any command may be, and a cut-off JSON line.
  b.raw('not json at all\n');
  b.send({ type: 'launchMissiles' });
  b.raw(`{"type":"pause","padding":"${'x'.repeat(2 << 20)}"}\n`);
  b.send({ type: 'checkpoint', requestId: 7 });
  a.send({ type: 'checkpoint', requestId: 7 });
  const mine = await b.waitFor((e) => e.type === 'checkpoint' && e.requestId === 7, "b's checkpoint");
  await a.waitFor((e) => e.type === 'checkpoint' && e.requestId === 7, "a's checkpoint");
  assert.ok(mine.type === 'checkpoint');
  const manualOn = (client: SocketClient) => client.events.filter((e) => e.type === 'checkpoint' && e.manifest.reason === 'manual');
  await waitUntil(() => manualOn(a).length === 2, 'a to see both manual checkpoints', 5000);
  const checkpointsOnA = manualOn(a);
  assert.equal(checkpointsOnA.filter((e) => e.type === 'checkpoint' && e.requestId === 7).length, 1, 'but only its own carries its request id');
  assert.notEqual(a.latestStatusState(), 'paused', 'the overlong pause was dropped');

  const episodesA = a.events.filter((e) => e.type === 'episode').length;
  await waitUntil(() => a.events.filter((e) => e.type === 'episode').length > episodesA, 'training to go on after the bad lines');
  assert.equal(a.invalid.length + b.invalid.length, 0, 'the trainer sends nothing invalid');

  a.send({ type: 'stop', saveCheckpoint: false });
  await a.waitFor((e) => e.type === 'exiting', 'exiting on a');
  await b.waitFor((e) => e.type === 'exiting', 'exiting on b');
  await waitUntil(() => !isProcessAlive(lock.pid), 'the trainer to exit', 10_000);
  const log = await fs.readFile(path.join(runDir, 'trainer.log'), 'utf8');
  assert.match(log, /ignored a line from host \d+ \(not JSON\): not json at all/);
  assert.match(log, /ignored an invalid message from host \d+: \{"type":"launchMissiles"\}/);
  assert.match(log, /ignored a line from host \d+ \(too long\)/);
});

test('a killed trainer leaves a stale lock, which whoever finds it clears', async () => {
  const runDir = await newRunDir();
  const child = launchDetachedTrainer(runDir);
  const lock = await waitForLock(runDir, child.pid);
  assert.equal((await inspectTrainerLock(runDir)).state, 'live');
  process.kill(lock.pid, 'SIGKILL');
  await waitUntil(() => !isProcessAlive(lock.pid), 'the kill', 5000);
  const verdict = await inspectTrainerLock(runDir);
  assert.equal(verdict.state, 'stale');
  assert.equal(await liveTrainerOf(runDir), undefined);
  assert.equal(existsSync(path.join(runDir, 'trainer.lock')), false, 'the stale lock is gone');
});

test('a CLI run serves the same socket: a window attaches, pauses, resumes and stops it', async () => {
  const runDir = await newRunDir();
  const runsDir = path.dirname(runDir);
  const cli = spawn(process.execPath, [CLI, 'train', '--runs-dir', runsDir, '--json', '--hidden', '16,16', '--batch', '32', '--warmup', '100', '--max-episode-steps', '50', '--episodes', '100000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  let stdout = '';
  cli.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
  await waitUntil(async () => (await fs.readdir(runsDir)).length > 1, 'the CLI run folder');
  const cliRunDir = path.join(runsDir, (await fs.readdir(runsDir)).find((n) => n !== path.basename(runDir))!);
  const lock = await waitForLock(cliRunDir, cli.pid);
  assert.equal(lock.origin, 'cli');
  const host = await SocketClient.connect(lock);
  await host.waitFor((e) => e.type === 'episode', 'an episode');
  host.send({ type: 'pause' });
  await host.waitFor((e) => e.type === 'status' && e.status.state === 'paused', 'paused from the window');
  host.send({ type: 'start', runDir: cliRunDir, config: tinyConfig(), streamFrames: false });
  host.send({ type: 'resume' });
  await host.waitFor((e) => e.type === 'status' && e.status.state === 'running', 'resumed');
  host.send({ type: 'stop', saveCheckpoint: true });
  await host.waitFor((e) => e.type === 'exiting', 'exiting');
  assert.equal(await exited, 0);
  assert.match(stdout, /"type":"summary","status":"stopped"/);
  assert.equal(existsSync(path.join(cliRunDir, 'trainer.lock')), false);
  assert.match(await fs.readFile(path.join(cliRunDir, 'trainer.log'), 'utf8'), /ignored "start" from a host: this run is trained by the CLI/);
});
