/** The bundled CLI (dist/cli.js) as a user runs it: JSON lines, Ctrl-C, evaluate, bad flags. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { listCheckpoints, readRunInfo } from '../../src/shared/node/runDirectory';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
/** A --json output line: its type, and whichever fields that type has. */
type JsonLine = { type: string } & Record<string, unknown>;
const parseLine = (line: string) => JSON.parse(line) as JsonLine;

const TINY = ['--hidden', '16,16', '--batch', '32', '--buffer', '4000', '--warmup', '100', '--max-episode-steps', '50', '--eval-every-steps', '200', '--eval-episodes', '2'];

function run(args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void) {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) onLine?.(line, child);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

const runsDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-cli-'));

test('train --json prints episode, eval and summary lines; Ctrl-C saves a final checkpoint and exits 0', async () => {
  const dir = await runsDir();
  let interrupted = false;
  const result = await run(['train', '--json', ...TINY, '--episodes', '100000', '--runs-dir', dir], (line, child) => {
    const row = parseLine(line);
    if (!interrupted && row.type === 'eval') {
      interrupted = true;
      child.kill('SIGINT');
    }
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /saving a final checkpoint/);
  const rows = result.stdout.trim().split('\n').map(parseLine);
  assert.equal(rows[0].type, 'started');
  assert.ok(rows.some((r) => r.type === 'episode' && typeof r.return === 'number'));
  assert.ok(rows.some((r) => r.type === 'eval' && typeof r.mean === 'number' && typeof r.std === 'number'));
  const summary = rows[rows.length - 1];
  assert.equal(summary.type, 'summary');
  assert.equal(summary.status, 'stopped');
  for (const key of ['stepsPerSecond', 'timeToSolveSeconds', 'stepsToSolve', 'finalEvalMean']) assert.ok(key in summary, key);
  const runDir = summary.runDir as string;
  assert.equal((await readRunInfo(runDir)).status, 'stopped');
  const final = (await listCheckpoints(runDir)).find((c) => c.manifest?.reason === 'final');
  assert.ok(final, 'final checkpoint');

  const evaluation = await run(['evaluate', final.dir, '--episodes', '2', '--json']);
  assert.equal(evaluation.code, 0, evaluation.stderr);
  const result2 = JSON.parse(evaluation.stdout.trim()) as { returns: number[] };
  assert.equal(result2.returns.length, 2);
});

test('human-readable progress: one line per episode and a closing summary', async () => {
  const result = await run(['train', ...TINY, '--episodes', '3', '--runs-dir', await runsDir()]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.match(/^ep +\d+\/3 +step +\d+ +return +-?\d+\.\d +avg10 /gm)?.length, 3, result.stdout);
  assert.match(result.stdout, /finished: 3 episodes, 150 steps/);
});

test('invalid values are refused before anything starts, naming every problem', async () => {
  const dir = await runsDir();
  const result = await run(['train', '--gamma', '1.5', '--batch', '0', '--runs-dir', dir]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /gamma must be a number in \[0, 1\); got 1\.5/);
  assert.match(result.stderr, /batchSize must be an integer in \[1, 4096\]; got 0/);
  assert.deepEqual(await fs.readdir(dir), [], 'no run directory was created');
  const corrupt = await run(['evaluate', path.join(dir, 'nowhere')]);
  assert.equal(corrupt.code, 1);
  assert.match(corrupt.stderr, /checkpoint file is missing: .*nowhere\/checkpoint\.json/);
});
