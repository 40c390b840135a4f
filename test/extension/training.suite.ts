/**
 * A short real run through the commands: Train, Pause, Resume, Save Checkpoint, Stop — the states
 * the extension reports and the files the trainer leaves on disk.
 */

import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo } from '../../src/shared/protocol';
import { readRunConfig } from '../../src/extension/settings';
import { extensionApi, tempDir, TINY_CONFIG, waitFor, withSettings } from './helpers';

const readRunJson = (runDir: string) => JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunInfo;

suite('training through the commands', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('train, pause, resume, checkpoint and stop a short run', async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    const runsDir = tempDir('ddpg-training-');
    await withSettings({ ...TINY_CONFIG, runsDirectory: runsDir }, async () => {
      await waitFor('the runs directory setting', () => api.runsDirectory() === runsDir);
      const runId = await vscode.commands.executeCommand<string | undefined>('ddpg.train');
      assert.ok(runId, 'Train returns the new run id');
      const runDir = path.join(runsDir, runId);
      assert.ok(existsSync(path.join(runDir, 'run.json')), 'run.json exists at once');
      const state = () => api.runManager.liveRun(runId)?.state;

      await waitFor('the run to be running', () => state() === 'running', 60_000);
      await waitFor('a first episode', () => (api.runManager.history(runId)?.episodes.length ?? 0) >= 1, 60_000);

      const pausedAt = Date.now();
      assert.equal(await vscode.commands.executeCommand('ddpg.pause'), runId);
      await waitFor('paused', () => state() === 'paused', 5_000);
      assert.ok(Date.now() - pausedAt < 1_500, `pause shows within a second or so (took ${Date.now() - pausedAt} ms)`);
      await waitFor('run.json to say paused', () => readRunJson(runDir).status === 'paused', 5_000);
      const stepWhilePaused = api.runManager.history(runId)!.status.step;
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(api.runManager.history(runId)!.status.step, stepWhilePaused, 'no steps while paused');

      assert.equal(await vscode.commands.executeCommand('ddpg.resume'), runId);
      await waitFor('running again', () => state() === 'running', 5_000);

      const checkpointDir = await vscode.commands.executeCommand<string | undefined>('ddpg.saveCheckpoint');
      assert.ok(checkpointDir && existsSync(path.join(checkpointDir, 'checkpoint.json')), 'the manual checkpoint is on disk');

      assert.equal(await vscode.commands.executeCommand('ddpg.stop'), runId, 'Stop resolves once the trainer has exited');
      assert.equal(api.runManager.isLive(runId), false);
      assert.equal(api.runManager.history(runId)?.state, 'stopped');
      assert.equal(readRunJson(runDir).status, 'stopped');
      const checkpoints = readdirSync(path.join(runDir, 'checkpoints')).filter((n) => !n.startsWith('.'));
      assert.ok(checkpoints.length >= 2, `a manual and a final checkpoint: ${checkpoints.join(', ')}`);
      const manifests = checkpoints.map((n) => JSON.parse(readFileSync(path.join(runDir, 'checkpoints', n, 'checkpoint.json'), 'utf8')) as { reason?: string });
      assert.ok(manifests.some((m) => m.reason === 'final'), 'stop wrote a final checkpoint');
      const metrics = readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
      assert.ok(metrics.length >= 1 && (JSON.parse(metrics[0]) as { type: string }).type === 'episode', 'episodes are in metrics.jsonl');

      const runs = await api.tree.getChildren();
      assert.ok(runs.some((n) => n.kind === 'run' && n.runId === runId), 'the run is in the Runs view');

      const csvFile = path.join(tempDir('ddpg-export-'), 'metrics.csv');
      assert.equal(await vscode.commands.executeCommand('ddpg.exportMetrics', runId, csvFile), csvFile);
      const csvLines = readFileSync(csvFile, 'utf8').trim().split('\n');
      assert.match(csvLines[0], /^type,episode,step,/);
      assert.equal(csvLines.length, 1 + metrics.length, 'one CSV line per metrics.jsonl row, after the header');

      const finalCheckpoint = path.join(runDir, 'checkpoints', checkpoints[manifests.findIndex((m) => m.reason === 'final')]);
      const evaluation = await vscode.commands.executeCommand<{ returns: number[]; mean: number } | undefined>('ddpg.evaluateCheckpoint', finalCheckpoint);
      assert.ok(evaluation, 'Evaluate Checkpoint resolves with the evaluation result');
      assert.equal(evaluation.returns.length, TINY_CONFIG.evalEpisodes);
      assert.ok(Number.isFinite(evaluation.mean) && evaluation.mean < 0, `a Pendulum return is negative: ${evaluation.mean}`);
    });
  });

  test('several runs selected in the Runs view: Pause, Resume and Stop act on each', async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    const runsDir = tempDir('ddpg-selection-');
    await withSettings({ ...TINY_CONFIG, runsDirectory: runsDir }, async () => {
      await waitFor('the runs directory setting', () => api.runsDirectory() === runsDir);
      const runIds = [await vscode.commands.executeCommand<string>('ddpg.train'), await vscode.commands.executeCommand<string>('ddpg.train')];
      const state = (runId: string) => api.runManager.liveRun(runId)?.state;
      await waitFor('both runs to be running', () => runIds.every((id) => state(id) === 'running'), 60_000);
      const nodes = (await api.tree.getChildren()).filter((n) => n.kind === 'run' && runIds.includes(n.runId));
      assert.equal(nodes.length, 2);

      assert.deepEqual(new Set(await vscode.commands.executeCommand<string[]>('ddpg.pause', nodes[0], nodes)), new Set(runIds));
      await waitFor('both paused', () => runIds.every((id) => state(id) === 'paused'), 5_000);
      assert.deepEqual(await vscode.commands.executeCommand('ddpg.pause', nodes[0], nodes), undefined, 'nothing left to pause');
      assert.deepEqual(new Set(await vscode.commands.executeCommand<string[]>('ddpg.resume', nodes[1], nodes)), new Set(runIds));
      await waitFor('both running again', () => runIds.every((id) => state(id) === 'running'), 5_000);
      assert.deepEqual(new Set(await vscode.commands.executeCommand<string[]>('ddpg.stop', nodes[0], nodes)), new Set(runIds), 'Stop resolves once both trainers exited');
      assert.ok(runIds.every((id) => api.runManager.history(id)?.state === 'stopped'));
    });
  });

  test('a trainer that fails is recorded as crashed, with its files and its log kept', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const runsDir = tempDir('ddpg-crash-');
    const config = readRunConfig({ get: <T>(key: string) => (TINY_CONFIG as Record<string, unknown>)[key] as T | undefined }).config!;
    const crashes: string[] = [];
    const subscription = api.runManager.onDidCrash((c) => crashes.push(c.reason));
    try {
      // Resuming from a checkpoint that does not exist makes the real trainer fail during start-up.
      const run = await api.runManager.startTraining(runsDir, config, { resumeFrom: path.join(runsDir, 'no-such-checkpoint') });
      // The crash is reported last, once run.json says so too; the state turns 'crashed' a moment earlier.
      await waitFor('the crash to be reported', () => crashes.length > 0, 30_000);
      assert.equal(api.runManager.history(run.runId)?.state, 'crashed');
      assert.equal(api.runManager.isLive(run.runId), false);
      assert.equal(crashes.length, 1);
      const info = readRunJson(run.runDir);
      assert.equal(info.status, 'crashed');
      assert.match(info.error ?? '', /no-such-checkpoint|exited with code/);
      assert.ok(api.runManager.logOf(run.runId), 'Show Log has a log to show');
    } finally {
      subscription.dispose();
    }
  });
  test('ddpg.environment: MountainCarContinuous-v0 trains from the palette, and the run says so', async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    const runsDir = tempDir('ddpg-mountaincar-');
    await withSettings({ ...TINY_CONFIG, environment: 'MountainCarContinuous-v0', maxEpisodeSteps: 100, runsDirectory: runsDir }, async () => {
      await waitFor('the runs directory setting', () => api.runsDirectory() === runsDir);
      const runId = await vscode.commands.executeCommand<string | undefined>('ddpg.train');
      assert.ok(runId, 'Train returns the new run id');
      await waitFor('a first MountainCar episode', () => (api.runManager.history(runId)?.episodes.length ?? 0) >= 1, 60_000);
      const episode = api.runManager.history(runId)!.episodes[0];
      assert.ok(episode.length <= 100, `the car's episodes end at the limit or the flag (${episode.length} steps)`);
      assert.equal(await vscode.commands.executeCommand('ddpg.stop'), runId);
      const info = readRunJson(path.join(runsDir, runId));
      assert.equal(info.environment.id, 'MountainCarContinuous-v0');
      assert.deepEqual(info.environment.options, { goal_velocity: 0 });
      assert.equal(info.algorithm, 'ddpg');
    });
  });
});
