// Flow (b): what a person does with DDPG Lab, through the real UI of the packaged extension:
// train from the command palette, watch the dashboard, pause, resume, save a checkpoint, find
// it in the side bar, stop, evaluate the checkpoint from its context menu, train a second run and
// compare the two from the side bar's multi-selection.
//
// The dashboard is found through the data-testid contract of the webview (dashboard-root,
// status-state, status-step, frame-counter, episode-points, btn-*, eval-results, ...), and the
// comparison through comparison-root, comparison-runs-table, comparison-eval-chart, ...
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAST_WORKSPACE_SETTINGS, startFlowEnvironment } from './environment.mjs';
import {
  activityBarEntry,
  clickContextMenuItem,
  clickTestId,
  findByTestId,
  openActivityBarContainer,
  openWorkbench,
  readTestIdInteger,
  readTestIdText,
  runPaletteCommand,
  sideBarRow,
  sideBarTreeRows,
  waitUntil,
} from './workbench.mjs';

const DASHBOARD_PARTS = ['dashboard-root', 'pendulum-canvas', 'returns-chart', 'loss-chart', 'status-line'];
const MIN_EPISODE_POINTS = 3;
// The brief of the flow: once paused, the step counter must hold still for this long.
const PAUSED_STABLE_MS = 2000;

async function waitForState(page, expected, timeoutMs = 60_000) {
  await waitUntil(`the run state "${expected}"`, async () => {
    const state = await readTestIdText(page, 'status-state');
    return { ok: state === expected, seen: state };
  }, { timeoutMs });
}

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

/** The side bar rows of one run: the run itself (level 1) and what is nested under it. */
async function runSubtree(page, runName) {
  const rows = await sideBarTreeRows(page);
  const runIndex = rows.findIndex((row) => row.level === 1 && row.text.includes(runName));
  if (runIndex < 0) return { run: undefined, children: [], rows };
  const children = [];
  for (let i = runIndex + 1; i < rows.length && rows[i].level > 1; i++) children.push(rows[i]);
  return { run: rows[runIndex], children, rows };
}

/** Expands the run in the Runs tree and waits for a checkpoint row under it matching `pattern`. */
async function waitForCheckpointRow(page, runName, pattern, timeoutMs = 60_000) {
  const { row } = await waitUntil(`a checkpoint matching ${pattern} under run ${runName} in the Runs view`, async () => {
    const { run, children, rows } = await runSubtree(page, runName);
    if (!run) return { ok: false, seen: rows.map((r) => r.text) };
    if (run.expanded === 'false') {
      await sideBarRow(page, run.index).locator('.monaco-tl-twistie').click();
      return { ok: false, seen: 'expanding the run' };
    }
    const row = children.find((child) => pattern.test(child.text));
    return { ok: Boolean(row), seen: { run: run.text, children: children.map((c) => c.text) }, row };
  }, { timeoutMs, intervalMs: 500 });
  return row;
}

export async function runUserJourneyFlow({ browser, runner, vsix, tmpRoot, outDir }) {
  let environment;
  let page;
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
      await waitUntil(`the dashboard's parts ${DASHBOARD_PARTS.join(', ')}`, async () => {
        const present = [];
        for (const id of DASHBOARD_PARTS) if ((await findByTestId(page, id))?.visible) present.push(id);
        return { ok: present.length === DASHBOARD_PARTS.length, seen: { present } };
      });
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
    let manualCheckpoint;
    await runner.step('Save Checkpoint shows a checkpoint under the run in the DDPG side bar', 'checkpoint-in-sidebar', async () => {
      runName = await readTestIdText(page, 'run-name');
      if (!runName) throw new Error('the dashboard shows no run name (data-testid=run-name)');
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

    await runner.step('Evaluate Checkpoint from the side bar shows evaluation returns', 'evaluation', async () => {
      const row = await waitForCheckpointRow(page, runName, new RegExp(escapeRegExp(manualCheckpoint)));
      await sideBarRow(page, row.index).click({ button: 'right' });
      const menuClicks = await clickContextMenuItem(page, 'Evaluate Checkpoint');
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
      await runPaletteCommand(page, 'DDPG: Train');
      const { name } = await waitUntil('the dashboard to show a new run', async () => {
        const name = await readTestIdText(page, 'run-name');
        return { ok: Boolean(name) && name !== runName, seen: name, name };
      });
      secondRunName = name;
      await waitForState(page, 'running');
      await waitUntil(`an episode of ${name}`, async () => {
        const points = await readTestIdInteger(page, 'episode-points');
        return { ok: points >= 1, seen: points };
      });
      await clickTestId(page, 'btn-stop');
      await waitForState(page, 'stopped');
      return name;
    });

    await runner.step('Compare Runs on both runs selected in the side bar shows them side by side', 'comparison', async () => {
      await openActivityBarContainer(page, 'DDPG');
      const rows = await waitUntil('both runs in the Runs view', async () => {
        const rows = await sideBarTreeRows(page);
        const first = rows.find((row) => row.level === 1 && row.text.includes(runName));
        const second = rows.find((row) => row.level === 1 && row.text.includes(secondRunName));
        return { ok: Boolean(first && second), seen: rows.map((r) => r.text), first, second };
      });
      await sideBarRow(page, rows.first.index).click();
      await sideBarRow(page, rows.second.index).click({ modifiers: ['Control'] });
      await sideBarRow(page, rows.second.index).click({ button: 'right' });
      const menuClicks = await clickContextMenuItem(page, 'Compare Runs');
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
    writeFileSync(join(outDir, 'browser-console-user-journey.log'), `${consoleLog.join('\n')}\n`);
    await page?.close().catch(() => {});
    runner.setPage(null);
    await environment?.server.stop();
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
