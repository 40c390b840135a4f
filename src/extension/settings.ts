/**
 * `ddpg.*` settings → a validated RunConfig, and where runs are stored.
 * Validation is config.ts's; this file only reads the values and names problems by the setting
 * the user has to change (`ddpg.batchSize`, not `batchSize`).
 */

import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_KEYS, CONFIG_SPEC, defaultConfig, validateConfig, type ConfigKey, type RunConfig } from '../shared/config';

export const SETTINGS_SECTION = 'ddpg';
export const RUNS_DIRECTORY_SETTING = 'runsDirectory';

/** The part of vscode.WorkspaceConfiguration this file needs. */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

export interface SettingsResult {
  /** Present only when there are no errors. */
  config?: RunConfig;
  /** Each names the setting (`ddpg.<key>`) and the allowed range. */
  errors: string[];
  warnings: string[];
}

export function settingName(key: ConfigKey): string {
  return `${SETTINGS_SECTION}.${key}`;
}

const keyPattern = new RegExp(`(?<![\\w.])(${CONFIG_KEYS.join('|')})(?![\\w·])`, 'g');

/** Rewrites config keys in a validation message to the setting names a user can search for. */
export function withSettingNames(message: string): string {
  return message.replace(keyPattern, (key) => `${SETTINGS_SECTION}.${key}`);
}

/**
 * Reads every hyperparameter. A key the manifest does not declare (an extension packaging bug)
 * falls back to config.ts's default rather than failing the user's run.
 */
export function readRunConfig(settings: SettingsReader): SettingsResult {
  const defaults = defaultConfig();
  const values: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = settings.get<unknown>(key);
    values[key] = value === undefined || value === null ? defaults[key] : value;
  }
  const result = validateConfig(values);
  return {
    ...(result.config ? { config: result.config } : {}),
    errors: result.errors.map((p) => withSettingNames(p.message)),
    warnings: result.warnings.map((p) => withSettingNames(p.message)),
  };
}

/** The number of evaluation episodes for "Evaluate Checkpoint": the setting when valid, else the checkpoint's own. */
export function evaluationEpisodes(settings: SettingsReader, fallback: number): number {
  const spec = CONFIG_SPEC.evalEpisodes;
  const value = settings.get<unknown>('evalEpisodes');
  if (spec.type === 'integer' && typeof value === 'number' && Number.isInteger(value) && value >= spec.minimum && value <= spec.maximum) {
    return value;
  }
  return fallback;
}

export type RunsDirectorySource = 'setting' | 'workspace' | 'globalStorage';

export interface RunsDirectory {
  dir: string;
  source: RunsDirectorySource;
}

/**
 * `ddpg.runsDirectory` when set (`~` and `${workspaceFolder}` expanded; a relative path is taken
 * from the first workspace folder, or the global storage when no folder is open), else
 * `.ddpg/runs` in the first workspace folder, else the extension's global storage.
 */
export function resolveRunsDirectory(setting: string | undefined, workspaceFolders: readonly string[], globalStorage: string): RunsDirectory {
  const firstFolder = workspaceFolders[0];
  const trimmed = (setting ?? '').trim();
  if (trimmed !== '') {
    let expanded = trimmed;
    if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) expanded = path.join(os.homedir(), expanded.slice(1));
    if (expanded.includes('${workspaceFolder}')) {
      expanded = expanded.split('${workspaceFolder}').join(firstFolder ?? globalStorage);
    }
    const base = firstFolder ?? globalStorage;
    return { dir: path.resolve(base, expanded), source: 'setting' };
  }
  if (firstFolder !== undefined) return { dir: path.join(firstFolder, '.ddpg', 'runs'), source: 'workspace' };
  return { dir: path.join(globalStorage, 'runs'), source: 'globalStorage' };
}
