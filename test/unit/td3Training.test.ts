// TD3 through the agent and the trainer: the update schedule and the smoothing noise the agent
// hands the engine, exact resume mid-run (policy-delay counter and noise stream included), and a
// short learning run on Pendulum-v1.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';

import type { AgentState } from '../../src/agent/algorithms/agent';
import { Td3Agent, drawTargetNoise } from '../../src/agent/algorithms/td3';
import { UpdateAccumulator } from '../../src/agent/algorithms/updateStatistics';
import { shapeForConfig } from '../../src/agent/checkpoint';
import type { Engine, UpdateSchedule } from '../../src/agent/engine/engine';
import { createEngine } from '../../src/agent/engine/index';
import { Random } from '../../src/agent/random';
import { Trainer } from '../../src/agent/trainer';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { createRunDirectory, readMetrics } from '../../src/shared/node/runDirectory';
import type { EpisodeRow, TrainerToHost } from '../../src/shared/protocol';

function td3Config(overrides: Partial<RunConfig> = {}): RunConfig {
  const { config, errors } = resolveConfig({
    algorithm: 'td3', actorHidden: [16, 16], criticHidden: [16, 16], batchSize: 32, bufferSize: 4000, warmupSteps: 100,
    maxEpisodeSteps: 50, episodes: 8, evalEverySteps: 100, evalEpisodes: 2, checkpointEveryEpisodes: 0, policyDelay: 3,
    engine: process.env.DDPG_TEST_ENGINE ?? 'auto', seed: 3, ...overrides,
  });
  assert.ok(config, JSON.stringify(errors));
  return config;
}

/** The engine the trainer would build, with `onUpdate(n, schedule)` called after its n-th update. */
async function spiedEngine(config: RunConfig, onUpdate: (n: number, schedule: UpdateSchedule | undefined, engine: Engine) => void): Promise<Engine> {
  const engine = await createEngine(config.engine, { algorithm: 'td3', shape: shapeForConfig(config), hyper: config, batchSize: config.batchSize });
  let updates = 0;
  return new Proxy(engine, {
    get(target, property) {
      if (property === 'update') {
        return (schedule?: UpdateSchedule) => {
          const stats = target.update(schedule);
          onUpdate(++updates, schedule, target);
          return stats;
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function train(config: RunConfig, options: { resumeFrom?: string; engine?: Engine; onEvent?: (e: TrainerToHost, t: Trainer) => void } = {}) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'td3-trainer-'));
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
  return { runDir, events, summary, trainer };
}

const episodesOf = (events: TrainerToHost[]) => events.flatMap((e) => (e.type === 'episode' ? [e.row] : []));
const strip = (rows: EpisodeRow[]) => rows.map(({ wallTime: _w, ...rest }) => rest);

test('the smoothing noise is N(0, σ) clipped to ±clip', () => {
  const out = new Float32Array(20000);
  drawTargetNoise(out, new Random(1), 0.4, 1);
  assert.ok(out.every((x) => Math.abs(x) <= 1));
  const clipped = out.filter((x) => Math.abs(x) === 1).length / out.length;
  // P(|N(0, 0.4)| > 1) = 2·(1 − Φ(2.5)) ≈ 0.0124.
  assert.ok(clipped > 0.008 && clipped < 0.017, `clipped share ${clipped}`);
  const std = Math.sqrt(out.reduce((s, x) => s + x * x, 0) / out.length);
  assert.ok(Math.abs(std - 0.39) < 0.01, `std ${std}`);
});

test('the agent steps the actor on critic updates 1, 1 + d, 1 + 2d, … with fresh clipped noise each time, and keeps the latest actor loss', async () => {
  const config = td3Config({ warmupSteps: 40, batchSize: 8, policyDelay: 3, targetPolicyNoise: 0.8, targetNoiseClip: 0.3, updatesPerStep: 2 });
  const schedules: boolean[] = [];
  const noises: Float32Array[] = [];
  const engine = await spiedEngine(config, (_n, schedule, target) => {
    schedules.push(schedule!.actorAndTargets);
    noises.push(target.batch.targetNoise!.slice());
  });
  try {
    const agent = new Td3Agent(engine, config, config.seed);
    agent.initialiseNetworks(config.seed);
    const stats = new UpdateAccumulator(agent.spec.statistics);
    const rng = new Random(2);
    let updates = 0;
    for (let step = 1; step <= 60; step++) {
      const obs = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-8, 8)];
      updates += agent.observe(obs, [rng.uniform(-2, 2)], -1, obs, false, step, stats);
    }
    assert.equal(updates, 2 * 21, 'two updates per step from step 40 on');
    assert.deepEqual(schedules, Array.from({ length: updates }, (_, k) => k % 3 === 0));
    const bound = 2 * 0.3;
    for (const noise of noises) assert.ok(noise.every((x) => Math.abs(x) <= Math.fround(bound) && Number.isFinite(x)));
    assert.ok(noises.flatMap((n) => [...n]).some((x) => Math.abs(x) === Math.fround(bound)), 'σ 0.8 against a clip of 0.3 clips often');
    assert.notDeepEqual(noises[0], noises[1], 'fresh noise every update');
    const means = stats.means();
    for (const name of agent.spec.statistics) assert.ok(Number.isFinite(means[name]), `${name} mean is finite (${means[name]})`);
    assert.equal(agent.getState().criticUpdates, updates);
  } finally {
    engine.dispose();
  }
});

test('the agent state is validated, and a DDPG engine is refused', async () => {
  const config = td3Config();
  const engine = await createEngine('auto', { algorithm: 'td3', shape: shapeForConfig(config), hyper: config, batchSize: config.batchSize });
  const ddpgEngine = await createEngine('auto', { algorithm: 'ddpg', shape: shapeForConfig(config), hyper: config, batchSize: config.batchSize });
  try {
    const agent = new Td3Agent(engine, config, 1);
    const state = agent.getState();
    agent.setState(JSON.parse(JSON.stringify(state)) as AgentState);
    assert.deepEqual(agent.getState(), state);
    assert.throws(() => agent.setState({ ...state, criticUpdates: -1 }), /criticUpdates must be a non-negative integer/);
    assert.throws(() => agent.setState({ ...state, targetNoise: { words: [0, 0, 0, 0], spareNormal: null } }), /targetNoise must hold four 32-bit words/);
    assert.throws(() => agent.setState({}), /criticUpdates/);
    assert.throws(() => new Td3Agent(ddpgEngine, config, 1), /not a TD3 engine/);
  } finally {
    engine.dispose();
    ddpgEngine.dispose();
  }
});

test('TD3: resuming from a mid-episode checkpoint with the buffer reproduces the uninterrupted run exactly', async () => {
  const config = td3Config({ episodes: 24 });
  const straight = await train(config);
  const interruptedEvents: TrainerToHost[] = [];
  let interruptedTrainer: Trainer | undefined;
  // Update 122 runs during step 221 (episode 5, step 21 of 50); with a delay of 3 it is a
  // critic-only update (122 − 1 = 121 ≢ 0 mod 3), so the counter's phase matters on resume.
  const interrupted = await train(config, {
    engine: await spiedEngine(config, (n) => n === 122 && interruptedTrainer!.requestCheckpoint(1)),
    onEvent: (e, t) => {
      interruptedTrainer = t;
      interruptedEvents.push(e);
      if (e.type === 'checkpoint' && e.requestId === 1) t.stop(false);
    },
  });
  assert.equal(interrupted.summary.status, 'stopped');
  const manual = interruptedEvents.find((e) => e.type === 'checkpoint' && e.requestId === 1) as Extract<TrainerToHost, { type: 'checkpoint' }>;
  assert.equal(manual.manifest.step, 221, 'checkpoint mid-episode');
  assert.equal(manual.manifest.algorithm, 'td3');
  assert.deepEqual(manual.manifest.networks.map((n) => n.folder), ['actor', 'critic1', 'critic2', 'target_actor', 'target_critic1', 'target_critic2']);
  const resumed = await train(config, { resumeFrom: manual.dir });
  const expected = strip(episodesOf(straight.events)).filter((r) => r.step > manual.manifest.step);
  assert.ok(expected.length >= 5);
  assert.deepEqual(strip(episodesOf(resumed.events)), expected);
  const metrics = await readMetrics(resumed.runDir);
  assert.deepEqual(metrics.episodes.map((e) => e.episode), Array.from({ length: 24 }, (_, i) => i + 1));
  assert.ok(expected.every((r) => r.actorLoss !== null && Number.isFinite(r.actorLoss)), 'every episode after warm-up has an actor loss');
});

test('TD3 learning: Pendulum-v1 lifts the deterministic eval from about -1200 to above -400', async () => {
  const config = td3Config({
    actorHidden: [64, 64], criticHidden: [64, 64], batchSize: 128, bufferSize: 20000, warmupSteps: 1000, policyDelay: 2,
    maxEpisodeSteps: 200, episodes: 40, evalEverySteps: 1000, evalEpisodes: 5, tau: 0.01, noiseStd: 0.1, actorLr: 1e-3, criticLr: 2e-3, seed: 1,
  });
  const { events, summary } = await train(config, {
    onEvent: (e, t) => {
      if (e.type === 'eval' && e.row.mean > -250) t.stop(false);
    },
  });
  const evals = events.flatMap((e) => (e.type === 'eval' ? [e.row.mean] : []));
  process.stdout.write(`# evals: ${evals.map((m) => m.toFixed(0)).join(' ')} (${summary.steps} steps, ${summary.wallTime.toFixed(1)} s)\n`);
  assert.ok(evals[0] < -700, `the untrained policy should be poor, got ${evals[0]}`);
  assert.ok(Math.max(...evals) > -400, `never exceeded -400: ${evals.join(', ')}`);
});
