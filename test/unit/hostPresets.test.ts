import assert from 'node:assert/strict';
import test from 'node:test';
import { PresetOffers } from '../../src/extension/presets';
import { defaultConfig, resolveConfig } from '../../src/shared/config';
import { ENVIRONMENT_IDS } from '../../src/shared/environments';
import { matchingPreset, presetById, presetFor, PRESETS } from '../../src/shared/presets';
import { fakeVscode } from '../helpers/fakeVscode';
import { nextTurn, waitFor } from '../helpers/waitFor';

test('choosing MountainCarContinuous offers its preset once; Apply writes only what differs, to the workspace', async () => {
  const vs = fakeVscode({ workspaceFolders: ['/work/ws'] });
  vs.answer = (shown) => (shown.message.includes('recommended') ? 'Apply' : undefined);
  const offers = new PresetOffers(vs.api);
  vs.changeSetting('ddpg.environment', 'MountainCarContinuous-v0');
  await waitFor(() => vs.messages.some((m) => m.message.startsWith('DDPG: applied mountaincar-ddpg')), 'the preset to be applied');
  const offer = vs.messages.find((m) => m.message.includes('recommended'));
  assert.ok(offer, 'offered');
  assert.match(offer.message, /Mountain Car.*\(mountaincar-ddpg\).*Apply them\? 11 settings change/);
  const preset = presetById('mountaincar-ddpg')!;
  const written = new Map(vs.updates.map((u) => [u.key, u.value]));
  assert.equal(written.get('ddpg.noiseType'), 'ou');
  assert.equal(written.get('ddpg.ouTheta'), 0.0015);
  assert.ok(!written.has('ddpg.environment'), 'the environment the user chose is not rewritten');
  assert.ok(vs.updates.every((u) => u.target === vs.api.ConfigurationTarget.Workspace));
  // The settings now equal the preset: a run started from them records it.
  const config = { ...defaultConfig(), ...Object.fromEntries([...written].map(([k, v]) => [k.slice('ddpg.'.length), v])), environment: 'MountainCarContinuous-v0' as const };
  assert.equal(matchingPreset(config)?.id, preset.id);
  // Changing the environment again to the same one offers nothing more.
  const before = vs.messages.length;
  vs.changeSetting('ddpg.environment', 'MountainCarContinuous-v0');
  await nextTurn(); // an offer would be asked at once: the settings are read in memory
  assert.equal(vs.messages.filter((m) => m.message.includes('recommended')).length, 1);
  assert.ok(vs.messages.length <= before + 1);
  offers.dispose();
});

test('"Not now" changes nothing; the command applies a preset picked by id', async () => {
  const vs = fakeVscode();
  vs.answer = () => 'Not Now';
  const offers = new PresetOffers(vs.api);
  vs.changeSetting('ddpg.environment', 'MountainCarContinuous-v0');
  await waitFor(() => vs.messages.some((m) => m.message.includes('recommended')), 'the offer');
  await nextTurn(); // the answer is handled at once
  assert.equal(vs.updates.length, 0, 'nothing written');
  await vs.run('ddpg.applyPreset', 'pendulum-ddpg');
  assert.ok(vs.updates.some((u) => u.key === 'ddpg.environment' && u.value === 'Pendulum-v1'));
  assert.ok(vs.updates.every((u) => u.target === vs.api.ConfigurationTarget.Global), 'no folder open: user settings');
  offers.dispose();
});

test('the default configuration is the Pendulum preset', () => {
  assert.equal(matchingPreset(defaultConfig())?.id, 'pendulum-ddpg');
});

test('every preset is a valid configuration for its own environment and algorithm', () => {
  for (const preset of PRESETS) {
    const { config, errors } = resolveConfig(preset.settings);
    assert.ok(config, `${preset.id}: ${errors.map((e) => e.message).join('; ')}`);
    assert.equal(config.environment, preset.environment, preset.id);
    assert.equal(config.algorithm, preset.algorithm, preset.id);
  }
});

test('every MuJoCo task has a TD3 and a SAC preset; ids are unique; no two presets set the same settings', () => {
  for (const environment of ENVIRONMENT_IDS.filter((id) => id.endsWith('-v5'))) {
    for (const algorithm of ['td3', 'sac'] as const) assert.ok(presetFor(environment, algorithm), `${environment} has no ${algorithm} preset`);
  }
  assert.equal(new Set(PRESETS.map((p) => p.id)).size, PRESETS.length);
  // A run records the preset its settings equal: two presets with the same settings would be told apart by order only.
  for (const preset of PRESETS) {
    const { config } = resolveConfig(preset.settings);
    assert.equal(config && matchingPreset(config)?.id, preset.id);
  }
});
