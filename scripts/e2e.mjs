// `npm run test:e2e`: the packaged extension (ddpg-lab.vsix) installed into a real VS Code
// (code-server) and driven through Chromium with playwright-core.
//
//   (a) extension suite: the mocha suite of test/extension inside the extension host;
//   (b) user journey:    train, watch, pause, resume, checkpoint, stop, evaluate, as a person does;
//   (c) MuJoCo journey:  HalfCheetah-v5 from its presets: TD3 trains with the cheetah drawn in 3D
//                        while the return curve climbs, its best checkpoint is evaluated and
//                        watched, a SAC run is compared with it, and the 3D dashboard is
//                        screenshotted in the light, dark and high-contrast themes.
//
// Each flow gets its own fresh code-server, profile and workspace; stopping a flow's server also
// stops every trainer of its workspace (trainers are detached and would outlive the server), and
// a last sweep at the end stops any trainer left under the flows' folders. A screenshot of the whole
// workbench after every step goes to test-results/e2e/NN-<step>.png; a failing step also leaves
// NN-<step>-FAILED.png and NN-<step>-FAILED.txt (the text of the workbench and every webview),
// and the code-server logs and browser console logs of each flow are kept there too.
//
// Options:  --only suite|journey|mujoco   run one flow
//           --skip-package                reuse the existing ddpg-lab.vsix (and dist/) instead of rebuilding
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, VSIX_PATH, defaultRunsDirectory, ensureCodeServer, packageExtension, stopTrainersIn } from './code-server.mjs';
import { runExtensionSuiteFlow } from '../test/e2e/extensionSuite.mjs';
import { runMujocoJourneyFlow } from '../test/e2e/mujocoJourney.mjs';
import { runUserJourneyFlow } from '../test/e2e/userJourney.mjs';
import { StepRunner, launchChromium } from '../test/e2e/workbench.mjs';

const FLOWS = {
  suite: { title: '(a) Extension test suite in the extension host', run: runExtensionSuiteFlow },
  journey: { title: '(b) User journey through the UI', run: runUserJourneyFlow },
  mujoco: { title: '(c) MuJoCo journey: HalfCheetah-v5, TD3 against SAC', run: runMujocoJourneyFlow },
};

function parseArguments(argv) {
  const options = { only: undefined, skipPackage: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only' && FLOWS[argv[i + 1]]) options.only = argv[++i];
    else if (argv[i] === '--skip-package') options.skipPackage = true;
    else {
      console.error(`Unknown argument: ${argv[i]}\nUsage: node scripts/e2e.mjs [--only ${Object.keys(FLOWS).join('|')}] [--skip-package]`);
      process.exit(2);
    }
  }
  return options;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const outDir = join(ROOT, 'test-results', 'e2e');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  console.log('==> Checking code-server, Chromium and system packages');
  ensureCodeServer({ withBrowser: true });
  if (options.skipPackage && existsSync(VSIX_PATH)) {
    console.log(`==> Reusing ${relative(ROOT, VSIX_PATH)}`);
  } else {
    console.log('==> Packaging the extension (the e2e tests run the .vsix a user would install)');
    packageExtension();
  }

  const tmpRoot = mkdtempSync(join(tmpdir(), 'ddpg-lab-e2e-'));
  const results = [];
  const counter = { next: 1 };
  const browser = await launchChromium();
  try {
    for (const [key, flow] of Object.entries(FLOWS)) {
      if (options.only && options.only !== key) continue;
      console.log(`\n${flow.title}`);
      // One runner per flow: a failure blocks the rest of its own flow, not the other flows.
      const runner = new StepRunner({ outDir, counter, results });
      try {
        await flow.run({ browser, runner, vsix: VSIX_PATH, tmpRoot, outDir });
      } catch (error) {
        // Something outside a step broke (e.g. stopping the server): still a failure.
        runner.fail(`${flow.title}: teardown`, error);
      }
    }
  } finally {
    await browser.close().catch(() => {});
    // Nothing keeps training after the tests: every flow's workspace runs directory.
    const subfolders = (dir) => (existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []);
    const runsDirs = subfolders(tmpRoot).flatMap((flow) => [defaultRunsDirectory(join(flow, 'workspace')), ...subfolders(join(flow, 'tmp'))]);
    const leftover = await stopTrainersIn(runsDirs).catch((error) => (console.error(`e2e: stopping trainers failed: ${error.message}`), []));
    if (leftover.length > 0) console.log(`Stopped ${leftover.length} trainer(s) still running after the flows.`);
  }

  const count = (status) => results.filter((r) => r.status === status).length;
  const passed = count('passed');
  const failed = count('failed');
  const notRun = count('not run');
  console.log(`\nScreenshots and logs: ${relative(ROOT, outDir)}/`);
  if (failed > 0) {
    console.log(`Kept the workspaces, profiles and run folders for inspection: ${tmpRoot}`);
    console.log('Failed:');
    for (const r of results.filter((r) => r.status === 'failed')) console.log(`  ✗ ${r.name}: ${r.detail}`);
  } else {
    rmSync(tmpRoot, { recursive: true, force: true });
  }
  if (notRun > 0) console.log(`(${notRun} step${notRun === 1 ? '' : 's'} not run because an earlier step of the same flow failed)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(`e2e: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
