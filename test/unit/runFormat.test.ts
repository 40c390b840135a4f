/**
 * Run format version 2, and version 1 folders (test/fixtures/v1-run/, written by the release before
 * environments and algorithms were choices) still open, evaluate and resume.
 */

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { loadCheckpoint } from '../../src/agent/checkpoint';
import { evaluateCheckpoint } from '../../src/agent/evaluation';
import { Trainer } from '../../src/agent/trainer';
import { resolveConfig } from '../../src/shared/config';
import { createRunDirectory, listCheckpoints, readMetrics, readRunInfo } from '../../src/shared/node/runDirectory';
import { DDPG_NETWORKS, parseCheckpointManifest, parseRunInfo } from '../../src/shared/runFormat';
import type { CheckpointManifest, RunInfo } from '../../src/shared/protocol';

const FIXTURE_RUN = path.join(__dirname, '..', 'fixtures', 'v1-run', '2026-12-01_08-17-27');

/** A private copy: resuming into or sweeping the fixture must not change the committed files. */
async function fixtureCopy(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-v1-'));
  const dir = path.join(root, path.basename(FIXTURE_RUN));
  await fs.cp(FIXTURE_RUN, dir, { recursive: true });
  return dir;
}

test('a version 1 run folder reads as DDPG on Pendulum-v1 with its stored gravity', async () => {
  const info = await readRunInfo(FIXTURE_RUN);
  assert.equal(info.algorithm, 'ddpg');
  assert.deepEqual(info.environment, { id: 'Pendulum-v1', options: { g: 10 } });
  assert.equal(info.config.environment, 'Pendulum-v1');
  assert.equal(info.config.maxEpisodeSteps, 200, 'the stored time limit stays (the new default 0 means the same)');
  const checkpoints = await listCheckpoints(FIXTURE_RUN);
  assert.deepEqual(checkpoints.map((c) => c.manifest?.name).sort(), ['best', 'final-ep0004-step800']);
  for (const c of checkpoints) {
    assert.equal(c.manifest!.formatVersion, 2, 'upgraded in memory');
    assert.deepEqual(c.manifest!.networks, DDPG_NETWORKS);
  }
  const metrics = await readMetrics(FIXTURE_RUN);
  assert.equal(metrics.episodes.length, 4);
});

test('a version 1 checkpoint loads, evaluates and resumes exactly as its run continued', async () => {
  const run = await fixtureCopy();
  const final = path.join(run, 'checkpoints', 'final-ep0004-step800');
  const loaded = await loadCheckpoint(final);
  assert.equal(loaded.trainer.env.elapsedSteps, 200, 'v1 envElapsedSteps became the environment state (the episode had just ended)');
  assert.equal(typeof loaded.trainer.env.theta, 'number');
  const evaluation = await evaluateCheckpoint(final, 2);
  assert.equal(evaluation.returns.length, 2);
  assert.ok(evaluation.returns.every(Number.isFinite));

  // Resume the final checkpoint for two more episodes, twice: the same continuation both times.
  const continueOnce = async () => {
    const { dir } = await createRunDirectory(path.dirname(run));
    const { config } = resolveConfig({ ...loaded.manifest.config, episodes: 6 });
    assert.ok(config);
    const trainer = await Trainer.create({ runDir: dir, config, resumeFrom: final, emit: () => {} });
    const summary = await trainer.run();
    const metrics = await readMetrics(dir);
    return { summary, returns: metrics.episodes.map((e) => e.return), info: await readRunInfo(dir) };
  };
  const a = await continueOnce();
  const b = await continueOnce();
  assert.equal(a.summary.episodes, 6);
  assert.equal(a.returns.length, 6, 'the v1 history (4 episodes) and 2 new ones');
  assert.deepEqual(a.returns, b.returns);
  assert.equal(a.info.resumedFrom?.episode, 4);
  assert.equal(a.info.algorithm, 'ddpg');
  // The new run's checkpoints are version 2 on disk.
  const written = JSON.parse(await fs.readFile(path.join(path.dirname(path.dirname(final)), '..', a.info.id, 'checkpoints', 'final-ep0006-step1200', 'checkpoint.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(written.formatVersion, 2);
  assert.equal(written.algorithm, 'ddpg');
  assert.deepEqual(written.environment, { id: 'Pendulum-v1', options: { g: 10 } });
  assert.deepEqual(written.networks, DDPG_NETWORKS);
});

test('manifest readers name the file and what is wrong', () => {
  const file = '/runs/r/checkpoints/x/checkpoint.json';
  const { config } = resolveConfig({});
  assert.ok(config);
  const v2 = { formatVersion: 2, algorithm: 'ddpg', environment: { id: 'Pendulum-v1', options: { g: 10 } }, networks: DDPG_NETWORKS, episode: 1, step: 200, config };
  assert.equal(parseCheckpointManifest<CheckpointManifest>(v2, file).algorithm, 'ddpg');
  const bad: Array<[unknown, RegExp]> = [
    [{ ...v2, formatVersion: 3 }, /unsupported formatVersion 3 \(expected 1 or 2\)/],
    [{ ...v2, algorithm: undefined }, /lacks "algorithm"/],
    [{ ...v2, environment: { id: 'CartPole-v1' } }, /names no known environment/],
    [{ ...v2, networks: [{ name: 'actor', folder: '../escape', kind: 'actor' }] }, /no valid "networks" list/],
    [{ ...v2, environment: { id: 'MountainCarContinuous-v0', options: {} } }, /says ddpg on MountainCarContinuous-v0 but its config says ddpg on Pendulum-v1/],
    [{ ...v2, step: '200' }, /lacks a numeric "step"/],
    [[], /not an object/],
  ];
  for (const [value, message] of bad) {
    assert.throws(() => parseCheckpointManifest(value, file), (err: Error) => message.test(err.message) && err.message.endsWith(file), JSON.stringify(value).slice(0, 80));
  }
  const info = parseRunInfo<RunInfo>({ id: 'r', status: 'finished', config: { ...config, environment: 'MountainCarContinuous-v0', goalVelocity: 0.01 } }, '/runs/r/run.json');
  assert.deepEqual(info.environment, { id: 'MountainCarContinuous-v0', options: { goal_velocity: 0.01 } });
  assert.throws(() => parseRunInfo({ id: 'r' }, '/runs/r/run.json'), /run\.json lacks id, status or config: \/runs\/r\/run\.json/);
});

test('a checkpoint’s evaluation and a run’s warnings are optional: older files lack them, unreadable ones are dropped', () => {
  const file = '/runs/r/checkpoints/x/checkpoint.json';
  const { config } = resolveConfig({});
  assert.ok(config);
  const v2 = { formatVersion: 2, algorithm: 'ddpg', environment: { id: 'Pendulum-v1', options: { g: 10 } }, networks: DDPG_NETWORKS, episode: 1, step: 200, config };
  const evaluation = { mean: -150, std: 3, step: 200, episode: 1 };
  assert.deepEqual(parseCheckpointManifest<CheckpointManifest>({ ...v2, evaluation }, file).evaluation, evaluation);
  assert.equal(parseCheckpointManifest<CheckpointManifest>({ ...v2, evaluation: null }, file).evaluation, null, 'null: none had run');
  assert.equal('evaluation' in parseCheckpointManifest<CheckpointManifest>(v2, file), false, 'absent stays absent');
  const unreadable = parseCheckpointManifest<CheckpointManifest>({ ...v2, evaluation: { mean: 'high', step: 200 } }, file);
  assert.equal('evaluation' in unreadable, false, 'an unreadable score does not cost the checkpoint');
  const run = { id: 'r', status: 'finished', config };
  assert.deepEqual(parseRunInfo<RunInfo>({ ...run, warnings: ['tau is 0.995', 7] }, '/runs/r/run.json').warnings, ['tau is 0.995']);
  assert.equal('warnings' in parseRunInfo<RunInfo>({ ...run, warnings: 'tau' }, '/runs/r/run.json'), false);
  assert.equal('warnings' in parseRunInfo<RunInfo>(run, '/runs/r/run.json'), false);
});
