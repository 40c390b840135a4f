// MuJoCo environments through the trainer: exact resume from a mid-episode checkpoint (MuJoCo's
// integration state and what mj_step left behind travel through checkpoint files), and a short
// learning run: DDPG with the default settings balances InvertedPendulum-v5 for the full 1000 steps.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';

import { shapeForConfig } from '../../src/agent/checkpoint';
import type { Engine } from '../../src/agent/engine/engine';
import { createEngine } from '../../src/agent/engine/index';
import { Trainer } from '../../src/agent/trainer';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { createRunDirectory } from '../../src/shared/node/runDirectory';
import type { EpisodeRow, TrainerToHost } from '../../src/shared/protocol';

function mujocoConfig(overrides: Record<string, unknown>): RunConfig {
  const { config, errors } = resolveConfig({ engine: process.env.DDPG_TEST_ENGINE ?? 'auto', checkpointEveryEpisodes: 0, seed: 2, ...overrides });
  assert.ok(config, JSON.stringify(errors));
  return config;
}

/** The engine the trainer would build, calling `onUpdate(n)` after its n-th update. */
async function spiedEngine(config: RunConfig, onUpdate: (n: number) => void): Promise<Engine> {
  const engine = await createEngine(config.engine, { algorithm: config.algorithm, shape: shapeForConfig(config), hyper: config, batchSize: config.batchSize });
  let updates = 0;
  return new Proxy(engine, {
    get(target, property) {
      if (property === 'update') {
        return (...args: unknown[]) => {
          const stats: unknown = (target.update as (...a: unknown[]) => unknown)(...args);
          onUpdate(++updates);
          return stats;
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function train(config: RunConfig, options: { resumeFrom?: string; engine?: Engine; onEvent?: (e: TrainerToHost, t: Trainer) => void } = {}) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'mujoco-trainer-'));
  const runDir = (await createRunDirectory(root)).dir;
  const events: TrainerToHost[] = [];
  let trainer!: Trainer;
  // eslint-disable-next-line prefer-const -- emit runs inside create() (the 'started' event), before trainer is assigned
  trainer = await Trainer.create({
    runDir, config, resumeFrom: options.resumeFrom, engine: options.engine,
    emit: (e) => {
      events.push(e);
      options.onEvent?.(e, trainer);
    },
  });
  const summary = await trainer.run();
  return { events, summary };
}

const episodesOf = (events: TrainerToHost[]) => events.flatMap((e) => (e.type === 'episode' ? [e.row] : []));
const strip = (rows: EpisodeRow[]) => rows.map(({ wallTime: _w, ...rest }) => rest);

test('Hopper-v5: resuming from a mid-episode checkpoint reproduces the uninterrupted run exactly', async () => {
  const config = mujocoConfig({
    environment: 'Hopper-v5', actorHidden: [16, 16], criticHidden: [16, 16], batchSize: 32, bufferSize: 4000,
    warmupSteps: 100, maxEpisodeSteps: 60, episodes: 30, evalEverySteps: 300, evalEpisodes: 2,
  });
  const straight = await train(config);
  let interruptedTrainer: Trainer | undefined;
  let manual: Extract<TrainerToHost, { type: 'checkpoint' }> | undefined;
  // Two updates (steps) into the first episode that starts after step 240: mid-episode, after warm-up.
  let updates = 0;
  let checkpointAtUpdate = -1;
  await train(config, {
    engine: await spiedEngine(config, (n) => {
      updates = n;
      if (n === checkpointAtUpdate) interruptedTrainer!.requestCheckpoint(1);
    }),
    onEvent: (e, t) => {
      interruptedTrainer = t;
      if (e.type === 'episode' && e.row.step >= 240 && checkpointAtUpdate < 0) checkpointAtUpdate = updates + 2;
      if (e.type === 'checkpoint' && e.requestId === 1) {
        manual = e;
        t.stop(false);
      }
    },
  });
  assert.ok(manual, 'the manual checkpoint was written');
  const episodes = strip(episodesOf(straight.events));
  const before = episodes.filter((r) => r.step <= manual!.manifest.step);
  assert.ok(before.length > 0 && before.at(-1)!.step < manual.manifest.step, `the checkpoint at step ${manual.manifest.step} is mid-episode: episodes end at ${episodes.map((r) => r.step).join(' ')}`);
  assert.ok(episodes.some((r) => r.length < 60), 'some episodes end by falling (termination) rather than the time limit');
  const resumed = await train(config, { resumeFrom: manual.dir });
  const expected = episodes.filter((r) => r.step > manual!.manifest.step);
  assert.ok(expected.length >= 3);
  assert.deepEqual(strip(episodesOf(resumed.events)), expected);
});

test('DDPG learning: InvertedPendulum-v5 with the default settings reaches the maximum deterministic evaluation (1000) within 15,000 steps', async () => {
  const config = mujocoConfig({ environment: 'InvertedPendulum-v5', episodes: 0, totalSteps: 15000, evalEverySteps: 2500, evalEpisodes: 5, seed: 1, saveReplayBuffer: false, saveBestCheckpoint: false });
  const { events, summary } = await train(config, {
    onEvent: (e, t) => {
      if (e.type === 'eval' && e.row.mean >= 1000) t.stop(false);
    },
  });
  const evals = events.flatMap((e) => (e.type === 'eval' ? [e.row.mean] : []));
  process.stdout.write(`# evals: ${evals.map((m) => m.toFixed(0)).join(' ')} (${summary.steps} steps, ${summary.wallTime.toFixed(1)} s)\n`);
  assert.ok(evals[0] < 200, `the untrained policy should drop the pole early, got ${evals[0]}`);
  assert.equal(Math.max(...evals), 1000, `never balanced for 1000 steps: ${evals.join(', ')}`);
});
