#!/usr/bin/env node
// What the trainer's IPC messages cost the extension host: a tiny, fast run forked exactly as the
// extension forks it (src/extension/trainerProcess.ts, loaded from the checkout being measured),
// with the parent doing what the host's wrapper does for every message (JSON parse, validation,
// one listener call per event) and nothing else.
//
//   npm run build && node bench/ipc-throughput.mjs [--build LABEL=DIR]... [--rounds 3]
//                                                  [--total-steps 200000] [--frames]
//
// --build names a checkout whose dist/trainer.js (built) and src/extension/trainerProcess.ts are
// used (default: this repository, labelled "current"); give two to compare builds. Every
// measurement runs in a fresh Node process, and the builds are interleaved round by round (the
// order alternates) so that load from other work on the machine falls on all of them alike.
//
// Measured from the trainer's 'started' event (engine ready) to its 'exiting' event: the parent's
// CPU time (process.cpuUsage, user + system), the trainer's CPU time (/proc, when there is one),
// IPC messages and events received, episodes, and the trainer's own steps per second (last
// episode row: step / wallTime). One JSON line per measurement on stdout, then one summary line
// per build with the medians.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArguments(argv) {
  const options = { builds: [], rounds: 3, totalSteps: 200000, frames: false, single: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--build') {
      const text = value();
      const eq = text.indexOf('=');
      if (eq <= 0) throw new Error(`--build wants LABEL=DIR; got ${text}`);
      options.builds.push({ label: text.slice(0, eq), dir: resolve(text.slice(eq + 1)) });
    } else if (arg === '--rounds') options.rounds = Number(value());
    else if (arg === '--total-steps') options.totalSteps = Number(value());
    else if (arg === '--frames') options.frames = true;
    else if (arg === '--single') options.single = resolve(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  if (options.builds.length === 0) options.builds.push({ label: 'current', dir: ROOT });
  for (const build of options.builds) {
    if (!existsSync(join(build.dir, 'dist', 'trainer.js'))) throw new Error(`${build.dir}/dist/trainer.js is missing: build that checkout first`);
  }
  return options;
}

/** utime + stime of a live process in seconds, or null without /proc. */
function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** One measurement in this process: fork the trainer of `buildDir`, run it to the end. */
async function measureOnce(buildDir, options) {
  const { tsImport } = await import('tsx/esm/api');
  const { TrainerProcess } = await tsImport(join(buildDir, 'src', 'extension', 'trainerProcess.ts'), import.meta.url);
  const { resolveConfig } = await tsImport(join(ROOT, 'src', 'shared', 'config.ts'), import.meta.url);
  const { createRunDirectory } = await tsImport(join(ROOT, 'src', 'shared', 'node', 'runDirectory.ts'), import.meta.url);

  const { config, errors } = resolveConfig({
    actorHidden: [16, 16],
    criticHidden: [16, 16],
    batchSize: 32,
    maxEpisodeSteps: 60,
    totalSteps: options.totalSteps,
    episodes: 0,
    evalEverySteps: 0,
    checkpointEveryEpisodes: 0,
    saveReplayBuffer: false,
    engine: 'wasm',
    seed: 1,
  });
  if (!config) throw new Error(JSON.stringify(errors));
  const runsDir = mkdtempSync(join(tmpdir(), 'ddpg-ipc-bench-'));
  const { dir: runDir } = await createRunDirectory(runsDir);

  let measuring = false;
  let messages = 0;
  let events = 0;
  let episodes = 0;
  let invalid = 0;
  let lastRow = null;
  let start = null;
  let end = null;
  let trainer;
  const mark = () => ({ time: performance.now(), cpu: process.cpuUsage(), trainerCpu: processCpuSeconds(trainer.pid) });
  trainer = TrainerProcess.launch(
    { script: join(buildDir, 'dist', 'trainer.js'), cwd: runDir },
    {
      onEvent(event) {
        if (event.type === 'started') {
          start = mark();
          measuring = true;
        }
        if (!measuring) return;
        events++;
        if (event.type === 'episode') {
          episodes++;
          lastRow = event.row;
        }
        if (event.type === 'exiting') {
          end = mark();
          measuring = false;
        }
      },
      onInvalidMessage: () => invalid++,
      onOutput: () => {},
    },
  );
  // The wrapper keeps its child private; a second listener on it counts the messages on the wire.
  // It runs after the wrapper's, so the window is ['started' message, 'exiting' message).
  trainer.child.on('message', () => {
    if (measuring) messages++;
  });
  trainer.send({ type: 'start', runDir, config, streamFrames: options.frames });
  const exit = await trainer.exited;
  rmSync(runsDir, { recursive: true, force: true });
  if (!start || !end || exit.code !== 0) throw new Error(`the run did not finish cleanly: ${JSON.stringify(exit)}; stderr: ${trainer.stderrTail().join('\n')}`);

  const seconds = (end.time - start.time) / 1000;
  const parentCpu = (end.cpu.user - start.cpu.user + end.cpu.system - start.cpu.system) / 1e6;
  const trainerCpu = start.trainerCpu !== null && end.trainerCpu !== null ? end.trainerCpu - start.trainerCpu : null;
  const round3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    seconds: round3(seconds),
    episodes,
    events,
    messages,
    invalid,
    parentCpuSeconds: round3(parentCpu),
    parentCpuSecondsPer10kEpisodes: round3((parentCpu / episodes) * 10000),
    parentCores: round3(parentCpu / seconds),
    trainerCpuSecondsPer10kEpisodes: trainerCpu === null ? null : round3((trainerCpu / episodes) * 10000),
    messagesPerSecond: Math.round(messages / seconds),
    eventsPerSecond: Math.round(events / seconds),
    episodesPerSecond: Math.round(episodes / seconds),
    trainerStepsPerSecond: lastRow ? Math.round(lastRow.step / lastRow.wallTime) : null,
  };
}

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (options.single) {
    process.stdout.write(`${JSON.stringify(await measureOnce(options.single, options))}\n`);
    return;
  }
  const results = new Map(options.builds.map((b) => [b.label, []]));
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? options.builds : [...options.builds].reverse();
    for (const build of order) {
      const load = loadavg()[0];
      const child = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--single', build.dir, '--total-steps', String(options.totalSteps), ...(options.frames ? ['--frames'] : [])],
        { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
      );
      if (child.status !== 0) throw new Error(`measurement of ${build.label} failed (exit ${child.status})`);
      const result = { type: 'run', build: build.label, round: round + 1, loadAverage1m: Math.round(load * 100) / 100, ...JSON.parse(child.stdout.trim().split('\n').pop()) };
      results.get(build.label).push(result);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    }
  }
  for (const [label, runs] of results) {
    const summary = { type: 'summary', build: label, runs: runs.length };
    for (const key of ['parentCpuSecondsPer10kEpisodes', 'parentCores', 'trainerCpuSecondsPer10kEpisodes', 'messagesPerSecond', 'eventsPerSecond', 'episodesPerSecond', 'trainerStepsPerSecond']) {
      summary[key] = median(runs.map((r) => r[key]));
    }
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
