/**
 * A dashboard per run in a real extension host: inspecting a checkpoint while a run trains opens a
 * second panel and leaves the live one live; Open Dashboard brings the live run back.
 */

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DashboardPanel } from '../../src/extension/dashboardPanel';
import { extensionApi, tempDir, TINY_CONFIG, waitFor, withSettings } from './helpers';

function dashboardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('ddpgLab.dashboard'));
}

suite('a dashboard per run', () => {
  suiteSetup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('inspecting a checkpoint while a run trains opens its own panel; Open Dashboard returns to the live run', async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    const runsDir = tempDir('ddpg-dashboards-');
    await withSettings({ ...TINY_CONFIG, runsDirectory: runsDir }, async () => {
      await waitFor('the runs directory setting', () => api.runsDirectory() === runsDir);
      const runId = await vscode.commands.executeCommand<string | undefined>('ddpg.train');
      assert.ok(runId, 'Train returns the new run id');
      try {
        await waitFor('the run to be running', () => api.runManager.liveRun(runId)?.state === 'running', 60_000);
        const panelsOf = () => api.dashboard.all.filter((p) => p.currentTarget?.runId === runId);
        const livePanel: DashboardPanel = await waitFor('the live panel', () => panelsOf().find((p) => p.currentTarget?.mode.kind === 'live'));
        await waitFor('the live page to get its snapshot', () => livePanel.snapshotsSent > 0, 30_000);

        const checkpointDir = await vscode.commands.executeCommand<string | undefined>('ddpg.saveCheckpoint', runId);
        assert.ok(checkpointDir, 'Save Checkpoint resolves with its folder');
        await vscode.commands.executeCommand('ddpg.inspectCheckpoint', checkpointDir);
        const inspectPanel = await waitFor('the checkpoint panel', () => panelsOf().find((p) => p.currentTarget?.mode.kind === 'inspect'));
        assert.equal(panelsOf().length, 2, 'two panels: the checkpoint did not replace the live run');
        await waitFor('two dashboard tabs', () => dashboardTabs().length === 2, 10_000);
        await waitFor('the checkpoint in front', () => api.dashboard.currentTarget?.mode.kind === 'inspect', 10_000);
        assert.equal(api.dashboard.titleBarRunId, undefined, 'no Pause or Stop above a checkpoint');

        await vscode.commands.executeCommand('ddpg.inspectCheckpoint', checkpointDir);
        assert.equal(panelsOf().length, 2, 'the same checkpoint again: the same panel');

        const batches = livePanel.liveBatchesSent;
        await waitFor('the live panel to keep receiving events', () => livePanel.liveBatchesSent > batches, 30_000);
        assert.equal(livePanel.currentTarget?.mode.kind, 'live', 'the live panel still shows the run live');
        assert.equal(inspectPanel.liveBatchesSent, 0, 'a checkpoint gets no live events');

        const snapshots = livePanel.snapshotsSent;
        await vscode.commands.executeCommand('ddpg.openDashboard');
        await waitFor('the live panel in front', () => livePanel.isVisible && api.dashboard.currentTarget?.mode.kind === 'live', 10_000);
        assert.equal(api.dashboard.titleBarRunId, runId, 'the title bar acts on the live run again');
        assert.equal(panelsOf().length, 2, 'no new panel');
        await waitFor('its tab to be the active one', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label === `DDPG: ${runId}`, 10_000);
        // Revealed, the page reloads (no retainContextWhenHidden) and asks for the history again.
        await waitFor('the live page to be shown the run again', () => livePanel.snapshotsSent > snapshots, 30_000);
        const after = livePanel.liveBatchesSent;
        await waitFor('live events to follow', () => livePanel.liveBatchesSent > after, 30_000);
      } finally {
        if (api.runManager.isLive(runId)) await vscode.commands.executeCommand('ddpg.stop', runId);
      }
    });
  });
});
