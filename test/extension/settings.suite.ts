/** ddpg.* settings as the real configuration service serves them → validated config. */

import * as assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { CONFIG_KEYS, defaultConfig } from '../../src/shared/config';
import { readRunConfig } from '../../src/extension/settings';
import { extensionApi, tempDir, withSettings } from './helpers';

suite('settings', () => {
  test('every hyperparameter is a registered setting whose default is config.ts\'s', () => {
    const section = vscode.workspace.getConfiguration('ddpg');
    const defaults = defaultConfig();
    for (const key of CONFIG_KEYS) {
      // Empty by default: every run draws a fresh seed.
      const expected = key === 'seed' ? null : defaults[key];
      assert.deepEqual(section.inspect(key)?.defaultValue, expected, `ddpg.${key} default`);
    }
    assert.equal(section.inspect('runsDirectory')?.defaultValue, '');
  });

  test('a changed setting reaches the run configuration', async () => {
    await withSettings({ episodes: 7, noiseType: 'ou' }, async () => {
      const result = readRunConfig(vscode.workspace.getConfiguration('ddpg'));
      assert.deepEqual(result.errors, []);
      assert.equal(result.config?.episodes, 7);
      assert.equal(result.config?.noiseType, 'ou');
    });
  });

  test('an invalid setting is rejected with its name and range, and Train starts nothing', async () => {
    const api = await extensionApi();
    const runsDir = tempDir('ddpg-invalid-');
    await withSettings({ runsDirectory: runsDir, batchSize: 0 }, async () => {
      const result = readRunConfig(vscode.workspace.getConfiguration('ddpg'));
      assert.equal(result.config, undefined);
      assert.ok(
        result.errors.some((e) => e.includes('ddpg.batchSize') && e.includes('[1, 4096]')),
        `errors name the setting and range: ${result.errors.join(' | ')}`,
      );
      const runId = await vscode.commands.executeCommand<string | undefined>('ddpg.train');
      assert.equal(runId, undefined);
      assert.deepEqual(api.runManager.liveRuns(), []);
      assert.ok(!existsSync(runsDir) || readdirSync(runsDir).length === 0, 'no run folder was created');
    });
  });
});
