import assert from 'node:assert/strict';
import test from 'node:test';
import { parseArgs, UsageError } from '../../src/agent/cli';
import { CONFIG_KEYS, CONFIG_SPEC } from '../../src/shared/config';

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
    const spec = CONFIG_SPEC[key];
    const value = spec.type === 'integerArray' ? '8' : spec.type === 'enum' ? spec.enum[spec.enum.length - 1] : spec.type === 'boolean' ? 'false' : '1';
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
  assert.throws(() => parseArgs(['train', '--batch']), /--batch needs a value: an integer in \[1, 4096\]/);
  assert.throws(() => parseArgs(['train', '--gamma', '--json']), /--gamma needs a value: a number in \[0, 1\)/);
  assert.throws(() => parseArgs(['train', '--batch', 'lots']), /--batch expects an integer in \[1, 4096\]; got "lots"/);
  assert.throws(() => parseArgs(['train', '--hidden', '64,,64']), /--hidden expects a list of 1–4 integers, each in \[1, 1024\], comma-separated like 64,64; got "64,,64"/);
  assert.throws(() => parseArgs(['evaluate']), /needs a checkpoint directory/);
  assert.throws(() => parseArgs(['evaluate', 'x', '--episodes', '0']), /positive integer/);
});

test('numbers are plain decimals: no hex, no exponent for integers, no Infinity', () => {
  assert.throws(() => parseArgs(['train', '--seed', '0x10']), /--seed expects an integer in \[0, 2147483647\]; got "0x10"/);
  assert.throws(() => parseArgs(['train', '--batch', '1e1']), /--batch expects an integer in \[1, 4096\]; got "1e1"/);
  assert.throws(() => parseArgs(['train', '--gamma', 'Infinity']), /--gamma expects a number in \[0, 1\); got "Infinity"/);
  assert.throws(() => parseArgs(['train', '--tau', '']), /--tau expects/);
  assert.equal(parseArgs(['train', '--actor-lr', '1e-4']).overrides.actorLr, 1e-4);
  assert.equal(parseArgs(['train', '--tau', '.005']).overrides.tau, 0.005);
  assert.equal(parseArgs(['train', '--seed', '+12']).overrides.seed, 12);
});

test('general flags: --json=false, --until-solved=true, an empty --runs-dir, --env and --preset', () => {
  assert.equal(parseArgs(['train', '--json=false']).json, false);
  assert.equal(parseArgs(['train', '--json=true']).json, true);
  assert.throws(() => parseArgs(['train', '--json=maybe']), /--json expects true or false; got "maybe"/);
  assert.equal(parseArgs(['train', '--until-solved=false']).untilSolved, false);
  assert.throws(() => parseArgs(['train', '--runs-dir', '']), /--runs-dir needs a directory; got an empty path/);
  assert.throws(() => parseArgs(['train', '--resume=']), /--resume needs a directory/);
  assert.equal(parseArgs(['train', '--env', 'MountainCarContinuous-v0']).overrides.environment, 'MountainCarContinuous-v0');
  assert.equal(parseArgs(['train', '--preset', 'mountaincar-ddpg']).preset, 'mountaincar-ddpg');
  // Every preset is offered, whichever algorithms have one.
  assert.throws(() => parseArgs(['train', '--preset']), /--preset needs a value: one of pendulum-ddpg, mountaincar-ddpg(, [a-z0-9-]+)* or an environment id/);
});
