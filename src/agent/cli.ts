/**
 * Headless training from a terminal (dist/cli.js):
 *   node dist/cli.js train [--hidden 64,64] [--batch 128] … [--json]
 *   node dist/cli.js evaluate <checkpoint dir> [--episodes N] [--json]
 * Every setting of src/shared/config.ts is a flag (its name in kebab-case) plus a few short aliases.
 */

import * as path from 'node:path';
import type { EpisodeRow, EvalRow, TrainerToHost } from '../shared/protocol';
import { loadCheckpoint } from './checkpoint';
import { CONFIG_KEYS, CONFIG_SPEC, describeRange, resolveConfig, type ConfigKey, type RunConfig } from '../shared/config';
import { enableRelaxedSimd } from './engine/wasm/relaxedSimd';
import { evaluateCheckpoint } from './evaluation';
import { ENVIRONMENT_IDS, ENVIRONMENTS } from '../shared/environments';
import { freshSeed } from '../shared/node/freshSeed';
import { createRunDirectory } from '../shared/node/runDirectory';
import { findPreset, PRESETS } from '../shared/presets';
import { checkResumeCompatibility } from '../shared/resumeCompatibility';
import { Trainer } from './trainer';
import { RunLog } from './trainer/runLog';
import { TrainerServer } from './trainerServer';

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Short names people type; each maps onto one or more config keys. */
const ALIASES: Record<string, ConfigKey[]> = {
  env: ['environment'],
  hidden: ['actorHidden', 'criticHidden'],
  batch: ['batchSize'],
  buffer: ['bufferSize'],
  warmup: ['warmupSteps'],
  noise: ['noiseStd'],
  'checkpoint-every': ['checkpointEveryEpisodes'],
  'eval-every': ['evalEveryEpisodes'],
};

const FLAG_KEYS: Record<string, ConfigKey[]> = {
  ...Object.fromEntries(CONFIG_KEYS.map((k) => [kebab(k), [k]])),
  ...ALIASES,
};

interface CliOptions {
  command: 'train' | 'evaluate' | 'help';
  overrides: Partial<Record<ConfigKey, unknown>>;
  json: boolean;
  runsDir: string;
  resume?: string;
  untilSolved: boolean;
  /** Train with a tau above 0.5 as given instead of refusing it. */
  keepTau: boolean;
  name?: string;
  checkpoint?: string;
  episodes?: number;
  preset?: string;
}

export class UsageError extends Error {}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Plain decimal numbers only: `0x10`, `1e1` for an integer, `Infinity` or `` would be surprises, not values. */
function parseValue(key: ConfigKey, flag: string, raw: string): unknown {
  const spec = CONFIG_SPEC[key];
  const expects = `--${flag} expects ${describeRange(spec)}`;
  switch (spec.type) {
    case 'integer':
      if (!INTEGER.test(raw.trim())) throw new UsageError(`${expects}; got "${raw}"`);
      return Number(raw);
    case 'number':
      if (!DECIMAL.test(raw.trim())) throw new UsageError(`${expects}; got "${raw}"`);
      return Number(raw);
    case 'integerArray':
      return raw.split(',').map((part) => {
        if (!INTEGER.test(part.trim())) throw new UsageError(`${expects}, comma-separated like 64,64; got "${raw}"`);
        return Number(part);
      });
    case 'enum':
      return raw;
    case 'boolean':
      return parseBoolean(flag, raw);
  }
}

function parseBoolean(flag: string, raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new UsageError(`--${flag} expects true or false; got "${raw}"`);
}

/** What a flag takes, for "needs a value" messages. */
function expectedValue(flag: string): string {
  if (FLAG_KEYS[flag]) return describeRange(CONFIG_SPEC[FLAG_KEYS[flag][0]]);
  if (flag === 'preset') return `one of ${PRESETS.map((p) => p.id).join(', ')} or an environment id`;
  if (flag === 'episodes') return 'a positive integer';
  return 'a value';
}

export function parseArgs(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help', overrides: {}, json: false, runsDir: '', untilSolved: false, keepTau: false };
  }
  if (command !== 'train' && command !== 'evaluate') throw new UsageError(`unknown command "${command}" (expected train or evaluate)`);
  const options: CliOptions = { command, overrides: {}, json: false, runsDir: path.resolve('.ddpg', 'runs'), untilSolved: false, keepTau: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      if (command === 'evaluate' && options.checkpoint === undefined) {
        options.checkpoint = arg;
        continue;
      }
      throw new UsageError(`unexpected argument "${arg}"`);
    }
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = rest[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${flag} needs a value: ${expectedValue(flag)}`);
      return next;
    };
    const takePath = (): string => {
      const value = takeValue();
      if (value.trim() === '') throw new UsageError(`--${flag} needs a directory; got an empty path`);
      return path.resolve(value);
    };
    if (flag === 'json') options.json = inline === undefined ? true : parseBoolean(flag, inline);
    else if (flag === 'until-solved') options.untilSolved = inline === undefined ? true : parseBoolean(flag, inline);
    else if (flag === 'keep-tau' && command === 'train') options.keepTau = inline === undefined ? true : parseBoolean(flag, inline);
    else if (flag === 'runs-dir') options.runsDir = takePath();
    else if (flag === 'resume') options.resume = takePath();
    else if (flag === 'name') options.name = takeValue();
    else if (flag === 'preset' && command === 'train') options.preset = takeValue();
    else if (flag === 'episodes' && command === 'evaluate') {
      const raw = takeValue();
      if (!INTEGER.test(raw.trim())) throw new UsageError(`--episodes expects a positive integer; got "${raw}"`);
      options.episodes = Number(raw);
    }
    else if (flag.startsWith('no-') && FLAG_KEYS[flag.slice(3)] && CONFIG_SPEC[FLAG_KEYS[flag.slice(3)][0]].type === 'boolean') {
      for (const key of FLAG_KEYS[flag.slice(3)]) options.overrides[key] = false;
    } else if (FLAG_KEYS[flag]) {
      const keys = FLAG_KEYS[flag];
      const isBool = CONFIG_SPEC[keys[0]].type === 'boolean';
      const raw = isBool && inline === undefined && (rest[i + 1] === undefined || rest[i + 1].startsWith('--')) ? 'true' : takeValue();
      for (const key of keys) options.overrides[key] = parseValue(key, flag, raw);
    } else {
      throw new UsageError(`unknown flag --${flag} (see: node dist/cli.js help)`);
    }
  }
  if (command === 'evaluate' && options.checkpoint === undefined) throw new UsageError('evaluate needs a checkpoint directory');
  if (options.episodes !== undefined && (!Number.isInteger(options.episodes) || options.episodes < 1)) {
    throw new UsageError(`--episodes expects a positive integer; got ${options.episodes}`);
  }
  return options;
}

function usage(): string {
  const lines = [
    'DDPG Lab — headless training',
    '',
    'Usage:',
    '  node dist/cli.js train [flags]            train (default: DDPG on Pendulum-v1), writing a run directory',
    '  node dist/cli.js evaluate <checkpoint> [--episodes N] [--json]',
    '',
    'General flags:',
    '  --runs-dir DIR      where run directories go (default .ddpg/runs)',
    '  --resume DIR        continue from a checkpoint directory (a new run)',
    '  --name NAME         run name',
    '  --json              one JSON object per line instead of progress lines',
    '  --until-solved      stop at the first deterministic eval that solves the task (' +
      ENVIRONMENT_IDS.map((id) => `${id}: mean ≥ ${ENVIRONMENTS[id].solved.threshold}`).join(', ') + ')',
    '  --keep-tau          train with a --tau above 0.5 as given; without it such a tau is refused, as it reads like',
    "                      the other convention's τ (the retention factor, e.g. 0.995 for this project's 0.005)",
    '  --preset NAME       start from recommended settings (flags given with it override them):',
    ...PRESETS.map((p) => `                        ${p.id.padEnd(18)} ${p.environment}, ${p.algorithm.toUpperCase()}`),
    '                      an environment id picks its preset (e.g. --preset MountainCarContinuous-v0)',
    '',
    'Hyperparameters (defaults from config.ts):',
  ];
  const aliasOf = (key: ConfigKey) => Object.entries(ALIASES).filter(([, keys]) => keys.includes(key)).map(([a]) => `--${a}`);
  for (const key of CONFIG_KEYS) {
    const spec = CONFIG_SPEC[key];
    const names = [`--${kebab(key)}`, ...aliasOf(key)].join(', ');
    const fresh = (spec.type === 'number' || spec.type === 'integer') && spec.freshWhenEmpty === true;
    const def = fresh ? 'a fresh one per run, printed' : Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
    lines.push(`  ${names.padEnd(40)} ${describeRange(spec)}; default ${def}`);
  }
  return lines.join('\n');
}

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toFixed(digits));

/** How many episodes the progress line's moving average covers (and all the printer keeps: memory stays flat). */
const AVERAGE_EPISODES = 10;

class ProgressPrinter {
  private readonly returns: number[] = [];
  private latestEval: number | null = null;
  private readonly tty = process.stdout.isTTY === true;
  private barShown = false;
  private rate = 0;

  constructor(
    private readonly config: RunConfig,
    /** The seed was drawn for this run (no --seed): say how to repeat it. */
    private readonly seedDrawn = false,
  ) {}

  onEvent(event: TrainerToHost): void {
    switch (event.type) {
      case 'started':
        this.line(
          `run ${event.run.id}  engine ${event.engine.engine}/${event.engine.backend}  seed ${event.run.seed}` +
            (this.seedDrawn ? ` (drawn for this run; --seed ${event.run.seed} repeats it)` : ''),
        );
        break;
      case 'episode':
        this.episode(event.row);
        break;
      case 'eval':
        this.evaluation(event.row);
        break;
      case 'status':
        this.rate = event.status.stepsPerSecond;
        break;
      case 'checkpoint':
        this.line(`checkpoint ${event.manifest.reason}: ${event.dir}`);
        break;
      case 'log':
        this.line(`${event.level}: ${event.message}`);
        break;
      case 'error':
        this.line(`error: ${event.message}`);
        break;
    }
  }

  private episode(row: EpisodeRow): void {
    this.returns.push(row.return);
    if (this.returns.length > AVERAGE_EPISODES) this.returns.shift();
    const avg = this.returns.reduce((a, b) => a + b, 0) / this.returns.length;
    const total = this.config.episodes > 0 ? `/${this.config.episodes}` : '';
    const rate = row.wallTime > 0 ? row.step / row.wallTime : 0;
    this.line(
      `ep ${String(row.episode).padStart(4)}${total}  step ${String(row.step).padStart(7)}  return ${fmt(row.return).padStart(8)}  ` +
        `avg10 ${fmt(avg).padStart(8)}  eval ${fmt(this.latestEval).padStart(8)}  ${Math.round(this.rate || rate)} steps/s`,
    );
    this.bar(row);
  }

  private evaluation(row: EvalRow): void {
    this.latestEval = row.mean;
    this.line(`eval at step ${row.step}: mean ${fmt(row.mean)} ± ${fmt(row.std)} over ${row.returns.length} episodes${row.mean >= ENVIRONMENTS[this.config.environment].solved.threshold ? '  (solved)' : ''}`);
  }

  private bar(row: EpisodeRow): void {
    if (!this.tty) return;
    const fraction =
      this.config.episodes > 0 ? row.episode / this.config.episodes : this.config.totalSteps > 0 ? row.step / this.config.totalSteps : 0;
    const width = 30;
    const filled = Math.round(Math.min(1, fraction) * width);
    process.stdout.write(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}%`);
    this.barShown = true;
  }

  line(text: string): void {
    if (this.barShown) process.stdout.write('\r\x1b[K');
    this.barShown = false;
    process.stdout.write(text + '\n');
  }
}

async function train(options: CliOptions): Promise<number> {
  let overrides = options.overrides;
  let preset: string | undefined;
  if (options.preset) {
    const algorithm = (overrides.algorithm as RunConfig['algorithm'] | undefined) ?? 'ddpg';
    const found = findPreset(options.preset, algorithm);
    if (!found) {
      process.stderr.write(`error: --preset must be one of ${PRESETS.map((p) => p.id).join(', ')} or an environment id with a preset; got "${options.preset}"\n`);
      return 2;
    }
    preset = found.id;
    overrides = { ...found.settings, ...overrides };
  }
  const resumed = options.resume ? (await loadCheckpoint(options.resume)).manifest : undefined;
  // A resumed run keeps the checkpoint's hyperparameters unless flags override them.
  if (resumed) overrides = { ...resumed.config, ...overrides };
  // Without --seed (or a checkpoint's) every run draws its own: two runs of one command differ, and the seed printed repeats either.
  const seedDrawn = overrides.seed === undefined;
  if (seedDrawn) overrides = { ...overrides, seed: freshSeed() };
  const { config, errors, warnings } = resolveConfig(overrides);
  const tauWarning = warnings.find((w) => w.key === 'tau');
  const refuseTau = config !== undefined && tauWarning !== undefined && !options.keepTau;
  for (const w of warnings) {
    if (options.json) process.stdout.write(JSON.stringify({ type: 'warning', setting: w.key, message: w.message }) + '\n');
    else if (!(refuseTau && w === tauWarning)) process.stderr.write(`warning: ${w.message}\n`);
  }
  if (!config) {
    for (const e of errors) process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  if (refuseTau) {
    // The article this project started from writes "tau close to 1": that run would barely learn.
    process.stderr.write(`error: ${tauWarning.message}. Pass --tau ${+(1 - config.tau).toPrecision(6)} for that, or --keep-tau to train with ${config.tau} as it is.\n`);
    return 2;
  }
  if (resumed) {
    const verdict = checkResumeCompatibility(resumed, config);
    if (!verdict.ok) {
      process.stderr.write(`error: cannot resume from ${options.resume}: ${verdict.reasons.join('; ')}\n`);
      return 2;
    }
  }
  const { dir } = await createRunDirectory(options.runsDir);
  const printer = options.json ? null : new ProgressPrinter(config, seedDrawn);
  const runLog = new RunLog(dir);
  let trainer: Trainer | undefined;
  const server = await serveRun(dir, runLog, () => trainer);
  const emit = (event: TrainerToHost) => {
    runLog.onEvent(event);
    server?.broadcast(event);
    if (printer) printer.onEvent(event);
    else if (event.type === 'episode' || event.type === 'eval') process.stdout.write(JSON.stringify(event.row) + '\n');
    else if (event.type === 'started') process.stdout.write(JSON.stringify({ type: 'started', runDir: dir, engine: event.engine, config, seedDrawn }) + '\n');
    else if (event.type === 'checkpoint') process.stdout.write(JSON.stringify({ type: 'checkpoint', dir: event.dir, reason: event.manifest.reason, step: event.manifest.step }) + '\n');
    else if (event.type === 'log') process.stderr.write(`${event.level}: ${event.message}\n`);
  };
  trainer = await Trainer.create({ runDir: dir, config, emit, resumeFrom: options.resume, stopWhenSolved: options.untilSolved, name: options.name, preset });
  const training = trainer;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping: saving a final checkpoint (Ctrl-C again to quit at once)\n');
    training.stop(true);
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const summary = await training.run().catch((err: Error) => {
    // The terminal shows the error; the run's log keeps it for whoever opens the run later.
    runLog.onEvent({ type: 'error', message: err.message, stack: err.stack });
    throw err;
  });
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigint);
  emit({ type: 'exiting', status: summary.status });
  await server?.close();
  runLog.close();
  const result = {
    type: 'summary',
    status: summary.status,
    runDir: dir,
    engine: training.engineInfo,
    ...(training.engineThreadUsage ? { threads: training.engineThreadUsage } : {}),
    episodes: summary.episodes,
    steps: summary.steps,
    wallTimeSeconds: summary.wallTime,
    stepsPerSecond: summary.stepsPerSecond,
    timeToSolveSeconds: summary.timeToSolveSeconds,
    stepsToSolve: summary.stepsToSolve,
    finalEvalMean: summary.finalEvalMean,
    bestEval: summary.bestEval,
  };
  if (options.json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    printer!.line(
      `${summary.status}: ${summary.episodes} episodes, ${summary.steps} steps in ${summary.wallTime.toFixed(1)} s ` +
        `(${Math.round(summary.stepsPerSecond)} steps/s); final eval ${fmt(summary.finalEvalMean)}, best ${fmt(summary.bestEval)}; ` +
        (summary.stepsToSolve !== null ? `solved at step ${summary.stepsToSolve} (${fmt(summary.timeToSolveSeconds, 2)} s)` : 'not solved') +
        `\nrun directory: ${dir}`,
    );
  }
  return 0;
}

/**
 * Serves the run's socket while the CLI trains, so that a VS Code window shows the run live and
 * can pause, resume, checkpoint and stop it (the same protocol as the detached trainer). Where no
 * socket can be served the run still trains, unattached.
 */
async function serveRun(runDir: string, runLog: RunLog, current: () => Trainer | undefined): Promise<TrainerServer | undefined> {
  try {
    return await TrainerServer.open({
      runDir,
      origin: 'cli',
      onCommand: (command) => {
        const trainer = current();
        switch (command.type) {
          case 'pause':
            return trainer?.pause();
          case 'resume':
            return trainer?.resume();
          case 'checkpoint':
            return trainer?.requestCheckpoint(command.requestId);
          case 'stop':
            return trainer?.stop(command.saveCheckpoint);
          case 'setFrameStreaming':
            return trainer?.setFrameStreaming(command.enabled);
          case 'start':
          case 'evaluate':
            return runLog.note(`ignored "${command.type}" from a host: this run is trained by the CLI`);
        }
      },
      onFramesWanted: (enabled) => current()?.setFrameStreaming(enabled),
      log: (message) => runLog.note(message),
    });
  } catch (err) {
    process.stderr.write(`warning: VS Code windows cannot attach to this run: ${(err as Error).message}\n`);
    return undefined;
  }
}

async function evaluate(options: CliOptions): Promise<number> {
  const dir = path.resolve(options.checkpoint!);
  const { returns, mean, std } = await evaluateCheckpoint(dir, options.episodes, { log: (m) => process.stderr.write(`warning: ${m}\n`) });
  if (options.json) process.stdout.write(JSON.stringify({ type: 'evaluation', checkpoint: dir, returns, mean, std }) + '\n');
  else {
    returns.forEach((r, i) => process.stdout.write(`episode ${i + 1}: return ${r.toFixed(1)}\n`));
    process.stdout.write(`mean ${mean.toFixed(1)} ± ${std.toFixed(1)} over ${returns.length} deterministic episodes\n`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (options.command === 'help') {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  return options.command === 'train' ? train(options) : evaluate(options);
}

if (require.main === module) {
  enableRelaxedSimd();
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(1);
    },
  );
}
