/** The extension activates and registers exactly its contributed commands. */

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../src/extension/commands';
import { TEST_COMMAND_ID, TESTS_ENV } from '../../src/extension/extensionTestCommand';
import { EXTENSION_ID, extensionApi } from './helpers';

suite('commands', () => {
  suiteSetup(async () => {
    await extensionApi();
  });

  test('every contributed DDPG command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    const contributed = manifest.contributes.commands;
    for (const { command } of contributed) {
      if (command === TEST_COMMAND_ID) continue;
      assert.ok(registered.has(command), `${command} is registered`);
    }
    for (const id of Object.values(COMMAND_IDS)) assert.ok(registered.has(id), `${id} is registered`);
  });

  test('the test-suite command exists only when the test environment asks for it', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.equal(registered.has(TEST_COMMAND_ID), Boolean(process.env[TESTS_ENV]));
  });

  test('Refresh and Open Dashboard run without a run to show', async () => {
    await vscode.commands.executeCommand(COMMAND_IDS.refresh);
    await vscode.commands.executeCommand(COMMAND_IDS.openDashboard);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
