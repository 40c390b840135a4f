import assert from 'node:assert/strict';
import test from 'node:test';
import { CONFIG_KEYS, CONFIG_SPEC, configHash, defaultConfig, describeRange, resolveConfig, upgradeStoredConfig, validateConfig } from '../../src/shared/config';

const messagesFor = (overrides: Record<string, unknown>) => resolveConfig(overrides).errors.map((e) => e.message);

test('defaults are valid and match the tuned starting point', () => {
  const r = validateConfig(defaultConfig());
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  const c = r.config!;
  assert.deepEqual([c.actorHidden, c.criticHidden, c.batchSize, c.tau, c.noiseStd, c.actorLr, c.criticLr, c.gamma, c.bufferSize, c.warmupSteps],
    [[64, 64], [64, 64], 128, 0.01, 0.1, 1e-3, 2e-3, 0.99, 50000, 1000]);
});

test('every spec has a description, a group and a sensible default inside its own range', () => {
  for (const key of CONFIG_KEYS) {
    const spec = CONFIG_SPEC[key];
    assert.ok(spec.description.length > 10, key);
    assert.equal(validateConfig({ ...defaultConfig(), [key]: spec.default }).errors.length, 0, key);
  }
});

const badInputs: Array<[string, Record<string, unknown>, RegExp]> = [
  ['batch larger than buffer', { batchSize: 256, bufferSize: 100 }, /batchSize \(256\) must not exceed bufferSize \(100\)/],
  ['zero actor learning rate', { actorLr: 0 }, /actorLr must be a number in \(0, 1\]; got 0/],
  ['negative critic learning rate', { criticLr: -1e-3 }, /criticLr must be a number in \(0, 1\]; got -0\.001/],
  ['gamma of 1', { gamma: 1 }, /gamma must be a number in \[0, 1\); got 1/],
  ['negative gamma', { gamma: -0.1 }, /gamma must be a number in \[0, 1\)/],
  ['tau of 0', { tau: 0 }, /tau must be a number in \(0, 1\]; got 0/],
  ['tau above 1', { tau: 1.5 }, /tau must be a number in \(0, 1\]; got 1\.5/],
  ['hidden size 0', { actorHidden: [64, 0] }, /actorHidden must be a list of 1–4 integers, each in \[1, 1024\]; got \[64,0\]/],
  ['hidden size fractional', { criticHidden: [32.5] }, /criticHidden must be a list/],
  ['hidden sizes empty', { criticHidden: [] }, /criticHidden must be a list/],
  ['hidden not a list', { actorHidden: 64 }, /actorHidden must be a list/],
  ['NaN', { tau: NaN }, /tau must be a number in \(0, 1\]; got NaN/],
  ['Infinity', { bufferSize: Infinity }, /bufferSize must be an integer in \[1, 5000000\]; got Infinity/],
  ['string number', { batchSize: '64' }, /batchSize must be an integer in \[1, 4096\]; got "64"/],
  ['fractional integer', { batchSize: 64.5 }, /batchSize must be an integer/],
  ['unknown enum', { noiseType: 'pink' }, /noiseType must be one of "gaussian", "ou"; got "pink"/],
  ['boolean as string', { saveReplayBuffer: 'yes' }, /saveReplayBuffer must be true or false; got "yes"/],
  ['no limit at all', { episodes: 0, totalSteps: 0 }, /set at least one limit/],
  ['unknown key', { batchsize: 64 }, /unknown setting "batchsize"/],
];
for (const [name, overrides, pattern] of badInputs) {
  test(`rejects ${name}, naming the setting and the allowed range`, () => {
    const r = resolveConfig(overrides);
    assert.equal(r.config, undefined);
    assert.ok(r.errors.some((e) => pattern.test(e.message)), `no error matched ${pattern}: ${JSON.stringify(r.errors)}`);
  });
}

test('missing fields are each reported', () => {
  const c: Record<string, unknown> = { ...defaultConfig() };
  delete c.gamma;
  delete c.seed;
  const r = validateConfig(c);
  assert.deepEqual(r.errors.map((e) => e.key).sort(), ['gamma', 'seed']);
  assert.match(r.errors[0].message, /is missing; it must be/);
});

test('every problem is returned at once, not just the first', () => {
  const errors = messagesFor({ gamma: 2, tau: -1, batchSize: 0, actorHidden: ['a'] });
  assert.equal(errors.length, 4, errors.join('\n'));
});

test('non-object input is rejected', () => {
  for (const v of [null, 3, 'x', [1]]) assert.equal(validateConfig(v).errors[0].key, '(config)');
});

test('tau above 0.5 warns and names the retention convention', () => {
  const r = resolveConfig({ tau: 0.995 });
  assert.ok(r.config);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0].message, /mixing fraction/);
  assert.match(r.warnings[0].message, /retention factor/);
  assert.match(r.warnings[0].message, /0\.005/);
  assert.equal(resolveConfig({ tau: 0.5 }).warnings.length, 0);
});

test('describeRange spells exclusive bounds', () => {
  assert.equal(describeRange(CONFIG_SPEC.tau), 'a number in (0, 1]');
  assert.equal(describeRange(CONFIG_SPEC.gamma), 'a number in [0, 1)');
  assert.equal(describeRange(CONFIG_SPEC.batchSize), 'an integer in [1, 4096]');
});

test('validation copies arrays (callers cannot mutate a validated config through the input)', () => {
  const input = { ...defaultConfig(), actorHidden: [8, 8] };
  const { config } = validateConfig(input);
  input.actorHidden.push(3);
  assert.deepEqual(config!.actorHidden, [8, 8]);
});

test('configHash is stable and sensitive', () => {
  const a = defaultConfig();
  assert.equal(configHash(a), configHash(defaultConfig()));
  assert.notEqual(configHash(a), configHash({ ...a, seed: 2 }));
  assert.match(configHash(a), /^[0-9a-f]{8}$/);
});

test('a configuration stored before keepPeriodicCheckpoints existed loads with its default; nothing else is filled in', () => {
  const { keepPeriodicCheckpoints: _added, ...stored } = defaultConfig();
  assert.match(validateConfig(stored).errors.map((e) => e.message).join(), /keepPeriodicCheckpoints is missing/);
  const upgraded = validateConfig(upgradeStoredConfig(stored));
  assert.deepEqual(upgraded.errors, []);
  assert.equal(upgraded.config!.keepPeriodicCheckpoints, CONFIG_SPEC.keepPeriodicCheckpoints.default);
  const { gamma: _missing, ...older } = stored;
  assert.match(validateConfig(upgradeStoredConfig(older)).errors.map((e) => e.message).join(), /gamma is missing/);
  assert.equal((upgradeStoredConfig({ ...stored, keepPeriodicCheckpoints: 0 }) as { keepPeriodicCheckpoints: number }).keepPeriodicCheckpoints, 0);
});
