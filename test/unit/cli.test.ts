import assert from 'node:assert/strict';
import test from 'node:test';
import { parseArgs, UsageError } from '../../src/agent/cli';
import { CONFIG_KEYS } from '../../src/shared/config';

test('flags override hyperparameters, with aliases', () => {
  const o = parseArgs(['train', '--hidden', '32,16', '--batch', '64', '--tau=0.005', '--noise', '0.2', '--warmup', '500',
    '--episodes', '20', '--eval-every-steps', '400', '--eval-episodes', '3', '--seed', '7', '--engine', 'tfjs', '--runs-dir', '/tmp/x', '--json']);
  assert.equal(o.command, 'train');
  assert.deepEqual(o.overrides, {
    actorHidden: [32, 16], criticHidden: [32, 16], batchSize: 64, tau: 0.005, noiseStd: 0.2, warmupSteps: 500,
    episodes: 20, evalEverySteps: 400, evalEpisodes: 3, seed: 7, engine: 'tfjs',
  });
  assert.equal(o.runsDir, '/tmp/x');
  assert.equal(o.json, true);
});

test('every config key is reachable as a kebab-case flag', () => {
  for (const key of CONFIG_KEYS) {
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const value = key.endsWith('Hidden') ? '8' : key === 'noiseType' ? 'ou' : key === 'engine' ? 'wasm' : key.startsWith('save') ? 'false' : '1';
    const o = parseArgs(['train', `--${flag}`, value]);
    assert.ok(key in o.overrides, `--${flag}`);
  }
});

test('boolean flags: bare, explicit and --no- forms', () => {
  assert.equal(parseArgs(['train', '--save-replay-buffer']).overrides.saveReplayBuffer, true);
  assert.equal(parseArgs(['train', '--save-replay-buffer', 'false']).overrides.saveReplayBuffer, false);
  assert.equal(parseArgs(['train', '--no-save-best-checkpoint']).overrides.saveBestCheckpoint, false);
});

test('evaluate takes a checkpoint directory and --episodes', () => {
  const o = parseArgs(['evaluate', 'runs/a/checkpoints/best', '--episodes', '5']);
  assert.equal(o.checkpoint, 'runs/a/checkpoints/best');
  assert.equal(o.episodes, 5);
});

test('usage errors are specific', () => {
  assert.throws(() => parseArgs(['fly']), (e: Error) => e instanceof UsageError && /unknown command "fly"/.test(e.message));
  assert.throws(() => parseArgs(['train', '--batchsize', '3']), /unknown flag --batchsize/);
  assert.throws(() => parseArgs(['train', '--batch']), /--batch needs a value/);
  assert.throws(() => parseArgs(['train', '--batch', 'lots']), /--batch expects an integer in \[1, 4096\]; got "lots"/);
  assert.throws(() => parseArgs(['train', '--hidden', '64,,64']), /comma-separated integers/);
  assert.throws(() => parseArgs(['evaluate']), /needs a checkpoint directory/);
  assert.throws(() => parseArgs(['evaluate', 'x', '--episodes', '0']), /positive integer/);
});
