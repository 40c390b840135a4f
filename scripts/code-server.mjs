// Shared helpers for running the packaged extension in a real VS Code offline: code-server
// (installed by scripts/setup-code-server.sh) on 127.0.0.1, with an isolated extensions
// folder and user data folder. Used by `npm start` (scripts/start.mjs) and the end-to-end
// tests (scripts/e2e.mjs).
//
// Every server started here runs in a process group of its own (code-server forks an extension
// host), is stopped by killing that whole group, and is killed when this Node process exits for
// any reason, so no test or Ctrl-C leaves a server behind. Trainers are not in that group: they
// are started detached so that they outlive a window. So stopping a server also stops the
// trainers of the runs directories it used, found by their lock files (SIGTERM: a final
// checkpoint; SIGKILL after a grace period), and so does the exit hook.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_BIN = join(ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
export const SETUP_SCRIPT = join(ROOT, 'scripts', 'setup-code-server.sh');
export const VSIX_PATH = join(ROOT, 'ddpg-lab.vsix');

/** Settings that keep a fresh profile quiet: no welcome page, tips, telemetry or update checks. */
export const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
};

export function log(message) {
  console.log(`[code-server] ${message}`);
}

/**
 * The environment for code-server and everything it starts. Variables a surrounding VS Code
 * sets for its integrated terminal (VSCODE_IPC_HOOK_CLI and friends) would make the
 * code-server CLI talk to *that* editor instead, so they are dropped.
 */
function cleanEnvironment(extra = {}) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('VSCODE_') || name === 'ELECTRON_RUN_AS_NODE') delete env[name];
  }
  return { ...env, ...extra };
}

/** Runs a command to completion with its output shown; throws if it fails. */
export function runChecked(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with ${result.signal ?? `exit code ${result.status}`}`);
  }
}

/** Installs code-server and its system packages unless they are already there (fast if so). */
export function ensureCodeServer({ withBrowser = true } = {}) {
  runChecked('bash', [SETUP_SCRIPT, ...(withBrowser ? [] : ['--without-browser'])]);
  if (!existsSync(CODE_SERVER_BIN)) throw new Error(`code-server is missing at ${CODE_SERVER_BIN} after setup`);
}

/** Builds the production bundle and packages it as ddpg-lab.vsix in the repository root. */
export function packageExtension() {
  runChecked('npm', ['run', 'package']);
  if (!existsSync(VSIX_PATH)) throw new Error(`npm run package did not produce ${VSIX_PATH}`);
  return VSIX_PATH;
}

function portIsFree(port) {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(true)));
  });
}

/** A free port on 127.0.0.1: `preferred` if it is free, otherwise one the OS picks. */
export async function findFreePort(preferred) {
  if (preferred && (await portIsFree(preferred))) return preferred;
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Installs (or reinstalls) a .vsix into an isolated extensions folder. */
export function installVsix({ vsix, extensionsDir, userDataDir }) {
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  const result = spawnSync(
    CODE_SERVER_BIN,
    ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    { encoding: 'utf8', env: cleanEnvironment(), timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  // code-server exits 0 even when an install fails, so the success line is what counts.
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`Installing ${vsix} into code-server failed:\n${output}`);
  }
}

function writeJson(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes <userDataDir>/User/settings.json: the quiet defaults plus `settings`. */
export function writeUserSettings(userDataDir, settings = {}) {
  writeJson(join(userDataDir, 'User', 'settings.json'), { ...QUIET_USER_SETTINGS, ...settings });
}

/** Writes <folder>/.vscode/settings.json. */
export function writeWorkspaceSettings(folder, settings) {
  writeJson(join(folder, '.vscode', 'settings.json'), settings);
}

const liveServers = new Set();
/** Runs directories (or functions listing them) whose trainers die with this process (see stopTrainersIn). */
const trainerRunsDirs = new Set();
function listRunsDirs(sources) {
  return [...sources].flatMap((source) => {
    if (typeof source !== 'function') return [source];
    try {
      return source();
    } catch {
      return []; // its folder is gone: nothing can train there
    }
  });
}

/** Where a workspace's runs go when ddpg.runsDirectory is not set. */
export function defaultRunsDirectory(folder) {
  return join(folder, '.ddpg', 'runs');
}

/**
 * Stops every live trainer under these runs directories (the lock module of the extension and
 * the agent, src/shared/node/trainerLock.ts, decides what is live). Resolves with their pids.
 */
export async function stopTrainersIn(runsDirs, graceMs = 10_000) {
  const dirs = [...runsDirs].filter((dir) => existsSync(dir));
  if (dirs.length === 0) return [];
  const { stopLiveTrainers } = await tsImport(join(ROOT, 'src', 'shared', 'node', 'trainerLock.ts'), import.meta.url);
  const pids = await stopLiveTrainers(dirs, graceMs);
  if (pids.length > 0) log(`stopped ${pids.length} trainer${pids.length === 1 ? '' : 's'} (pid ${pids.join(', ')})`);
  return pids;
}

/** Synchronous last resort for the exit hook: SIGTERM to every trainer a lock names (each saves a final checkpoint). */
function signalTrainersSync(runsDirs) {
  for (const runsDir of runsDirs) {
    let names = [];
    try {
      names = readdirSync(runsDir);
    } catch {
      continue;
    }
    for (const name of names) {
      const lock = readJsonIfComplete(join(runsDir, name, 'trainer.lock'));
      if (Number.isInteger(lock?.pid) && lock.pid !== process.pid) {
        try {
          process.kill(lock.pid, 'SIGTERM');
        } catch {
          // Gone already.
        }
      }
    }
  }
}

function groupIsAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

// Last line of defence: whatever way this process ends, take every server group with it.
process.on('exit', () => {
  for (const server of liveServers) killGroup(server.pid, 'SIGKILL');
  signalTrainersSync(listRunsDirs(trainerRunsDirs));
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (liveServers.size > 0) log(`${signal}: stopping code-server, the trainers and everything they started…`);
    await Promise.allSettled([...liveServers].map((server) => server.stop()));
    await stopTrainersIn(listRunsDirs(trainerRunsDirs)).catch((error) => log(`could not stop the trainers: ${error.message}`));
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts code-server on 127.0.0.1:<port> and resolves once it answers HTTP requests.
 * Returns { url, folderUrl, pid, logFile, stop(), recentOutput() }. `runsDirs`: where the
 * trainers of its windows train (default: the folder's .ddpg/runs), as paths or functions that
 * list them when it stops; stop() stops those trainers too.
 */
export async function startCodeServer({
  port,
  userDataDir,
  extensionsDir,
  folder,
  env = {},
  logFile,
  readyTimeoutMs = 120_000,
  runsDirs = folder ? [defaultRunsDirectory(folder)] : [],
}) {
  for (const source of runsDirs) trainerRunsDirs.add(source);
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  // A config file of our own, so that ~/.config/code-server/config.yaml (password, cert,
  // bind address) of whoever runs this cannot change what we start.
  const configFile = join(userDataDir, 'code-server-config.yaml');
  // (A file with only a comment parses as null, which code-server rejects.)
  writeFileSync(configFile, '# Written by scripts/code-server.mjs; the command line sets the rest.\nauth: none\n');
  const args = [
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(folder ? [folder] : []),
  ];
  const child = spawn(CODE_SERVER_BIN, args, {
    cwd: folder ?? ROOT,
    env: cleanEnvironment(env),
    // Own process group: stop() and the exit hook kill the extension host and the trainer too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logStream = logFile ? createWriteStream(logFile) : null;
  const recent = [];
  const keep = (chunk) => {
    logStream?.write(chunk);
    recent.push(...chunk.toString().split('\n').filter(Boolean));
    if (recent.length > 200) recent.splice(0, recent.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitInfo = null;
  const exited = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolveExit(exitInfo);
    }),
  );

  const url = `http://127.0.0.1:${port}/`;
  const server = {
    pid: child.pid,
    url,
    // Slashes stay readable; everything else that could upset a query string is encoded.
    folderUrl: folder ? `${url}?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}` : url,
    logFile,
    recentOutput: () => recent.join('\n'),
    exited,
    /** True once stop() was called: an exit after that is expected. */
    stopRequested: false,
    async stop() {
      server.stopRequested = true;
      if (!liveServers.has(server)) return;
      killGroup(child.pid, 'SIGTERM');
      // code-server shuts its children down on SIGTERM; give them a generous moment, then
      // make sure nothing of the group survives.
      const deadline = Date.now() + 10_000;
      while (groupIsAlive(child.pid) && Date.now() < deadline) await sleep(100);
      killGroup(child.pid, 'SIGKILL');
      while (groupIsAlive(child.pid)) await sleep(50);
      liveServers.delete(server);
      await stopTrainersIn(listRunsDirs(runsDirs)).catch((error) => log(`could not stop the trainers: ${error.message}`));
      await new Promise((r) => (logStream ? logStream.end(r) : r()));
    },
  };
  liveServers.add(server);

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exitInfo) {
      await server.stop();
      throw new Error(
        `code-server exited before it served (${JSON.stringify(exitInfo)}):\n${server.recentOutput()}`,
      );
    }
    try {
      const response = await fetch(`${url}healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not answer on ${url} within ${readyTimeoutMs / 1000} s:\n${server.recentOutput()}`);
    }
    await sleep(250);
  }
  return server;
}

/** Reads a JSON file, or returns undefined if it is missing or not (yet) complete JSON. */
export function readJsonIfComplete(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
