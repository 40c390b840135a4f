/**
 * Compare Runs in a real extension host: two short real runs, compared by id; the comparison
 * panel opens as a webview tab; fewer than two runs or an unknown run is refused.
 */

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, tempDir, TINY_CONFIG, waitFor, withSettings } from './helpers';

function comparisonTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('ddpgLab.comparison'));
}

suite('Compare Runs', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('compares two finished runs in one webview panel', async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    const runsDir = tempDir('ddpg-compare-');
    const runIds: string[] = [];
    for (const seed of [1, 2]) {
      await withSettings({ ...TINY_CONFIG, episodes: 2, seed, runsDirectory: runsDir }, async () => {
        await waitFor('the runs directory setting', () => api.runsDirectory() === runsDir);
        const runId = await vscode.commands.executeCommand<string | undefined>('ddpg.train');
        assert.ok(runId, 'Train returns the new run id');
        await waitFor(`run ${runId} to finish`, () => api.runManager.history(runId)?.state === 'finished', 60_000);
        runIds.push(runId);
      });
    }
    await withSettings({ runsDirectory: runsDir }, async () => {
      await waitFor('the runs directory setting', () => api.runsDirectory() === runsDir);
      assert.equal(await vscode.commands.executeCommand('ddpg.compareRuns', [runIds[0]]), undefined, 'one run is not a comparison');
      assert.equal(await vscode.commands.executeCommand('ddpg.compareRuns', [runIds[0], 'no-such-run']), undefined, 'an unknown run is refused');
      assert.equal(comparisonTabs().length, 0);

      assert.deepEqual(await vscode.commands.executeCommand('ddpg.compareRuns', runIds), runIds);
      assert.deepEqual(api.comparison.comparedRunIds, runIds);
      await waitFor('the comparison tab', () => comparisonTabs().length === 1, 10_000);
      assert.equal(comparisonTabs()[0].label, 'DDPG: compare 2 runs');

      // The Runs view's multi-selection arrives as the second argument.
      const nodes = (await api.tree.getChildren()).filter((n) => n.kind === 'run');
      assert.equal(nodes.length, 2);
      assert.deepEqual(new Set(await vscode.commands.executeCommand<string[]>('ddpg.compareRuns', nodes[0], nodes)), new Set(runIds));
      assert.equal(comparisonTabs().length, 1, 'the panel is reused');
    });
  });
});
