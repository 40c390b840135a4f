// One isolated VS Code for one end-to-end flow: a fresh workspace with a small, fast training
// configuration, a fresh user profile and extensions folder with the packaged .vsix installed,
// and code-server serving them on a free loopback port.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  findFreePort,
  installVsix,
  startCodeServer,
  writeUserSettings,
  writeWorkspaceSettings,
} from '../../scripts/code-server.mjs';

/**
 * A quick configuration that still looks like real use. Short warm-up and frequent evaluations
 * so that episodes, evaluations and checkpoints come within seconds.
 *
 * Why not tiny networks: with 16×16 networks the wasm engine runs 20–30k steps a second, about
 * 400 episodes a second, and the workbench cannot keep up (the Runs tree stays "loading" for
 * over a minute, clicks into the webview take seconds). 64×64 networks run ~2–3k steps a second,
 * the rate a person sees with the default settings. Set DDPG_LAB_E2E_SETTINGS to a JSON object to
 * override any of these (e.g. to reproduce the overload).
 *
 * `episodes` is far more than the flow needs on purpose: the run must still be going while the
 * test pauses, resumes and checkpoints it; the test stops it itself.
 */
export const FAST_WORKSPACE_SETTINGS = {
  'ddpg.actorHidden': [64, 64],
  'ddpg.criticHidden': [64, 64],
  'ddpg.batchSize': 64,
  'ddpg.bufferSize': 20000,
  'ddpg.warmupSteps': 200,
  'ddpg.maxEpisodeSteps': 200,
  'ddpg.episodes': 100000,
  'ddpg.evalEverySteps': 2000,
  'ddpg.evalEpisodes': 2,
  'ddpg.checkpointEveryEpisodes': 0,
  ...(process.env.DDPG_LAB_E2E_SETTINGS ? JSON.parse(process.env.DDPG_LAB_E2E_SETTINGS) : {}),
};

/** Starts code-server for one flow; `env` reaches the extension host (and the trainer). */
export async function startFlowEnvironment({ name, vsix, tmpRoot, logDir, env = {} }) {
  const base = join(tmpRoot, name);
  const workspace = join(base, 'workspace');
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(workspace, { recursive: true });
  writeWorkspaceSettings(workspace, FAST_WORKSPACE_SETTINGS);
  writeUserSettings(userDataDir);
  installVsix({ vsix, extensionsDir, userDataDir });
  const server = await startCodeServer({
    port: await findFreePort(),
    userDataDir,
    extensionsDir,
    folder: workspace,
    env,
    logFile: join(logDir, `code-server-${name}.log`),
  });
  return { base, workspace, server };
}
