/**
 * Presets in the editor: choosing another environment or algorithm in the settings offers its
 * recommended settings (once per choice), and "DDPG: Apply Recommended Settings…" applies any
 * preset. The settings are written where the user keeps theirs: the workspace when a folder is
 * open, else the user settings.
 */

import type * as vscode from 'vscode';
import { CONFIG_SPEC, type AlgorithmId, type ConfigKey } from '../shared/config';
import { ENVIRONMENTS, type EnvironmentId } from '../shared/environments';
import { PRESETS, presetFor, type Preset } from '../shared/presets';
import { COMMAND_IDS } from './commands';
import { Disposable } from './disposable';
import { SETTINGS_SECTION } from './settings';
import type { VSCode } from './vscodeApi';

export const APPLY_PRESET_COMMAND = COMMAND_IDS.applyPreset;

/** The settings a preset would change from their current values. */
export function presetChanges(preset: Preset, current: (key: ConfigKey) => unknown): Array<{ key: ConfigKey; from: unknown; to: unknown }> {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return (Object.entries(preset.settings) as Array<[ConfigKey, unknown]>)
    .filter(([key, value]) => !same(current(key), value))
    .map(([key, to]) => ({ key, from: current(key), to }));
}

export class PresetOffers extends Disposable {
  /** Environment/algorithm pairs already offered in this window: one offer per choice, not per keystroke. */
  private readonly offered = new Set<string>();

  constructor(private readonly vscode: VSCode) {
    super();
    this._register(vscode.commands.registerCommand(APPLY_PRESET_COMMAND, (id?: unknown) => this.pickAndApply(typeof id === 'string' ? id : undefined)));
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.environment`) || e.affectsConfiguration(`${SETTINGS_SECTION}.algorithm`)) void this.offer();
      }),
    );
  }

  private settings(): vscode.WorkspaceConfiguration {
    return this.vscode.workspace.getConfiguration(SETTINGS_SECTION);
  }

  private current(key: ConfigKey): unknown {
    return this.settings().get(key) ?? CONFIG_SPEC[key].default;
  }

  /** After the environment or algorithm changed: offers its preset when the settings differ from it. */
  async offer(): Promise<void> {
    const environment = this.current('environment') as EnvironmentId;
    const algorithm = this.current('algorithm') as AlgorithmId;
    const preset = presetFor(environment, algorithm);
    const key = `${environment}/${algorithm}`;
    if (!preset || this.offered.has(key)) return;
    this.offered.add(key);
    const changes = presetChanges(preset, (k) => this.current(k));
    if (changes.length === 0) return;
    const choice = await this.vscode.window.showInformationMessage(
      `${ENVIRONMENTS[environment]?.title ?? environment} has recommended ${algorithm.toUpperCase()} settings (${preset.id}): ${preset.summary} ` +
        `Apply them? ${changes.length} setting${changes.length === 1 ? '' : 's'} change.`,
      'Apply',
      'Not Now',
    );
    if (choice === 'Apply') await this.apply(preset);
  }

  async pickAndApply(presetId?: string): Promise<void> {
    let preset = presetId ? PRESETS.find((p) => p.id === presetId) : undefined;
    if (!preset) {
      const environment = this.current('environment');
      const items = [...PRESETS]
        .sort((a, b) => Number(b.environment === environment) - Number(a.environment === environment))
        .map((p) => ({ label: p.id, description: `${p.environment} · ${p.algorithm.toUpperCase()}`, detail: p.summary, preset: p }));
      preset = (await this.vscode.window.showQuickPick(items, { title: 'DDPG: Apply Recommended Settings', placeHolder: 'Choose a preset' }))?.preset;
    }
    if (preset) await this.apply(preset);
  }

  private async apply(preset: Preset): Promise<void> {
    const target = (this.vscode.workspace.workspaceFolders?.length ?? 0) > 0 ? this.vscode.ConfigurationTarget.Workspace : this.vscode.ConfigurationTarget.Global;
    const changes = presetChanges(preset, (k) => this.current(k));
    for (const { key, to } of changes) await this.settings().update(key, to, target);
    void this.vscode.window.showInformationMessage(
      changes.length === 0 ? `DDPG: the settings already match ${preset.id}.` : `DDPG: applied ${preset.id} (${changes.map((c) => `ddpg.${c.key}`).join(', ')}).`,
    );
  }
}
