// One isolated VS Code for one end-to-end flow: a fresh workspace with a small, fast training
// configuration, a fresh user profile and extensions folder with the packaged .vsix installed,
// and code-server serving them on a free loopback port.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  defaultRunsDirectory,
  findFreePort,
  installVsix,
  startCodeServer,
  writeUserSettings,
  writeWorkspaceSettings,
} from '../../scripts/code-server.mjs';

/**
 * A tiny, fast configuration: 16×16 networks and 60-step episodes train at 20–30k steps a second
 * (several hundred episodes a second), with an evaluation every 5 episodes and a "best" checkpoint
 * whenever one improves. That is the load that once swamped the workbench (one webview message
 * per trainer event: clicks took seconds to register, the Runs tree kept spinning), so the flow
 * runs at that speed on purpose. Set DDPG_LAB_E2E_SETTINGS to a JSON object to override any of
 * these.
 *
 * `episodes` is the most the setting allows, far more than the flow needs: the run must still be
 * going while the test pauses, resumes and checkpoints it; the test stops it itself. Periodic
 * checkpoints stay off so that the manual one is easy to find in the Runs view.
 */
export const FAST_WORKSPACE_SETTINGS = {
  'ddpg.actorHidden': [16, 16],
  'ddpg.criticHidden': [16, 16],
  'ddpg.batchSize': 32,
  'ddpg.bufferSize': 5000,
  'ddpg.warmupSteps': 100,
  'ddpg.maxEpisodeSteps': 60,
  'ddpg.episodes': 1000000,
  'ddpg.evalEverySteps': 300,
  'ddpg.evalEpisodes': 2,
  'ddpg.checkpointEveryEpisodes': 0,
  ...(process.env.DDPG_LAB_E2E_SETTINGS ? JSON.parse(process.env.DDPG_LAB_E2E_SETTINGS) : {}),
};

/**
 * Starts code-server for one flow; `env` reaches the extension host (and the trainer). The flow
 * gets a temp directory of its own (TMPDIR): runs directories that tests make there, like the
 * workspace's, have their trainers stopped with the server, so nothing trains on after the flow.
 * `workspaceSettings` start the workspace's .vscode/settings.json: the fast configuration unless
 * a flow brings its own.
 */
export async function startFlowEnvironment({ name, vsix, tmpRoot, logDir, env = {}, workspaceSettings = FAST_WORKSPACE_SETTINGS }) {
  const base = join(tmpRoot, name);
  const workspace = join(base, 'workspace');
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  const tmp = join(base, 'tmp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const tmpRunsDirs = () => (existsSync(tmp) ? readdirSync(tmp, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(tmp, d.name)) : []);
  writeWorkspaceSettings(workspace, workspaceSettings);
  writeUserSettings(userDataDir);
  installVsix({ vsix, extensionsDir, userDataDir });
  const server = await startCodeServer({
    port: await findFreePort(),
    userDataDir,
    extensionsDir,
    folder: workspace,
    env: { TMPDIR: tmp, ...env },
    logFile: join(logDir, `code-server-${name}.log`),
    runsDirs: [defaultRunsDirectory(workspace), tmpRunsDirs],
  });
  return { base, workspace, server };
}
