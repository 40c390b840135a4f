/** The Runs view over a fixture runs directory: runs, their states, their checkpoints. */

import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointManifest, RunInfo } from '../../src/shared/protocol';
import { configHash, defaultConfig } from '../../src/shared/config';
import { DDPG_NETWORKS, taskFieldsOf } from '../../src/shared/runFormat';
import type { RunNode } from '../../src/extension/checkpointTree';
import { extensionApi, tempDir, waitFor, withSettings } from './helpers';

function writeFixture(runsDir: string): void {
  const config = defaultConfig();
  const engine = { engine: 'wasm' as const, backend: 'simd' };
  const runDir = path.join(runsDir, '2025-03-01_12-00-00');
  mkdirSync(path.join(runDir, 'checkpoints', 'ep-20'), { recursive: true });
  const info: RunInfo = { id: '2025-03-01_12-00-00', name: 'fixture run', created: '2025-03-01T12:00:00.000Z', updated: '2025-03-01T12:10:00.000Z', config, ...taskFieldsOf(config), engine, seed: 1, status: 'stopped' };
  writeFileSync(path.join(runDir, 'run.json'), JSON.stringify(info));
  const manifest: CheckpointManifest = {
    formatVersion: 2, ...taskFieldsOf(config), networks: [...DDPG_NETWORKS], name: 'ep-20', runId: info.id, episode: 20, step: 4000, recentReturn: -612.5, bestEval: -480, reason: 'final',
    evaluation: { mean: -480, std: 3, step: 4000, episode: 20 },
    created: '2025-03-01T12:10:00.000Z', configHash: configHash(config), config, engine, hasReplayBuffer: false,
  };
  writeFileSync(path.join(runDir, 'checkpoints', 'ep-20', 'checkpoint.json'), JSON.stringify(manifest));
  const episode = { type: 'episode', episode: 20, step: 4000, return: -600, length: 200, criticLoss: 1, actorLoss: 1, meanQ: 1, wallTime: 9 };
  const evaluation = { type: 'eval', episode: 20, step: 4000, mean: -480, std: 3, returns: [-480], wallTime: 10 };
  writeFileSync(path.join(runDir, 'metrics.jsonl'), `${JSON.stringify(episode)}\n${JSON.stringify(evaluation)}\n`);
}

suite('Runs view', () => {
  test('shows the runs and checkpoints of the configured runs directory', async () => {
    const api = await extensionApi();
    const runsDir = tempDir('ddpg-tree-fixture-');
    writeFixture(runsDir);
    await withSettings({ runsDirectory: runsDir }, async () => {
      await waitFor('the tree to follow ddpg.runsDirectory', () => api.tree.runsDirectory === runsDir);
      const runs = (await api.tree.getChildren()) as RunNode[];
      assert.equal(runs.length, 1);
      const item = await api.tree.getTreeItem(runs[0]);
      assert.equal(item.label, 'fixture run');
      assert.equal(item.description, 'Pendulum · ep 20/100 · best −480.0');
      assert.equal(item.contextValue, 'ddpgRun.stopped');
      const checkpoints = await api.tree.getChildren(runs[0]);
      assert.equal(checkpoints.length, 1);
      const cp = await api.tree.getTreeItem(checkpoints[0]);
      assert.equal(cp.label, 'final · eval −480.0 ± 3.0 @ 4,000', 'the kind first, then its own evaluation');
      assert.equal(cp.description, 'ep 20 · step 4,000');
      assert.equal(cp.contextValue, 'ddpgCheckpoint');
      assert.equal(cp.command?.command, 'ddpg.inspectCheckpoint');
    });
  });
});
