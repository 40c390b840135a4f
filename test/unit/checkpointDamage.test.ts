/**
 * Every kind of damage a checkpoint folder can suffer is refused before use, with an error that
 * names the file and what is wrong (or loads, where the damage is harmless).
 */

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { loadCheckpoint } from '../../src/agent/checkpoint';
import { Trainer } from '../../src/agent/trainer';
import { resolveConfig } from '../../src/shared/config';
import { createRunDirectory, listCheckpoints } from '../../src/shared/node/runDirectory';

type Damage = (dir: string) => Promise<void>;

const json = async (file: string, edit: (value: Record<string, unknown>) => void) => {
  const value = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  edit(value);
  await fs.writeFile(file, JSON.stringify(value));
};
const state = (edit: (trainer: Record<string, unknown>, whole: Record<string, unknown>) => void): Damage => (dir) =>
  json(path.join(dir, 'state.json'), (whole) => edit(whole.trainer as Record<string, unknown>, whole));
const floats = (file: string, edit: (values: Float32Array) => void): Damage => async (dir) => {
  const bytes = await fs.readFile(path.join(dir, file));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  edit(values);
  await fs.writeFile(path.join(dir, file), new Uint8Array(values.buffer));
};

/** [what, damage, the file the error must name, what the message must say]. */
const DAMAGES: Array<[string, Damage, string, RegExp]> = [
  ['manifest missing', (d) => fs.rm(path.join(d, 'checkpoint.json')), 'checkpoint.json', /missing/],
  ['manifest not JSON', (d) => fs.writeFile(path.join(d, 'checkpoint.json'), '{"formatVersion":2,'), 'checkpoint.json', /not valid JSON|invalid JSON/],
  ['manifest of a future format', (d) => json(path.join(d, 'checkpoint.json'), (m) => (m.formatVersion = 9)), 'checkpoint.json', /unsupported formatVersion 9/],
  ['manifest with an invalid config', (d) => json(path.join(d, 'checkpoint.json'), (m) => {
    (m.config as Record<string, unknown>).gamma = 2;
    delete m.configHash;
  }), 'checkpoint.json', /invalid config .*gamma/],
  ['manifest whose config was edited after writing', (d) => json(path.join(d, 'checkpoint.json'), (m) => ((m.config as Record<string, unknown>).criticLr = 0.5)), 'checkpoint.json', /config was changed after the checkpoint was written \(configHash [0-9a-f]{8}; the config hashes to [0-9a-f]{8}\)/],
  ['manifest listing other networks', (d) => json(path.join(d, 'checkpoint.json'), (m) => (m.networks = (m.networks as unknown[]).slice(0, 2))), 'checkpoint.json', /lists networks/],
  ['manifest linked from elsewhere', async (d) => {
    const outside = path.join(path.dirname(d), 'outside.json');
    await fs.rename(path.join(d, 'checkpoint.json'), outside);
    await fs.symlink(outside, path.join(d, 'checkpoint.json'));
  }, 'checkpoint.json', /symbolic link/],
  ['actor model.json missing', (d) => fs.rm(path.join(d, 'actor', 'model.json')), path.join('actor', 'model.json'), /missing/],
  ['actor model.json not JSON', (d) => fs.writeFile(path.join(d, 'actor', 'model.json'), 'nope'), path.join('actor', 'model.json'), /invalid JSON/],
  ['critic weights truncated', async (d) => fs.truncate(path.join(d, 'critic', 'weights.bin'), 100), path.join('critic', 'weights.bin'), /has 100 bytes; expected/],
  ['critic weights with extra bytes', (d) => fs.appendFile(path.join(d, 'critic', 'weights.bin'), Buffer.alloc(8)), path.join('critic', 'weights.bin'), /bytes; expected/],
  ['critic weights with NaN', floats(path.join('critic', 'weights.bin'), (v) => (v[3] = NaN)), path.join('critic', 'weights.bin'), /non-finite weights/],
  ['a weights file that is a folder', async (d) => {
    await fs.rm(path.join(d, 'actor', 'weights.bin'));
    await fs.mkdir(path.join(d, 'actor', 'weights.bin'));
  }, path.join('actor', 'weights.bin'), /not a regular file/],
  ['target actor folder missing', (d) => fs.rm(path.join(d, 'target_actor'), { recursive: true }), 'target_actor', /missing/],
  ['optimizer.bin of the wrong size', (d) => fs.writeFile(path.join(d, 'optimizer.bin'), Buffer.alloc(12)), 'optimizer.bin', /has 12 bytes; expected/],
  ['optimizer.bin with NaN', floats('optimizer.bin', (v) => (v[10] = NaN)), 'optimizer.bin', /non-finite optimizer moment/],
  ['optimizer.bin with infinity', floats('optimizer.bin', (v) => (v[v.length - 1] = Infinity)), 'optimizer.bin', /non-finite optimizer moment/],
  ['optimizer.bin with a negative second moment', floats('optimizer.bin', (v) => (v[v.length - 1] = -1)), 'optimizer.bin', /negative second moment/],
  ['state.json missing', (d) => fs.rm(path.join(d, 'state.json')), 'state.json', /missing/],
  ['state.json not JSON', (d) => fs.writeFile(path.join(d, 'state.json'), '{'), 'state.json', /invalid JSON/],
  ['state.json without its RNG state', state((t) => delete t.random), 'state.json', /trainer\.random .*missing/],
  ['state.json with obs null', state((t) => (t.obs = null)), 'state.json', /trainer\.obs must be 3 finite numbers/],
  ['state.json with an all-zero generator', state((t) => ((t.random as Record<string, { words: number[] }>).sample.words = [0, 0, 0, 0])), 'state.json', /all zeros/],
  ['state.json with a negative optimizer step', state((_t, whole) => ((whole.optimizerSteps as Record<string, number>).critic = -3)), 'state.json', /optimizer step of "critic"/],
  ['state.json with update statistics of the wrong length', state((t) => (t.episodeStats = [1, 2])), 'state.json', /episodeStats must be 4 finite numbers/],
  ['state.json without the environment state', state((t) => delete t.env), 'state.json', /trainer\.env must be an environment state/],
  ['state.json with a NaN in the environment state', state((t) => ((t.env as Record<string, unknown>).thetaDot = null)), 'state.json', /trainer\.env\.thetaDot must be finite/],
  ['state.json with a replay layout of another capacity', state((_t, whole) => ((whole.replay as Record<string, number>).capacity = 99)), 'state.json', /replay layout .* does not match/],
  ['replay.bin with NaN', floats('replay.bin', (v) => (v[5] = NaN)), 'replay.bin', /non-finite replay value/],
  ['replay.bin linked to /dev/zero', async (d) => {
    await fs.rm(path.join(d, 'replay.bin'));
    await fs.symlink('/dev/zero', path.join(d, 'replay.bin'));
  }, 'replay.bin', /symbolic link/],
  ['replay.bin of the wrong size', (d) => fs.appendFile(path.join(d, 'replay.bin'), Buffer.alloc(4)), 'replay.bin', /bytes; expected/],
  ['replay.bin with a terminated flag of 0.5', floats('replay.bin', (v) => (v[v.length - 1] = 0.5)), 'replay.bin', /terminated flags other than 0 and 1/],
];

async function pristineCheckpoint(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-damage-'));
  const { dir } = await createRunDirectory(root);
  const { config } = resolveConfig({
    actorHidden: [8], criticHidden: [8], batchSize: 16, bufferSize: 500, warmupSteps: 50, maxEpisodeSteps: 60, episodes: 2,
    evalEverySteps: 0, checkpointEveryEpisodes: 0, saveBestCheckpoint: false, seed: 2,
  });
  assert.ok(config);
  const trainer = await Trainer.create({ runDir: dir, config, emit: () => {} });
  await trainer.run();
  return (await listCheckpoints(dir)).find((c) => c.manifest?.reason === 'final')!.dir;
}

test('every kind of damaged checkpoint file is refused with an error naming the file', async () => {
  const pristine = await pristineCheckpoint();
  await loadCheckpoint(pristine);
  let n = 0;
  for (const [what, damage, file, message] of DAMAGES) {
    const copy = path.join(path.dirname(pristine), `case-${n++}`);
    await fs.cp(pristine, copy, { recursive: true });
    await damage(copy);
    await assert.rejects(loadCheckpoint(copy), (err: Error) => {
      assert.ok(err.message.includes(path.join(copy, file)), `${what}: "${err.message}" names ${file}`);
      assert.match(err.message, message, what);
      return true;
    }, what);
  }
  assert.ok(DAMAGES.length >= 26);
});

test('harmless damage is harmless: an extra file in the folder, a v1 state with the environment as [θ, θ̇]', async () => {
  const pristine = await pristineCheckpoint();
  await fs.writeFile(path.join(pristine, 'notes.txt'), 'left by a person');
  await state((t) => {
    const env = t.env as Record<string, number>;
    t.envState = [env.theta, env.thetaDot];
    t.envElapsedSteps = env.elapsedSteps;
    delete t.env;
  })(pristine);
  const loaded = await loadCheckpoint(pristine);
  assert.equal(typeof loaded.trainer.env.theta, 'number');
});
