import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { defaultConfig } from '../../src/shared/config';
import { taskFieldsOf } from '../../src/shared/runFormat';
import {
  createRunDirectory, listCheckpoints, listRuns, MetricsWriter, parseMetrics, readCheckpointManifest, readMetrics, readRunInfo,
  readScene, runIdFor, SCENE_FILE, updateRunStatus, writeFileAtomic, writeRunInfo, writeScene,
} from '../../src/shared/node/runDirectory';
import { ENVIRONMENTS } from '../../src/shared/environments';
import type { MujocoScene } from '../../src/shared/mujocoScene';
import type { EpisodeRow, RunInfo } from '../../src/shared/protocol';

const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-rundir-'));
const episode = (n: number): EpisodeRow => ({ type: 'episode', episode: n, step: n * 200, return: -1000 + n, length: 200, criticLoss: 1, actorLoss: 2, meanQ: 3, wallTime: n });
const info = (id: string, created: string): RunInfo => ({ id, name: id, created, updated: created, config: defaultConfig(), ...taskFieldsOf(defaultConfig()), engine: null, seed: 1, status: 'running' });

test('run ids sort by time and never collide', async () => {
  const root = await tmp();
  const date = new Date(2026, 10, 23, 9, 5, 7);
  assert.equal(runIdFor(date), '2026-11-23_09-05-07');
  const a = await createRunDirectory(root, date);
  const b = await createRunDirectory(root, date);
  assert.equal(a.id, '2026-11-23_09-05-07');
  assert.equal(b.id, '2026-11-23_09-05-07-2');
  assert.ok((await fs.stat(path.join(b.dir, 'checkpoints'))).isDirectory());
});

test('metrics: appended rows read back; a half-written last line is skipped, not fatal', async () => {
  const dir = await tmp();
  const writer = new MetricsWriter(dir);
  await writer.append([episode(1), episode(2)]);
  await writer.append([{ type: 'eval', episode: 2, step: 400, mean: -900, std: 10, returns: [-890, -910], wallTime: 2 }]);
  await fs.appendFile(path.join(dir, 'metrics.jsonl'), '{"type":"episode","episode":3,"st');
  const m = await readMetrics(dir);
  assert.deepEqual(m.episodes.map((e) => e.episode), [1, 2]);
  assert.equal(m.evals[0].mean, -900);
  assert.equal(m.skippedLines, 1);
  assert.deepEqual(await readMetrics(path.join(dir, 'nope')), { episodes: [], evals: [], skippedLines: 0 });
  assert.equal(parseMetrics('{"type":"other"}\n\n[1]\n').skippedLines, 2);
});

test('truncateAfter drops rows past a step (a run resumed from its own earlier checkpoint)', async () => {
  const dir = await tmp();
  const writer = new MetricsWriter(dir);
  await writer.append([episode(1), episode(2), episode(3)]);
  await writer.truncateAfter(400);
  assert.deepEqual((await readMetrics(dir)).episodes.map((e) => e.episode), [1, 2]);
});

test('run.json round trip and status update; errors name the file', async () => {
  const dir = await tmp();
  await writeRunInfo(dir, info('r1', '2026-01-01T00:00:00Z'));
  const updated = await updateRunStatus(dir, 'crashed', 'boom');
  assert.equal(updated.status, 'crashed');
  assert.equal((await readRunInfo(dir)).error, 'boom');
  await assert.rejects(readRunInfo(path.join(dir, 'missing')), /run\.json is missing: .*missing\/run\.json/);
  await fs.writeFile(path.join(dir, 'run.json'), '{"id":');
  await assert.rejects(readRunInfo(dir), /run\.json is not valid JSON .*run\.json/);
});

/** InvertedPendulum's shape: the world, a cart and a pole. */
const cartPoleScene: MujocoScene = {
  model: 'inverted pendulum',
  bodies: [
    { name: 'world', parent: 0, restPos: [0, 0, 0], restQuat: [1, 0, 0, 0] },
    { name: 'cart', parent: 0, restPos: [0, 0, 0], restQuat: [1, 0, 0, 0] },
    { name: 'pole', parent: 1, restPos: [0, 0, 0], restQuat: [1, 0, 0, 0] },
  ],
  geoms: [{ name: 'cpole', body: 2, type: 'capsule', size: [0.049, 0.3, 0], pos: [0.001, 0, 0.3], quat: [1, 0, 0, 0], rgba: [0, 0.7, 0.7, 1], material: '' }],
};

test('scene.json: round trip; a folder without one has none; a damaged one, or another model\u2019s, is refused naming the file', async () => {
  const dir = await tmp();
  const cartPole = ENVIRONMENTS['InvertedPendulum-v5'];
  assert.equal(await readScene(dir, cartPole), null, 'written before scenes were saved: no scene, no error');
  await writeScene(dir, cartPoleScene);
  assert.deepEqual(await readScene(dir, cartPole), cartPoleScene);
  const file = path.join(dir, SCENE_FILE);
  await assert.rejects(readScene(dir, ENVIRONMENTS['HalfCheetah-v5']), (err: Error) => err.message.includes('not HalfCheetah-v5') && err.message.endsWith(file));
  await fs.writeFile(file, '{"model":"inverted pendulum","bodies":[');
  await assert.rejects(readScene(dir, cartPole), (err: Error) => /^scene\.json is not valid JSON/.test(err.message) && err.message.endsWith(file));
  await fs.writeFile(file, JSON.stringify({ ...cartPoleScene, geoms: 'none' }));
  await assert.rejects(readScene(dir, cartPole), (err: Error) => /^scene\.json is not a MuJoCo scene/.test(err.message) && err.message.endsWith(file));
});

test('listRuns and listCheckpoints report unreadable entries instead of failing', async () => {
  const root = await tmp();
  const a = path.join(root, 'a');
  const b = path.join(root, 'b');
  await fs.mkdir(path.join(a, 'checkpoints', 'ep1'), { recursive: true });
  await fs.mkdir(path.join(a, 'checkpoints', 'broken'), { recursive: true });
  await fs.mkdir(path.join(a, 'checkpoints', '.tmp-x'), { recursive: true });
  await fs.mkdir(b);
  await writeRunInfo(a, info('a', '2026-01-02T00:00:00Z'));
  await fs.writeFile(
    path.join(a, 'checkpoints', 'ep1', 'checkpoint.json'),
    JSON.stringify({ formatVersion: 1, name: 'ep1', episode: 1, step: 200, config: defaultConfig() }),
  );
  await fs.writeFile(path.join(a, 'checkpoints', 'broken', 'checkpoint.json'), '{');
  const runs = await listRuns(root);
  assert.deepEqual(runs.map((r) => [path.basename(r.dir), !!r.info, !!r.error]), [['a', true, false], ['b', false, true]]);
  const cps = await listCheckpoints(a);
  assert.equal(cps.length, 2);
  assert.equal(cps[0].manifest?.step, 200);
  assert.match(cps[1].error!, /not valid JSON.*broken\/checkpoint\.json/);
  await fs.writeFile(path.join(a, 'checkpoints', 'ep1', 'checkpoint.json'), JSON.stringify({ formatVersion: 9 }));
  await assert.rejects(readCheckpointManifest(path.join(a, 'checkpoints', 'ep1')), /unsupported formatVersion 9/);
  assert.deepEqual(await listRuns(path.join(root, 'none')), []);
});

test('a failed atomic write names the file and leaves no temporary file behind', async () => {
  const root = await tmp();
  const target = path.join(root, 'missing-folder', 'run.json');
  await assert.rejects(writeFileAtomic(target, '{}'), (err: Error) => err.message.startsWith(`could not write ${target}: ENOENT`));
  // A write that fails after creating its temporary file (the target is a folder: rename fails).
  const folder = path.join(root, 'run.json');
  await fs.mkdir(path.join(folder, 'inside'), { recursive: true });
  await assert.rejects(writeFileAtomic(folder, '{}'), (err: Error) => err.message.includes(folder));
  assert.deepEqual((await fs.readdir(root)).sort(), ['missing-folder', 'run.json'].filter((n) => n !== 'missing-folder'));
});
