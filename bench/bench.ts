/**
 * Engine benchmark (npm run bench = build + node dist/bench.js): one JSON line per engine/backend
 * × hidden width × batch size,
 *   {"engine","backend","hidden","batch","msPerUpdate","updatesPerSecond","gflops","cpuMsPerUpdate"}
 * (ms and GFLOP/s from the median wall time; cpuMsPerUpdate is the median process CPU time, the
 * steadier figure when other work shares the machine)
 * and, with --solve, end-to-end runs of the CLI (see solveBenchmark.ts). Progress goes to stderr.
 *
 * TD3's rows (bench/td3Benchmark.ts) follow, per env step: {"algorithm":"td3",…,"msPerStep",…}.
 * SAC's rows (bench/sacBenchmark.ts) likewise: {"algorithm":"sac",…,"msPerStep",…}.
 *
 * The whole training loop against the update alone (bench/loopBenchmark.ts, issue #13's ≥ 85 % on
 * HalfCheetah-v5) follows: {"algorithm","environment","threads","pair","mode",…} rows and their ratios.
 *
 * Flags: --solve  also the (minutes-long) CLI runs
 *        --algorithm ddpg,td3 which algorithms' rows (default all; 'environments': the MuJoCo environments' steps/s rows;
 *                             'loop': the whole loop against update-only, TD3 and SAC, both thread modes, with and
 *                             without a dashboard attached — the default set runs a shorter version of it)
 *        --env HalfCheetah-v5 the loop benchmark's environment (it needs TD3 and SAC presets for it)
 *        --pairs 3            the loop benchmark's interleaved update/loop pairs
 *        --loop-algorithms td3,sac  --loop-threads default,1  --loop-modes loop,dashboard  --loop-episodes 2
 *        --reference          also time the PyTorch references (bench/reference/td3_reference.py, sac_reference.py), one thread
 *        --only <name>        only one engine ("wasm", "tfjs") or one "engine backend" pair
 *        --hidden 64,128      hidden widths (both networks [H, H]); default 64,128,256
 *        --batch 64,128       batch sizes; default 64,128,256
 *        --solve-only         the CLI runs without the engine table
 */
import type { EnvironmentId } from '../src/shared/environments';
import { benchmarkLoop, DEFAULT_LOOP_OPTIONS, QUICK_LOOP_OPTIONS, type LoopBenchmarkOptions } from './loopBenchmark';
import { benchmarkMujocoEnvironments } from './mujocoEnvironments';
import type { Engine, EngineOptions } from '../src/agent/engine/engine';
import { createTfjsEngine } from '../src/agent/engine/tfjs/tfjsEngine';
import { enableRelaxedSimd } from '../src/agent/engine/wasm/relaxedSimd';
import { createWasmEngine } from '../src/agent/engine/wasm/wasmEngine';
import { updateFlops } from './flops';
import { runSolveBenchmark } from './solveBenchmark';
import { benchmarkTd3 } from './td3Benchmark';
import { benchmarkSac } from './sacBenchmark';
import { DEFAULT_BUDGET, timeUpdates } from './updateBenchmark';

interface Candidate {
  label: string;
  create(options: EngineOptions): Promise<Engine>;
}

const CANDIDATES: Candidate[] = [
  { label: 'wasm wasm-simd', create: (o) => createWasmEngine(o, { simd: 'simd' }) },
  { label: 'wasm wasm-relaxed-simd', create: (o) => createWasmEngine(o, { simd: 'relaxed-simd' }) },
  { label: 'wasm wasm-simd-2threads', create: (o) => createWasmEngine(o, { simd: 'simd', threads: 2 }) },
  { label: 'wasm wasm-relaxed-simd-2threads', create: (o) => createWasmEngine(o, { simd: 'relaxed-simd', threads: 2 }) },
  { label: 'wasm wasm-relaxed-simd-adaptive-threads', create: (o) => createWasmEngine(o, { simd: 'relaxed-simd', threads: 'adaptive' }) },
  { label: 'tfjs tensorflow', create: (o) => createTfjsEngine({ ...o, backend: 'tensorflow' }) },
  { label: 'tfjs wasm', create: (o) => createTfjsEngine({ ...o, backend: 'wasm' }) },
  { label: 'tfjs cpu', create: (o) => createTfjsEngine({ ...o, backend: 'cpu' }) },
];

function listFlag(argv: string[], name: string, fallback: number[]): number[] {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const values = (argv[at + 1] ?? '').split(',').map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`${name} expects comma-separated positive integers`);
  return values;
}

function log(message: string): void {
  process.stderr.write(message + '\n');
}

/** The benchmark measures both wasm variants, so it enables relaxed SIMD where the runtime can. */
function enableRelaxedSimdForThisProcess(): void {
  log(enableRelaxedSimd() ? 'note: relaxed SIMD available in this process' : 'note: relaxed SIMD unavailable in this process');
}

async function benchmarkEngines(argv: string[]): Promise<void> {
  const hiddens = listFlag(argv, '--hidden', [64, 128, 256]);
  const batches = listFlag(argv, '--batch', [64, 128, 256]);
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const hyper = { gamma: 0.99, tau: 0.005, actorLr: 1e-4, criticLr: 1e-3 };
  for (const candidate of CANDIDATES) {
    if (only && candidate.label !== only && candidate.label.split(' ')[0] !== only) continue;
    for (const hidden of hiddens) {
      for (const batch of batches) {
        const shape = { obsDim: 3, actDim: 1, actorHidden: [hidden, hidden], criticHidden: [hidden, hidden], actionBound: 2 };
        let engine: Engine;
        try {
          engine = await candidate.create({ shape, hyper, batchSize: batch });
        } catch (error) {
          log(`skipping ${candidate.label}: ${(error as Error).message}`);
          break;
        }
        try {
          // tfjs on its cpu backend needs ~0.2 s per update at H = 256: fewer, shorter rounds.
          const slow = candidate.label === 'tfjs cpu';
          const timing = timeUpdates(engine, slow ? { ...DEFAULT_BUDGET, warmupSeconds: 0.3, rounds: 5, maxSeconds: 2 } : DEFAULT_BUDGET);
          const ms = timing.msPerUpdate;
          const row = {
            algorithm: 'ddpg',
            engine: engine.info.engine,
            backend: engine.info.backend,
            hidden,
            batch,
            msPerUpdate: Number(ms.toFixed(4)),
            updatesPerSecond: Number((1000 / ms).toFixed(1)),
            gflops: Number((updateFlops(shape, batch) / (ms * 1e6)).toFixed(2)),
            cpuMsPerUpdate: Number(timing.cpuMsPerUpdate.toFixed(4)),
          };
          process.stdout.write(JSON.stringify(row) + '\n');
        } finally {
          engine.dispose();
        }
      }
    }
  }
}

function stringFlag(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at < 0 ? undefined : argv[at + 1];
}

/** The loop benchmark's options: the full set with --algorithm loop, the short one in the default set, flags over either. */
function loopOptions(argv: string[], full: boolean): LoopBenchmarkOptions {
  const base = full ? DEFAULT_LOOP_OPTIONS : QUICK_LOOP_OPTIONS;
  const list = <T extends string>(name: string, allowed: readonly T[], fallback: T[]): T[] => {
    const raw = stringFlag(argv, name);
    if (raw === undefined) return fallback;
    const values = raw.split(',') as T[];
    if (values.length === 0 || values.some((v) => !allowed.includes(v))) throw new Error(`${name} expects some of ${allowed.join(',')}`);
    return values;
  };
  const count = (name: string, fallback: number) => (stringFlag(argv, name) === undefined ? fallback : listFlag(argv, name, [fallback])[0]);
  return {
    environment: (stringFlag(argv, '--env') as EnvironmentId | undefined) ?? base.environment,
    algorithms: list('--loop-algorithms', ['td3', 'sac'] as const, base.algorithms),
    pairs: count('--pairs', base.pairs),
    threads: list('--loop-threads', ['default', '1'] as const, base.threads),
    modes: list('--loop-modes', ['loop', 'dashboard'] as const, base.modes),
    episodes: count('--loop-episodes', base.episodes),
  };
}

async function main(argv: string[]): Promise<void> {
  log(`node ${process.version}, V8 ${process.versions.v8}, ${process.platform}/${process.arch}`);
  enableRelaxedSimdForThisProcess();
  const explicit = argv.includes('--algorithm');
  const algorithms = explicit ? (argv[argv.indexOf('--algorithm') + 1] ?? '').split(',') : ['ddpg', 'td3', 'sac', 'environments', 'loop'];
  if (!argv.includes('--solve-only')) {
    if (algorithms.includes('ddpg')) await benchmarkEngines(argv);
    if (algorithms.includes('td3')) {
      const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
      const sizes = { hiddens: listFlag(argv, '--hidden', [64, 128, 256]), batches: listFlag(argv, '--batch', [64, 128, 256]) };
      await benchmarkTd3({ ...sizes, only, reference: argv.includes('--reference') }, log);
    }
    if (algorithms.includes('sac')) {
      const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
      const sizes = { hiddens: listFlag(argv, '--hidden', [64, 128, 256]), batches: listFlag(argv, '--batch', [64, 128, 256]) };
      await benchmarkSac({ ...sizes, only, reference: argv.includes('--reference') }, log);
    }
    // Each MuJoCo environment's step against frame_skip raw mj_step calls on the same model.
    if (algorithms.includes('environments')) await benchmarkMujocoEnvironments({}, log);
    // The whole training loop (the CLI's train) against the update alone, interleaved pair by pair.
    if (algorithms.includes('loop')) await benchmarkLoop(loopOptions(argv, explicit), log);
  }
  if (argv.includes('--solve') || argv.includes('--solve-only')) await runSolveBenchmark(log);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
