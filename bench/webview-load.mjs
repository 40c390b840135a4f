#!/usr/bin/env node
// What the dashboard webview costs to load: the size of its scripts in dist/ (as they are on disk,
// and gzipped for reference), and how long a dashboard takes to show a run in Chromium — the
// webview test harness (test/webview/harnessServer.ts: the real dist/ bundles and media/ CSS
// behind the extension's CSP, a fake host that answers `ready` with a run snapshot).
//
//   node esbuild.mjs --production && node --import tsx bench/webview-load.mjs [--rounds 20]
//       [--environments Pendulum-v1,HalfCheetah-v5] [--build LABEL=DIR]...
//
// --build compares checkouts (each built with `node esbuild.mjs --production`; DIR's own harness
// serves DIR/dist), e.g. `git archive <commit> | tar -x -C /tmp/old`, node_modules linked in.
// Without it, this checkout. Every round opens each build's dashboard of each environment once,
// in a fresh browser context (nothing cached, no compiled code kept), in an order that rotates
// from round to round, so that load from other work on the machine falls on all of them alike.
//
// Times are milliseconds from navigation start, read in the page:
//   dashboardScriptFetchedMs  dist/webview.js downloaded
//   dashboardStartedMs        the dashboard's code starts (it acquires the VS Code API): its
//                             script has been compiled and every module's top level has run
//   runShownMs                the run's name is in the DOM (the dashboard has built its view of the snapshot)
//   firstRenderMs             the first frame painted after that (a requestAnimationFrame, then a task)
//   environmentReadyMs        the run's environment has its renderer: Pendulum's 2D canvas; a MuJoCo
//                             run's 3D canvas with WebGL set up (after loading its script, if separate)
// and, from Chromium's counters once the environment was ready, scriptMs (time spent compiling
// and running JavaScript, the harness's fake host included) and heapMB (JavaScript heap in use).
//
// One JSON document on stdout: per build its script sizes and, per environment, the statistics
// over the rounds (median, quartiles, min, max) and the scripts the page requested; the machine's
// load around the measurement.
// recordMarks and the page.evaluate callbacks run in the page, with the browser's globals.
/* global document, MutationObserver, requestAnimationFrame, window */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../test/helpers/chromium.mjs';
import { forEachArgument } from './benchArguments.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Required rather than imported: the harness and the environments are CommonJS TypeScript modules
// (the harness finds its files through __dirname), which tsx gives a __dirname only under require.
const requireFrom = (dir) => createRequire(join(dir, 'bench', 'webview-load.mjs'));
const { ENVIRONMENTS } = requireFrom(ROOT)('../src/shared/environments.ts');

function parseArguments(argv) {
  const options = { rounds: 20, environments: ['Pendulum-v1', 'HalfCheetah-v5'], builds: [] };
  const usage = 'Usage: node --import tsx bench/webview-load.mjs [--rounds N] [--environments ID,ID] [--build LABEL=DIR]...';
  forEachArgument(argv, usage, (arg, value) => {
    if (arg === '--rounds') options.rounds = Number(value());
    else if (arg === '--environments') options.environments = value().split(',').filter(Boolean);
    else if (arg === '--build') {
      const text = value();
      const eq = text.indexOf('=');
      if (eq <= 0) throw new Error(`--build wants LABEL=DIR; got ${text}`);
      options.builds.push({ label: text.slice(0, eq), dir: resolve(text.slice(eq + 1)) });
    } else return false;
    return true;
  });
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error('--rounds must be a positive integer');
  for (const id of options.environments) if (!ENVIRONMENTS[id]) throw new Error(`unknown environment ${id}`);
  if (options.builds.length === 0) options.builds.push({ label: 'this', dir: ROOT });
  for (const { dir } of options.builds) {
    if (!existsSync(join(dir, 'dist', 'webview.js'))) throw new Error(`${dir}/dist/webview.js is missing: build that checkout first`);
  }
  return options;
}

const progress = (message) => process.stderr.write(`[webview-load] ${message}\n`);
const round1 = (x) => Math.round(x * 10) / 10;

/** The webview pages' scripts in DIR/dist/ (webview*.js, compare*.js): bytes on disk and gzipped. */
function scriptSizes(dir) {
  return readdirSync(join(dir, 'dist'))
    .filter((file) => /^(webview|compare)[\w.-]*\.js$/.test(file))
    .sort()
    .map((file) => {
      const bytes = readFileSync(join(dir, 'dist', file));
      // A development build links its source map; `--production` minifies and links none.
      const minified = !bytes.subarray(-200).toString('utf8').includes('sourceMappingURL');
      return { file: `dist/${file}`, bytes: bytes.length, gzipBytes: gzipSync(bytes).length, minified };
    });
}

/**
 * Runs in the page before any of its scripts: records when the dashboard's code starts, when the
 * run appears, the frame after that, and when the environment's renderer exists.
 */
function recordMarks(rendererKind) {
  const marks = {};
  window.loadMarks = marks;
  const mark = (name) => {
    if (!(name in marks)) marks[name] = performance.now();
  };
  // The fake host defines acquireVsCodeApi; the dashboard calls it first thing.
  let acquire;
  Object.defineProperty(window, 'acquireVsCodeApi', {
    configurable: true,
    get: () => acquire,
    set: (fn) => {
      acquire = (...args) => {
        mark('dashboardStartedMs');
        return fn(...args);
      };
    },
  });
  const observer = new MutationObserver(() => {
    if (!('runShownMs' in marks) && document.querySelector('[data-testid="run-name"]')) {
      mark('runShownMs');
      requestAnimationFrame(() => setTimeout(() => mark('firstRenderMs'), 0));
    }
    const stage = document.querySelector('[data-testid="environment-stage"]');
    const canvas = stage?.querySelector('canvas');
    if (canvas && stage.dataset.renderer === rendererKind && (rendererKind !== 'mujoco' || canvas.dataset.webgl)) mark('environmentReadyMs');
    if ('runShownMs' in marks && 'environmentReadyMs' in marks) observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

async function loadOnce(browser, baseUrl, environment) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(recordMarks, ENVIRONMENTS[environment].renderer);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const query = new URLSearchParams({ scenario: 'live', environment, theme: 'dark', stream: '0', respond: '0' });
    await page.goto(`${baseUrl}?${query.toString()}`);
    await page.waitForFunction(() => window.loadMarks && 'firstRenderMs' in window.loadMarks && 'environmentReadyMs' in window.loadMarks, undefined, { timeout: 30_000 });
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    const timings = await page.evaluate(() => {
      const scripts = performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).pathname.endsWith('.js'));
      const dashboardScript = scripts.find((entry) => new URL(entry.name).pathname === '/dist/webview.js');
      return { ...window.loadMarks, dashboardScriptFetchedMs: dashboardScript?.responseEnd ?? Number.NaN, scripts: scripts.map((entry) => new URL(entry.name).pathname) };
    });
    if (errors.length > 0) throw new Error(`${environment}: page errors: ${errors.join('; ')}`);
    // Chromium counts seconds and bytes.
    return { ...timings, scriptMs: metric('ScriptDuration') * 1000, heapMB: metric('JSHeapUsedSize') / 2 ** 20 };
  } finally {
    await context.close();
  }
}

function statistics(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    return sorted[low] + (sorted[Math.ceil(position)] - sorted[low]) * (position - low);
  };
  return { median: round1(at(0.5)), p25: round1(at(0.25)), p75: round1(at(0.75)), min: round1(sorted[0]), max: round1(sorted[sorted.length - 1]) };
}

const FIELDS = ['dashboardScriptFetchedMs', 'dashboardStartedMs', 'runShownMs', 'firstRenderMs', 'environmentReadyMs', 'scriptMs', 'heapMB'];

const options = parseArguments(process.argv.slice(2));
const builds = options.builds.map((build) => ({ ...build, sizes: scriptSizes(build.dir), samples: Object.fromEntries(options.environments.map((id) => [id, []])) }));
for (const build of builds) {
  if (build.sizes.some((s) => !s.minified)) progress(`${build.dir}/dist holds a development build (not minified): \`node esbuild.mjs --production\` there first for the sizes that ship`);
}
const browser = await launchChromium();
const servers = [];
const loadBefore = loadavg();
try {
  for (const build of builds) {
    build.server = await requireFrom(build.dir)('../test/webview/harnessServer.ts').startHarnessServer();
    servers.push(build.server);
  }
  const cases = builds.flatMap((build) => options.environments.map((environment) => ({ build, environment })));
  // One unrecorded load each: the first pages pay for starting Chromium's renderer processes.
  for (const { build, environment } of cases) await loadOnce(browser, build.server.url, environment);
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const { build, environment } = cases[(i + round) % cases.length];
      build.samples[environment].push(await loadOnce(browser, build.server.url, environment));
    }
    progress(`round ${round + 1}/${options.rounds}`);
  }
} finally {
  await browser.close();
  await Promise.all(servers.map((server) => server.close()));
}

const results = builds.map((build) => ({
  label: build.label,
  dir: build.dir,
  sizes: build.sizes,
  environments: Object.fromEntries(
    Object.entries(build.samples).map(([id, runs]) => [
      id,
      { ...Object.fromEntries(FIELDS.map((field) => [field, statistics(runs.map((r) => r[field]))])), scriptsRequested: runs[0].scripts },
    ]),
  ),
}));
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      rounds: options.rounds,
      builds: results,
      machine: { cpus: cpus().length, loadAverageBefore: loadBefore.map(round1), loadAverageAfter: loadavg().map(round1) },
    },
    null,
    2,
  ),
);
