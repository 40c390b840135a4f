/** ddpg.* settings → RunConfig: every problem names the setting and its allowed range. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig } from '../../src/shared/config';
import {
  editDistance,
  evaluationEpisodes,
  mixingFractionFor,
  nearestSettingKey,
  readRunConfig,
  resolveRunsDirectory,
  withSettingNames,
  type SettingsReader,
} from '../../src/extension/settings';

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
  const result = readRunConfig(settings({ warmupSteps: 10 }));
  assert.ok(result.config);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0], /^ddpg\.warmupSteps \(10\) is below ddpg\.batchSize/);
  const tau = readRunConfig(settings({ tau: 0.995 })).otherConventionTau!;
  assert.match(tau.message, /0\.005/, 'suggests the mixing-fraction value');
  assert.doesNotMatch(tau.message, /ddpg\.tau·/, 'formula symbols are not rewritten');
});

test('a key missing from the manifest falls back to the default instead of failing the run', () => {
  const result = readRunConfig(settings({}, {}), { drawSeed: () => 424242 });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.config, { ...defaultConfig(), seed: 424242 }, 'the seed, empty, is drawn like an empty setting');
});

test('an empty ddpg.seed draws a fresh seed for each run; a number is that seed', () => {
  const empty = readRunConfig(settings({ seed: null }));
  const again = readRunConfig(settings({ seed: null }));
  assert.equal(empty.freshSeed, true);
  assert.ok(Number.isInteger(empty.config!.seed) && empty.config!.seed >= 0 && empty.config!.seed <= 2 ** 31 - 1, String(empty.config!.seed));
  assert.notEqual(empty.config!.seed, again.config!.seed, 'two default runs differ (1 in 2^31 to fail)');
  assert.deepEqual(empty.warnings, [], 'empty is the default, not a problem');
  assert.equal(readRunConfig(settings({ seed: '' }), { drawSeed: () => 5 }).config!.seed, 5, 'an empty string is empty too');
  const fixed = readRunConfig(settings({ seed: 17 }));
  assert.equal(fixed.config!.seed, 17);
  assert.equal(fixed.freshSeed, false);
});

test('a null setting is named in a warning and its default used', () => {
  const result = readRunConfig(settings({ batchSize: null }));
  assert.equal(result.config!.batchSize, defaultConfig().batchSize);
  assert.deepEqual(result.warnings, [`ddpg.batchSize is null; using the default ${defaultConfig().batchSize}`]);
});

test('a mistyped ddpg.* key is warned about with the nearest real setting', () => {
  const configuration = Object.assign(settings({}), { batchsize: 64, critcLr: 0.001, runsDirectory: '', somethingElse: 1 });
  const result = readRunConfig(configuration);
  assert.deepEqual(result.warnings, [
    'ddpg.batchsize is not a DDPG Lab setting and is ignored: did you mean ddpg.batchSize?',
    'ddpg.critcLr is not a DDPG Lab setting and is ignored: did you mean ddpg.criticLr?',
    'ddpg.somethingElse is not a DDPG Lab setting and is ignored',
  ]);
  assert.equal(nearestSettingKey('warmupStep'), 'warmupSteps');
  assert.equal(nearestSettingKey('evalEpisode'), 'evalEpisodes');
  assert.equal(nearestSettingKey('xyz'), undefined);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('errors say which settings to open; a tau above 0.5 is a question, not one more warning', () => {
  const invalid = readRunConfig(settings({ batchSize: 0, tau: -1 }));
  assert.deepEqual(invalid.invalidSettings, ['ddpg.tau', 'ddpg.batchSize']);
  const retention = readRunConfig(settings({ tau: 0.995 }));
  assert.ok(retention.config);
  assert.deepEqual(retention.warnings, []);
  assert.equal(retention.otherConventionTau?.tau, 0.995);
  assert.equal(retention.otherConventionTau?.mixing, 0.005);
  assert.match(retention.otherConventionTau.message, /^ddpg\.tau is 0\.995/);
  assert.equal(mixingFractionFor(0.999), 0.001);
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
