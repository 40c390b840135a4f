// `npm start`: DDPG Lab in a real VS Code, in your browser, in one command.
//
// 1. installs code-server and the system packages it needs, if missing (scripts/setup-code-server.sh);
// 2. builds the production bundle and packages ddpg-lab.vsix (npm run package);
// 3. installs that .vsix into a profile kept under .vscode-test/profile/ (your settings,
//    layout and open editors there survive restarts);
// 4. opens a sample workspace (~/.ddpg-lab/sample-workspace/, created on first run; outside the
//    repository, so VS Code does not find this repository's git folder around it) in
//    code-server on 127.0.0.1 and prints the address. Ctrl-C stops everything: code-server, and
//    the trainers of the workspace's runs (they are detached so that they outlive a reload,
//    so code-server.mjs finds them by their lock files and stops them with a final checkpoint).
//
// Options:  --port <n>        listen on this port (default 8080, or a free one if taken)
//           --skip-package    reuse the existing ddpg-lab.vsix instead of rebuilding
import { homedir } from 'node:os';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  CODE_SERVER_VERSION,
  ROOT,
  VSIX_PATH,
  ensureCodeServer,
  findFreePort,
  installVsix,
  packageExtension,
  startCodeServer,
  writeUserSettings,
} from './code-server.mjs';

const DEFAULT_PORT = 8080;

function parseArguments(argv) {
  const options = { port: Number(process.env.DDPG_LAB_PORT) || DEFAULT_PORT, skipPackage: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--skip-package') options.skipPackage = true;
    else if (arg === '--port' && /^\d+$/.test(argv[i + 1] ?? '')) options.port = Number(argv[++i]);
    else {
      console.error(`Unknown argument: ${arg}\nUsage: npm start [-- --port <n>] [-- --skip-package]`);
      process.exit(2);
    }
  }
  return options;
}

const SAMPLE_README = `# DDPG Lab sample workspace

This folder was created by \`npm start\`. Runs you train here are saved in \`.ddpg/runs/\`.

1. Press F1 (or Ctrl+Shift+P) and run **DDPG: Train**: the dashboard opens and the pendulum
   starts learning to swing up.
2. Pause, resume, save a checkpoint or stop from the dashboard's buttons.
3. The **DDPG** icon in the activity bar lists every run and its checkpoints; right-click a
   checkpoint to evaluate it.
4. Hyperparameters are the \`ddpg.*\` settings (File > Preferences > Settings, search "ddpg"),
   per user or per workspace in \`.vscode/settings.json\`.
`;

function ensureSampleWorkspace(folder) {
  mkdirSync(folder, { recursive: true });
  const readme = join(folder, 'README.md');
  if (!existsSync(readme)) writeFileSync(readme, SAMPLE_README);
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const base = join(ROOT, '.vscode-test');
  const userDataDir = join(base, 'profile', 'user-data');
  const extensionsDir = join(base, 'profile', 'extensions');
  // DDPG_LAB_SAMPLE_WORKSPACE chooses another folder.
  const workspace = process.env.DDPG_LAB_SAMPLE_WORKSPACE || join(homedir(), '.ddpg-lab', 'sample-workspace');
  const logFile = join(base, 'code-server.log');

  console.log('==> Checking code-server and system packages');
  // No Chromium needed here: you bring your own browser.
  ensureCodeServer({ withBrowser: false });

  if (options.skipPackage && existsSync(VSIX_PATH)) {
    console.log(`==> Reusing ${relative(ROOT, VSIX_PATH)}`);
  } else {
    console.log('==> Building and packaging the extension');
    packageExtension();
  }

  console.log('==> Installing ddpg-lab.vsix into .vscode-test/profile/');
  installVsix({ vsix: VSIX_PATH, extensionsDir, userDataDir });
  // Quiet defaults only on the first run; after that the settings are yours.
  if (!existsSync(join(userDataDir, 'User', 'settings.json'))) writeUserSettings(userDataDir);
  ensureSampleWorkspace(workspace);

  const port = await findFreePort(options.port);
  if (port !== options.port) console.log(`    (port ${options.port} is taken; using ${port})`);
  console.log(`==> Starting code-server ${CODE_SERVER_VERSION}`);
  const server = await startCodeServer({ port, userDataDir, extensionsDir, folder: workspace, logFile });

  const line = '─'.repeat(72);
  console.log(`
${line}
  DDPG Lab is running in VS Code (code-server ${CODE_SERVER_VERSION}).

  Open in your browser:  ${server.folderUrl}

  Then press F1 and run "DDPG: Train".
  Workspace: ${workspace}/   Server log: ${relative(ROOT, logFile)}
  Listening on 127.0.0.1 only (from another machine: ssh -L ${port}:127.0.0.1:${port} <host>).
  Press Ctrl-C to stop (training runs of the workspace stop too, with a final checkpoint).
${line}
`);

  // Runs until Ctrl-C (code-server.mjs stops the server and exits) or until the server dies.
  const { code, signal } = await server.exited;
  if (server.stopRequested) return; // Ctrl-C: code-server.mjs finishes the shutdown and exits.
  console.error(`code-server stopped unexpectedly (${signal ?? `exit code ${code}`}). Last output:\n${server.recentOutput()}`);
  await server.stop();
  process.exit(1);
}

main().catch((error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
