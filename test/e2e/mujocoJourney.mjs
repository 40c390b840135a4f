// Flow (c), issue #13's "done when" for MuJoCo, through the real UI of the packaged extension:
// from the palette, apply the HalfCheetah-v5 TD3 preset and Train; the dashboard draws the
// cheetah running in 3D while the return curve climbs; evaluate the run's best checkpoint from
// the side bar and watch it; apply the SAC preset and train a second run; Compare Runs shows TD3
// against SAC on HalfCheetah-v5. Last, a checkpoint's policy watched in 3D ("Watch this policy")
// in the light, dark and high-contrast themes (screenshots NN-mujoco-theme-<name>.png).
//
// The workspace starts with no settings at all, as a new user's does, and nothing overrides the
// presets: each run must record the preset it trains (run.json), which a tuned-down copy would
// not. The presets train 100,000 steps; the test stops each run itself.
//
// What the dashboard draws is read through the webview's data-testid contract: the 3D view's
// canvas (mujoco-canvas) publishes what it drew as data attributes (data-webgl, data-scene-model,
// data-geoms, data-renders, data-body-positions), the returns chart's canvas the first, best and
// latest episode return it plots, and the environment card what is playing (data-playing).
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRunsDirectory, readJsonIfComplete, writeWorkspaceSettings } from '../../scripts/code-server.mjs';
import { startFlowEnvironment } from './environment.mjs';
import { checkpointCommand, compareRunsFromSideBar, trainFromPalette, waitForDashboardParts, waitForState } from './journeySteps.mjs';
import {
  activityBarEntry,
  chooseQuickPickItem,
  clickTestId,
  findByTestId,
  openActivityBarContainer,
  openWorkbench,
  parkMouse,
  readTestIdData,
  readTestIdInteger,
  readTestIdPartTexts,
  readTestIdTable,
  readTestIdText,
  runPaletteCommand,
  scrollTestIdIntoView,
  visibleNotifications,
  waitUntil,
} from './workbench.mjs';

const ENVIRONMENT = 'HalfCheetah-v5';
const APPLY_PRESET = 'DDPG: Apply Recommended Settings (Preset)…';
const PRESET_PICKER_TITLE = 'DDPG: Apply Recommended Settings';
const DASHBOARD_PARTS = ['dashboard-root', 'mujoco-canvas', 'returns-chart', 'loss-chart', 'status-line'];
/**
 * "Clearly above": a random policy's 1000-step HalfCheetah episode returns about −300 and single
 * episodes spread from about −200 to −450 (the control cost of uniform random torques plus
 * whatever drift they cause), so an episode this much above the first is learning, not luck.
 */
const CLIMB_MARGIN = 150;
/** Episodes the return chart must hold before a climb counts: the warmup's random episodes and some trained ones. */
const MIN_CLIMB_EPISODES = 8;
/** How long the returns may take to climb that far (about 15,000–30,000 steps of TD3 on a busy 2-core machine). */
const CLIMB_TIMEOUT_MS = 240_000;
const THEMES = [
  { name: 'light', theme: 'Default Light Modern', kind: 'vscode-light' },
  { name: 'dark', theme: 'Default Dark Modern', kind: 'vscode-dark' },
  { name: 'high-contrast', theme: 'Default High Contrast', kind: 'vscode-high-contrast' },
];

/** A number as the dashboard prints it ("−1,234.5" with a real minus sign), or NaN. */
function parseShown(text) {
  const match = /[-−]?\d[\d,]*(\.\d+)?/.exec(text ?? '');
  return match ? Number(match[0].replace('−', '-').replace(/,/g, '')) : Number.NaN;
}

const formatReturn = (value) => (Number.isFinite(value) ? value.toFixed(1) : String(value));

function readWorkspaceSettings(workspace) {
  return readJsonIfComplete(join(workspace, '.vscode', 'settings.json')) ?? {};
}

/**
 * Palette → Apply Recommended Settings → the preset, then waits for the extension's "applied"
 * message (it writes the settings one by one; a run started before the last would mix presets)
 * and returns the workspace settings as they are on disk.
 */
async function applyPreset(page, workspace, presetId, expected) {
  const open = () => runPaletteCommand(page, APPLY_PRESET, { opensQuickPick: true });
  await open();
  await chooseQuickPickItem(page, PRESET_PICKER_TITLE, presetId, { reopen: open });
  await waitUntil(`the message that ${presetId} was applied`, async () => {
    const messages = await visibleNotifications(page);
    return { ok: messages.some((m) => m.includes(`applied ${presetId}`) || m.includes(`already match ${presetId}`)), seen: messages };
  });
  const { settings } = await waitUntil(`.vscode/settings.json to say ${JSON.stringify(expected)}`, async () => {
    const settings = readWorkspaceSettings(workspace);
    const ok = Object.entries(expected).every(([key, value]) => settings[key] === value);
    return { ok, seen: settings, settings };
  }, { timeoutMs: 10_000 });
  return settings;
}

/** The run's own record (run.json: its config and the preset it matches), found by the name the dashboard shows. */
async function runRecord(workspace, runName) {
  const runsDir = defaultRunsDirectory(workspace);
  const { info } = await waitUntil(`run.json of ${runName} in ${runsDir}`, async () => {
    const dirs = existsSync(runsDir) ? readdirSync(runsDir) : [];
    const info = dirs.map((dir) => readJsonIfComplete(join(runsDir, dir, 'run.json'))).find((run) => run?.name === runName || run?.id === runName);
    return { ok: Boolean(info?.config), seen: dirs, info };
  }, { timeoutMs: 10_000 });
  return info;
}

/** The run trains the preset: its environment, algorithm and every setting the preset sets (run.json names the preset it matches). */
async function expectPresetRun(workspace, runName, presetId, algorithm) {
  const info = await runRecord(workspace, runName);
  const { config } = info;
  if (config.environment !== ENVIRONMENT || config.algorithm !== algorithm || info.preset !== presetId) {
    throw new Error(`run.json of ${runName} says ${config.environment} / ${config.algorithm}, preset ${info.preset}; expected ${ENVIRONMENT} / ${algorithm}, preset ${presetId}`);
  }
  return info;
}

/** The root body's world position, from the 3D canvas's data-body-positions ("x,y,z x,y,z …", the moving bodies in model order). */
function rootPosition(data) {
  const first = (data?.bodyPositions ?? '').split(' ').filter(Boolean)[0];
  return first ? first.split(',').map(Number) : undefined;
}

/** Waits for the first deterministic evaluation of the run on screen; returns its mean as the status line shows it. */
async function waitForEvaluation(page, timeoutMs) {
  const { latest } = await waitUntil('an evaluation in the status line (Latest eval)', async () => {
    const latest = parseShown(await readTestIdText(page, 'status-latest-eval'));
    return { ok: Number.isFinite(latest), seen: await readTestIdText(page, 'status-latest-eval'), latest };
  }, { timeoutMs, intervalMs: 500 });
  return latest;
}

async function stopFromDashboard(page) {
  await clickTestId(page, 'btn-stop');
  await waitForState(page, 'stopped');
  return readTestIdInteger(page, 'status-step');
}

/**
 * Waits until the 3D view draws: WebGL is there, the cheetah's scene is built, frames are played
 * and rendered (the frame counter and the canvas's render count both grow) and, with
 * `moving`, the root body is drawn at three different places at least. Returns what it saw,
 * the root body's x range included.
 */
async function waitForCheetahDrawn(page, description, { moving, timeoutMs = 90_000 }) {
  const startFrames = await readTestIdInteger(page, 'frame-counter');
  const startData = await readTestIdData(page, 'mujoco-canvas');
  const startRenders = Number(startData?.renders ?? 0);
  const positions = new Set();
  let minX = Infinity;
  let maxX = -Infinity;
  const { seen } = await waitUntil(description, async () => {
    const data = await readTestIdData(page, 'mujoco-canvas');
    const frames = await readTestIdInteger(page, 'frame-counter');
    const root = rootPosition(data);
    if (root) {
      positions.add(root.join(','));
      minX = Math.min(minX, root[0]);
      maxX = Math.max(maxX, root[0]);
    }
    const renders = Number(data?.renders ?? 0);
    const seen = { webgl: data?.webgl, model: data?.sceneModel, geoms: Number(data?.geoms), renders, frames, root, distinctRootPositions: positions.size };
    const grew = Number.isFinite(startFrames) ? frames > startFrames : frames > 0;
    const drawn = data?.webgl === 'yes' && data.sceneModel === 'cheetah' && seen.geoms > 0 && renders > startRenders && grew;
    return { ok: drawn && (!moving || positions.size >= 3), seen };
  }, { timeoutMs, intervalMs: 300 });
  const range = Number.isFinite(minX) ? `root x ${minX.toFixed(2)}…${maxX.toFixed(2)} m over ${positions.size} distinct root positions` : 'no root position';
  return { ...seen, range };
}

export async function runMujocoJourneyFlow({ browser, runner, vsix, tmpRoot, outDir }) {
  let environment;
  let page;
  const consoleLog = [];
  try {
    await runner.step('workbench opens with DDPG Lab installed, in a workspace without settings', 'mujoco-workbench', async () => {
      environment = await startFlowEnvironment({ name: 'mujoco-journey', vsix, tmpRoot, logDir: outDir, workspaceSettings: {} });
      page = await openWorkbench(browser, environment.server.folderUrl, consoleLog);
      runner.setPage(page);
      await activityBarEntry(page, 'DDPG').waitFor({ state: 'visible', timeout: 60_000 });
      return `code-server at ${environment.server.url}`;
    });

    await runner.step(`Apply Recommended Settings → halfcheetah-td3 writes ${ENVIRONMENT} and TD3 into the workspace settings`, 'mujoco-preset-td3', async () => {
      const settings = await applyPreset(page, environment.workspace, 'halfcheetah-td3', { 'ddpg.environment': ENVIRONMENT, 'ddpg.algorithm': 'td3' });
      const shown = ['ddpg.environment', 'ddpg.algorithm', 'ddpg.actorHidden', 'ddpg.totalSteps', 'ddpg.warmupSteps', 'ddpg.evalEpisodes'];
      return shown.map((key) => `${key.slice(5)} ${JSON.stringify(settings[key])}`).join(', ');
    });

    let td3Run;
    await runner.step('"DDPG: Train" shows the cheetah in 3D on the dashboard, its bodies moving', 'mujoco-train-3d', async () => {
      td3Run = await trainFromPalette(page);
      await waitForDashboardParts(page, DASHBOARD_PARTS);
      const shownEnvironment = await readTestIdText(page, 'run-environment');
      if (shownEnvironment !== ENVIRONMENT) throw new Error(`the dashboard names the environment "${shownEnvironment}", not ${ENVIRONMENT}`);
      const info = await expectPresetRun(environment.workspace, td3Run, 'halfcheetah-td3', 'td3');
      const seen = await waitForCheetahDrawn(page, 'the cheetah drawn in 3D and moving (frames, renders, the root body\'s position)', { moving: true });
      return `${td3Run} (seed ${info.seed}, preset ${info.preset}): ${seen.geoms} geoms drawn, ${seen.frames} frames played, ${seen.renders} renders, ${seen.range}`;
    });

    await runner.step(`the return curve climbs: a later episode returns at least ${CLIMB_MARGIN} more than the first`, 'mujoco-returns-climb', async () => {
      const sampled = new Map(); // episode → return, as the status line shows them one by one
      const { first, best, bestEpisode, latest, points, step } = await waitUntil(
        `${MIN_CLIMB_EPISODES}+ episodes on the returns chart and one ${CLIMB_MARGIN} above the first`,
        async () => {
          const data = await readTestIdData(page, 'returns-chart');
          const points = await readTestIdInteger(page, 'episode-points');
          const episode = Number(data?.latestEpisode);
          if (Number.isFinite(episode)) sampled.set(episode, Number(data.latestReturn));
          const first = Number(data?.firstReturn);
          const best = Number(data?.bestReturn);
          const ok = points >= MIN_CLIMB_EPISODES && Number.isFinite(first) && best >= first + CLIMB_MARGIN;
          const seen = { points, first, best, bestEpisode: data?.bestEpisode, latest: data?.latestReturn, step: await readTestIdText(page, 'status-step') };
          return { ok, seen, first, best, bestEpisode: data?.bestEpisode, latest: Number(data?.latestReturn), points, step: seen.step };
        },
        { timeoutMs: CLIMB_TIMEOUT_MS, intervalMs: 1000 },
      );
      // The screenshot after this step shows the curve itself.
      await scrollTestIdIntoView(page, 'returns-chart', 'center');
      const series = [...sampled].sort((a, b) => a[0] - b[0]).map(([episode, value]) => `${episode}:${value.toFixed(0)}`).join(' ');
      return `first ${formatReturn(first)} → best ${formatReturn(best)} (episode ${bestEpisode}), latest ${formatReturn(latest)}; ${points} episodes at step ${step}; seen: ${series}`;
    });

    await runner.step('an evaluation saves a best checkpoint; Stop ends the run', 'mujoco-td3-stopped', async () => {
      const latest = await waitForEvaluation(page, 120_000);
      const best = await readTestIdText(page, 'status-best-eval');
      const step = await stopFromDashboard(page);
      return `latest eval ${formatReturn(latest)}, best eval ${best}; stopped at step ${step}`;
    });

    await runner.step('Evaluate Checkpoint on the best checkpoint in the side bar shows its evaluation returns', 'mujoco-evaluate-best', async () => {
      await openActivityBarContainer(page, 'DDPG');
      const { row: bestRow, menuClicks } = await checkpointCommand(page, td3Run, /^best\b/, 'Evaluate Checkpoint');
      const episodes = readWorkspaceSettings(environment.workspace)['ddpg.evalEpisodes'];
      const { mean, returns } = await waitUntil(`eval-results to show the mean and the ${episodes} returns of the evaluation`, async () => {
        const found = await findByTestId(page, 'eval-results');
        // One list item per episode ("#3 −141.2"), its return in .eval-value.
        const returns = ((await readTestIdPartTexts(page, 'eval-results', '.eval-return .eval-value')) ?? []).map(parseShown);
        const mean = await readTestIdText(page, 'eval-mean');
        const mode = (await readTestIdData(page, 'mode-banner'))?.mode;
        const done = mode === 'evaluate' && Boolean(found?.visible) && Boolean(mean) && returns.length === episodes && returns.every(Number.isFinite);
        return { ok: done, seen: found ? { mode, visible: found.visible, text: found.text } : 'absent', mean, returns };
      }, { timeoutMs: 120_000 });
      await parkMouse(page);
      const clicks = menuClicks > 1 ? ` (the context menu needed ${menuClicks} clicks)` : '';
      return `${bestRow.text}: mean ${mean} over ${returns.length} episodes (${returns.map(formatReturn).join(', ')})${clicks}`;
    });

    // Not blocking: what follows needs only the runs, and its failure should not hide theirs.
    await runner.step('watching the evaluation: its episodes play in the 3D view', 'mujoco-evaluation-plays', async () => {
      // The evaluation's frames come while it runs (before its result), so by now they are here or lost.
      const playing = await waitUntil('an evaluation episode playing on the environment card (data-playing "eval …")', async () => {
        const card = await readTestIdData(page, 'environment-card');
        return { ok: /^eval\b/.test(card?.playing ?? ''), seen: { playing: card?.playing, frames: await readTestIdText(page, 'frame-counter'), caption: await readTestIdText(page, 'environment-caption') }, playing: card?.playing };
      }, { timeoutMs: 30_000 });
      // Not `moving`: a best checkpoint can be the untrained policy of the first evaluation, whose near-zero torques leave the cheetah standing.
      const watched = await waitForCheetahDrawn(page, 'the evaluation\'s episode drawn in 3D (frames and renders)', { moving: false, timeoutMs: 30_000 });
      return `playing "${playing.playing}", ${watched.frames} frames, ${watched.renders} renders, ${watched.range}`;
    }, { blocking: false });

    let sacRun;
    await runner.step('Apply halfcheetah-sac, Train, an evaluation, Stop', 'mujoco-sac-run', async () => {
      await applyPreset(page, environment.workspace, 'halfcheetah-sac', { 'ddpg.environment': ENVIRONMENT, 'ddpg.algorithm': 'sac' });
      sacRun = await trainFromPalette(page, td3Run);
      const info = await expectPresetRun(environment.workspace, sacRun, 'halfcheetah-sac', 'sac');
      const latest = await waitForEvaluation(page, 120_000);
      const step = await stopFromDashboard(page);
      return `${sacRun} (seed ${info.seed}, preset ${info.preset}): eval ${formatReturn(latest)}, stopped at step ${step}`;
    });

    await runner.step('Compare Runs on both runs selected in the side bar: TD3 against SAC on HalfCheetah-v5', 'mujoco-comparison', async () => {
      const menuClicks = await compareRunsFromSideBar(page, td3Run, sacRun);
      const { td3, sac } = await waitUntil('the comparison to list the TD3 and the SAC run, with the evaluation chart', async () => {
        const rows = (await readTestIdTable(page, 'comparison-runs-table')) ?? [];
        const chart = await findByTestId(page, 'comparison-eval-chart');
        const td3 = rows.find((row) => row.Run === td3Run);
        const sac = rows.find((row) => row.Run === sacRun);
        const onCheetah = (row) => row?.Environment?.includes('Half Cheetah');
        const ok = Boolean(chart?.visible) && rows.length === 2 && td3?.Algorithm === 'TD3' && sac?.Algorithm === 'SAC' && onCheetah(td3) && onCheetah(sac);
        return { ok, seen: { rows, chart: chart ? chart.visible : 'absent' }, td3, sac };
      });
      await parkMouse(page);
      const describe = (row) => `${row.Run} ${row.Algorithm} on ${row.Environment}, best eval ${row['Best eval']}, ${row.Steps} steps`;
      return `${describe(td3)}; ${describe(sac)}${menuClicks > 1 ? ` (the context menu needed ${menuClicks} clicks)` : ''}`;
    });

    await runner.step('Inspect Checkpoint → "Watch this policy" plays the TD3 run\'s final policy in 3D', 'mujoco-watch-policy', async () => {
      // A dashboard brought back after the comparison starts from an empty document: frames are
      // live only, so a stopped run's 3D view stays empty. Watching a policy streams new ones.
      await openActivityBarContainer(page, 'DDPG');
      const { row: finalRow, menuClicks } = await checkpointCommand(page, td3Run, /^final\b/, 'Inspect Checkpoint');
      await waitUntil('the dashboard inspecting the checkpoint', async () => {
        const mode = (await readTestIdData(page, 'mode-banner'))?.mode;
        return { ok: mode === 'inspect', seen: mode };
      });
      await clickTestId(page, 'btn-watch-policy');
      await parkMouse(page);
      const watched = await waitForCheetahDrawn(page, 'the policy\'s deterministic episodes drawn in 3D, the cheetah moving', { moving: true });
      const playing = (await readTestIdData(page, 'environment-card'))?.playing;
      return `${finalRow.text}: playing "${playing}", ${watched.frames} frames, ${watched.range}${menuClicks > 1 ? ` (the context menu needed ${menuClicks} clicks)` : ''}`;
    });

    for (const { name, theme, kind } of THEMES) {
      await runner.step(`the 3D dashboard in the ${theme} theme`, `mujoco-theme-${name}`, async () => {
        // In the workspace's settings file, next to the presets' settings: code-server watches that
        // file (a change shows within a second) but not the user settings file on disk.
        writeWorkspaceSettings(environment.workspace, { ...readWorkspaceSettings(environment.workspace), 'workbench.colorTheme': theme });
        let rendersAtSwitch;
        const { seen } = await waitUntil(`the dashboard in ${theme}, the 3D view drawn after the switch`, async () => {
          const canvas = await findByTestId(page, 'mujoco-canvas');
          const themeKind = await canvas?.frame.evaluate(() => document.body.dataset.vscodeThemeKind).catch(() => undefined);
          const renders = Number(canvas?.data.renders ?? 0);
          if (themeKind === kind) rendersAtSwitch ??= renders;
          const seen = { themeKind, model: canvas?.data.sceneModel, renders, rendersAtSwitch, visible: canvas?.visible };
          // A render after the webview took the theme: the screenshot shows the 3D view in its colours, not the last theme's.
          return { ok: themeKind === kind && Boolean(canvas?.visible) && canvas.data.sceneModel === 'cheetah' && renders > rendersAtSwitch, seen };
        });
        // The 3D view at the top of the screenshot, the curves under it.
        await scrollTestIdIntoView(page, 'environment-card', 'start');
        return `${seen.themeKind}, ${seen.renders} renders`;
      });
    }
  } finally {
    writeFileSync(join(outDir, 'browser-console-mujoco-journey.log'), `${consoleLog.join('\n')}\n`);
    await page?.close().catch(() => {});
    runner.setPage(null);
    await environment?.server.stop();
  }
}
