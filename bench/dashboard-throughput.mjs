#!/usr/bin/env node
// Training throughput with the dashboard open versus headless, on the same machine, with the
// same build, configuration and seed.
//
//   node bench/dashboard-throughput.mjs [--total-steps 30000] [--rounds 5] [--conditions A,B,C]
//                                       [--skip-package] [--no-warmup] [--out-dir DIR] [--hidden W,W]
//
//   (A) headless:   node dist/cli.js train --json --engine wasm --total-steps N --episodes 0 --seed 1
//   (B) dashboard:  the packaged .vsix in code-server, driven by Chromium; workspace settings with
//                   the same ddpg.* values; F1 → "DDPG: Train"; the dashboard opens and stays
//                   visible (pendulum animating, charts updating) until run.json says "finished".
//   (C) hidden:     as (B), but the dashboard is closed as soon as it has opened (the close button
//                   of its tab), so the host stops asking the trainer for animation frames.
//   (D) optional (--conditions A,B,D): as (B), with the charts' redraws held to one a second by
//                   script injected into the webview (a stand-in for a fix; the pendulum animates).
//
// Steps per second are read the same way in every condition: the last row of the run's
// metrics.jsonl, step / wallTime (the trainer's own clock, pauses excluded). For (A) the CLI
// summary's stepsPerSecond is printed as well.
//
// The conditions are interleaved round by round (the order rotates: A B C, B C A, C A B, …) so
// that load from other work on the machine falls on all of them alike. Around every measurement
// the CPU time of each process involved is read from /proc (trainer, extension host, the rest of
// code-server, Chromium's renderer / GPU / other processes, this script) together with the
// machine's total busy time, and the trainer's run-queue wait (schedstat: time it was ready to
// run but had no core). That is what tells a trainer doing more work apart from a trainer being
// crowded off the CPU.
//
// --diagnose adds a steady-state study of where the dashboard's cost goes: one long run with the
// dashboard open, measured in windows of --window-seconds (CPU cores used per process, steps/s,
// the trainer's run-queue wait) while the webview is left as is, with its requestAnimationFrame
// capped at 20 per second (the environment's real-time rate), and made static (≤ 1 animation
// frame per second, prefers-reduced-motion so the CSS pulse stops too), interleaved, and finally
// with the dashboard closed; plus the messages per second into the webview by type and the
// WebSocket frames per second between the workbench and code-server. The webview is changed
// only by script injected into its frame from here: nothing in src/ or webview/ is touched.
//
// One JSON line per measurement on stdout, then a summary line
// {"type":"summary","headlessStepsPerSecond","dashboardStepsPerSecond","overheadPercent",…}.
// Screenshots of the dashboard mid-run (warm-up run) and results.json go to --out-dir
// (default test-results/dashboard-throughput/).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  CODE_SERVER_BIN,
  ROOT,
  SETUP_SCRIPT,
  VSIX_PATH,
  findFreePort,
  installVsix,
  readJsonIfComplete,
  runChecked,
  startCodeServer,
  writeUserSettings,
  writeWorkspaceSettings,
} from '../scripts/code-server.mjs';
import { findByTestId, firstInteger, launchChromium, openWorkbench, runPaletteCommand, sleep, waitUntil } from '../test/e2e/workbench.mjs';
import { forEachArgument } from './benchArguments.mjs';

// ─── options ────────────────────────────────────────────────────────────────────────────────────

function parseArguments(argv) {
  const options = {
    totalSteps: 30000,
    rounds: 5,
    conditions: ['A', 'B', 'C'],
    skipPackage: false,
    warmup: true,
    outDir: join(ROOT, 'test-results', 'dashboard-throughput'),
    seed: 1,
    engine: 'wasm',
    diagnose: false,
    windowSeconds: 8,
    /** Hidden widths of both networks; null keeps the defaults. */
    hidden: null,
  };
  const usage =
    'Usage: node bench/dashboard-throughput.mjs [--total-steps N] [--rounds N] [--conditions A,B,C] [--skip-package] [--no-warmup] [--out-dir DIR] [--hidden W,W]\n' +
    '                                          [--diagnose [--window-seconds S]]   (--rounds 0 --diagnose: the diagnosis alone)';
  forEachArgument(argv, usage, (arg, value) => {
    if (arg === '--total-steps') options.totalSteps = Number(value());
    else if (arg === '--rounds') options.rounds = Number(value());
    else if (arg === '--conditions') options.conditions = value().toUpperCase().split(',').filter(Boolean);
    else if (arg === '--skip-package') options.skipPackage = true;
    else if (arg === '--no-warmup') options.warmup = false;
    else if (arg === '--out-dir') options.outDir = resolve(value());
    else if (arg === '--diagnose') options.diagnose = true;
    else if (arg === '--window-seconds') options.windowSeconds = Number(value());
    else if (arg === '--hidden') options.hidden = value().split(',').map(Number);
    else return false;
    return true;
  });
  if (!Number.isInteger(options.totalSteps) || options.totalSteps < 1000) throw new Error('--total-steps must be an integer ≥ 1000');
  if (!Number.isInteger(options.rounds) || options.rounds < 0) throw new Error('--rounds must be a non-negative integer');
  if (options.conditions.some((c) => !['A', 'B', 'C', 'D'].includes(c)) || options.conditions.length === 0) throw new Error('--conditions is a list of A, B, C, D');
  return options;
}

const progress = (message) => process.stderr.write(`[dashboard-throughput] ${message}\n`);
const emit = (object) => process.stdout.write(`${JSON.stringify(object)}\n`);
const round3 = (x) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);
const round1 = (x) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10) / 10);

// ─── /proc: CPU time per process, run-queue wait, machine busy time ────────────────────────────

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime+stime (s), ppid, starttime of one process, or null if it is gone. */
function readStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm may contain spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    ppid: Number(fields[1]),
    cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK,
    start: Number(fields[19]),
  };
}

function readCmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/**
 * The main thread of a process (where the trainer's loop runs): time on a CPU and time spent
 * ready to run but waiting for one (run-queue wait), both from /proc/<pid>/task/<pid>/schedstat.
 */
function readMainThread(pid) {
  try {
    const [onCpu, waiting] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { onCpu: onCpu / 1e9, runQueueWait: waiting / 1e9 };
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function readMachine() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

function allProcesses() {
  const out = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) out.set(Number(name), stat);
  }
  return out;
}

function descendantsOf(roots, processes) {
  const children = new Map();
  for (const [pid, { ppid }] of processes) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const found = new Set();
  const stack = roots.filter((pid) => processes.has(pid));
  while (stack.length > 0) {
    const pid = stack.pop();
    if (found.has(pid)) continue;
    found.add(pid);
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return found;
}

function classify(cmd, { browserTree }) {
  if (/dist[\\/]trainer\.js|dist[\\/]cli\.js/.test(cmd)) return 'trainer';
  if (browserTree) {
    if (/--type=renderer/.test(cmd)) return 'browserRenderer';
    if (/--type=gpu-process/.test(cmd)) return 'browserGpu';
    return 'browserOther';
  }
  if (/extensionHost/.test(cmd)) return 'extensionHost';
  return 'codeServer';
}

/**
 * Samples the CPU time of every process under `roots()` (and of this script) every `intervalMs`
 * from start() to stop(): per process the last value seen minus its value at start (0 for
 * processes born after start), summed per category. Also the trainer's run-queue wait and the
 * machine's busy time over the same span.
 */
class CpuSampler {
  constructor({ serverRoots = () => [], browserRoots = (_processes) => [], intervalMs = 500 }) {
    this.serverRoots = serverRoots;
    this.browserRoots = browserRoots;
    this.intervalMs = intervalMs;
  }

  start() {
    this.first = new Map();
    this.last = new Map();
    this.info = new Map();
    this.trainer = null;
    this.trainerBase = null;
    this.rebased = false;
    this.machineStart = readMachine();
    this.selfStart = process.cpuUsage();
    this.startedAt = performance.now();
    this.sample(true);
    // A trainer already running when the window opens is measured from here on.
    this.trainerBase = this.trainer ? { ...this.trainer.main } : null;
    this.timer = setInterval(() => this.sample(false), this.intervalMs);
  }

  sample(initial) {
    const processes = allProcesses();
    const server = descendantsOf(this.serverRoots(), processes);
    const browser = descendantsOf(this.browserRoots(processes), processes);
    for (const [pid, stat] of processes) {
      const inServer = server.has(pid);
      const inBrowser = browser.has(pid);
      if (!inServer && !inBrowser) continue;
      const key = `${pid}:${stat.start}`;
      if (!this.info.has(key)) {
        const cmd = readCmdline(pid);
        this.info.set(key, { pid, cmd, category: classify(cmd, { browserTree: inBrowser }) });
        if (initial) this.first.set(key, stat.cpu);
      }
      this.last.set(key, stat.cpu);
      const info = this.info.get(key);
      if (info.category === 'trainer') {
        const main = readMainThread(pid);
        if (main) this.trainer = { pid, key, exe: (info.exe ??= safeReadlink(`/proc/${pid}/exe`)), main, cpu: stat.cpu };
      }
    }
  }

  /** From now on: the training itself (run.json says "running"), without start-up work. */
  rebase() {
    this.sample(false);
    this.first = new Map(this.last);
    this.trainerBase = this.trainer ? { ...this.trainer.main } : null;
    this.machineStart = readMachine();
    this.selfStart = process.cpuUsage();
    this.startedAt = performance.now();
    this.rebased = true;
  }

  stop() {
    clearInterval(this.timer);
    this.sample(false);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const byCategory = { trainer: 0, extensionHost: 0, codeServer: 0, browserRenderer: 0, browserGpu: 0, browserOther: 0 };
    for (const [key, cpu] of this.last) {
      const { category } = this.info.get(key);
      byCategory[category] += cpu - (this.first.get(key) ?? 0);
    }
    const processes = [];
    for (const [key, cpu] of this.last) {
      const { pid, category, cmd } = this.info.get(key);
      const used = cpu - (this.first.get(key) ?? 0);
      if (used >= 0.05) processes.push({ pid, category, cpu: round3(used), bornDuringWindow: !this.first.has(key), what: describeProcess(cmd) });
    }
    processes.sort((a, b) => b.cpu - a.cpu);
    const self = process.cpuUsage(this.selfStart);
    byCategory.benchScript = (self.user + self.system) / 1e6;
    const machineEnd = readMachine();
    const machineBusy = machineEnd.busy - this.machineStart.busy;
    const ours = Object.values(byCategory).reduce((a, b) => a + b, 0);
    const cpuSeconds = Object.fromEntries(Object.entries(byCategory).map(([k, v]) => [k, round3(v)]));
    cpuSeconds.machineBusy = round3(machineBusy);
    cpuSeconds.restOfMachine = round3(Math.max(0, machineBusy - ours));
    return {
      seconds: round3(seconds),
      cpuSeconds,
      processes,
      window: this.rebased ? 'training (run.json "running" → "finished")' : 'whole measurement',
      trainer: this.trainer
        ? {
            pid: this.trainer.pid,
            exe: this.trainer.exe,
            mainThreadOnCpu: round3(this.trainer.main.onCpu - (this.trainerBase?.onCpu ?? 0)),
            mainThreadRunQueueWait: round3(this.trainer.main.runQueueWait - (this.trainerBase?.runQueueWait ?? 0)),
          }
        : null,
    };
  }
}

/** A short label for a process: Chromium's --type, or the script a node process runs. */
function describeProcess(cmd) {
  const type = /--type=([\w-]+)/.exec(cmd)?.[1];
  const utility = /--utility-sub-type=([\w.-]+)/.exec(cmd)?.[1];
  if (type) return utility ? `${type} (${utility})` : type;
  if (/chrom/i.test(cmd.split(' ')[0])) return 'browser';
  const script = cmd.split(' ').find((part) => /\.(m?js)$/.test(part));
  return script ? script.split('/').slice(-3).join('/') : cmd.slice(0, 60);
}

function safeReadlink(path) {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** Chromium as launched by Playwright: a child of this process. */
function chromiumChildren(processes) {
  const roots = [];
  for (const [pid, { ppid }] of processes) if (ppid === process.pid && /chrom/i.test(readCmdline(pid))) roots.push(pid);
  return roots;
}

// ─── build snapshot: the same bundle for every condition ──────────────────────────────────────

const sha = (buffer) => createHash('sha256').update(buffer).digest('hex');

/**
 * Copies dist/cli.js, the .wasm files and the .vsix into a private folder, so that other work
 * rebuilding dist/ during the benchmark cannot change what is measured, and checks that the
 * vsix's trainer.js and .wasm files are the ones next to this cli.js (same build).
 */
function snapshotBuild(dir) {
  const dist = join(dir, 'dist');
  mkdirSync(dist, { recursive: true });
  copyFileSync(VSIX_PATH, join(dir, 'ddpg-lab.vsix'));
  copyFileSync(join(ROOT, 'dist', 'cli.js'), join(dist, 'cli.js'));
  for (const file of readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(ROOT, 'dist', file), join(dist, file));
  const mismatches = [];
  for (const file of ['trainer.js', 'ddpg-engine.wasm', 'ddpg-engine-relaxed.wasm']) {
    const local = join(ROOT, 'dist', file);
    if (!existsSync(local)) continue;
    const inVsix = spawnSync('unzip', ['-p', join(dir, 'ddpg-lab.vsix'), `extension/dist/${file}`], { maxBuffer: 64 << 20 });
    if (inVsix.status !== 0 || sha(inVsix.stdout) !== sha(readFileSync(local))) mismatches.push(file);
  }
  return { vsix: join(dir, 'ddpg-lab.vsix'), cli: join(dist, 'cli.js'), mismatches, trainerSha256: sha(readFileSync(join(ROOT, 'dist', 'trainer.js'))).slice(0, 12) };
}

// ─── run directory ────────────────────────────────────────────────────────────────────────────

/** steps/s of a run from the last row of its metrics.jsonl (step / wallTime), the way every condition is scored. */
function metricsRate(runDir) {
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
  let last;
  for (let i = lines.length - 1; i >= 0 && !last; i--) {
    try {
      last = JSON.parse(lines[i]);
    } catch {
      // A half-written line: the one before counts.
    }
  }
  if (!last) throw new Error(`no metrics rows in ${runDir}`);
  return { steps: last.step, wallTime: last.wallTime, stepsPerSecond: last.step / last.wallTime, episodes: last.episode };
}

/** The newest complete metrics row's step, or 0. */
function currentStep(runDir) {
  try {
    const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        return JSON.parse(lines[i]).step ?? 0;
      } catch {
        // keep looking
      }
    }
  } catch {
    // not there yet
  }
  return 0;
}

function listRuns(runsDir) {
  try {
    return new Set(readdirSync(runsDir));
  } catch {
    return new Set();
  }
}

/** Calls `onRunning` once, as soon as the run.json of the run `runDir()` names says "running". */
function whenRunning(runDir, onRunning) {
  const timer = setInterval(() => {
    const dir = runDir();
    if (dir && readJsonIfComplete(join(dir, 'run.json'))?.status === 'running') {
      clearInterval(timer);
      onRunning();
    }
  }, 50);
  return () => clearInterval(timer);
}

// ─── (A) headless ─────────────────────────────────────────────────────────────────────────────

function headlessArgs(options, runsDir) {
  const hidden = options.hidden ? ['--hidden', options.hidden.join(',')] : [];
  return ['train', '--json', '--engine', options.engine, '--total-steps', String(options.totalSteps), '--episodes', '0', '--seed', String(options.seed), '--runs-dir', runsDir, ...hidden];
}

async function measureHeadless({ options, build, runsDir }) {
  let child;
  const sampler = new CpuSampler({ serverRoots: () => (child ? [child.pid] : []) });
  const before = listRuns(runsDir);
  sampler.start();
  const stopWatching = whenRunning(() => {
    const fresh = [...listRuns(runsDir)].filter((name) => !before.has(name));
    return fresh.length === 1 ? join(runsDir, fresh[0]) : undefined;
  }, () => sampler.rebase());
  child = spawn(process.execPath, [build.cli, ...headlessArgs(options, runsDir)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // The trainer's CPU and schedstat are read while it lives: sample fast near the end.
  const fast = setInterval(() => sampler.sample(false), 100);
  const code = await new Promise((r) => child.once('exit', (c) => r(c)));
  clearInterval(fast);
  stopWatching();
  const usage = sampler.stop();
  if (code !== 0) throw new Error(`headless run failed (${code}):\n${stderr}`);
  const summary = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((o) => o.type === 'summary');
  const rate = metricsRate(summary.runDir);
  return {
    ...rate,
    summaryStepsPerSecond: round1(summary.stepsPerSecond),
    summaryWallTimeSeconds: round3(summary.wallTimeSeconds),
    runDir: summary.runDir,
    usage,
  };
}

// ─── (B)/(C) code-server ──────────────────────────────────────────────────────────────────────

async function dashboardFrame(page) {
  const found = await findByTestId(page, 'dashboard-root');
  return found?.frame;
}

/**
 * Closes the dashboard with the close button of its editor tab. (F1 right after "DDPG: Train"
 * can land in the freshly focused webview and be lost: a palette command then took 30 s.)
 */
async function closeDashboard(page) {
  await waitUntil('the dashboard to be closed', async () => {
    if (!(await dashboardFrame(page))) return { ok: true };
    const tab = page.locator('.tabs-container .tab', { hasText: 'DDPG' }).first();
    await tab.hover({ timeout: 5_000 });
    await tab.locator('.tab-actions .action-label').first().click({ timeout: 5_000 });
    return { ok: false, seen: 'clicked the close button of the DDPG tab' };
  }, { timeoutMs: 60_000, intervalMs: 300 });
}

/**
 * Condition D, a stand-in for "redraw the charts less often" without touching webview/: the
 * charts' RedrawScheduler asks for its animation frame from inside a setTimeout callback, the
 * pendulum's FramePlayer from a message handler or its own animation frame. Animation frames
 * requested from a timer callback are put off by a second; all others run as usual, so the
 * pendulum keeps animating at the display rate.
 */
async function holdChartRedraws(frame, hold) {
  await frame.evaluate((hold) => {
    // The panel (and its document) outlives a run: undo what an earlier run of D installed.
    const original = (window.__ddpgBenchOriginal ??= { raf: window.requestAnimationFrame, setTimeout: window.setTimeout });
    window.requestAnimationFrame = original.raf;
    window.setTimeout = original.setTimeout;
    if (!hold) return;
    const raf = original.raf.bind(window);
    const setTimeoutNative = original.setTimeout.bind(window);
    let inTimer = 0;
    window.setTimeout = (callback, ms, ...args) =>
      setTimeoutNative((...a) => {
        inTimer++;
        try {
          return typeof callback === 'function' ? callback(...a) : undefined;
        } finally {
          inTimer--;
        }
      }, ms, ...args);
    window.requestAnimationFrame = (callback) => (inTimer > 0 ? setTimeoutNative(() => raf(callback), 1000) : raf(callback));
  }, hold);
}

async function readDashboard(page) {
  const frame = await dashboardFrame(page);
  if (!frame) return null;
  return frame.evaluate(() => {
    const text = (id) => (document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').replace(/\s+/g, ' ').trim();
    return { frames: text('frame-counter'), step: text('status-step'), state: text('status-state'), episodePoints: text('episode-points'), visibility: document.visibilityState };
  }).catch(() => null);
}

async function measureInCodeServer({ page, session, options, withDashboard, chartsAtOnePerSecond = false, screenshotsDir }) {
  const runsDir = join(session.workspace, '.ddpg', 'runs');
  const before = listRuns(runsDir);
  const sampler = new CpuSampler({ serverRoots: () => [session.server.pid], browserRoots: chromiumChildren });
  sampler.start();
  const startedAt = Date.now();
  await runPaletteCommand(page, 'DDPG: Train');
  const { id } = await waitUntil('a new run directory', async () => {
    const fresh = [...listRuns(runsDir)].filter((name) => !before.has(name));
    return { ok: fresh.length === 1, id: fresh[0], seen: fresh };
  }, { timeoutMs: 60_000, intervalMs: 100 });
  const runDir = join(runsDir, id);
  const result = { runDir };
  const stopWatching = whenRunning(() => runDir, () => sampler.rebase());

  // The dashboard opens on the new run in both conditions; (C) closes it straight away.
  await waitUntil('the dashboard to open', async () => ({ ok: Boolean(await dashboardFrame(page)) }), { timeoutMs: 60_000, intervalMs: 200 });
  if (withDashboard) await holdChartRedraws(await dashboardFrame(page), chartsAtOnePerSecond);
  if (!withDashboard) {
    await closeDashboard(page);
    result.dashboardClosedAtStep = currentStep(runDir);
    result.dashboardClosedAfterSeconds = round1((Date.now() - startedAt) / 1000);
    if (result.dashboardClosedAtStep > 0.1 * options.totalSteps) {
      result.invalid = `the dashboard was only closed at step ${result.dashboardClosedAtStep}`;
    }
  }

  // Wait for the end, glancing at the dashboard at ~25 % and ~75 % of the run (and taking
  // screenshots at ~50 % when asked), so that we know it was really animating.
  const checkpoints = withDashboard ? [0.25, ...(screenshotsDir ? [0.5] : []), 0.75] : [];
  const glances = [];
  const info = await waitUntil('run.json to say "finished"', async () => {
    const info = readJsonIfComplete(join(runDir, 'run.json'));
    if (info?.status === 'finished' || info?.status === 'crashed' || info?.status === 'stopped') return { ok: true, ...info };
    const fraction = currentStep(runDir) / options.totalSteps;
    while (checkpoints.length > 0 && fraction >= checkpoints[0]) {
      const at = checkpoints.shift();
      if (at === 0.5) {
        await page.screenshot({ path: join(screenshotsDir, 'dashboard-mid-run.png') });
        const frame = await dashboardFrame(page);
        const root = frame && (await frame.frameElement().catch(() => null));
        if (root) await root.screenshot({ path: join(screenshotsDir, 'dashboard-mid-run-webview.png') }).catch(() => {});
        await sleep(1000);
        await page.screenshot({ path: join(screenshotsDir, 'dashboard-mid-run-1s-later.png') });
      } else {
        glances.push({ at, ...(await readDashboard(page)) });
      }
    }
    return { ok: false, seen: info?.status };
  }, { timeoutMs: 20 * 60_000, intervalMs: 250 });
  stopWatching();
  const usage = sampler.stop();
  if (info.status !== 'finished') throw new Error(`run ${id} ended "${info.status}"${info.error ? `: ${info.error}` : ''}`);
  if (withDashboard) {
    const [early, late] = glances;
    const framesEarly = firstInteger(early?.frames);
    const framesLate = firstInteger(late?.frames);
    result.dashboard = { glances, framesDrawnBetweenGlances: framesLate - framesEarly };
    if (!(framesLate > framesEarly)) result.warning = 'the frame counter did not grow between 25 % and 75 %: the dashboard was not animating';
    if (glances.some((g) => g.visibility !== 'visible')) result.warning = 'the dashboard document was not visible';
  } else {
    result.dashboardStillOpenAtEnd = Boolean(await dashboardFrame(page));
  }
  return { ...metricsRate(runDir), ...result, engine: info.engine, usage };
}

async function startSession({ tmpRoot, build, options, outDir }) {
  const base = join(tmpRoot, 'code-server');
  const workspace = join(base, 'workspace');
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(workspace, { recursive: true });
  const settings = {
    'ddpg.totalSteps': options.totalSteps,
    'ddpg.episodes': 0,
    'ddpg.seed': options.seed,
    'ddpg.engine': options.engine,
    ...(options.hidden ? { 'ddpg.actorHidden': options.hidden, 'ddpg.criticHidden': options.hidden } : {}),
  };
  writeWorkspaceSettings(workspace, settings);
  writeUserSettings(userDataDir);
  installVsix({ vsix: build.vsix, extensionsDir, userDataDir });
  const server = await startCodeServer({
    port: await findFreePort(),
    userDataDir,
    extensionsDir,
    folder: workspace,
    logFile: join(outDir, 'code-server.log'),
  });
  return { server, workspace, settings };
}

// ─── --diagnose: where the dashboard's cost goes ──────────────────────────────────────────────

function lastMetricsRow(runDir) {
  try {
    const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        return JSON.parse(lines[i]);
      } catch {
        // a half-written line
      }
    }
  } catch {
    // not there yet
  }
  return null;
}

/** CPU cores used per category, the trainer's steps/s and run-queue wait, over `seconds`. */
async function steadyWindow(name, seconds, { session, runDir }) {
  const sampler = new CpuSampler({ serverRoots: () => [session.server.pid], browserRoots: chromiumChildren });
  const before = lastMetricsRow(runDir);
  sampler.start();
  await sleep(seconds * 1000);
  const usage = sampler.stop();
  const after = lastMetricsRow(runDir);
  const perSecond = (x) => round3(x / usage.seconds);
  const c = usage.cpuSeconds;
  const chromium = c.browserRenderer + c.browserGpu + c.browserOther;
  return {
    name,
    seconds: usage.seconds,
    coresUsed: {
      chromium: perSecond(chromium),
      chromiumRenderer: perSecond(c.browserRenderer),
      chromiumGpuProcess: perSecond(c.browserGpu),
      chromiumOther: perSecond(c.browserOther),
      extensionHost: perSecond(c.extensionHost),
      codeServer: perSecond(c.codeServer),
      trainer: perSecond(c.trainer),
      restOfMachine: perSecond(c.restOfMachine),
      machineBusy: perSecond(c.machineBusy),
    },
    trainerRunQueueWaitPerSecond: usage.trainer ? perSecond(usage.trainer.mainThreadRunQueueWait) : null,
    stepsPerSecond: before && after && after.wallTime > before.wallTime ? round1((after.step - before.step) / (after.wallTime - before.wallTime)) : null,
  };
}

/** What the webview is sent, per type, and the workbench's WebSocket traffic, per second. */
async function trafficCensus(page, frame, seconds) {
  await frame.evaluate(() => {
    window.__ddpgBenchMessages = {};
    window.addEventListener('message', (event) => {
      const d = event.data;
      const type = d?.type === 'runEvent' ? `runEvent:${d.event?.type}` : String(d?.type ?? typeof d);
      const entry = (window.__ddpgBenchMessages[type] ??= { count: 0, jsonBytes: 0 });
      entry.count++;
      try {
        entry.jsonBytes += JSON.stringify(d).length;
      } catch {
        // not serialisable: counted without size
      }
    }, true);
  });
  const webSocket = await webSocketCounter(page);
  await sleep(seconds * 1000);
  const messages = await frame.evaluate(() => window.__ddpgBenchMessages);
  const ws = await webSocket.stop();
  const rate = (x) => round1(x / seconds);
  return {
    messagesIntoWebviewPerSecond: Object.fromEntries(Object.entries(messages).map(([type, m]) => [type, { count: rate(m.count), jsonBytes: Math.round(m.jsonBytes / seconds) }])),
    webSocketPerSecond: Object.fromEntries(Object.entries(ws).map(([k, v]) => [k, rate(v)])),
  };
}

async function webSocketCounter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const counts = { framesReceived: 0, payloadCharsReceived: 0, framesSent: 0, payloadCharsSent: 0 };
  cdp.on('Network.webSocketFrameReceived', (e) => {
    counts.framesReceived++;
    counts.payloadCharsReceived += e.response.payloadData.length;
  });
  cdp.on('Network.webSocketFrameSent', (e) => {
    counts.framesSent++;
    counts.payloadCharsSent += e.response.payloadData.length;
  });
  return {
    async stop() {
      await cdp.detach().catch(() => {});
      return counts;
    },
  };
}

/** Changes how often the webview's requestAnimationFrame callbacks run: 'native', 'cap20', 'cap1'. */
async function setWebviewAnimation(page, frame, mode) {
  await page.emulateMedia({ reducedMotion: mode === 'cap1' ? 'reduce' : 'no-preference' });
  await frame.evaluate((mode) => {
    window.__ddpgBenchRaf ??= window.requestAnimationFrame.bind(window);
    const raf = window.__ddpgBenchRaf;
    if (mode === 'native') window.requestAnimationFrame = raf;
    // 34 ms + the wait for the next vsync ≈ 50 ms: 20 callbacks a second, the environment's rate.
    if (mode === 'cap20') window.requestAnimationFrame = (callback) => setTimeout(() => raf(callback), 34);
    if (mode === 'cap1') window.requestAnimationFrame = (callback) => setTimeout(() => raf(callback), 1000);
  }, mode);
}

async function diagnose({ page, session, options }) {
  const windowSeconds = options.windowSeconds;
  const longRun = { ...session.settings, 'ddpg.totalSteps': 100_000_000 };
  writeWorkspaceSettings(session.workspace, longRun);
  const runsDir = join(session.workspace, '.ddpg', 'runs');
  await waitUntil('VS Code to pick up the long-run settings', async () => {
    const before = listRuns(runsDir);
    await sleep(1500);
    await runPaletteCommand(page, 'DDPG: Train');
    const { id } = await waitUntil('a new run directory', async () => {
      const fresh = [...listRuns(runsDir)].filter((name) => !before.has(name));
      return { ok: fresh.length === 1, id: fresh[0] };
    }, { timeoutMs: 60_000, intervalMs: 100 });
    const info = await waitUntil('run.json', async () => {
      const info = readJsonIfComplete(join(runsDir, id, 'run.json'));
      return { ok: Boolean(info?.config), info };
    });
    if (info.info.config.totalSteps === longRun['ddpg.totalSteps']) {
      session.diagnosisRunDir = join(runsDir, id);
      return { ok: true };
    }
    // Still the old settings: let that run finish and try again.
    await waitUntil('the short run to end', async () => ({ ok: readJsonIfComplete(join(runsDir, id, 'run.json'))?.status === 'finished' }), { timeoutMs: 600_000 });
    return { ok: false, seen: info.info.config.totalSteps };
  }, { timeoutMs: 900_000, intervalMs: 100 });
  const runDir = session.diagnosisRunDir;
  const frame = (await waitUntil('the dashboard', async () => {
    const frame = await dashboardFrame(page);
    return { ok: Boolean(frame), frame };
  })).frame;
  progress('diagnosis: letting the run settle (10 s)');
  await sleep(10_000);
  const out = { type: 'diagnosis', windowSeconds, windows: [] };
  out.webviewAnimationFramesPerSecond = await frame.evaluate(() => new Promise((done) => {
    let n = 0;
    const t0 = performance.now();
    const tick = () => (++n, performance.now() - t0 < 2000 ? requestAnimationFrame(tick) : done(Math.round(n / 2)));
    requestAnimationFrame(tick);
  }));
  out.trafficDashboardOpen = await trafficCensus(page, frame, 5);
  const modes = [
    ['dashboard open, as shipped', 'native'],
    ['animation capped at 20/s', 'cap20'],
    ['static (≤1 animation frame/s, no CSS pulse)', 'cap1'],
  ];
  for (let round = 1; round <= 3; round++) {
    for (const [name, mode] of modes) {
      await setWebviewAnimation(page, frame, mode);
      await sleep(700);
      const row = await steadyWindow(name, windowSeconds, { session, runDir });
      progress(`diagnosis: ${name}: Chromium ${row.coresUsed.chromium} cores, extension host ${row.coresUsed.extensionHost}, ${row.stepsPerSecond} steps/s`);
      out.windows.push({ round, ...row });
    }
  }
  await setWebviewAnimation(page, frame, 'native');
  await closeDashboard(page);
  out.trafficDashboardClosed = { webSocketPerSecond: await (async () => {
    const ws = await webSocketCounter(page);
    await sleep(5000);
    return Object.fromEntries(Object.entries(await ws.stop()).map(([k, v]) => [k, round1(v / 5)]));
  })() };
  for (let round = 1; round <= 2; round++) {
    const row = await steadyWindow('dashboard closed', windowSeconds, { session, runDir });
    progress(`diagnosis: dashboard closed: Chromium ${row.coresUsed.chromium} cores, extension host ${row.coresUsed.extensionHost}, ${row.stepsPerSecond} steps/s`);
    out.windows.push({ round, ...row });
  }
  const names = [...new Set(out.windows.map((w) => w.name))];
  out.medians = Object.fromEntries(names.map((name) => {
    const rows = out.windows.filter((w) => w.name === name);
    const med = (pick) => round3(median(rows.map(pick).filter((v) => typeof v === 'number')));
    return [name, {
      chromiumCores: med((w) => w.coresUsed.chromium),
      chromiumRendererCores: med((w) => w.coresUsed.chromiumRenderer),
      chromiumGpuProcessCores: med((w) => w.coresUsed.chromiumGpuProcess),
      extensionHostCores: med((w) => w.coresUsed.extensionHost),
      trainerCores: med((w) => w.coresUsed.trainer),
      restOfMachineCores: med((w) => w.coresUsed.restOfMachine),
      trainerRunQueueWaitPerSecond: med((w) => w.trainerRunQueueWaitPerSecond),
      stepsPerSecond: med((w) => w.stepsPerSecond),
    }];
  }));
  // Stop the long run; the server goes down right after anyway.
  writeWorkspaceSettings(session.workspace, session.settings);
  return out;
}

// ─── statistics ───────────────────────────────────────────────────────────────────────────────

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function describe(values) {
  if (values.length === 0) return null;
  return { median: round1(median(values)), min: round1(Math.min(...values)), max: round1(Math.max(...values)), n: values.length, values: values.map(round1) };
}

const overhead = (reference, measured) => (reference && measured ? round1((1 - measured / reference) * 100) : null);

function medianOf(results, condition, pick) {
  const values = results.filter((r) => r.condition === condition).map(pick).filter((v) => typeof v === 'number');
  return values.length ? round3(median(values)) : null;
}

// ─── main ─────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const options = parseArguments(process.argv.slice(2));
  mkdirSync(options.outDir, { recursive: true });
  const tmpRoot = mkdtempSync(join(tmpdir(), 'ddpg-dashboard-throughput-'));
  const needsCodeServer = options.conditions.some((c) => c !== 'A');

  if (needsCodeServer) {
    progress('checking code-server, Chromium and system packages');
    // (The harness's helpers print to stdout; here stdout is for JSON lines only.)
    runChecked('bash', [SETUP_SCRIPT], { stdio: ['ignore', 2, 2] });
    if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server is missing at ${CODE_SERVER_BIN} after setup`);
  }
  if (options.skipPackage && existsSync(VSIX_PATH)) progress(`reusing ${relative(ROOT, VSIX_PATH)} and dist/`);
  else {
    progress('packaging (npm run package): the headless CLI and the .vsix come from one build');
    runChecked('npm', ['run', 'package'], { stdio: ['ignore', 2, 2] });
    if (!existsSync(VSIX_PATH)) throw new Error(`npm run package did not produce ${VSIX_PATH}`);
  }
  const build = snapshotBuild(join(tmpRoot, 'build'));
  if (build.mismatches.length > 0) {
    throw new Error(`dist/ and ddpg-lab.vsix are not the same build (${build.mismatches.join(', ')} differ): something rebuilt dist/ in between; run again without --skip-package`);
  }

  const headlessRuns = join(tmpRoot, 'headless-runs');
  const config = { totalSteps: options.totalSteps, episodes: 0, seed: options.seed, engine: options.engine, otherHyperparameters: 'defaults (config.ts)' };
  const headlessCommand = `node dist/cli.js ${headlessArgs(options, '<tmp>').join(' ')}`;
  emit({ type: 'setup', config, headlessCommand, cores: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, trainerBuildSha256: build.trainerSha256, rounds: options.rounds, conditions: options.conditions, tmpRoot });

  let session;
  let browser;
  let page;
  const results = [];
  try {
    if (needsCodeServer) {
      progress('starting code-server and Chromium');
      session = await startSession({ tmpRoot, build, options, outDir: options.outDir });
      browser = await launchChromium();
      page = await openWorkbench(browser, session.server.folderUrl);
      const chromium = chromiumChildren(allProcesses());
      emit({ type: 'code-server', url: session.server.url, workspaceSettings: session.settings, chromiumPids: chromium, viewport: page.viewportSize() });
      if (chromium.length === 0) progress('warning: Chromium was not found among the children of this process, so its CPU time is not counted');
    }

    const measure = async (condition, round, position) => {
      const load = loadavg().map((x) => Math.round(x * 100) / 100);
      let r;
      if (condition === 'A') r = await measureHeadless({ options, build, runsDir: headlessRuns });
      else {
        r = await measureInCodeServer({
          page,
          session,
          options,
          withDashboard: condition !== 'C',
          chartsAtOnePerSecond: condition === 'D',
          screenshotsDir: round === 'warmup' && condition === 'B' ? options.outDir : null,
        });
      }
      const row = {
        type: 'measurement',
        condition,
        label: {
          A: 'headless CLI',
          B: 'code-server, dashboard open and visible',
          C: 'code-server, dashboard closed',
          D: 'code-server, dashboard open, chart redraws held to 1/s (injected)',
        }[condition],
        round,
        position,
        loadAverageBefore: load,
        stepsPerSecond: round1(r.stepsPerSecond),
        steps: r.steps,
        wallTimeSeconds: round3(r.wallTime),
        trainerCpuSecondsPer10kSteps: r.usage.cpuSeconds.trainer ? round3((r.usage.cpuSeconds.trainer / r.steps) * 10000) : null,
        // Cores other people's work kept busy meanwhile (everything on the machine that is not this benchmark).
        restOfMachineCores: round3(r.usage.cpuSeconds.restOfMachine / r.usage.seconds),
        ...Object.fromEntries(Object.entries(r).filter(([k]) => !['stepsPerSecond', 'steps', 'wallTime', 'episodes'].includes(k))),
      };
      emit(row);
      if (row.invalid) progress(`not counted: ${condition} round ${round}: ${row.invalid}`);
      if (round !== 'warmup' && !row.invalid) results.push(row);
      return row;
    };

    if (options.warmup) {
      progress('warm-up (not counted): one run per condition; screenshots of the dashboard mid-run');
      for (const c of options.conditions) await measure(c, 'warmup', 0);
    }
    for (let round = 1; round <= options.rounds; round++) {
      const order = options.conditions.map((_, i) => options.conditions[(i + round - 1) % options.conditions.length]);
      progress(`round ${round}/${options.rounds}: ${order.join(' ')}  (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
      for (let i = 0; i < order.length; i++) await measure(order[i], round, i + 1);
    }
    if (options.diagnose) {
      if (!page) throw new Error('--diagnose needs code-server (a condition other than A)');
      progress('diagnosis: one long run with the dashboard open, measured in windows');
      const diagnosis = await diagnose({ page, session, options });
      emit(diagnosis);
      writeFileSync(join(options.outDir, 'diagnosis.json'), `${JSON.stringify(diagnosis, null, 2)}\n`);
    }
  } finally {
    await page?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await session?.server.stop().catch(() => {});
    // Run folders, profiles and the build snapshot: results.json keeps what matters.
    rmSync(tmpRoot, { recursive: true, force: true });
  }

  const rates = (c) => results.filter((r) => r.condition === c).map((r) => r.stepsPerSecond);
  const byRound = (c) => new Map(results.filter((r) => r.condition === c).map((r) => [r.round, r.stepsPerSecond]));
  const pairedOverhead = (refC, c) => {
    const ref = byRound(refC);
    const values = [...byRound(c)].filter(([round]) => ref.has(round)).map(([round, v]) => (1 - v / ref.get(round)) * 100);
    return values.length ? describe(values) : null;
  };
  const A = describe(rates('A'));
  const B = describe(rates('B'));
  const C = describe(rates('C'));
  const D = describe(rates('D'));
  const cpu = (c) => {
    const keys = ['trainer', 'extensionHost', 'codeServer', 'browserRenderer', 'browserGpu', 'browserOther', 'benchScript', 'restOfMachine', 'machineBusy'];
    const out = {};
    for (const k of keys) out[k] = medianOf(results, c, (r) => r.usage.cpuSeconds[k]);
    out.trainerMainThreadOnCpu = medianOf(results, c, (r) => r.usage.trainer?.mainThreadOnCpu);
    out.trainerMainThreadRunQueueWait = medianOf(results, c, (r) => r.usage.trainer?.mainThreadRunQueueWait);
    out.wallSeconds = medianOf(results, c, (r) => r.wallTimeSeconds);
    return out;
  };
  // The same statistics over the measurements during which the rest of the machine was quiet
  // (under 0.1 core busy on average): the dashboard's own effect, without other people's load.
  const QUIET_CORES = 0.1;
  const quiet = (c) => describe(results.filter((r) => r.condition === c && r.restOfMachineCores < QUIET_CORES).map((r) => r.stepsPerSecond));
  const quietA = quiet('A');
  const quietB = quiet('B');
  const quietC = quiet('C');
  const quietD = quiet('D');
  const summary = {
    type: 'summary',
    headlessStepsPerSecond: A?.median ?? null,
    dashboardStepsPerSecond: B?.median ?? null,
    hiddenStepsPerSecond: C?.median ?? null,
    overheadPercent: overhead(A?.median, B?.median),
    hiddenOverheadPercent: overhead(A?.median, C?.median),
    dashboardVsHiddenPercent: overhead(C?.median, B?.median),
    pairedOverheadPercent: { dashboardVsHeadless: pairedOverhead('A', 'B'), hiddenVsHeadless: pairedOverhead('A', 'C'), dashboardVsHidden: pairedOverhead('C', 'B') },
    ...(D ? { chartsHeldStepsPerSecond: D.median, chartsHeldOverheadPercent: overhead(A?.median, D.median), pairedChartsHeldVsHeadless: pairedOverhead('A', 'D') } : {}),
    withinFivePercent: A && B ? overhead(A.median, B.median) <= 5 : null,
    spread: { A, B, C, D },
    quietMachine: {
      rule: `measurements while the rest of the machine used < ${QUIET_CORES} core`,
      A: quietA,
      B: quietB,
      C: quietC,
      D: quietD,
      overheadPercent: overhead(quietA?.median, quietB?.median),
      hiddenOverheadPercent: overhead(quietA?.median, quietC?.median),
      chartsHeldOverheadPercent: overhead(quietA?.median, quietD?.median),
    },
    medianCpuSecondsPerRun: Object.fromEntries(['A', 'B', 'C', 'D'].filter((c) => rates(c).length).map((c) => [c, cpu(c)])),
    loadAverages: results.map((r) => ({ condition: r.condition, round: r.round, load1: r.loadAverageBefore[0] })),
    config,
    headlessCommand,
    command: `node bench/dashboard-throughput.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  };
  emit(summary);
  writeFileSync(join(options.outDir, 'results.json'), `${JSON.stringify({ summary, results }, null, 2)}\n`);
  progress(`results: ${relative(ROOT, join(options.outDir, 'results.json'))}; screenshots in ${relative(ROOT, options.outDir)}/`);
}

main().catch((error) => {
  console.error(`dashboard-throughput: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
