// Flow (b): what a person does with DDPG Lab, through the real UI of the packaged extension:
// train from the command palette, watch the dashboard, pause, resume, reload the window while it
// trains (the run goes on and the dashboard is live again), save a checkpoint, find it in the
// side bar, stop, evaluate the checkpoint from its context menu, train a second run and compare
// the two from the side bar's multi-selection. Before the evaluation, a run started from a
// terminal with the CLI shows up live in the side bar and is paused and stopped from there.
//
// The dashboard is found through the data-testid contract of the webview (dashboard-root,
// status-state, status-step, frame-counter, episode-points, btn-*, eval-results, ...), and the
// comparison through comparison-root, comparison-runs-table, comparison-eval-chart, ...
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, defaultRunsDirectory } from '../../scripts/code-server.mjs';
import { FAST_WORKSPACE_SETTINGS, startFlowEnvironment } from './environment.mjs';
import { checkpointCommand, compareRunsFromSideBar, trainFromPalette, waitForCheckpointRow, waitForDashboardParts, waitForState } from './journeySteps.mjs';
import {
  activityBarEntry,
  clickContextMenuItem,
  clickTestId,
  escapeRegExp,
  findByTestId,
  openActivityBarContainer,
  openWorkbench,
  readTestIdInteger,
  readTestIdText,
  reloadWindow,
  runPaletteCommand,
  sideBarRow,
  sideBarTreeRows,
  waitUntil,
} from './workbench.mjs';

const DASHBOARD_PARTS = ['dashboard-root', 'pendulum-canvas', 'returns-chart', 'loss-chart', 'status-line'];
const MIN_EPISODE_POINTS = 3;
// The brief of the flow: once paused, the step counter must hold still for this long.
const PAUSED_STABLE_MS = 2000;

async function waitForButtonText(page, testId, expected) {
  await waitUntil(`[data-testid=${testId}] to read "${expected}"`, async () => {
    const text = await readTestIdText(page, testId);
    return { ok: text === expected, seen: text };
  });
}

/** Waits until the step counter has not changed for `stableMs`; returns that step. */
async function waitForStepToHold(page, stableMs, timeoutMs) {
  let last = await readTestIdInteger(page, 'status-step');
  let since = Date.now();
  let changes = 0;
  const { step } = await waitUntil(`the step counter to hold still for ${stableMs / 1000} s`, async () => {
    const now = await readTestIdInteger(page, 'status-step');
    if (now !== last) {
      changes++;
      last = now;
      since = Date.now();
    }
    return { ok: Number.isFinite(now) && Date.now() - since >= stableMs, seen: { step: now, changesSincePaused: changes }, step: now };
  }, { timeoutMs, intervalMs: 200 });
  return { step, changes };
}

/** The Runs view row of a run (level 1) whose name is `runName`, or undefined. */
async function runRow(page, runName) {
  return (await sideBarTreeRows(page)).find((row) => row.level === 1 && row.text.startsWith(runName));
}

/** A run's state as the Runs view says it to a screen reader: "name, state, description". */
function stateOf(row) {
  return row?.label.split(', ')[1];
}

/** `node dist/cli.js train` as a person types it in a terminal, with the workspace's runs directory. */
function startCliRun(runsDir, name) {
  const settings = FAST_WORKSPACE_SETTINGS;
  const args = [
    join(ROOT, 'dist', 'cli.js'), 'train', '--json', '--runs-dir', runsDir, '--name', name,
    '--hidden', settings['ddpg.actorHidden'].join(','), '--batch', String(settings['ddpg.batchSize']),
    '--warmup', String(settings['ddpg.warmupSteps']), '--max-episode-steps', String(settings['ddpg.maxEpisodeSteps']),
    '--episodes', String(settings['ddpg.episodes']), '--checkpoint-every', '0',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const cli = { child, stdout: '', stderr: '', exit: undefined };
  child.stdout.on('data', (d) => (cli.stdout += d));
  child.stderr.on('data', (d) => (cli.stderr += d));
  cli.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve((cli.exit = { code, signal }))));
  return cli;
}

export async function runUserJourneyFlow({ browser, runner, vsix, tmpRoot, outDir }) {
  let environment;
  let page;
  let cli;
  const consoleLog = [];
  try {
    await runner.step('workbench opens with DDPG Lab installed', 'workbench', async () => {
      environment = await startFlowEnvironment({ name: 'user-journey', vsix, tmpRoot, logDir: outDir });
      page = await openWorkbench(browser, environment.server.folderUrl, consoleLog);
      runner.setPage(page);
      await activityBarEntry(page, 'DDPG').waitFor({ state: 'visible', timeout: 60_000 });
      return `code-server at ${environment.server.url}`;
    });

    await runner.step('"DDPG: Train" from the command palette opens the dashboard', 'dashboard-open', async () => {
      await runPaletteCommand(page, 'DDPG: Train');
      await waitForDashboardParts(page, DASHBOARD_PARTS);
      await waitForState(page, 'running');
      const engine = await waitUntil('the engine in use', async () => {
        const text = await readTestIdText(page, 'engine-info');
        return { ok: Boolean(text), seen: text, text };
      });
      return engine.text;
    });

    await runner.step('the pendulum animates and episodes reach the returns chart', 'training-live', async () => {
      const firstFrames = await readTestIdInteger(page, 'frame-counter');
      const { frames, points } = await waitUntil(
        `frame-counter to grow past ${firstFrames} and at least ${MIN_EPISODE_POINTS} episode points`,
        async () => {
          const frames = await readTestIdInteger(page, 'frame-counter');
          const points = await readTestIdInteger(page, 'episode-points');
          const grew = Number.isFinite(firstFrames) ? frames > firstFrames : frames > 0;
          return { ok: grew && points >= MIN_EPISODE_POINTS, seen: { frames, points }, frames, points };
        },
      );
      const episode = await readTestIdText(page, 'status-episode');
      return `${frames} frames drawn, ${points} episode points, episode ${episode}`;
    });

    let pausedStep;
    await runner.step('Pause holds the run still', 'paused', async () => {
      await waitForButtonText(page, 'btn-pause-resume', 'Pause');
      await clickTestId(page, 'btn-pause-resume');
      await waitForState(page, 'paused');
      await waitForButtonText(page, 'btn-pause-resume', 'Resume');
      const { step, changes } = await waitForStepToHold(page, PAUSED_STABLE_MS, 30_000);
      pausedStep = step;
      return `paused at step ${step}${changes ? ` (counter moved ${changes}× after "paused" showed)` : ''}`;
    });

    await runner.step('Resume continues training', 'resumed', async () => {
      await clickTestId(page, 'btn-pause-resume');
      await waitForState(page, 'running');
      await waitForButtonText(page, 'btn-pause-resume', 'Pause');
      const { step } = await waitUntil(`the step counter to move past ${pausedStep}`, async () => {
        const step = await readTestIdInteger(page, 'status-step');
        return { ok: step > pausedStep, seen: step, step };
      });
      return `step ${pausedStep} → ${step}`;
    });

    let runName;
    await runner.step('Developer: Reload Window while training: the run trains on and the dashboard is live again', 'reload-window', async () => {
      runName = await readTestIdText(page, 'run-name');
      if (!runName) throw new Error('the dashboard shows no run name (data-testid=run-name)');
      const before = await readTestIdInteger(page, 'status-step');
      await reloadWindow(page);
      // The dashboard comes back by itself (its panel serializer); the Runs view activates the extension if it did not.
      const revived = await waitUntil('the dashboard to come back', async () => {
        const root = await findByTestId(page, 'dashboard-root');
        return { ok: Boolean(root?.visible), seen: root ? 'hidden' : 'absent' };
      }, { timeoutMs: 30_000 }).then(() => true, () => false);
      if (!revived) await runPaletteCommand(page, 'DDPG: Open Dashboard');
      const { after } = await waitUntil(`the dashboard to show ${runName} running past step ${before}`, async () => {
        const name = await readTestIdText(page, 'run-name');
        const state = await readTestIdText(page, 'status-state');
        const after = await readTestIdInteger(page, 'status-step');
        return { ok: name === runName && state === 'running' && after > before, seen: { name, state, step: after }, after };
      }, { timeoutMs: 90_000 });
      const { later } = await waitUntil('the step count to keep growing (live events, not a replay)', async () => {
        const later = await readTestIdInteger(page, 'status-step');
        return { ok: later > after, seen: later, later };
      });
      await waitForButtonText(page, 'btn-pause-resume', 'Pause');
      await openActivityBarContainer(page, 'DDPG');
      const row = await waitUntil(`${runName} live in the Runs view`, async () => {
        const row = await runRow(page, runName);
        return { ok: stateOf(row) === 'running', seen: row?.label, row };
      });
      return `step ${before} before the reload → ${after} → ${later} after it; Runs view: ${row.row.label}`;
    });

    let manualCheckpoint;
    await runner.step('Save Checkpoint shows a checkpoint under the run in the DDPG side bar', 'checkpoint-in-sidebar', async () => {
      await clickTestId(page, 'btn-checkpoint');
      await openActivityBarContainer(page, 'DDPG');
      const row = await waitForCheckpointRow(page, runName, /manual/i);
      manualCheckpoint = row.text;
      return `${runName} › ${row.text}`;
    });

    await runner.step('Stop ends the run', 'stopped', async () => {
      await clickTestId(page, 'btn-stop');
      await waitForState(page, 'stopped');
      return `stopped at step ${await readTestIdInteger(page, 'status-step')}`;
    });

    await runner.step('a CLI run started in a terminal shows live in the Runs view, and pauses and stops from there', 'cli-run', async () => {
      const name = 'terminal-run';
      const runsDir = defaultRunsDirectory(environment.workspace);
      cli = startCliRun(runsDir, name);
      const { runDir } = await waitUntil('the CLI to start training', async () => {
        const started = cli.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((m) => m.type === 'started');
        return { ok: Boolean(started), seen: { stdout: cli.stdout.slice(-300), stderr: cli.stderr.slice(-300), exit: cli.exit }, runDir: started?.runDir };
      });
      await openActivityBarContainer(page, 'DDPG');
      const live = await waitUntil(`${name} live (running) in the Runs view`, async () => {
        const row = await runRow(page, name);
        return { ok: stateOf(row) === 'running', seen: row?.label ?? (await sideBarTreeRows(page)).map((r) => r.label), row };
      });
      await sideBarRow(page, live.row.index).click({ button: 'right' });
      await clickContextMenuItem(page, 'Pause');
      const paused = await waitUntil(`${name} paused, in the Runs view and in its run.json`, async () => {
        const row = await runRow(page, name);
        const onDisk = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).status;
        return { ok: stateOf(row) === 'paused' && onDisk === 'paused', seen: { row: row?.label, onDisk }, row };
      });
      await sideBarRow(page, paused.row.index).click({ button: 'right' });
      await clickContextMenuItem(page, 'Stop');
      const exit = await Promise.race([cli.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 60_000))]);
      if (exit === 'still running' || exit.code !== 0) throw new Error(`the CLI did not exit 0 after Stop: ${JSON.stringify(exit)}; stderr: ${cli.stderr.slice(-500)}`);
      const summary = cli.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((m) => m.type === 'summary');
      return `${paused.row.label} → Stop → the CLI exited 0 (${summary?.status}, ${summary?.steps} steps)`;
    });

    await runner.step('Evaluate Checkpoint from the side bar shows evaluation returns', 'evaluation', async () => {
      const { menuClicks } = await checkpointCommand(page, runName, new RegExp(escapeRegExp(manualCheckpoint)), 'Evaluate Checkpoint');
      const { text } = await waitUntil('eval-results to show the returns of the evaluation', async () => {
        const found = await findByTestId(page, 'eval-results');
        const text = found?.text ?? '';
        // Returns are printed with one decimal ("-1,234.5"): the mean, and one per episode.
        const returns = text.match(/-?\d[\d,]*\.\d+/g) ?? [];
        const done = Boolean(found?.visible) && !/running/i.test(text) && returns.length >= FAST_WORKSPACE_SETTINGS['ddpg.evalEpisodes'];
        return { ok: done, seen: found ? { visible: found.visible, text } : 'absent', text };
      }, { timeoutMs: 120_000 });
      return `${text}${menuClicks > 1 ? ` (the context menu needed ${menuClicks} clicks)` : ''}`;
    });

    let secondRunName;
    await runner.step('a second run from the command palette, stopped from its dashboard', 'second-run', async () => {
      const name = await trainFromPalette(page, runName);
      secondRunName = name;
      await waitUntil(`an episode of ${name}`, async () => {
        const points = await readTestIdInteger(page, 'episode-points');
        return { ok: points >= 1, seen: points };
      });
      await clickTestId(page, 'btn-stop');
      await waitForState(page, 'stopped');
      return name;
    });

    await runner.step('Compare Runs on both runs selected in the side bar shows them side by side', 'comparison', async () => {
      const menuClicks = await compareRunsFromSideBar(page, runName, secondRunName);
      const { text } = await waitUntil('the comparison to list both runs with their evaluations', async () => {
        const table = await findByTestId(page, 'comparison-runs-table');
        const chart = await findByTestId(page, 'comparison-eval-chart');
        const text = table?.text ?? '';
        const ok = Boolean(table?.visible && chart?.visible) && text.includes(runName) && text.includes(secondRunName);
        return { ok, seen: table ? { text, chart: Boolean(chart?.visible) } : 'absent', text };
      });
      return `${text.replace(/\s+/g, ' ').slice(0, 160)}${menuClicks > 1 ? ` (the context menu needed ${menuClicks} clicks)` : ''}`;
    });

  } finally {
    if (cli && !cli.exit) cli.child.kill('SIGTERM');
    writeFileSync(join(outDir, 'browser-console-user-journey.log'), `${consoleLog.join('\n')}\n`);
    await page?.close().catch(() => {});
    runner.setPage(null);
    await environment?.server.stop();
  }
}
