/**
 * The CLI's seed and tau rules, run in-process: without --seed each run draws a fresh seed and
 * prints it; a tau above 0.5 is refused with the other convention explained unless --keep-tau
 * keeps it, and then the warning is in the --json stream and in run.json.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { main, parseArgs } from '../../src/agent/cli';
import { readRunInfo } from '../../src/shared/node/runDirectory';

const TINY = ['--hidden', '8', '--batch', '16', '--buffer', '1000', '--warmup', '20', '--max-episode-steps', '20', '--episodes', '2',
  '--eval-every-steps', '40', '--eval-episodes', '1', '--checkpoint-every', '0', '--no-save-best-checkpoint', '--no-save-replay-buffer'];

/** main() with its output captured (and kept off the test runner's stdout). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = (chunk: string | Uint8Array) => ((stdout += String(chunk)), true);
  process.stderr.write = (chunk: string | Uint8Array) => ((stderr += String(chunk)), true);
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
const runsDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-cli-seed-'));

test('without --seed every run draws its own seed, prints it and records it; --seed N is N', async () => {
  const dir = await runsDir();
  const first = await cli(['train', '--json', ...TINY, '--runs-dir', dir]);
  const second = await cli(['train', '--json', ...TINY, '--runs-dir', dir]);
  assert.equal(first.code, 0, first.stderr);
  const startedA = lines(first.stdout).find((l) => l.type === 'started')!;
  const startedB = lines(second.stdout).find((l) => l.type === 'started')!;
  assert.equal(startedA.seedDrawn, true);
  const seedA = (startedA.config as { seed: number }).seed;
  const seedB = (startedB.config as { seed: number }).seed;
  assert.ok(Number.isInteger(seedA) && seedA >= 0 && seedA <= 2 ** 31 - 1, String(seedA));
  assert.notEqual(seedA, seedB, 'two runs of one command differ (1 in 2^31 to fail)');
  assert.equal((await readRunInfo(startedA.runDir as string)).seed, seedA, 'run.json records it');

  const text = await cli(['train', ...TINY, '--runs-dir', dir]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /seed (\d+) \(drawn for this run; --seed \1 repeats it\)/);

  const fixed = await cli(['train', '--json', ...TINY, '--seed', '7', '--runs-dir', dir]);
  const started = lines(fixed.stdout).find((l) => l.type === 'started')!;
  assert.equal((started.config as { seed: number }).seed, 7);
  assert.equal(started.seedDrawn, false);
});

test('a tau above 0.5 is refused, naming 1 − tau and --keep-tau; nothing is written', async () => {
  const dir = await runsDir();
  const refused = await cli(['train', ...TINY, '--tau', '0.995', '--runs-dir', dir]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^error: tau is 0\.995: here tau is the mixing fraction/m);
  assert.match(refused.stderr, /Pass --tau 0\.005 for that, or --keep-tau to train with 0\.995 as it is/);
  assert.doesNotMatch(refused.stderr, /^warning: tau/m, 'said once, as the error');
  assert.deepEqual(await fs.readdir(dir), [], 'no run folder');
  const json = await cli(['train', '--json', ...TINY, '--tau', '0.995', '--runs-dir', dir]);
  assert.equal(json.code, 2);
  assert.equal(lines(json.stdout)[0].setting, 'tau', 'the --json stream carries the warning');
});

test('--keep-tau trains with it, the warning in the --json stream and in run.json', async () => {
  assert.equal(parseArgs(['train', '--keep-tau']).keepTau, true);
  assert.equal(parseArgs(['train']).keepTau, false);
  const dir = await runsDir();
  const kept = await cli(['train', '--json', ...TINY, '--tau', '0.995', '--keep-tau', '--runs-dir', dir]);
  assert.equal(kept.code, 0, kept.stderr);
  const output = lines(kept.stdout);
  const warning = output.find((l) => l.type === 'warning')!;
  assert.equal(warning.setting, 'tau');
  assert.match(warning.message as string, /use 0\.005/);
  const started = output.find((l) => l.type === 'started')!;
  const info = await readRunInfo(started.runDir as string);
  assert.equal(info.config.tau, 0.995);
  assert.deepEqual(info.warnings, [warning.message]);
});
