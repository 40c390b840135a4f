/**
 * The whole training loop against the update alone (issue #13: "the whole training loop on
 * HalfCheetah-v5 runs at ≥ 85 % of update-only speed"), TD3 and SAC with their presets' networks
 * and batch, in one process, interleaved pair by pair:
 *
 *   update  the engine the trainer would build for the preset (createEngine, the same thread mode)
 *           timing the updates of one env step on a fixed batch of the preset's shape, with the
 *           TD3 / SAC workloads of td3Benchmark.ts / sacBenchmark.ts (timeUpdates);
 *   loop    the CLI's `train` itself (dist/cli.js's main, loaded as built: the code path of
 *           `node dist/cli.js train --json`), the preset with every step an update (warm-up = batch
 *           size), no evaluations, periodic checkpoints or replay-buffer saving; its rate is taken
 *           between two episode rows as the CLI prints them (episodes of 1000 steps: from the end of
 *           the first, so warm-up, start-up and the final evaluation are outside);
 *   dashboard  the same with a dashboard attached: a separate process connects to the run's socket
 *           as a window does and asks for frames (setFrameStreaming), so the trainer records
 *           episodes for live playback and sends frames and event batches over the socket; the
 *           reader's own cost is in its process, as a window's is in the extension host.
 *
 * Each for the default thread mode (what a run gets: 'auto', adaptive on 2+ cores at this size) and
 * for one thread (DDPG_WASM_THREADS=1). Rates are per second of this process's CPU time
 * (process.cpuUsage: every thread of the process, the engine's helper included), which a machine
 * shared with other work disturbs less than wall time; wall figures are printed too. Rows:
 *   {"algorithm","environment","threads","pair","mode","backend","steps","msPerStep","cpuMsPerStep",
 *    "stepsPerSecond","cpuStepsPerSecond","twoThreadShare"}      (twoThreadShare: of the engine's
 *    updates, the share its helper thread took part in; a loop's over its whole run)
 *   {"algorithm","environment","threads","pair","ratio":"loop/update","cpu","wall",…TwoThreadShare
 *    [,"dashboardCpu","dashboardWall"]}                             (steps/s of the loop over update-only's)
 * and first the environment's own step cost: {"environment","envCpuUsPerStep","rawMjStepsCpuUsPerStep"
 * (mujocoEnvironments.ts's figures),"envStepAloneCpuUs","envStepAfterUpdateCpuUs","updateAloneCpuUs",
 * "updateAfterEnvStepCpuUs"} (what a step costs right after an update, and an update right after a
 * step); last one summary row per algorithm and thread mode (medians over pairs, and envOnlyRatioCpu:
 * the ratio the environment's step after an update alone would leave).
 * `npm run bench` runs a shorter version (QUICK_LOOP_OPTIONS).
 *
 *   node dist/bench.js --algorithm loop [--env HalfCheetah-v5] [--loop-algorithms td3,sac] [--pairs 3]
 *       [--loop-threads default,1] [--loop-modes loop,dashboard] [--loop-episodes 2]
 */

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { main as cliMain } from '../src/agent/cli';
import { shapeForConfig } from '../src/agent/checkpoint';
import type { Engine } from '../src/agent/engine/engine';
import { createEngine } from '../src/agent/engine/index';
import { makeEnv, prepareEnvironment } from '../src/agent/env/index';
import { Random } from '../src/agent/random';
import { resolveConfig, type AlgorithmId, type RunConfig } from '../src/shared/config';
import type { EnvironmentId } from '../src/shared/environments';
import { socketPathFor } from '../src/shared/node/trainerSocket';
import { presetFor } from '../src/shared/presets';
import { benchmarkMujocoEnvironment } from './mujocoEnvironments';
import { sacWorkload } from './sacBenchmark';
import { td3Workload } from './td3Benchmark';
import { DEFAULT_BUDGET, timeUpdates, type UpdateWorkload } from './updateBenchmark';

export type LoopThreads = 'default' | '1';
export type LoopMode = 'loop' | 'dashboard';

export interface LoopBenchmarkOptions {
  environment: EnvironmentId;
  algorithms: Array<Extract<AlgorithmId, 'td3' | 'sac'>>;
  pairs: number;
  threads: LoopThreads[];
  modes: LoopMode[];
  /** Episodes (of 1000 steps) timed per loop run, after the first. */
  episodes: number;
}

export const DEFAULT_LOOP_OPTIONS: LoopBenchmarkOptions = {
  environment: 'HalfCheetah-v5',
  algorithms: ['td3', 'sac'],
  pairs: 3,
  threads: ['default', '1'],
  modes: ['loop', 'dashboard'],
  episodes: 2,
};

/**
 * What `npm run bench` runs by default (43 s of CPU here): one thread, the CLI without a dashboard,
 * one episode timed. One thread because it is the steady figure of what the loop adds: under the
 * default (adaptive) mode each side's policy picks its own thread count from the load of the
 * moment, and on a shared machine the pairs then scatter far more than the loop's overhead.
 */
export const QUICK_LOOP_OPTIONS: LoopBenchmarkOptions = { ...DEFAULT_LOOP_OPTIONS, threads: ['1'], modes: ['loop'], episodes: 1 };

interface Timing {
  steps: number;
  wallSeconds: number;
  cpuSeconds: number;
  backend: string;
  twoThreadShare: number | null;
  /** Bytes and frame events the attached reader received (dashboard mode). */
  reader?: { bytes: number; frameEvents: number };
}

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

const round = (value: number, digits: number) => Number(value.toFixed(digits));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs `body` with DDPG_WASM_THREADS as the thread mode asks (createEngine reads it when it builds an engine). */
async function withThreads<T>(threads: LoopThreads, body: () => Promise<T>): Promise<T> {
  const before = process.env.DDPG_WASM_THREADS;
  if (threads === '1') process.env.DDPG_WASM_THREADS = '1';
  else delete process.env.DDPG_WASM_THREADS;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.DDPG_WASM_THREADS;
    else process.env.DDPG_WASM_THREADS = before;
  }
}

function presetConfig(environment: EnvironmentId, algorithm: AlgorithmId): { id: string; config: RunConfig } {
  const preset = presetFor(environment, algorithm);
  if (!preset) throw new Error(`no ${algorithm} preset for ${environment}`);
  const { config, errors } = resolveConfig({ ...preset.settings, engine: 'wasm', seed: 1 });
  if (!config) throw new Error(`preset ${preset.id}: ${errors.map((e) => e.message).join('; ')}`);
  return { id: preset.id, config };
}

function workloadFor(config: RunConfig): UpdateWorkload {
  return config.algorithm === 'td3' ? td3Workload(config.policyDelay) : sacWorkload(config.initialAlpha);
}

/** Update only: the trainer's engine for this configuration, the updates of one env step timed back to back. */
async function timeUpdateOnly(config: RunConfig): Promise<Timing> {
  const engine: Engine = await createEngine('wasm', { algorithm: config.algorithm, shape: shapeForConfig(config), hyper: config, batchSize: config.batchSize });
  try {
    const timing = timeUpdates(engine, DEFAULT_BUDGET, workloadFor(config));
    const usage = engine.threadUsage?.();
    return {
      steps: timing.updates,
      wallSeconds: (timing.meanMsPerUpdate * timing.updates) / 1000,
      cpuSeconds: (timing.meanCpuMsPerUpdate * timing.updates) / 1000,
      backend: engine.info.backend,
      twoThreadShare: usage && usage.updates > 0 ? usage.twoThreadUpdates / usage.updates : null,
    };
  } finally {
    engine.dispose();
  }
}

/**
 * The environment's step as the loop sees it, against the same step back to back: each step right
 * after an update (which has pushed MuJoCo's code and data out of the caches), and the update right
 * after a step against updates back to back. CPU microseconds per call, medians of interleaved
 * rounds; one thread, the preset's engine, random actions.
 */
interface InLoopCosts {
  envAloneUs: number;
  envAfterUpdateUs: number;
  updateAloneUs: number;
  updateAfterEnvUs: number;
}

async function environmentStepInLoop(config: RunConfig, steps = 500, rounds = 3): Promise<InLoopCosts> {
  await prepareEnvironment(config.environment);
  const env = makeEnv(config.environment, { rng: new Random(1) });
  const engine = await withThreads('1', () => createEngine('wasm', { algorithm: config.algorithm, shape: shapeForConfig(config), hyper: config, batchSize: config.batchSize }));
  try {
    const rng = new Random(2);
    engine.setParameters(workloadFor(config).parameters!(engine.shape, rng));
    const action = new Float32Array(env.spec.actionSize);
    env.reset();
    const step = () => {
      for (let k = 0; k < action.length; k++) action[k] = rng.uniform(env.spec.actionLow, env.spec.actionHigh);
      const result = env.step(action);
      if (result.terminated || result.truncated) env.reset();
    };
    const update = () => engine.update();
    const microseconds = () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    };
    /** Mean CPU µs of each call of `first` and of `second`, called in turn `steps` times. */
    const alternate = (first: (() => void) | null, second: () => void): [number, number] => {
      let a = 0;
      let b = 0;
      for (let i = 0; i < steps; i++) {
        const t0 = microseconds();
        first?.();
        const t1 = microseconds();
        second();
        b += microseconds() - t1;
        a += t1 - t0;
      }
      return [a / steps, b / steps];
    };
    const measure = () => {
      const [, envAlone] = alternate(null, step);
      const [, updateAlone] = alternate(null, update);
      const [updateAfterEnv, envAfterUpdate] = alternate(update, step);
      return { envAlone, updateAlone, updateAfterEnv, envAfterUpdate };
    };
    measure();
    const samples = Array.from({ length: rounds }, measure);
    const pick = (key: keyof ReturnType<typeof measure>) => median(samples.map((m) => m[key]));
    return { envAloneUs: pick('envAlone'), envAfterUpdateUs: pick('envAfterUpdate'), updateAloneUs: pick('updateAlone'), updateAfterEnvUs: pick('updateAfterEnv') };
  } finally {
    engine.dispose();
    env.dispose?.();
  }
}

type CliModule = { main: typeof cliMain };

/** dist/cli.js as built: importing src/agent/cli.ts into this bundle would run its entry point. */
function loadCli(): CliModule {
  const file = [join(__dirname, 'cli.js'), join(__dirname, '..', 'dist', 'cli.js')].find((f) => existsSync(f));
  if (!file) throw new Error('dist/cli.js not found: run npm run build');
  return createRequire(__filename)(file) as CliModule;
}

/** A window's reader, in its own process: attaches to the run's socket, asks for frames, counts what arrives. */
const READER = `
const socket = require('node:net').connect(process.argv[1]);
let bytes = 0, frameEvents = 0, tail = '';
socket.on('connect', () => socket.write(JSON.stringify({ type: 'setFrameStreaming', enabled: true }) + '\\n'));
socket.on('data', (chunk) => {
  bytes += chunk.length;
  const text = tail + chunk.toString('latin1');
  frameEvents += text.split('"type":"frames"').length - 1;
  tail = text.slice(-16);
});
socket.on('error', () => {});
socket.on('close', () => process.stdout.write(JSON.stringify({ bytes, frameEvents })));
`;

function attachReader(runDir: string): Promise<{ bytes: number; frameEvents: number }> {
  const child = spawn(process.execPath, ['-e', READER, socketPathFor(runDir)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(out ? (JSON.parse(out) as { bytes: number; frameEvents: number }) : { bytes: 0, frameEvents: 0 })));
}

interface CliLine {
  type?: string;
  runDir?: string;
  step?: number;
  engine?: { backend: string };
  threads?: { twoThreadUpdates: number; updates: number };
}

/**
 * The CLI's train on the preset, timed from the first episode row at or after step 1000 to the last
 * one (HalfCheetah's episodes are 1000 steps: the rows of episodes 1 and 1 + episodes).
 */
async function timeLoop(cli: CliModule, presetId: string, config: RunConfig, runsDir: string, episodes: number, mode: LoopMode, log: (m: string) => void): Promise<Timing> {
  const startStep = 1000;
  const totalSteps = startStep * (1 + episodes);
  const args = [
    'train', '--preset', presetId, '--engine', 'wasm', '--seed', '1', '--json', '--runs-dir', runsDir,
    '--total-steps', String(totalSteps), '--warmup', String(config.batchSize),
    '--eval-every-steps', '0', '--eval-every-episodes', '0', '--eval-episodes', '1',
    '--checkpoint-every', '0', '--no-save-replay-buffer', '--no-save-best-checkpoint',
  ];
  let start: { step: number; wall: number; cpu: number } | undefined;
  let end: { step: number; wall: number; cpu: number } | undefined;
  let backend = '';
  let twoThreadShare: number | null = null;
  let reader: Promise<{ bytes: number; frameEvents: number }> | undefined;
  let pending = '';
  const onLine = (text: string) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as CliLine;
    if (line.type === 'episode' && line.step !== undefined && line.step >= startStep) {
      const mark = { step: line.step, wall: performance.now() / 1000, cpu: cpuSeconds() };
      if (!start) start = mark;
      else end = mark;
    } else if (line.type === 'started') {
      backend = line.engine?.backend ?? '';
      if (mode === 'dashboard' && line.runDir) reader = attachReader(line.runDir);
    } else if (line.type === 'summary' && line.threads) {
      twoThreadShare = line.threads.updates > 0 ? line.threads.twoThreadUpdates / line.threads.updates : null;
    }
  };
  // The CLI's stdout is read here, line by line, as it is written (the episode rows mark the window).
  const ownWrite = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    callback?.();
    return true;
  };
  let code: number;
  try {
    code = await cli.main(args);
  } finally {
    if (ownWrite) Object.defineProperty(process.stdout, 'write', ownWrite);
    else Reflect.deleteProperty(process.stdout, 'write');
  }
  if (code !== 0) throw new Error(`the CLI exited with ${code}: node dist/cli.js ${args.join(' ')}`);
  if (!start || !end) throw new Error(`the CLI printed fewer than two episode rows from step ${startStep} on`);
  const timing: Timing = { steps: end.step - start.step, wallSeconds: end.wall - start.wall, cpuSeconds: end.cpu - start.cpu, backend, twoThreadShare };
  if (reader) {
    timing.reader = await reader;
    if (timing.reader.frameEvents === 0) log('warning: the attached reader received no frames');
  }
  return timing;
}


/** The share of the timing's updates that ran on two threads, as the rows print it. */
const twoThreadShareOf = (timing: Timing) => (timing.twoThreadShare === null ? null : round(timing.twoThreadShare, 3));

function timingRow(timing: Timing) {
  return {
    backend: timing.backend,
    steps: timing.steps,
    msPerStep: round((1000 * timing.wallSeconds) / timing.steps, 4),
    cpuMsPerStep: round((1000 * timing.cpuSeconds) / timing.steps, 4),
    stepsPerSecond: round(timing.steps / timing.wallSeconds, 1),
    cpuStepsPerSecond: round(timing.steps / timing.cpuSeconds, 1),
    twoThreadShare: twoThreadShareOf(timing),
    ...(timing.reader ? { readerBytes: timing.reader.bytes, readerFrameEvents: timing.reader.frameEvents } : {}),
  };
}

export async function benchmarkLoop(options: LoopBenchmarkOptions, log: (message: string) => void): Promise<void> {
  const print = (row: object) => process.stdout.write(JSON.stringify(row) + '\n');
  const cli = loadCli();
  // Every CLI run serves a socket, which adds an exit listener; a dozen runs in one process is expected.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 100));
  const env = await benchmarkMujocoEnvironment(options.environment, 0.3, 5);
  const inLoop = await environmentStepInLoop(presetConfig(options.environment, options.algorithms[0]).config);
  // What the loop pays for the environment: its step right after an update.
  const envCpuMs = inLoop.envAfterUpdateUs / 1000;
  print({
    environment: options.environment,
    envCpuUsPerStep: round(1e6 / env.envStepsPerSecond, 2),
    rawMjStepsCpuUsPerStep: round(1e6 / env.rawStepsPerSecond, 2),
    envStepAloneCpuUs: round(inLoop.envAloneUs, 2),
    envStepAfterUpdateCpuUs: round(inLoop.envAfterUpdateUs, 2),
    updateAloneCpuUs: round(inLoop.updateAloneUs, 1),
    updateAfterEnvStepCpuUs: round(inLoop.updateAfterEnvUs, 1),
  });
  const runsDir = mkdtempSync(join(tmpdir(), 'ddpg-loop-bench-'));
  try {
    for (const algorithm of options.algorithms) {
      const { id, config } = presetConfig(options.environment, algorithm);
      const ratios = new Map<LoopThreads, { cpu: number[]; wall: number[]; dashboardCpu: number[]; dashboardWall: number[]; updateCpuMs: number[]; loopCpuMs: number[] }>();
      for (let pair = 1; pair <= options.pairs; pair++) {
        for (const threads of options.threads) {
          const base = { algorithm, environment: options.environment, preset: id, threads, pair };
          log(`loop benchmark: ${algorithm} threads ${threads} pair ${pair}`);
          const update = await withThreads(threads, () => timeUpdateOnly(config));
          print({ ...base, mode: 'update', ...timingRow(update) });
          const loops: Partial<Record<LoopMode, Timing>> = {};
          for (const mode of options.modes) {
            const loop = await withThreads(threads, () => timeLoop(cli, id, config, runsDir, options.episodes, mode, log));
            loops[mode] = loop;
            print({ ...base, mode, ...timingRow(loop) });
          }
          const rate = (t: Timing) => ({ cpu: t.steps / t.cpuSeconds, wall: t.steps / t.wallSeconds });
          const u = rate(update);
          const entry = ratios.get(threads) ?? { cpu: [], wall: [], dashboardCpu: [], dashboardWall: [], updateCpuMs: [], loopCpuMs: [] };
          ratios.set(threads, entry);
          entry.updateCpuMs.push((1000 * update.cpuSeconds) / update.steps);
          const ratioRow: Record<string, unknown> = { ...base, ratio: 'loop/update', updateTwoThreadShare: twoThreadShareOf(update) };
          /** A mode's steps per second over the update's, by CPU and by wall time: into the row under `keys`, and onto `into`. */
          const recordRatio = (timing: Timing, keys: { cpu: string; wall: string; share: string }, into: { cpu: number[]; wall: number[] }) => {
            const r = rate(timing);
            const cpu = r.cpu / u.cpu;
            const wall = r.wall / u.wall;
            ratioRow[keys.cpu] = round(cpu, 4);
            ratioRow[keys.wall] = round(wall, 4);
            ratioRow[keys.share] = twoThreadShareOf(timing);
            into.cpu.push(cpu);
            into.wall.push(wall);
          };
          if (loops.loop) {
            recordRatio(loops.loop, { cpu: 'cpu', wall: 'wall', share: 'loopTwoThreadShare' }, entry);
            entry.loopCpuMs.push((1000 * loops.loop.cpuSeconds) / loops.loop.steps);
          }
          if (loops.dashboard) recordRatio(loops.dashboard, { cpu: 'dashboardCpu', wall: 'dashboardWall', share: 'dashboardTwoThreadShare' }, { cpu: entry.dashboardCpu, wall: entry.dashboardWall });
          print(ratioRow);
        }
      }
      for (const [threads, entry] of ratios) {
        const updateCpuMs = median(entry.updateCpuMs);
        print({
          algorithm,
          environment: options.environment,
          threads,
          summary: 'median over pairs',
          updateCpuMsPerStep: round(updateCpuMs, 4),
          ...(entry.cpu.length > 0 ? { loopCpuMsPerStep: round(median(entry.loopCpuMs), 4), ratioCpu: round(median(entry.cpu), 4), ratioWall: round(median(entry.wall), 4) } : {}),
          ...(entry.dashboardCpu.length > 0 ? { dashboardRatioCpu: round(median(entry.dashboardCpu), 4), dashboardRatioWall: round(median(entry.dashboardWall), 4) } : {}),
          // The ratio the environment's step alone would leave: update / (update + env step after an update).
          envOnlyRatioCpu: round(updateCpuMs / (updateCpuMs + envCpuMs), 4),
          target: 0.85,
        });
      }
    }
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
}
