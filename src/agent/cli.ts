/**
 * Headless training from a terminal (dist/cli.js):
 *   node dist/cli.js train [--hidden 64,64] [--batch 128] … [--json]
 *   node dist/cli.js evaluate <checkpoint dir> [--episodes N] [--json]
 * Every hyperparameter of config.ts is a flag (its name in kebab-case) plus a few short aliases.
 */

import * as path from 'node:path';
import type { EpisodeRow, EvalRow, TrainerToHost } from '../shared/protocol';
import { loadCheckpoint } from './checkpoint';
import { CONFIG_KEYS, CONFIG_SPEC, describeRange, resolveConfig, type ConfigKey, type RunConfig } from '../shared/config';
import { enableRelaxedSimd } from './engine/wasm/relaxedSimd';
import { evaluateCheckpoint } from './evaluation';
import { createRunDirectory } from '../shared/node/runDirectory';
import { SOLVED_RETURN } from './env/pendulum';
import { Trainer } from './trainer';

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Short names people type; each maps onto one or more config keys. */
const ALIASES: Record<string, ConfigKey[]> = {
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
  name?: string;
  checkpoint?: string;
  episodes?: number;
}

export class UsageError extends Error {}

function parseValue(key: ConfigKey, flag: string, raw: string): unknown {
  const spec = CONFIG_SPEC[key];
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${flag} expects ${describeRange(spec)}; got "${raw}"`);
      return n;
    }
    case 'integerArray':
      return raw.split(',').map((part) => {
        const n = Number(part);
        if (part.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${flag} expects comma-separated integers like 64,64; got "${raw}"`);
        return n;
      });
    case 'enum':
      return raw;
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new UsageError(`--${flag} expects true or false; got "${raw}"`);
  }
}

export function parseArgs(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { command: 'help', overrides: {}, json: false, runsDir: '', untilSolved: false };
  }
  if (command !== 'train' && command !== 'evaluate') throw new UsageError(`unknown command "${command}" (expected train or evaluate)`);
  const options: CliOptions = { command, overrides: {}, json: false, runsDir: path.resolve('.ddpg', 'runs'), untilSolved: false };
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
      if (next === undefined) throw new UsageError(`--${flag} needs a value`);
      return next;
    };
    if (flag === 'json') options.json = true;
    else if (flag === 'until-solved') options.untilSolved = true;
    else if (flag === 'runs-dir') options.runsDir = path.resolve(takeValue());
    else if (flag === 'resume') options.resume = path.resolve(takeValue());
    else if (flag === 'name') options.name = takeValue();
    else if (flag === 'episodes' && command === 'evaluate') options.episodes = Number(takeValue());
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
    '  node dist/cli.js train [flags]            train on Pendulum-v1, writing a run directory',
    '  node dist/cli.js evaluate <checkpoint> [--episodes N] [--json]',
    '',
    'General flags:',
    '  --runs-dir DIR      where run directories go (default .ddpg/runs)',
    '  --resume DIR        continue from a checkpoint directory (a new run)',
    '  --name NAME         run name',
    '  --json              one JSON object per line instead of progress lines',
    '  --until-solved      stop at the first deterministic eval with mean ≥ ' + SOLVED_RETURN,
    '',
    'Hyperparameters (defaults from config.ts):',
  ];
  const aliasOf = (key: ConfigKey) => Object.entries(ALIASES).filter(([, keys]) => keys.includes(key)).map(([a]) => `--${a}`);
  for (const key of CONFIG_KEYS) {
    const spec = CONFIG_SPEC[key];
    const names = [`--${kebab(key)}`, ...aliasOf(key)].join(', ');
    const def = Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
    lines.push(`  ${names.padEnd(40)} ${describeRange(spec)}; default ${def}`);
  }
  return lines.join('\n');
}

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? '—' : v.toFixed(digits));

class ProgressPrinter {
  private readonly returns: number[] = [];
  private latestEval: number | null = null;
  private readonly tty = process.stdout.isTTY === true;
  private barShown = false;
  private rate = 0;

  constructor(private readonly config: RunConfig) {}

  onEvent(event: TrainerToHost): void {
    switch (event.type) {
      case 'started':
        this.line(`run ${event.run.id}  engine ${event.engine.engine}/${event.engine.backend}  seed ${event.run.seed}`);
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
    const recent = this.returns.slice(-10);
    const avg = recent.reduce((a, b) => a + b, 0) / recent.length;
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
    this.line(`eval at step ${row.step}: mean ${fmt(row.mean)} ± ${fmt(row.std)} over ${row.returns.length} episodes${row.mean >= SOLVED_RETURN ? '  (solved)' : ''}`);
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
  if (options.resume) {
    // A resumed run keeps the checkpoint's hyperparameters unless flags override them.
    const checkpoint = await loadCheckpoint(options.resume);
    overrides = { ...checkpoint.manifest.config, ...overrides };
  }
  const { config, errors, warnings } = resolveConfig(overrides);
  for (const w of warnings) process.stderr.write(`warning: ${w.message}\n`);
  if (!config) {
    for (const e of errors) process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  const { dir } = await createRunDirectory(options.runsDir);
  const printer = options.json ? null : new ProgressPrinter(config);
  const emit = (event: TrainerToHost) => {
    if (printer) printer.onEvent(event);
    else if (event.type === 'episode' || event.type === 'eval') process.stdout.write(JSON.stringify(event.row) + '\n');
    else if (event.type === 'started') process.stdout.write(JSON.stringify({ type: 'started', runDir: dir, engine: event.engine, config }) + '\n');
    else if (event.type === 'checkpoint') process.stdout.write(JSON.stringify({ type: 'checkpoint', dir: event.dir, reason: event.manifest.reason, step: event.manifest.step }) + '\n');
    else if (event.type === 'log') process.stderr.write(`${event.level}: ${event.message}\n`);
  };
  const trainer = await Trainer.create({ runDir: dir, config, emit, resumeFrom: options.resume, stopWhenSolved: options.untilSolved, name: options.name });
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping: saving a final checkpoint (Ctrl-C again to quit at once)\n');
    trainer.stop(true);
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const summary = await trainer.run();
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigint);
  const result = {
    type: 'summary',
    status: summary.status,
    runDir: dir,
    engine: trainer.engineInfo,
    ...(trainer.engineThreadUsage ? { threads: trainer.engineThreadUsage } : {}),
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
