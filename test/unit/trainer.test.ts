import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { loadCheckpoint } from '../../src/agent/checkpoint';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { createRunDirectory, listCheckpoints, readMetrics, readRunInfo } from '../../src/shared/node/runDirectory';
import { Trainer } from '../../src/agent/trainer';
import { createEngine } from '../../src/agent/engine/index';
import { shapeForConfig } from '../../src/agent/checkpoint';
import type { Engine, NetworkParameters, OptimizerState } from '../../src/agent/engine/engine';
import type { EpisodeRow, FrameBatch, TrainerToHost } from '../../src/shared/protocol';

/** Small and fast, but with every moving part: warm-up, updates, evals, periodic checkpoints. */
function tinyConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  const { config, errors } = resolveConfig({
    actorHidden: [16, 16], criticHidden: [16, 16], batchSize: 32, bufferSize: 4000, warmupSteps: 100,
    maxEpisodeSteps: 50, episodes: 8, evalEverySteps: 100, evalEpisodes: 2, checkpointEveryEpisodes: 0,
    engine: process.env.DDPG_TEST_ENGINE ?? 'auto', seed: 3, ...overrides,
  });
  assert.ok(config, JSON.stringify(errors));
  return config;
}

async function newRun(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-trainer-'));
  return (await createRunDirectory(root)).dir;
}

async function train(
  config: RunConfig,
  options: { resumeFrom?: string; runDir?: string; onEvent?: (e: TrainerToHost, t: Trainer) => void; engine?: Engine } = {},
) {
  const runDir = options.runDir ?? (await newRun());
  const events: TrainerToHost[] = [];
  let trainer!: Trainer;
  // eslint-disable-next-line prefer-const -- emit runs inside create() (the 'started' event), before trainer is assigned
  trainer = await Trainer.create({
    runDir, config, resumeFrom: options.resumeFrom, streamFrames: true, engine: options.engine,
    emit: (e) => {
      events.push(e);
      options.onEvent?.(e, trainer);
    },
  });
  const summary = await trainer.run();
  return { runDir, events, summary, trainer };
}

/**
 * The real engine, with a spy on update(): `onUpdate(n)` runs inside the n-th update, i.e. in the
 * middle of env step warmupSteps − 1 + n (the first update follows step warmupSteps). Commands sent from there land at an exactly known step.
 */
async function spiedEngine(config: RunConfig, onUpdate: (n: number) => void): Promise<Engine> {
  const shape = shapeForConfig(config);
  const engine = await createEngine(config.engine, { shape, hyper: config, batchSize: config.batchSize });
  let updates = 0;
  return new Proxy(engine, {
    get(target, property) {
      if (property === 'update') {
        return () => {
          const stats = target.update();
          onUpdate(++updates);
          return stats;
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const episodesOf = (events: TrainerToHost[]) => events.flatMap((e) => (e.type === 'episode' ? [e.row] : []));
/** Everything but wall-clock time. */
const strip = (rows: EpisodeRow[]) => rows.map(({ wallTime: _w, ...rest }) => rest);

test('a run writes run.json, metrics, evals, a final checkpoint, and reports finished', async () => {
  const { runDir, events, summary } = await train(tinyConfig({ checkpointEveryEpisodes: 4 }));
  assert.equal(summary.status, 'finished');
  assert.equal(summary.episodes, 8);
  assert.equal(summary.steps, 400);
  const info = await readRunInfo(runDir);
  assert.equal(info.status, 'finished');
  assert.ok(info.engine);
  const metrics = await readMetrics(runDir);
  assert.deepEqual(metrics.episodes.map((e) => e.episode), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(metrics.episodes[0].criticLoss, null, 'no updates during warm-up');
  assert.ok(metrics.episodes[7].criticLoss! > 0);
  assert.deepEqual(metrics.evals.map((e) => e.step), [100, 200, 300, 400]);
  const names = (await listCheckpoints(runDir)).map((c) => c.manifest!.name);
  assert.ok(names.includes('ep0004-step200') && names.includes('ep0008-step400') && names.includes('final-ep0008-step400'), names.join());
  const types = new Set(events.map((e) => e.type));
  for (const t of ['started', 'status', 'episode', 'eval', 'frames', 'checkpoint']) assert.ok(types.has(t as TrainerToHost['type']), t);
  const frames = events.flatMap((e) => (e.type === 'frames' ? [e.frames] : []));
  // Training episodes are recorded whole or not at all, so there is at most one frame per env step.
  const frameCount = frames.filter((f) => f.phase === 'train').reduce((n, f) => n + f.data.length / 2, 0);
  assert.ok(frameCount > 0 && frameCount <= 400, `frames: ${frameCount}`);
  for (const f of frames) {
    assert.ok(f.firstStep >= 0 && f.firstStep + f.data.length / 2 <= 50, JSON.stringify({ ...f, data: f.data.length }));
    assert.ok(f.data.every(Number.isFinite));
    assert.ok(f.data.every((v, i) => i % 2 === 0 || Math.abs(v) <= 2), 'torques within ±2');
  }
});

/** Frame batches grouped by the episode they belong to, in arrival order. */
function framesByEpisode(events: TrainerToHost[]): Map<string, FrameBatch[]> {
  const episodes = new Map<string, FrameBatch[]>();
  for (const event of events) {
    if (event.type !== 'frames') continue;
    const f = event.frames;
    const key = f.phase === 'train' ? `train ${f.episode}` : `eval@${f.evaluation?.step} start ${f.evaluation?.index}/${f.evaluation?.count}`;
    episodes.set(key, [...(episodes.get(key) ?? []), f]);
  }
  return episodes;
}

/** The batches of one episode cover steps 0…length−1 in order, and only the last says the length. */
function assertWhole(key: string, batches: FrameBatch[], length: number): void {
  let next = 0;
  for (const [i, batch] of batches.entries()) {
    assert.equal(batch.firstStep, next, `${key}: batch ${i} starts where the one before ended`);
    next += batch.data.length / batch.stride;
    assert.equal(batch.episodeLength, i === batches.length - 1 ? length : undefined, `${key}: only the last batch carries the length`);
  }
  assert.equal(next, length, `${key}: every step from 0 to the end`);
}

test('every training frame belongs to an episode sent whole, and every evaluation start is streamed whole', async () => {
  const { events } = await train(tinyConfig({ episodes: 6 }));
  const rows = new Map(episodesOf(events).map((row) => [row.episode, row]));
  const evals = events.flatMap((e) => (e.type === 'eval' ? [e.row] : []));
  const episodes = framesByEpisode(events);
  const training = [...episodes].filter(([key]) => key.startsWith('train'));
  assert.ok(training.length >= 1, 'at least the first episode is recorded');
  for (const [key, batches] of training) assertWhole(key, batches, rows.get(batches[0].episode)!.length);
  assert.ok(evals.length >= 3);
  for (const row of evals) {
    for (let start = 1; start <= 2; start++) {
      const key = `eval@${row.step} start ${start}/2`;
      assert.ok(episodes.has(key), `${key} was streamed`);
      assertWhole(key, episodes.get(key)!, 50);
      assert.ok(episodes.get(key)!.every((b) => b.episode === start));
    }
  }
});

test('without a dashboard that wants frames nothing is recorded, evaluations included', async () => {
  const runDir = await newRun();
  const events: TrainerToHost[] = [];
  const trainer = await Trainer.create({ runDir, config: tinyConfig({ episodes: 4 }), streamFrames: false, emit: (e) => events.push(e) });
  await trainer.run();
  assert.equal(events.filter((e) => e.type === 'frames').length, 0);
});

test('keeps only the newest keepPeriodicCheckpoints periodic checkpoints; best, manual and final stay', async () => {
  let manualAsked = false;
  const { runDir, events } = await train(tinyConfig({ episodes: 10, checkpointEveryEpisodes: 1, keepPeriodicCheckpoints: 3, saveBestCheckpoint: true }), {
    onEvent: (e, t) => {
      if (e.type === 'episode' && e.row.episode === 2 && !manualAsked) {
        manualAsked = true;
        t.requestCheckpoint(1);
      }
    },
  });
  const names = (await listCheckpoints(runDir)).map((c) => c.manifest!.name).sort();
  const periodic = names.filter((n) => /^ep\d+/.test(n));
  assert.deepEqual(periodic, ['ep0008-step400', 'ep0009-step450', 'ep0010-step500']);
  assert.ok(names.includes('best'), names.join());
  assert.ok(names.some((n) => n.startsWith('manual-ep')), names.join());
  assert.ok(names.includes('final-ep0010-step500'), names.join());
  // Every periodic checkpoint was announced when written, including the ones since deleted.
  assert.equal(events.filter((e) => e.type === 'checkpoint' && e.manifest.reason === 'periodic').length, 10);
  const left = await fs.readdir(path.join(runDir, 'checkpoints'));
  assert.ok(left.every((n) => !n.startsWith('.')), `no temporary folders left: ${left.join()}`);
});

test('keepPeriodicCheckpoints 0 keeps every periodic checkpoint', async () => {
  const { runDir } = await train(tinyConfig({ episodes: 6, checkpointEveryEpisodes: 1, keepPeriodicCheckpoints: 0 }));
  const periodic = (await listCheckpoints(runDir)).map((c) => c.manifest!.name).filter((n) => /^ep\d+/.test(n));
  assert.equal(periodic.length, 6);
});

test('same seed, same run; another seed, another run', async () => {
  const a = await train(tinyConfig());
  const b = await train(tinyConfig());
  const c = await train(tinyConfig({ seed: 4 }));
  assert.deepEqual(strip(episodesOf(a.events)), strip(episodesOf(b.events)));
  assert.notDeepEqual(strip(episodesOf(a.events)).map((r) => r.return), strip(episodesOf(c.events)).map((r) => r.return));
});

test('pause stops stepping mid-episode, resume continues, checkpoint while paused, stop saves a final checkpoint', async () => {
  const config = tinyConfig({ episodes: 1000 });
  const runDir = await newRun();
  const events: TrainerToHost[] = [];
  let pausedAt = 0;
  let trainer!: Trainer;
  // Update 76 runs during step 175 = episode 4, step 25 of 50.
  const engine = await spiedEngine(config, (n) => {
    if (n === 76) {
      trainer.pause();
      pausedAt = performance.now();
    }
  });
  trainer = await Trainer.create({ runDir, config, streamFrames: true, engine, emit: (e) => events.push(e) });
  const done = trainer.run();
  const waitFor = async (predicate: () => boolean, what: string) => {
    for (let i = 0; i < 2000 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(predicate(), `timed out waiting for ${what}`);
  };
  await waitFor(() => trainer.status === 'paused', 'paused');
  const latency = performance.now() - pausedAt;
  const stepWhenPaused = trainer.statusSnapshot().step;
  assert.equal(stepWhenPaused, 175, 'paused right after the step during which pause() was called');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(trainer.statusSnapshot().step, stepWhenPaused, 'no steps while paused');
  trainer.requestCheckpoint(7);
  await waitFor(() => events.some((e) => e.type === 'checkpoint' && e.requestId === 7), 'manual checkpoint');
  assert.equal(trainer.status, 'paused', 'a checkpoint does not resume');
  const manual = events.find((e) => e.type === 'checkpoint' && e.requestId === 7) as Extract<TrainerToHost, { type: 'checkpoint' }>;
  assert.equal(manual.manifest.step, stepWhenPaused);
  assert.equal(manual.manifest.reason, 'manual');
  trainer.resume();
  await waitFor(() => trainer.statusSnapshot().step > stepWhenPaused, 'steps after resume');
  trainer.stop(true);
  const summary = await done;
  assert.equal(summary.status, 'stopped');
  assert.ok(summary.episodes < 1000);
  const checkpoints = await listCheckpoints(runDir);
  assert.ok(checkpoints.some((c) => c.manifest?.reason === 'final'));
  assert.equal((await readRunInfo(runDir)).status, 'stopped');
  const states = events.flatMap((e) => (e.type === 'status' ? [e.status.state] : []));
  assert.deepEqual([...new Set(states)], ['running', 'paused', 'stopped']);
  // Reported, not asserted: timing belongs in benchmarks.
  process.stdout.write(`# pause took effect after ${latency.toFixed(1)} ms\n`);
});

test('a checkpoint loads back with identical parameters, optimizer state and actions', async () => {
  const config = tinyConfig({ episodes: 1000 });
  const probe = new Float32Array([Math.cos(2), Math.sin(2), 0.5, Math.cos(-1), Math.sin(-1), -3]);
  let saved: { dir: string; actions: number[]; parameters: NetworkParameters; optimizer: OptimizerState } | null = null;
  const trainer: Trainer = await Trainer.create({
    runDir: await newRun(), config,
    emit: (e) => {
      if (e.type === 'episode' && e.row.episode === 3) trainer.requestCheckpoint(1);
      if (e.type === 'checkpoint' && e.requestId === 1) {
        // emit runs synchronously right after the save, before the networks change again
        saved = { dir: e.dir, actions: Array.from(trainer.engine.act(probe, 2)), parameters: trainer.engine.getParameters(), optimizer: trainer.engine.getOptimizerState() };
        trainer.stop(false);
      }
    },
  });
  await trainer.run();
  assert.ok(saved);
  const { dir, actions, parameters, optimizer } = saved;
  const loaded = await loadCheckpoint(dir);
  assert.deepEqual(loaded.parameters, parameters);
  assert.deepEqual(loaded.optimizer, optimizer);
  const engine = await createEngine(config.engine, { shape: loaded.shape, hyper: config, batchSize: 1 });
  engine.setParameters(loaded.parameters);
  assert.deepEqual(Array.from(engine.act(probe, 2)), actions);
  engine.dispose();
});

test('resuming from a mid-episode checkpoint with the buffer reproduces the uninterrupted run exactly', async () => {
  const config = tinyConfig({ episodes: 30 });
  const straight = await train(config);
  // The same run, stopped at a checkpoint taken in the middle of episode 4…
  const interruptedEvents: TrainerToHost[] = [];
  let interruptedTrainer: Trainer | undefined;
  const interrupted = await train(config, {
    // Update 121 runs during step 220: episode 5, step 20 of 50.
    engine: await spiedEngine(config, (n) => n === 121 && interruptedTrainer!.requestCheckpoint(1)),
    onEvent: (e, t) => {
      interruptedTrainer = t;
      interruptedEvents.push(e);
      if (e.type === 'checkpoint' && e.requestId === 1) t.stop(false);
    },
  });
  assert.equal(interrupted.summary.status, 'stopped');
  const manual = interruptedEvents.find((e) => e.type === 'checkpoint' && e.requestId === 1) as Extract<TrainerToHost, { type: 'checkpoint' }>;
  assert.equal(manual.manifest.step, 220, 'checkpoint mid-episode');
  // …then continued as a new run.
  const resumed = await train(config, { resumeFrom: manual.dir });
  const expected = strip(episodesOf(straight.events)).filter((r) => r.step > manual.manifest.step);
  assert.ok(expected.length >= 5);
  assert.deepEqual(strip(episodesOf(resumed.events)), expected);
  // The resumed run's metrics start with the source run's history, so its curve is whole.
  const metrics = await readMetrics(resumed.runDir);
  assert.deepEqual(metrics.episodes.map((e) => e.episode), Array.from({ length: 30 }, (_, i) => i + 1));
  assert.equal((await readRunInfo(resumed.runDir)).resumedFrom?.step, manual.manifest.step);
});

test('a corrupt checkpoint names the file that is wrong', async () => {
  const { runDir } = await train(tinyConfig({ episodes: 2 }));
  const cp = (await listCheckpoints(runDir)).find((c) => c.manifest?.reason === 'final')!.dir;
  const weights = path.join(cp, 'critic', 'weights.bin');
  const bytes = await fs.readFile(weights);
  await fs.writeFile(weights, bytes.subarray(0, bytes.length - 8));
  await assert.rejects(loadCheckpoint(cp), (err: Error) => err.message.includes(path.join(cp, 'critic')));
  await fs.writeFile(weights, bytes);
  await fs.writeFile(path.join(cp, 'optimizer.bin'), Buffer.alloc(12));
  await assert.rejects(loadCheckpoint(cp), (err: Error) => err.message.includes(path.join(cp, 'optimizer.bin')));
  await fs.rm(path.join(cp, 'state.json'));
  await assert.rejects(loadCheckpoint(cp), (err: Error) => err.message.includes('missing') && err.message.includes(path.join(cp, 'state.json')));
  await fs.writeFile(path.join(cp, 'checkpoint.json'), '{"formatVersion":1,');
  await assert.rejects(loadCheckpoint(cp), (err: Error) => err.message.includes(path.join(cp, 'checkpoint.json')));
});

test('resuming with other networks, another buffer size or another task is refused before anything is written', async () => {
  const { runDir } = await train(tinyConfig({ episodes: 1 }));
  const cp = (await listCheckpoints(runDir))[0].dir;
  const refused = async (overrides: Partial<RunConfig>, reason: RegExp) => {
    const target = await newRun();
    await assert.rejects(Trainer.create({ runDir: target, config: tinyConfig(overrides), resumeFrom: cp, emit: () => {} }), reason);
    assert.deepEqual(await fs.readdir(target), ['checkpoints'], 'nothing written into the new run folder');
  };
  await refused({ actorHidden: [8] }, /cannot resume from .*actorHidden is \[16,16\] in the checkpoint and \[8\] in the settings/);
  await refused({ bufferSize: 5000 }, /bufferSize is 4000 in the checkpoint .* and 5000 in the settings/);
  await refused({ environment: 'MountainCarContinuous-v0' }, /trained on Pendulum-v1, the settings ask for MountainCarContinuous-v0/);
});

test('learning: a small configuration lifts the deterministic eval from about -1200 to above -400', async () => {
  const config = tinyConfig({
    actorHidden: [64, 64], criticHidden: [64, 64], batchSize: 64, bufferSize: 20000, warmupSteps: 1000,
    maxEpisodeSteps: 200, episodes: 40, evalEverySteps: 1000, evalEpisodes: 5, tau: 0.01, noiseStd: 0.1, seed: 1,
  });
  const { events, summary } = await train({ ...config }, {
    onEvent: (e, t) => {
      if (e.type === 'eval' && e.row.mean > -250) t.stop(false);
    },
  });
  const evals = events.flatMap((e) => (e.type === 'eval' ? [e.row.mean] : []));
  process.stdout.write(`# evals: ${evals.map((m) => m.toFixed(0)).join(' ')} (${summary.steps} steps, ${summary.wallTime.toFixed(1)} s)\n`);
  assert.ok(evals[0] < -700, `the untrained policy should be poor, got ${evals[0]}`);
  assert.ok(Math.max(...evals) > -400, `never exceeded -400: ${evals.join(', ')}`);
});
