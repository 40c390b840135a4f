/**
 * Each checkpoint records the deterministic evaluation it is judged by (issue #10): a best one the
 * evaluation that made it best, any other the latest at or before its step, none before the first
 * evaluation; a resumed run takes them from the history it continues. Pruned checkpoints are
 * announced, so that the run's list (the shared reducer) holds what is on disk.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { Trainer } from '../../src/agent/trainer';
import { resolveConfig, type RunConfig } from '../../src/shared/config';
import { createRunDirectory, listCheckpoints, readRunInfo } from '../../src/shared/node/runDirectory';
import type { CheckpointManifest, EvalRow, TrainerToHost } from '../../src/shared/protocol';
import { applyTrainerEvents, runStateFromRows } from '../../src/shared/runState';

function tinyConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  const { config, errors } = resolveConfig({
    actorHidden: [8], criticHidden: [8], batchSize: 16, bufferSize: 2000, warmupSteps: 20, maxEpisodeSteps: 50, episodes: 10,
    evalEverySteps: 100, evalEpisodes: 1, checkpointEveryEpisodes: 1, keepPeriodicCheckpoints: 3, saveBestCheckpoint: true,
    saveReplayBuffer: false, seed: 5, ...overrides,
  });
  assert.ok(config, JSON.stringify(errors));
  return config;
}

async function train(config: RunConfig, resumeFrom?: string) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-checkpoint-eval-'));
  const { dir } = await createRunDirectory(root);
  const events: TrainerToHost[] = [];
  const trainer = await Trainer.create({ runDir: dir, config, resumeFrom, emit: (e) => events.push(e) });
  await trainer.run();
  return { runDir: dir, events };
}

const checkpointsOf = (events: TrainerToHost[]) => events.flatMap((e) => (e.type === 'checkpoint' ? [e.manifest] : []));
const evalsOf = (events: TrainerToHost[]) => events.flatMap((e) => (e.type === 'eval' ? [e.row] : []));
const judgedBy = (row: EvalRow) => ({ mean: row.mean, std: row.std, step: row.step, episode: row.episode });

test('a checkpoint records the evaluation it is judged by, and when', async () => {
  const { events } = await train(tinyConfig());
  const evals = evalsOf(events);
  assert.deepEqual(evals.map((e) => e.step), [100, 200, 300, 400, 500]);
  const saved = checkpointsOf(events);
  const periodic = (episode: number) => saved.find((m) => m.reason === 'periodic' && m.episode === episode)!;
  assert.equal(periodic(1).evaluation, null, 'none before the first evaluation');
  assert.deepEqual(periodic(3).evaluation, judgedBy(evals[0]), 'the latest at or before its step (100 for step 150)');
  assert.deepEqual(periodic(4).evaluation, judgedBy(evals[1]), 'one at its own step');
  let best: EvalRow | null = null;
  for (const event of events) {
    if (event.type === 'eval' && (best === null || event.row.mean >= best.mean)) best = event.row;
    if (event.type === 'checkpoint' && event.manifest.reason === 'best') {
      assert.deepEqual(event.manifest.evaluation, judgedBy(best!), 'a best checkpoint: the evaluation that made it best');
      assert.equal(event.manifest.evaluation.step, event.manifest.step);
      assert.equal(event.manifest.evaluation.mean, event.manifest.bestEval);
    }
  }
  assert.ok(saved.some((m) => m.reason === 'best'));
  const final = saved.find((m) => m.reason === 'final')!;
  assert.deepEqual(final.evaluation, judgedBy(evals[4]));
});

test('pruned checkpoints are announced: the run’s list, folded from the events, is what is on disk', async () => {
  const { runDir, events } = await train(tinyConfig());
  const deleted = events.flatMap((e) => (e.type === 'checkpointDeleted' ? [e.name] : []));
  assert.deepEqual(deleted, ['ep0001-step50', 'ep0002-step100', 'ep0003-step150', 'ep0004-step200', 'ep0005-step250', 'ep0006-step300', 'ep0007-step350']);
  const onDisk = (await listCheckpoints(runDir)).map((c) => c.manifest!.name).sort();
  const info = await readRunInfo(runDir);
  const state = runStateFromRows(info, {});
  applyTrainerEvents(state, events);
  assert.deepEqual(state.checkpoints.map((c) => c.manifest.name).sort(), onDisk);
  assert.equal(onDisk.length, 5, 'best, final and the three newest periodic ones');
  // Read back from disk, a checkpoint keeps its score.
  const best = (await listCheckpoints(runDir)).find((c) => c.manifest?.reason === 'best')!.manifest as CheckpointManifest;
  assert.equal(best.evaluation?.mean, best.bestEval);
});

test('a resumed run judges its checkpoints by the evaluations of the history it continues', async () => {
  const source = await train(tinyConfig({ episodes: 2, keepPeriodicCheckpoints: 0, saveBestCheckpoint: false }));
  const from = (await listCheckpoints(source.runDir)).find((c) => c.manifest?.name === 'ep0002-step100')!;
  assert.equal(from.manifest!.evaluation?.step, 100);
  const resumed = await train(tinyConfig({ episodes: 3, keepPeriodicCheckpoints: 0, saveBestCheckpoint: false }), from.dir);
  const third = checkpointsOf(resumed.events).find((m) => m.reason === 'periodic' && m.episode === 3)!;
  assert.deepEqual(third.evaluation, judgedBy(evalsOf(source.events)[0]), 'the source run’s evaluation at step 100');
});

test('run.json records the configuration’s warnings; a clean configuration has none', async () => {
  const kept = await train(tinyConfig({ episodes: 1, tau: 0.995, checkpointEveryEpisodes: 0 }));
  const info = await readRunInfo(kept.runDir);
  assert.equal(info.warnings?.length, 1);
  assert.match(info.warnings[0], /^tau is 0\.995/);
  const clean = await train(tinyConfig({ episodes: 1, checkpointEveryEpisodes: 0 }));
  assert.equal((await readRunInfo(clean.runDir)).warnings, undefined);
});
