// The MuJoCo scene's way to the page: the trainer sends it once, right after `started`, for runs of a
// MuJoCo environment only; an evaluation sends its checkpoint's model's; the protocol's guard and
// the webview's deep check accept it and refuse malformed ones; the shared reducer keeps it, puts it
// in the snapshot the host replays, and forgets it when another run's trainer starts.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';

import { makeEnv, prepareEnvironment } from '../../src/agent/env/index';
import { checkpointSceneEvent, sceneEventOf } from '../../src/agent/sceneEvent';
import { Trainer } from '../../src/agent/trainer';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { MUJOCO_ENVIRONMENTS } from '../../src/shared/mujocoEnvironments';
import type { MujocoScene } from '../../src/shared/mujocoScene';
import { createRunDirectory, listCheckpoints } from '../../src/shared/node/runDirectory';
import { isTrainerToHost, type RunInfo, type TrainerToHost } from '../../src/shared/protocol';
import { applyTrainerEvent, runSnapshot, runStateFromSnapshot, statusFromFiles, type RunState } from '../../src/shared/runState';
import { isMujocoScene, readSnapshot } from '../../webview/messageValidation';

function config(overrides: Record<string, unknown>): RunConfig {
  const { config: resolved, errors } = resolveConfig({ engine: 'auto', checkpointEveryEpisodes: 0, seed: 3, ...overrides });
  assert.ok(resolved, JSON.stringify(errors));
  return resolved;
}

async function trainBriefly(environment: string): Promise<{ events: TrainerToHost[]; runDir: string }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'scene-event-'));
  const runDir = (await createRunDirectory(root)).dir;
  const events: TrainerToHost[] = [];
  const run = config({ environment, actorHidden: [8], criticHidden: [8], batchSize: 8, warmupSteps: 10, maxEpisodeSteps: 20, episodes: 1, evalEpisodes: 1, evalEveryEpisodes: 0 });
  const trainer = await Trainer.create({ runDir, config: run, emit: (e) => events.push(e) });
  await trainer.run();
  return { events, runDir };
}

async function sceneOf(id: keyof typeof MUJOCO_ENVIRONMENTS): Promise<MujocoScene> {
  await prepareEnvironment(id);
  const environment = makeEnv(id);
  try {
    return sceneEventOf(environment)!.scene;
  } finally {
    environment.dispose?.();
  }
}

test('a MuJoCo run sends its scene once, right after started; its evaluation sends the same scene', async () => {
  const { events, runDir } = await trainBriefly('InvertedPendulum-v5');
  const types = events.map((e) => e.type);
  assert.equal(types.indexOf('scene'), types.indexOf('started') + 1, 'the scene follows started');
  assert.equal(types.filter((t) => t === 'scene').length, 1, 'once');
  const event = events.find((e) => e.type === 'scene')!;
  assert.ok(isTrainerToHost(event), 'it passes the protocol guard');
  assert.ok(event.type === 'scene' && isMujocoScene(event.scene), 'and the page\u2019s deep check');
  assert.deepEqual(JSON.parse(JSON.stringify(event)), event, 'it survives JSON unchanged');

  const [checkpoint] = await listCheckpoints(runDir);
  assert.ok(checkpoint, 'the run left a checkpoint');
  assert.deepEqual(await checkpointSceneEvent(checkpoint.dir), event, 'the evaluation of its checkpoint sends the same scene');
});

test('a run of an environment without a scene sends none', async () => {
  const { events, runDir } = await trainBriefly('Pendulum-v1');
  assert.equal(events.filter((e) => e.type === 'scene').length, 0);
  const [checkpoint] = await listCheckpoints(runDir);
  assert.equal(await checkpointSceneEvent(checkpoint.dir), null);
});

test('the guard and the deep check refuse malformed scenes', async () => {
  const scene = await sceneOf('HalfCheetah-v5');
  assert.ok(isMujocoScene(scene));
  assert.ok(!isTrainerToHost({ type: 'scene' }));
  assert.ok(!isTrainerToHost({ type: 'scene', scene: { bodies: 'many', geoms: [] } }));
  const geom = scene.geoms[1];
  const bad: unknown[] = [
    { ...scene, bodies: [] },
    { ...scene, bodies: Array.from({ length: 513 }, () => ({ name: '', parent: 0 })) },
    { ...scene, geoms: Array.from({ length: 2049 }, () => geom) },
    { ...scene, bodies: [{ name: 'world', parent: 1 }, ...scene.bodies.slice(1)] },
    { ...scene, geoms: [{ ...geom, body: scene.bodies.length }] },
    { ...scene, geoms: [{ ...geom, type: 'teapot' }] },
    { ...scene, geoms: [{ ...geom, size: [1, 2] }] },
    { ...scene, geoms: [{ ...geom, quat: [1, 0, 0, Number.NaN] }] },
    { ...scene, geoms: [{ ...geom, material: 7 }] },
  ];
  for (const candidate of bad) assert.ok(!isMujocoScene(candidate), JSON.stringify(candidate).slice(0, 120));
});

test('the reducer keeps the scene, the snapshot carries it, and another run\u2019s start forgets it', async () => {
  const scene = await sceneOf('HalfCheetah-v5');
  const info = { id: 'run-a', name: 'a', created: '2025-01-01T00:00:00.000Z', updated: '2025-01-01T00:00:00.000Z', config: config({ environment: 'HalfCheetah-v5' }), engine: null, status: 'running' } as unknown as RunInfo;
  const state: RunState = { info, status: statusFromFiles(info, [], []), episodes: [], evals: [], checkpoints: [], stopRequested: false };
  const change = applyTrainerEvent(state, { type: 'scene', scene });
  assert.equal(change.scene, true);
  assert.equal(state.scene, scene);
  const snapshot = runSnapshot(state, true);
  assert.equal(snapshot.scene, scene);
  assert.equal(runStateFromSnapshot(snapshot).scene, scene, 'a page rebuilt from the snapshot has it');
  assert.deepEqual(readSnapshot(JSON.parse(JSON.stringify(snapshot)))?.scene, scene, 'the page reads it back');
  assert.equal(readSnapshot({ ...snapshot, scene: { ...scene, geoms: 'none' } })?.scene, undefined, 'a malformed one is dropped, the snapshot kept');

  applyTrainerEvent(state, { type: 'started', engine: { engine: 'wasm', backend: 'wasm-simd' }, run: { ...info, id: 'run-b' } });
  assert.equal(state.scene, undefined);
  assert.equal('scene' in runSnapshot(state, true), false);
});
