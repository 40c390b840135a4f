/**
 * SAC's rows of the engine benchmark: the cost of one env step's update (updatesPerStep 1) with
 * the 2·batch·|A| normal draws the agent makes for it, per engine/backend × hidden × batch,
 *   {"algorithm":"sac","engine","backend","hidden","batch","msPerStep","stepsPerSecond","gflops","cpuMsPerStep"}
 * and with `reference`, the PyTorch reference's row for the same size first
 * (bench/reference/sac_reference.py, one thread, its torch.randn draws included) and each row's
 * `speedupVsPytorch` (wall time) and `cpuSpeedupVsPytorch` (process CPU time, the steadier figure on
 * a shared machine). Replay sampling is left out on both sides.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch, Engine, EngineOptions, NetworkShape } from '../src/agent/engine/engine';
import { criticLayers } from '../src/agent/engine/parameters';
import { sacActorLayers, sacInitialParameters } from '../src/agent/engine/sacParameters';
import { createSacTfjsEngine } from '../src/agent/engine/tfjs/sacTfjsEngine';
import { createSacWasmEngine } from '../src/agent/engine/wasm/sacEngine';
import { Random } from '../src/agent/random';
import { DEFAULT_BUDGET, timeUpdates, type UpdateWorkload } from './updateBenchmark';

/**
 * What timeUpdates needs to time SAC's update of one env step: SAC's initial parameters (α from
 * `initialAlpha`) and, before each update, the agent's draws ε′ and ε (batch·|A| normals each).
 */
export function sacWorkload(initialAlpha = 1, seed = 2): UpdateWorkload {
  const noise = new Random(seed);
  const drawNoise = (batch: Batch) => {
    for (const array of [batch.targetNoise!, batch.policyNoise!]) for (let k = 0; k < array.length; k++) array[k] = noise.normal();
  };
  return { parameters: (s, rng) => sacInitialParameters(s, rng, initialAlpha), beforeUpdate: drawNoise };
}

interface Candidate {
  label: string;
  create(options: EngineOptions): Promise<Engine>;
}

const CANDIDATES: Candidate[] = [
  { label: 'wasm wasm-simd', create: (o) => createSacWasmEngine(o, { simd: 'simd', threads: 1 }) },
  { label: 'wasm wasm-relaxed-simd', create: (o) => createSacWasmEngine(o, { simd: 'relaxed-simd', threads: 1 }) },
  { label: 'wasm wasm-relaxed-simd-2threads', create: (o) => createSacWasmEngine(o, { simd: 'relaxed-simd', threads: 2 }) },
  { label: 'wasm wasm-relaxed-simd-adaptive-threads', create: (o) => createSacWasmEngine(o, { simd: 'relaxed-simd', threads: 'adaptive' }) },
  { label: 'tfjs wasm', create: (o) => createSacTfjsEngine({ ...o, backend: 'wasm' }) },
  { label: 'tfjs cpu', create: (o) => createSacTfjsEngine({ ...o, backend: 'cpu' }) },
];

type Layers = ReadonlyArray<[number, number]>;
const forwardFlops = (layers: Layers, rows: number) => layers.reduce((sum, [inputs, outputs]) => sum + 2 * rows * inputs * outputs, 0);
/** dX = dZ·Wᵀ of every layer but the first (whose input is data). */
const hiddenInputGradientFlops = (layers: Layers, rows: number) => forwardFlops(layers.slice(1), rows);

/**
 * Matrix FLOPs of one SAC update (bench/flops.ts's counting): the actor and both target critics
 * forward at s′; each critic's forward, weight and input gradients; the actor forward at s, both
 * critics forward and back to the action, and the actor's weight and input gradients.
 */
export function sacUpdateFlops(shape: NetworkShape, batch: number): number {
  const actor = sacActorLayers(shape);
  const critic = criticLayers(shape);
  const targets = forwardFlops(actor, batch) + 2 * forwardFlops(critic, batch);
  const critics = 2 * (2 * forwardFlops(critic, batch) + hiddenInputGradientFlops(critic, batch));
  const throughCritics = 2 * (forwardFlops(critic, batch) + hiddenInputGradientFlops(critic, batch) + 2 * batch * shape.actDim * critic[0][1]);
  const actorStep = 2 * forwardFlops(actor, batch) + throughCritics + hiddenInputGradientFlops(actor, batch);
  return targets + critics + actorStep;
}

/** The PyTorch reference's row, or null (with the reason logged) when it cannot run here. */
function referenceRow(hidden: number, batch: number, log: (message: string) => void): { msPerStep: number; cpuMsPerStep?: number } | null {
  const script = [join(__dirname, 'reference', 'sac_reference.py'), join(__dirname, '..', 'bench', 'reference', 'sac_reference.py')].find(existsSync);
  if (!script) {
    log('skipping the PyTorch reference: sac_reference.py not found');
    return null;
  }
  const python = process.env.DDPG_BENCH_PYTHON ?? '/usr/bin/python3';
  const result = spawnSync(python, [script, '--update-benchmark', '--hidden', String(hidden), '--batch', String(batch)], { encoding: 'utf8' });
  const line = result.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (result.status !== 0 || !line) {
    log(`skipping the PyTorch reference: ${python} ${script} failed (${(result.stderr ?? String(result.error)).trim().split('\n').pop()})`);
    return null;
  }
  process.stdout.write(line + '\n');
  return JSON.parse(line) as { msPerStep: number; cpuMsPerStep?: number };
}

export interface SacBenchmarkOptions {
  hiddens: number[];
  batches: number[];
  /** One engine ("wasm", "tfjs") or one "engine backend" pair. */
  only?: string;
  /** Also time the PyTorch reference at each size, in the same run. */
  reference: boolean;
}

export async function benchmarkSac(options: SacBenchmarkOptions, log: (message: string) => void): Promise<void> {
  const hyper = { gamma: 0.99, tau: 0.005, actorLr: 1e-3, criticLr: 1e-3 };
  // One noise stream across every row, as before: the agent's per-update draws ε′ and ε.
  const workload = sacWorkload();
  for (const hidden of options.hiddens) {
    for (const batch of options.batches) {
      const reference = options.reference ? referenceRow(hidden, batch, log) : null;
      const shape = { obsDim: 3, actDim: 1, actorHidden: [hidden, hidden], criticHidden: [hidden, hidden], actionBound: 2 };
      for (const candidate of CANDIDATES) {
        if (options.only && candidate.label !== options.only && candidate.label.split(' ')[0] !== options.only) continue;
        let engine: Engine;
        try {
          engine = await candidate.create({ algorithm: 'sac', shape, hyper, batchSize: batch });
        } catch (error) {
          log(`skipping sac ${candidate.label}: ${(error as Error).message}`);
          continue;
        }
        try {
          const slow = candidate.label === 'tfjs cpu';
          const budget = slow ? { ...DEFAULT_BUDGET, warmupSeconds: 0.3, rounds: 5, maxSeconds: 2 } : DEFAULT_BUDGET;
          const timing = timeUpdates(engine, budget, workload);
          const ms = timing.msPerUpdate;
          const row = {
            algorithm: 'sac',
            engine: engine.info.engine,
            backend: engine.info.backend,
            hidden,
            batch,
            msPerStep: Number(ms.toFixed(4)),
            stepsPerSecond: Number((1000 / ms).toFixed(1)),
            gflops: Number((sacUpdateFlops(shape, batch) / (ms * 1e6)).toFixed(2)),
            cpuMsPerStep: Number(timing.cpuMsPerUpdate.toFixed(4)),
            ...(reference
              ? {
                  speedupVsPytorch: Number((reference.msPerStep / ms).toFixed(2)),
                  ...(reference.cpuMsPerStep ? { cpuSpeedupVsPytorch: Number((reference.cpuMsPerStep / timing.cpuMsPerUpdate).toFixed(2)) } : {}),
                }
              : {}),
          };
          process.stdout.write(JSON.stringify(row) + '\n');
        } finally {
          engine.dispose();
        }
      }
    }
  }
}
