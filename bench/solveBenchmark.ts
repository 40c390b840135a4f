/**
 * End-to-end figures through the real CLI (dist/cli.js train --json), on the wasm engine:
 * env steps per second of the default configuration, and time-to-solve over 8 seeds for two
 * configurations. Prints one JSON line per run and one summary line per configuration.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7];

export const SOLVE_CONFIGURATIONS: Record<string, string[]> = {
  a: ['--hidden', '64,64', '--batch', '128', '--tau', '0.01', '--noise', '0.1'],
  b: ['--hidden', '256,256', '--batch', '64', '--tau', '0.005', '--noise', '0.2'],
  td3: ['--preset', 'pendulum-td3'],
  sac: ['--preset', 'pendulum-sac'],
};

interface CliSummary {
  type: 'summary';
  status: string;
  engine: { engine: string; backend: string };
  steps: number;
  stepsPerSecond: number;
  timeToSolveSeconds: number | null;
  stepsToSolve: number | null;
  finalEvalMean: number | null;
  /** Present for the wasm engine with a helper thread: how many updates used it. */
  threads?: { twoThreadUpdates: number; updates: number; switches: number; helperChunks: number };
}

function findCli(): string {
  const candidates = [join(__dirname, 'cli.js'), join(__dirname, '..', 'dist', 'cli.js')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`dist/cli.js not found (looked at ${candidates.join(', ')}); run npm run build`);
  return found;
}

function runCli(cli: string, args: string[]): Promise<CliSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'train', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const summary = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { type?: string })
        .find((row) => row.type === 'summary');
      if (code !== 0 || !summary) reject(new Error(`cli ${args.join(' ')} exited ${code}: ${stderr.trim().slice(-500)}`));
      else resolve(summary as CliSummary);
    });
  });
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function runSolveBenchmark(log: (message: string) => void): Promise<void> {
  const cli = findCli();
  const runsDir = mkdtempSync(join(tmpdir(), 'ddpg-bench-'));
  // Periodic checkpoints and the replay buffer's would only add disk time to every run.
  const common = ['--engine', 'wasm', '--runs-dir', runsDir, '--checkpoint-every-episodes', '0', '--no-save-replay-buffer'];
  try {
    log('default configuration, full run, seed 0');
    const full = await runCli(cli, [...common, '--seed', '0']);
    process.stdout.write(JSON.stringify({ type: 'throughput', config: 'default', backend: full.engine.backend, steps: full.steps, stepsPerSecond: full.stepsPerSecond }) + '\n');

    for (const [name, flags] of Object.entries(SOLVE_CONFIGURATIONS)) {
      const times: number[] = [];
      const steps: number[] = [];
      for (const seed of SEEDS) {
        log(`configuration ${name} (${flags.join(' ')}), seed ${seed}`);
        const s = await runCli(cli, [...common, ...flags, '--seed', String(seed), '--until-solved']);
        process.stdout.write(
          JSON.stringify({
            type: 'solve', config: name, seed, backend: s.engine.backend, status: s.status,
            timeToSolveSeconds: s.timeToSolveSeconds, stepsToSolve: s.stepsToSolve, stepsPerSecond: s.stepsPerSecond, finalEvalMean: s.finalEvalMean,
            ...(s.threads ? { twoThreadShare: Number((s.threads.twoThreadUpdates / Math.max(1, s.threads.updates)).toFixed(3)), threadSwitches: s.threads.switches } : {}),
          }) + '\n',
        );
        if (s.timeToSolveSeconds !== null && s.stepsToSolve !== null) {
          times.push(s.timeToSolveSeconds);
          steps.push(s.stepsToSolve);
        }
      }
      process.stdout.write(
        JSON.stringify({
          type: 'solveSummary', config: name, flags: flags.join(' '), solved: times.length, seeds: SEEDS.length,
          medianTimeToSolveSeconds: median(times), medianStepsToSolve: median(steps),
        }) + '\n',
      );
    }
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}
