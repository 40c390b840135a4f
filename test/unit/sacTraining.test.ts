// SAC through the real trainer: exact resume mid-episode (α, its optimizer and the policy noise
// stream included), checkpoints whose actor loads with tf.loadLayersModel as the mean action, and
// a short learning run on Pendulum-v1.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

import type * as TF from '@tensorflow/tfjs';

import { loadCheckpoint, shapeForConfig } from '../../src/agent/checkpoint';
import type { Engine } from '../../src/agent/engine/engine';
import { createEngine } from '../../src/agent/engine/index';
import { boundedLogStd } from '../../src/agent/engine/sacParameters';
import { loadTensorFlow } from '../../src/agent/engine/tfjs/backend';
import { LOG_STD_SUBFOLDER } from '../../src/agent/engine/tfjs/storedNetworks';
import { Trainer } from '../../src/agent/trainer';
import { Random } from '../../src/agent/random';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { createRunDirectory, listCheckpoints, readMetrics } from '../../src/shared/node/runDirectory';
import { presetById } from '../../src/shared/presets';
import type { EpisodeRow, TrainerToHost } from '../../src/shared/protocol';
import { sacActorOutputsOnHost } from '../../src/agent/engine/tfjs/sacTfjsEngine';
import { sacActorLayers } from '../../src/agent/engine/sacParameters';

function sacConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  const { config, errors } = resolveConfig({
    algorithm: 'sac', actorHidden: [16, 16], criticHidden: [16, 16], batchSize: 32, bufferSize: 4000, warmupSteps: 100,
    maxEpisodeSteps: 50, episodes: 8, evalEverySteps: 100, evalEpisodes: 2, checkpointEveryEpisodes: 0, alphaLr: 3e-3,
    engine: process.env.DDPG_TEST_ENGINE ?? 'auto', seed: 3, ...overrides,
  });
  assert.ok(config, JSON.stringify(errors));
  return config;
}

async function train(config: RunConfig, options: { resumeFrom?: string; onEvent?: (e: TrainerToHost, t: Trainer) => void; engine?: Engine; stopWhenSolved?: boolean } = {}) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sac-trainer-'));
  const runDir = (await createRunDirectory(root)).dir;
  const events: TrainerToHost[] = [];
  let trainer!: Trainer;
  // eslint-disable-next-line prefer-const -- emit runs inside create(), before trainer is assigned
  trainer = await Trainer.create({
    runDir, config, resumeFrom: options.resumeFrom, engine: options.engine, stopWhenSolved: options.stopWhenSolved,
    emit: (e) => {
      events.push(e);
      options.onEvent?.(e, trainer);
    },
  });
  const summary = await trainer.run();
  return { runDir, events, summary, trainer };
}

/** The configured engine with `onUpdate(n)` called inside the n-th update. */
async function spiedEngine(config: RunConfig, onUpdate: (n: number) => void): Promise<Engine> {
  const engine = await createEngine(config.engine, { algorithm: 'sac', shape: shapeForConfig(config), hyper: config, batchSize: config.batchSize });
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
const strip = (rows: EpisodeRow[]) => rows.map(({ wallTime: _w, ...rest }) => rest);

describe('SAC through the trainer', () => {
  let tf: typeof TF;
  before(async () => {
    ({ tf } = await loadTensorFlow());
  });

  it('resuming from a mid-episode checkpoint with the buffer reproduces the uninterrupted run exactly', async () => {
    const config = sacConfig({ episodes: 20 });
    const straight = await train(config);
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
    const loaded = await loadCheckpoint(manual.dir);
    assert.equal(loaded.optimizer.alpha.step, 121, "log α's Adam is saved");
    assert.notEqual(loaded.parameters.logAlpha[0], 0, 'α has moved from 1');
    assert.ok(Array.isArray((loaded.trainer.agent.policyNoise as { words: number[] }).words), 'the policy noise stream is saved');
    const resumed = await train(config, { resumeFrom: manual.dir });
    const expected = strip(episodesOf(straight.events)).filter((r) => r.step > manual.manifest.step);
    assert.ok(expected.length >= 5);
    assert.deepEqual(strip(episodesOf(resumed.events)), expected);
    const final = async (runDir: string) => loadCheckpoint((await listCheckpoints(runDir)).find((c) => c.manifest?.reason === 'final')!.dir);
    const [a, b] = [await final(straight.runDir), await final(resumed.runDir)];
    assert.deepEqual(b.parameters, a.parameters, 'every network and log α end equal');
    assert.deepEqual(b.optimizer, a.optimizer);
  });

  it('a checkpoint round-trips every network and log α exactly; the actor folder loads as the mean action, log_std/ as log σ', async () => {
    let written: { parameters: ReturnType<Engine['getParameters']>; actions: Float32Array } | null = null;
    const rng = new Random(9);
    const count = 7;
    const obs = Float32Array.from({ length: count * 3 }, () => rng.uniform(-1.5, 1.5));
    const { runDir } = await train(sacConfig({ episodes: 4 }), {
      onEvent: (e, t) => {
        if (e.type === 'checkpoint' && e.manifest.reason === 'final') written = { parameters: t.engine.getParameters(), actions: t.engine.act(obs, count).slice() };
      },
    });
    const dir = (await listCheckpoints(runDir)).find((c) => c.manifest?.reason === 'final')!.dir;
    const loaded = await loadCheckpoint(dir);
    assert.ok(written);
    const saved = written as { parameters: ReturnType<Engine['getParameters']>; actions: Float32Array };
    assert.deepEqual(loaded.parameters, saved.parameters, 'every network and log α, bit for bit');
    const engine = await createEngine('tfjs', { algorithm: 'sac', shape: loaded.shape, hyper: loaded.manifest.config, batchSize: 32 });
    engine.setParameters(loaded.parameters);
    const shape = loaded.shape;
    // The trainer's own engine (wasm by default) and the reloaded networks act alike.
    const reloaded = engine.act(obs, count);
    for (let k = 0; k < reloaded.length; k++) assert.ok(Math.abs(reloaded[k] - saved.actions[k]) < 1e-5);

    // tf.loadLayersModel with an IOHandler that reads the folder as tfjs's file:// loader does.
    const load = async (folder: string) => {
      const modelJson = JSON.parse(await fs.readFile(path.join(folder, 'model.json'), 'utf8')) as TF.io.ModelJSON;
      const weights = await fs.readFile(path.join(folder, 'weights.bin'));
      return tf.loadLayersModel({
        load: () =>
          tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => [manifest.flatMap((g) => g.weights), new Uint8Array(weights).buffer]),
      });
    };
    const actorModel = await load(path.join(dir, 'actor'));
    const logStdModel = await load(path.join(dir, 'actor', LOG_STD_SUBFOLDER));
    const input = tf.tensor2d(obs, [count, shape.obsDim]);
    const predicted = (actorModel.predict(input) as TF.Tensor).dataSync();
    const expected = engine.act(obs, count);
    for (let k = 0; k < expected.length; k++) assert.ok(Math.abs(predicted[k] - expected[k]) < 1e-5, `mean action ${k}: ${predicted[k]} vs ${expected[k]}`);
    const outputs = new Float64Array(count * 2 * shape.actDim);
    const widest = Math.max(...sacActorLayers(shape).flat());
    sacActorOutputsOnHost(sacActorLayers(shape), loaded.parameters.actor, obs, count, outputs, [new Float64Array(widest), new Float64Array(widest)]);
    const logStd = (logStdModel.predict(input) as TF.Tensor).dataSync();
    for (let n = 0; n < count; n++) {
      for (let j = 0; j < shape.actDim; j++) {
        const want = boundedLogStd(outputs[n * 2 * shape.actDim + shape.actDim + j]);
        assert.ok(Math.abs(logStd[n * shape.actDim + j] - want) < 1e-5, `log σ: ${logStd[n * shape.actDim + j]} vs ${want}`);
      }
    }
    const alphaModel = await load(path.join(dir, 'log_alpha'));
    assert.equal((alphaModel.predict(tf.tensor2d([[1]])) as TF.Tensor).dataSync()[0], loaded.parameters.logAlpha[0]);
    engine.dispose();
  });

  it('a log_std model whose hidden layers differ from the actor’s is refused, naming the folder', async () => {
    const { runDir } = await train(sacConfig({ episodes: 2 }));
    const dir = (await listCheckpoints(runDir)).find((c) => c.manifest?.reason === 'final')!.dir;
    const weights = path.join(dir, 'actor', LOG_STD_SUBFOLDER, 'weights.bin');
    const bytes = await fs.readFile(weights);
    bytes.writeFloatLE(bytes.readFloatLE(0) + 1, 0);
    await fs.writeFile(weights, bytes);
    await assert.rejects(loadCheckpoint(dir), (err: Error) => err.message.includes('hidden layers differ') && err.message.includes(path.join(dir, 'actor')));
  });

  it('learns Pendulum-v1 with the pendulum-sac preset: a deterministic evaluation ≥ −200 within 40 episodes', async () => {
    const preset = presetById('pendulum-sac');
    assert.ok(preset);
    const config = sacConfig({ ...preset.settings, episodes: 40, maxEpisodeSteps: 0, evalEpisodes: 10, seed: 1 });
    const { summary, runDir } = await train(config, { stopWhenSolved: true });
    const evals = (await readMetrics(runDir)).evals;
    assert.ok(evals.some((e) => e.mean >= -200), `evaluations: ${evals.map((e) => e.mean.toFixed(0)).join(', ')}`);
    assert.ok(summary.steps <= 8000, `solved after ${summary.steps} steps`);
  });
});
