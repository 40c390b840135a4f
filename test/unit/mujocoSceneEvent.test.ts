// The MuJoCo scene's way to the page: the trainer sends it once, right after `started`, for runs of a
// MuJoCo environment only, and keeps it in the run folder (scene.json) for dashboards opened after
// the run; its bodies' rest poses are frame()'s at qpos0, whatever the episode is doing; an
// evaluation sends its checkpoint's model's; the protocol's guard and
// the webview's deep check accept it and refuse malformed ones; the shared reducer keeps it, puts it
// in the snapshot the host replays, and forgets it when another run's trainer starts.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';

import { makeEnv, prepareEnvironment } from '../../src/agent/env/index';
import type { MujocoEnvironment } from '../../src/agent/env/mujoco/mujocoEnvironment';
import { checkpointSceneEvent, sceneEventOf } from '../../src/agent/sceneEvent';
import { Trainer } from '../../src/agent/trainer';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { ENVIRONMENTS } from '../../src/shared/environments';
import { MUJOCO_ENVIRONMENTS, type MujocoEnvironmentId } from '../../src/shared/mujocoEnvironments';
import { restPoses, type MujocoScene } from '../../src/shared/mujocoScene';
import { createRunDirectory, listCheckpoints, readScene, SCENE_FILE } from '../../src/shared/node/runDirectory';
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

test('a MuJoCo run keeps its scene in its folder: scene.json is the scene it sent', async () => {
  const { events, runDir } = await trainBriefly('InvertedPendulum-v5');
  const sent = events.find((e) => e.type === 'scene');
  assert.ok(sent?.type === 'scene');
  assert.deepEqual(JSON.parse(await fs.readFile(path.join(runDir, SCENE_FILE), 'utf8')), sent.scene);
  assert.deepEqual(await readScene(runDir, ENVIRONMENTS['InvertedPendulum-v5']), sent.scene, 'and reads back as the run\u2019s scene');
});

test('a MuJoCo trainer is handed back before anything else can happen once it has said started: a host\u2019s first commands reach it', async () => {
  // The process gives commands to the trainer create() returns; a host answers `started` at once
  // (frames wanted). An await between the two (writing scene.json once) lost that answer.
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'scene-event-'));
  const runDir = (await createRunDirectory(root)).dir;
  let created = false;
  let createdWhenHostAnswered: boolean | undefined;
  const run = config({ environment: 'InvertedPendulum-v5', actorHidden: [8], criticHidden: [8], batchSize: 8, warmupSteps: 10, maxEpisodeSteps: 20, episodes: 1 });
  const trainer = await Trainer.create({
    runDir,
    config: run,
    emit: (event) => {
      if (event.type === 'started') setImmediate(() => (createdWhenHostAnswered = created));
    },
  }).then((t) => ((created = true), t));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(createdWhenHostAnswered, true);
  await fs.access(path.join(runDir, SCENE_FILE));
  trainer.stop(false);
  await trainer.run();
});

test('scene.json stays small: Ant-v5, the largest model, is under 8 kB', async () => {
  const bytes = Buffer.byteLength(JSON.stringify(await sceneOf('Ant-v5')));
  assert.ok(bytes < 8192, `${bytes} bytes`);
});

for (const id of Object.keys(MUJOCO_ENVIRONMENTS) as MujocoEnvironmentId[]) {
  test(`${id}: the scene's rest poses are where frame() puts the bodies at qpos0, even when asked mid-episode`, async () => {
    await prepareEnvironment(id);
    const environment = makeEnv(id) as MujocoEnvironment;
    try {
      environment.reset(5);
      for (let k = 0; k < 5; k++) environment.step(Array.from({ length: environment.spec.actionSize }, (_, i) => Math.sin(k + i)));
      const rest = restPoses(environment.scene());
      assert.ok(rest, 'every body has a rest pose');
      environment.setState(environment.model.qpos0 as Float64Array, new Float64Array(environment.model.nv));
      const poses = environment.frame().slice(0, rest.length);
      assert.equal(rest.length, poses.length);
      rest.forEach((value, i) => assert.ok(Math.abs(value - poses[i]) < 1e-12, `pose number ${i}: ${value} ≠ ${poses[i]}`));
    } finally {
      environment.dispose?.();
    }
  });
}

test('a run of an environment without a scene sends none, and writes no scene.json', async () => {
  const { events, runDir } = await trainBriefly('Pendulum-v1');
  assert.equal(events.filter((e) => e.type === 'scene').length, 0);
  await assert.rejects(fs.stat(path.join(runDir, SCENE_FILE)), { code: 'ENOENT' });
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
    { ...scene, bodies: scene.bodies.map((b, i) => (i === 1 ? { ...b, restPos: [0, 0] } : b)) },
    { ...scene, bodies: scene.bodies.map((b, i) => (i === 1 ? { ...b, restQuat: [1, 0, 0, Number.NaN] } : b)) },
    { ...scene, bodies: scene.bodies.map((b, i) => (i === 1 ? { name: b.name, parent: b.parent, restPos: b.restPos } : b)) },
  ];
  for (const candidate of bad) assert.ok(!isMujocoScene(candidate), JSON.stringify(candidate).slice(0, 120));
  const fromAnOlderTrainer = { ...scene, bodies: scene.bodies.map(({ name, parent }) => ({ name, parent })) };
  assert.ok(isMujocoScene(fromAnOlderTrainer), 'a scene without rest poses (an older trainer\u2019s) is still a scene');
  assert.equal(restPoses(fromAnOlderTrainer), null, 'with nothing to draw at rest');
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
