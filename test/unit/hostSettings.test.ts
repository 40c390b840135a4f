/** ddpg.* settings → RunConfig: every problem names the setting and its allowed range. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../../src/shared/config';
import { evaluationEpisodes, readRunConfig, resolveRunsDirectory, withSettingNames, type SettingsReader } from '../../src/extension/settings';

/** A WorkspaceConfiguration stand-in: user values over the manifest defaults. */
function settings(values: Record<string, unknown>, defaults: Record<string, unknown> = { ...defaultConfig() }): SettingsReader {
  return { get: <T>(key: string) => (key in values ? values[key] : defaults[key]) as T | undefined };
}

test('the defaults give a valid config equal to defaultConfig()', () => {
  const result = readRunConfig(settings({}));
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.config, defaultConfig());
});

test('user values are used', () => {
  const result = readRunConfig(settings({ episodes: 3, actorHidden: [16], noiseType: 'ou' }));
  assert.equal(result.config?.episodes, 3);
  assert.deepEqual(result.config?.actorHidden, [16]);
  assert.equal(result.config?.noiseType, 'ou');
});

test('an out-of-range value is rejected with the setting name and the allowed range; no config', () => {
  const result = readRunConfig(settings({ batchSize: 0 }));
  assert.equal(result.config, undefined);
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0], /^ddpg\.batchSize must be an integer in \[1, 4096\]; got 0$/);
});

test('an exclusive bound is reported as such', () => {
  const result = readRunConfig(settings({ gamma: 1 }));
  assert.match(result.errors[0], /ddpg\.gamma must be a number in \[0, 1\); got 1/);
});

test('every invalid setting is reported, not just the first', () => {
  const result = readRunConfig(settings({ batchSize: 'big', tau: -1, noiseType: 'pink', actorHidden: [] }));
  const named = result.errors.map((e) => e.match(/^ddpg\.(\w+)/)?.[1]).sort();
  assert.deepEqual(named, ['actorHidden', 'batchSize', 'noiseType', 'tau']);
  assert.ok(result.errors.find((e) => e.startsWith('ddpg.noiseType'))!.includes('"gaussian", "ou"'));
});

test('cross-setting errors name both settings', () => {
  const result = readRunConfig(settings({ batchSize: 512, bufferSize: 100 }));
  assert.match(result.errors[0], /ddpg\.batchSize \(512\) must not exceed ddpg\.bufferSize \(100\)/);
  const limits = readRunConfig(settings({ episodes: 0, totalSteps: 0 }));
  assert.match(limits.errors[0], /ddpg\.episodes and ddpg\.totalSteps are both 0/);
});

test('warnings do not block and name the setting', () => {
  const result = readRunConfig(settings({ tau: 0.995 }));
  assert.ok(result.config);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0], /^ddpg\.tau is 0\.995/);
  assert.match(result.warnings[0], /0\.005/, 'suggests the mixing-fraction value');
  assert.doesNotMatch(result.warnings[0], /ddpg\.tau·/, 'formula symbols are not rewritten');
});

test('a key missing from the manifest falls back to the default instead of failing the run', () => {
  const result = readRunConfig(settings({}, {}));
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.config, defaultConfig());
});

test('withSettingNames rewrites whole config keys only', () => {
  assert.equal(withSettingNames('episodes and totalSteps'), 'ddpg.episodes and ddpg.totalSteps');
  assert.equal(withSettingNames('evalEpisodes is 3'), 'ddpg.evalEpisodes is 3', '"episodes" inside another key is left alone');
  assert.equal(withSettingNames('ddpg.tau'), 'ddpg.tau', 'no double prefix');
});

test('evaluation episodes: the setting when valid, else the fallback', () => {
  assert.equal(evaluationEpisodes(settings({ evalEpisodes: 4 }), 10), 4);
  assert.equal(evaluationEpisodes(settings({ evalEpisodes: 0 }), 10), 10);
  assert.equal(evaluationEpisodes(settings({ evalEpisodes: 'x' }), 7), 7);
});

test('runs directory: the setting, else .ddpg/runs in the first folder, else global storage', () => {
  const ws = path.join(os.tmpdir(), 'ws');
  const global = path.join(os.tmpdir(), 'global');
  assert.deepEqual(resolveRunsDirectory('', [ws], global), { dir: path.join(ws, '.ddpg', 'runs'), source: 'workspace' });
  assert.deepEqual(resolveRunsDirectory(undefined, [], global), { dir: path.join(global, 'runs'), source: 'globalStorage' });
  assert.deepEqual(resolveRunsDirectory('  ', [ws], global).source, 'workspace', 'blank counts as unset');
  const abs = path.join(os.tmpdir(), 'elsewhere');
  assert.deepEqual(resolveRunsDirectory(abs, [ws], global), { dir: abs, source: 'setting' });
  assert.equal(resolveRunsDirectory('runs', [ws], global).dir, path.join(ws, 'runs'), 'relative to the first folder');
  assert.equal(resolveRunsDirectory('runs', [], global).dir, path.join(global, 'runs'), 'relative to global storage without a folder');
  assert.equal(resolveRunsDirectory('~/ddpg', [ws], global).dir, path.join(os.homedir(), 'ddpg'));
  assert.equal(resolveRunsDirectory('${workspaceFolder}/out', [ws], global).dir, path.join(ws, 'out'));
});
