/** Shared helpers of the in-extension-host suites: the extension's API, settings that are put back, polling. */

import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DdpgLabApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'ddpg-lab.ddpg-lab';

export async function extensionApi(): Promise<DdpgLabApi> {
  const extension = vscode.extensions.getExtension<DdpgLabApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** The most specific place the setting is currently defined, so a change there takes effect. */
function targetOf(section: vscode.WorkspaceConfiguration, key: string): vscode.ConfigurationTarget {
  const inspected = section.inspect(key);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

/** Sets ddpg.* settings for the duration of `body`, then puts the previous values back. */
export async function withSettings<T>(values: Record<string, unknown>, body: () => Promise<T>): Promise<T> {
  const section = vscode.workspace.getConfiguration('ddpg');
  const previous: Array<[string, unknown, vscode.ConfigurationTarget]> = [];
  for (const [key, value] of Object.entries(values)) {
    const target = targetOf(section, key);
    const inspected = section.inspect(key);
    const before =
      target === vscode.ConfigurationTarget.WorkspaceFolder
        ? inspected?.workspaceFolderValue
        : target === vscode.ConfigurationTarget.Workspace
          ? inspected?.workspaceValue
          : inspected?.globalValue;
    previous.push([key, before, target]);
    await section.update(key, value, target);
  }
  try {
    return await body();
  } finally {
    const fresh = vscode.workspace.getConfiguration('ddpg');
    for (const [key, before, target] of previous.reverse()) await fresh.update(key, before, target);
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A configuration small enough to train for a few seconds on a shared CPU. */
export const TINY_CONFIG = {
  actorHidden: [16],
  criticHidden: [16],
  batchSize: 16,
  bufferSize: 2000,
  warmupSteps: 50,
  episodes: 100000,
  totalSteps: 0,
  evalEverySteps: 0,
  evalEveryEpisodes: 0,
  evalEpisodes: 2,
  checkpointEveryEpisodes: 0,
  saveBestCheckpoint: false,
  saveReplayBuffer: false,
};
