/**
 * What Compare Runs costs the extension host: K finished runs of E episodes each are written to
 * disk as the trainer writes them, then (a) the first comparison reads every folder, (b) a live
 * refresh rebuilds the comparison from the histories already in memory (what happens every 2 s
 * while a compared run trains), and the size of the message posted to the webview is measured.
 *
 *   node --import tsx bench/comparison.ts [--runs 4] [--episodes 100000] [--repeats 9]
 *
 * Prints one JSON line: medians in ms, message size in kB.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/shared/config';
import { taskFieldsOf } from '../src/shared/runFormat';
import { METRICS_FILE, RUN_FILE } from '../src/shared/node/runDirectory';
import { buildComparison, type ComparisonSources, type ComparisonTarget } from '../src/extension/runComparison';
import { RunHistory } from '../src/extension/runHistory';
import type { EpisodeRow, EvalRow, RunInfo } from '../src/shared/protocol';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const RUNS = argument('--runs', 4);
const EPISODES = argument('--episodes', 100_000);
const REPEATS = argument('--repeats', 9);
const EVAL_EVERY = 50;

function writeRun(runsDir: string, index: number): ComparisonTarget {
  const id = `run-${index}`;
  const runDir = join(runsDir, id);
  mkdirSync(runDir, { recursive: true });
  const config = { ...defaultConfig(), seed: index + 1 };
  const info: RunInfo = { id, name: id, created: '2026-11-24T00:00:00Z', updated: '2026-11-24T01:00:00Z', config, ...taskFieldsOf(config), engine: { engine: 'wasm', backend: 'wasm-simd' }, seed: config.seed, status: 'finished' };
  writeFileSync(join(runDir, RUN_FILE), JSON.stringify(info));
  const lines: string[] = [];
  for (let episode = 1; episode <= EPISODES; episode++) {
    const step = episode * 200;
    const row: EpisodeRow = { type: 'episode', episode, step, return: -1200 + 1000 * (episode / EPISODES) + 50 * Math.sin(episode), length: 200, criticLoss: 0.5, actorLoss: 40, meanQ: -40, wallTime: episode * 0.3 };
    lines.push(JSON.stringify(row));
    if (episode % EVAL_EVERY === 0) {
      const returns = Array.from({ length: 10 }, (_, i) => row.return + i);
      const evalRow: EvalRow = { type: 'eval', episode, step, mean: row.return + 4.5, std: 2.9, returns, wallTime: row.wallTime + 0.1 };
      lines.push(JSON.stringify(evalRow));
    }
  }
  writeFileSync(join(runDir, METRICS_FILE), lines.join('\n') + '\n');
  return { runId: id, runDir };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const runsDir = mkdtempSync(join(tmpdir(), 'ddpg-bench-compare-'));
  try {
    const targets = Array.from({ length: RUNS }, (_, i) => writeRun(runsDir, i));
    const fromDisk: ComparisonSources = { loadHistory: (_id, dir) => RunHistory.load(dir), isLive: () => false };
    const firstTimes: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const start = performance.now();
      await buildComparison(fromDisk, targets);
      firstTimes.push(performance.now() - start);
    }
    const histories = new Map(await Promise.all(targets.map(async (t) => [t.runId, await RunHistory.load(t.runDir)] as const)));
    const inMemory: ComparisonSources = { loadHistory: (id) => Promise.resolve(histories.get(id)!), isLive: () => true };
    const refreshTimes: number[] = [];
    let bytes = 0;
    for (let r = 0; r < REPEATS; r++) {
      const start = performance.now();
      const message = await buildComparison(inMemory, targets);
      bytes = JSON.stringify(message).length;
      refreshTimes.push(performance.now() - start);
    }
    console.log(
      JSON.stringify({
        runs: RUNS,
        episodesPerRun: EPISODES,
        evalsPerRun: Math.floor(EPISODES / EVAL_EVERY),
        firstComparisonFromDiskMs: +median(firstTimes).toFixed(1),
        liveRefreshFromMemoryMs: +median(refreshTimes).toFixed(2),
        messageKB: +(bytes / 1024).toFixed(1),
      }),
    );
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}

void main();
