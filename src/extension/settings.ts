/**
 * `ddpg.*` settings → a validated RunConfig, and where runs are stored.
 * Validation is config.ts's; this file only reads the values and names problems by the setting
 * the user has to change (`ddpg.batchSize`, not `batchSize`).
 */

import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_KEYS, CONFIG_SPEC, defaultConfig, validateConfig, type ConfigKey, type RunConfig } from '../shared/config';
import { freshSeed as drawFreshSeed } from '../shared/node/freshSeed';

export const SETTINGS_SECTION = 'ddpg';
export const RUNS_DIRECTORY_SETTING = 'runsDirectory';
export const WHEN_WINDOW_CLOSES_SETTING = 'whenWindowCloses';

/** `ddpg.whenWindowCloses`; anything but the one other value is the default, keepTraining. */
export function windowClosePolicy(value: unknown): 'keepTraining' | 'stopWithCheckpoint' {
  return value === 'stopWithCheckpoint' ? 'stopWithCheckpoint' : 'keepTraining';
}

/**
 * The part of vscode.WorkspaceConfiguration this file needs. The real one also carries the
 * section's values as its own properties, the user's mistyped keys included: that is how they are
 * found (unknownSettingWarnings).
 */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

/** A tau that looks like the other convention's (the retention factor), for a one-click fix. */
export interface OtherConventionTau {
  tau: number;
  /** 1 − tau: the mixing fraction it probably means. */
  mixing: number;
  message: string;
}

export interface SettingsResult {
  /** Present only when there are no errors. */
  config?: RunConfig;
  /** Each names the setting (`ddpg.<key>`) and the allowed range. */
  errors: string[];
  /** The settings the errors are about (`ddpg.<key>`), in the order of the errors. */
  invalidSettings: string[];
  warnings: string[];
  /** Set instead of a line in `warnings`: a tau above 0.5 deserves a question, not a remark. */
  otherConventionTau?: OtherConventionTau;
  /** True when ddpg.seed was empty and config.seed was drawn for this run. */
  freshSeed: boolean;
}

export function settingName(key: ConfigKey): string {
  return `${SETTINGS_SECTION}.${key}`;
}

const keyPattern = new RegExp(`(?<![\\w.])(${CONFIG_KEYS.join('|')})(?![\\w·])`, 'g');

/** Rewrites config keys in a validation message to the setting names a user can search for. */
export function withSettingNames(message: string): string {
  return message.replace(keyPattern, (key) => `${SETTINGS_SECTION}.${key}`);
}

const isEmpty = (value: unknown) => value === null || value === '' || (typeof value === 'string' && value.trim() === '');

export interface ReadOptions {
  /** Draws the seed of a run whose ddpg.seed is empty. */
  drawSeed?: () => number;
}

/**
 * Reads every hyperparameter. A key the manifest does not declare (an extension packaging bug)
 * falls back to config.ts's default rather than failing the user's run; so does a null one, said
 * so (settings.json allows null anywhere). An empty fresh-when-empty setting (ddpg.seed) gets a
 * fresh value.
 */
export function readRunConfig(settings: SettingsReader, options: ReadOptions = {}): SettingsResult {
  const defaults = defaultConfig();
  const values: Record<string, unknown> = {};
  const nullWarnings: string[] = [];
  let freshSeed = false;
  for (const key of CONFIG_KEYS) {
    const spec = CONFIG_SPEC[key];
    const value = settings.get<unknown>(key);
    if ((spec.type === 'number' || spec.type === 'integer') && spec.freshWhenEmpty && (value === undefined || isEmpty(value))) {
      values[key] = (options.drawSeed ?? drawFreshSeed)();
      freshSeed = true;
      continue;
    }
    if (value === null) nullWarnings.push(`${settingName(key)} is null; using the default ${JSON.stringify(defaults[key])}`);
    values[key] = value === undefined || value === null ? defaults[key] : value;
  }
  const result = validateConfig(values);
  const tauProblem = result.config ? result.warnings.find((w) => w.key === 'tau') : undefined;
  const otherConventionTau: OtherConventionTau | undefined =
    tauProblem && result.config ? { tau: result.config.tau, mixing: mixingFractionFor(result.config.tau), message: withSettingNames(tauProblem.message) } : undefined;
  return {
    ...(result.config ? { config: result.config } : {}),
    errors: result.errors.map((p) => withSettingNames(p.message)),
    invalidSettings: [...new Set(result.errors.map((p) => (p.key === '(config)' ? undefined : settingName(p.key))).filter((k): k is string => k !== undefined))],
    warnings: [
      ...unknownSettingWarnings(settings),
      ...nullWarnings,
      ...result.warnings.filter((w) => w !== tauProblem).map((p) => withSettingNames(p.message)),
    ],
    ...(otherConventionTau ? { otherConventionTau } : {}),
    freshSeed,
  };
}

/** 1 − τ without float noise: 1 − 0.995 is 0.005, not 0.0050000000000000044. */
export function mixingFractionFor(tau: number): number {
  return +(1 - tau).toPrecision(6);
}

const KNOWN_KEYS: ReadonlySet<string> = new Set<string>([...CONFIG_KEYS, RUNS_DIRECTORY_SETTING, WHEN_WINDOW_CLOSES_SETTING]);

/**
 * A `ddpg.*` key in the user's settings that no setting has (a typo silently falling back to a
 * default is the worst kind of bug in an experiment), with the nearest real name when one is close.
 */
export function unknownSettingWarnings(settings: object): string[] {
  const record = settings as Record<string, unknown>;
  return Object.keys(record)
    .filter((key) => typeof record[key] !== 'function' && !KNOWN_KEYS.has(key))
    .map((key) => {
      const nearest = nearestSettingKey(key);
      const hint = nearest ? `: did you mean ${SETTINGS_SECTION}.${nearest}?` : '';
      return `${SETTINGS_SECTION}.${key} is not a DDPG Lab setting and is ignored${hint}`;
    });
}

/** The known key closest to `key` by edit distance (case ignored), if it is close enough to be a typo of it. */
export function nearestSettingKey(key: string): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const known of KNOWN_KEYS) {
    const distance = editDistance(key.toLowerCase(), known.toLowerCase());
    if (!best || distance < best.distance) best = { key: known, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.key.length / 4)) ? best.key : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
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
