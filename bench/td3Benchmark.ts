/**
 * TD3's rows of the engine benchmark: the cost of the updates of one env step (one critic update,
 * and the actor and target updates every policyDelay-th), per engine/backend × hidden × batch,
 *   {"algorithm":"td3","engine","backend","hidden","batch","policyDelay","msPerStep","stepsPerSecond","gflops","cpuMsPerStep"}
 * and with `reference`, the PyTorch reference's row for the same size first
 * (bench/reference/td3_reference.py, one thread) and each row's `speedupVsPytorch`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, EngineOptions, NetworkShape, UpdateSchedule } from '../src/agent/engine/engine';
import { actorLayers, criticLayers } from '../src/agent/engine/parameters';
import { td3InitialParameters } from '../src/agent/engine/td3Parameters';
import { createTd3TfjsEngine } from '../src/agent/engine/tfjs/td3TfjsEngine';
import { createTd3WasmEngine } from '../src/agent/engine/wasm/td3Engine';
import { DEFAULT_BUDGET, timeUpdates, type UpdateWorkload } from './updateBenchmark';

const POLICY_DELAY = 2;

/**
 * What timeUpdates needs to time TD3's updates of one env step: TD3's initial parameters and the
 * policy-delay schedule (the actor and targets on every policyDelay-th update, as td3.ts does).
 */
export function td3Workload(policyDelay = POLICY_DELAY): UpdateWorkload {
  const schedules: UpdateSchedule[] = Array.from({ length: policyDelay }, (_, k) => ({ actorAndTargets: k === 0 }));
  return { parameters: td3InitialParameters, schedules };
}

interface Candidate {
  label: string;
  create(options: EngineOptions): Promise<Engine>;
}

const CANDIDATES: Candidate[] = [
  { label: 'wasm wasm-simd', create: (o) => createTd3WasmEngine(o, { simd: 'simd', threads: 1 }) },
  { label: 'wasm wasm-relaxed-simd', create: (o) => createTd3WasmEngine(o, { simd: 'relaxed-simd', threads: 1 }) },
  { label: 'wasm wasm-relaxed-simd-2threads', create: (o) => createTd3WasmEngine(o, { simd: 'relaxed-simd', threads: 2 }) },
  { label: 'wasm wasm-relaxed-simd-adaptive-threads', create: (o) => createTd3WasmEngine(o, { simd: 'relaxed-simd', threads: 'adaptive' }) },
  { label: 'tfjs wasm', create: (o) => createTd3TfjsEngine({ ...o, backend: 'wasm' }) },
  { label: 'tfjs cpu', create: (o) => createTd3TfjsEngine({ ...o, backend: 'cpu' }) },
];

type Layers = ReadonlyArray<[number, number]>;
const forwardFlops = (layers: Layers, rows: number) => layers.reduce((sum, [inputs, outputs]) => sum + 2 * rows * inputs * outputs, 0);
/** dX = dZ·Wᵀ of every layer but the first (whose input is data). */
const hiddenInputGradientFlops = (layers: Layers, rows: number) => forwardFlops(layers.slice(1), rows);

/**
 * Matrix FLOPs of one env step's updates (bench/flops.ts's counting): the target actor and both
 * target critics forward, and each critic's forward, weight and input gradients, every update;
 * every policyDelay-th also the actor's forward, critic 1 forward and back to the action, and
 * the actor's gradients.
 */
export function td3StepFlops(shape: NetworkShape, batch: number, policyDelay = POLICY_DELAY): number {
  const actor = actorLayers(shape);
  const critic = criticLayers(shape);
  const targets = forwardFlops(actor, batch) + 2 * forwardFlops(critic, batch);
  const critics = 2 * (2 * forwardFlops(critic, batch) + hiddenInputGradientFlops(critic, batch));
  const actorStep =
    2 * forwardFlops(actor, batch) + forwardFlops(critic, batch) + hiddenInputGradientFlops(critic, batch) +
    2 * batch * shape.actDim * critic[0][1] + hiddenInputGradientFlops(actor, batch);
  return targets + critics + actorStep / policyDelay;
}

/** The PyTorch reference's row, or null (with the reason logged) when it cannot run here. */
function referenceRow(hidden: number, batch: number, log: (message: string) => void): { msPerStep: number } | null {
  const script = [join(__dirname, 'reference', 'td3_reference.py'), join(__dirname, '..', 'bench', 'reference', 'td3_reference.py')].find(existsSync);
  if (!script) {
    log('skipping the PyTorch reference: td3_reference.py not found');
    return null;
  }
  const python = process.env.DDPG_BENCH_PYTHON ?? '/usr/bin/python3';
  const result = spawnSync(python, [script, '--update-benchmark', '--hidden', String(hidden), '--batch', String(batch), '--policy-delay', String(POLICY_DELAY)], { encoding: 'utf8' });
  const line = result.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (result.status !== 0 || !line) {
    log(`skipping the PyTorch reference: ${python} ${script} failed (${(result.stderr ?? String(result.error)).trim().split('\n').pop()})`);
    return null;
  }
  process.stdout.write(line + '\n');
  return JSON.parse(line) as { msPerStep: number };
}

export interface Td3BenchmarkOptions {
  hiddens: number[];
  batches: number[];
  /** One engine ("wasm", "tfjs") or one "engine backend" pair. */
  only?: string;
  /** Also time the PyTorch reference at each size, in the same run. */
  reference: boolean;
}

export async function benchmarkTd3(options: Td3BenchmarkOptions, log: (message: string) => void): Promise<void> {
  const hyper = { gamma: 0.99, tau: 0.005, actorLr: 1e-4, criticLr: 1e-3 };
  for (const hidden of options.hiddens) {
    for (const batch of options.batches) {
      const reference = options.reference ? referenceRow(hidden, batch, log) : null;
      const shape = { obsDim: 3, actDim: 1, actorHidden: [hidden, hidden], criticHidden: [hidden, hidden], actionBound: 2 };
      for (const candidate of CANDIDATES) {
        if (options.only && candidate.label !== options.only && candidate.label.split(' ')[0] !== options.only) continue;
        let engine: Engine;
        try {
          engine = await candidate.create({ algorithm: 'td3', shape, hyper, batchSize: batch });
        } catch (error) {
          log(`skipping td3 ${candidate.label}: ${(error as Error).message}`);
          continue;
        }
        try {
          const slow = candidate.label === 'tfjs cpu';
          const budget = slow ? { ...DEFAULT_BUDGET, warmupSeconds: 0.3, rounds: 5, maxSeconds: 2 } : DEFAULT_BUDGET;
          const timing = timeUpdates(engine, budget, td3Workload());
          const ms = timing.msPerUpdate;
          const row = {
            algorithm: 'td3',
            engine: engine.info.engine,
            backend: engine.info.backend,
            hidden,
            batch,
            policyDelay: POLICY_DELAY,
            msPerStep: Number(ms.toFixed(4)),
            stepsPerSecond: Number((1000 / ms).toFixed(1)),
            gflops: Number((td3StepFlops(shape, batch) / (ms * 1e6)).toFixed(2)),
            cpuMsPerStep: Number(timing.cpuMsPerUpdate.toFixed(4)),
            ...(reference ? { speedupVsPytorch: Number((reference.msPerStep / ms).toFixed(2)) } : {}),
          };
          process.stdout.write(JSON.stringify(row) + '\n');
        } finally {
          engine.dispose();
        }
      }
    }
  }
}
