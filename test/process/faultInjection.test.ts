/**
 * kill -9 at random moments while a run writes and prunes checkpoints (one every episode, two
 * periodic ones kept): afterwards every checkpoint under a normal name loads, and the next start
 * (a run resuming from the killed one) leaves no temporary folder behind. Bounded in time: a few
 * dozen kills here; `DDPG_FAULT_KILLS=100` for the full count of issue #9.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';
import { loadCheckpoint } from '../../src/agent/checkpoint';
import { Random } from '../../src/agent/random';
import { CHECKPOINTS_DIR, listRuns } from '../../src/shared/node/runDirectory';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const KILLS = Number(process.env.DDPG_FAULT_KILLS ?? 24);

const FLAGS = [
  '--hidden', '8', '--batch', '16', '--buffer', '3000', '--warmup', '40', '--max-episode-steps', '20', '--episodes', '100000',
  '--checkpoint-every', '1', '--keep-periodic-checkpoints', '2', '--eval-every-steps', '0', '--no-save-best-checkpoint', '--seed', '1',
];

/** Starts a CLI run and kills it with SIGKILL `afterMs` after its first checkpoint event. */
function trainAndKill(runsDir: string, afterMs: number, extra: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'train', '--json', '--runs-dir', runsDir, ...FLAGS, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let armed = false;
    const fallback = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!armed && out.includes('"type":"checkpoint"')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(fallback);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the run ended by itself (code ${code}) before it was killed: ${out.slice(-300)}`));
    });
  });
}

async function checkpointFolders(runDir: string): Promise<{ complete: string[]; leftovers: string[] }> {
  const names = await fs.readdir(path.join(runDir, CHECKPOINTS_DIR)).catch(() => [] as string[]);
  return {
    complete: names.filter((n) => !n.startsWith('.')).map((n) => path.join(runDir, CHECKPOINTS_DIR, n)),
    leftovers: names.filter((n) => n.startsWith('.')),
  };
}

test(`kill -9 during checkpoint writes and pruning (${KILLS} kills): no broken checkpoint under a normal name, no leftovers after the next start`, { timeout: 600_000 }, async () => {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
  const runsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-kill-'));
  const rng = new Random(2026);
  let broken = 0;
  let checked = 0;
  let leftoversSeen = 0;
  for (let k = 0; k < KILLS; k++) await trainAndKill(runsDir, Math.floor(rng.uniform(0, 250)));
  const runs = (await listRuns(runsDir)).map((r) => r.dir);
  assert.equal(runs.length, KILLS);
  for (const runDir of runs) {
    const { complete, leftovers } = await checkpointFolders(runDir);
    leftoversSeen += leftovers.length;
    for (const dir of complete) {
      checked++;
      await loadCheckpoint(dir).catch((err: Error) => {
        broken++;
        assert.fail(`a checkpoint under its normal name does not load: ${err.message}`);
      });
    }
  }
  assert.equal(broken, 0);
  assert.ok(checked >= KILLS, `${checked} checkpoints checked`);

  // The next start: resuming from each killed run sweeps its dead writers' leftovers.
  for (const runDir of runs) {
    const { complete } = await checkpointFolders(runDir);
    const latest = complete.sort().at(-1)!;
    await trainAndKill(runsDir, 0, ['--resume', latest]);
    assert.deepEqual((await checkpointFolders(runDir)).leftovers, [], `leftovers in ${runDir} after a resume from it`);
  }
  // For the record (the kills land at random moments, not always mid-write).
  process.stdout.write(`# ${KILLS} kills, ${checked} checkpoints checked, ${leftoversSeen} leftovers swept\n`);
});
