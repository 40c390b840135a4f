/**
 * Entry point: wires the run manager, the dashboard, the Runs view, the status bar, the context
 * keys and the commands. This is the only file that imports the vscode module as a value; every
 * other piece receives it, so the logic loads in plain Node for unit tests.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import { listRuns } from '../shared/node/runDirectory';
import { RunsTreeProvider, RUNS_VIEW_ID } from './checkpointTree';
import { DdpgCommands } from './commands';
import { ComparisonController } from './comparisonPanel';
import { CONTEXT_KEYS, ContextKeys } from './contextKeys';
import { DashboardPanels } from './dashboardPanels';
import { PresetOffers } from './presets';
import { registerExtensionTestCommand } from './extensionTestCommand';
import { LiveRunWatcher } from './liveRuns';
import { RunIndex } from './runIndex';
import { RunManager, type RunLog } from './runManager';
import { RunNotifications } from './runNotifications';
import { resolveRunsDirectory, RUNS_DIRECTORY_SETTING, SETTINGS_SECTION, WHEN_WINDOW_CLOSES_SETTING, windowClosePolicy } from './settings';
import { TrainingStatusBar } from './statusBar';

/** How long deactivation waits for trainers that stop with the window to save a final checkpoint and exit before killing them. */
const DEACTIVATE_STOP_MS = 4000;

/** What activate() returns: used by the in-extension-host test suite. */
export interface DdpgLabApi {
  runManager: RunManager;
  tree: RunsTreeProvider;
  dashboard: DashboardPanels;
  comparison: ComparisonController;
  runsDirectory(): string;
}

/** Kept for deactivate(), which VS Code calls without arguments. */
let activeRunManager: RunManager | undefined;
let closePolicy = (): 'keepTraining' | 'stopWithCheckpoint' => 'keepTraining';

function runLog(channel: vscode.LogOutputChannel): RunLog {
  return {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
    append: (line) => channel.appendLine(line),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}

export function activate(context: vscode.ExtensionContext): DdpgLabApi {
  const mainLog = vscode.window.createOutputChannel('DDPG Lab', { log: true });
  context.subscriptions.push(mainLog);

  const runsDirectory = () =>
    resolveRunsDirectory(
      vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>(RUNS_DIRECTORY_SETTING),
      (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
      context.globalStorageUri.fsPath,
    ).dir;

  const runManager = new RunManager({
    trainerScript: context.asAbsolutePath(path.join('dist', 'trainer.js')),
    createLog: (name) => runLog(vscode.window.createOutputChannel(name, { log: true })),
  });
  context.subscriptions.push(runManager);
  // Trainers outlive windows: attach to the live runs of the runs directory (this window's before
  // a reload, another window's, the CLI's), now and whenever one appears.
  const liveRuns = new LiveRunWatcher({ runManager, runsDirectory, log: mainLog });
  context.subscriptions.push(liveRuns);
  void liveRuns.scan();

  const contextKeys = new ContextKeys(vscode, runManager);
  context.subscriptions.push(contextKeys);

  const runIndex = new RunIndex(vscode, runManager, runsDirectory());
  context.subscriptions.push(runIndex);
  const tree = new RunsTreeProvider(vscode, runManager, runIndex, (count) => contextKeys.set(CONTEXT_KEYS.hasRuns, count > 0));
  context.subscriptions.push(tree);
  // Several runs can be selected at once, for Compare Runs.
  const view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  context.subscriptions.push(
    view,
    view.onDidExpandElement((e) => tree.setExpanded(e.element, true)),
    view.onDidCollapseElement((e) => tree.setExpanded(e.element, false)),
  );

  let commands: DdpgCommands | undefined;
  const dashboard = new DashboardPanels(vscode, {
    runManager,
    extensionUri: context.extensionUri,
    locateRun: (runId) => commands!.locateRun(runId),
    log: mainLog,
  });
  context.subscriptions.push(dashboard);
  contextKeys.followTitleBarRun(dashboard);

  const comparison = new ComparisonController(vscode, {
    runManager,
    extensionUri: context.extensionUri,
    locateRun: (runId) => commands!.locateRun(runId),
    openRun: ({ runId, runDir }) => dashboard.open({ runId, runDir, mode: { kind: 'live' } }),
    log: mainLog,
  });
  context.subscriptions.push(comparison);

  // Refresh also looks for live trainers again.
  const refreshable = { refresh: () => (tree.refresh(), void liveRuns.scan()), scheduleRefresh: tree.scheduleRefresh.bind(tree) };
  commands = new DdpgCommands(vscode, { extensionId: context.extension.id, runManager, dashboard, comparison, tree: refreshable, runsDirectory, mainLog });
  context.subscriptions.push(commands);

  const statusBar = new TrainingStatusBar(vscode, runManager, () => dashboard.visibleRunId);
  // Another panel in front may mean another run to show, even while no run changes.
  context.subscriptions.push(statusBar, dashboard.onDidChangeTitleBarRun(() => statusBar.update()));

  context.subscriptions.push(
    new RunNotifications(vscode, {
      runManager,
      isShowing: (runId) => dashboard.isShowingLive(runId),
      open: ({ runId, runDir }) => dashboard.open({ runId, runDir, mode: { kind: 'live' } }),
      showLog: (runId) => void vscode.commands.executeCommand('ddpg.showLog', runId),
    }),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.${RUNS_DIRECTORY_SETTING}`)) {
        tree.setRunsDirectory(runsDirectory());
        void liveRuns.scan();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      tree.setRunsDirectory(runsDirectory());
      void liveRuns.scan();
    }),
  );

  // A run started while the Runs view is closed still makes the checkpoint commands meaningful.
  context.subscriptions.push(runManager.onDidChangeRun(({ liveness }) => liveness && contextKeys.set(CONTEXT_KEYS.hasRuns, true)));
  // The palette's checkpoint commands need ddpg.hasRuns before the Runs view has ever been opened.
  void listRuns(runsDirectory()).then(
    (runs) => contextKeys.set(CONTEXT_KEYS.hasRuns, runs.length > 0 || runManager.liveRuns().length > 0),
    () => undefined,
  );

  context.subscriptions.push(new PresetOffers(vscode));

  const testCommand = registerExtensionTestCommand(vscode);
  if (testCommand) context.subscriptions.push(testCommand);

  activeRunManager = runManager;
  closePolicy = () => windowClosePolicy(vscode.workspace.getConfiguration(SETTINGS_SECTION).get(WHEN_WINDOW_CLOSES_SETTING));
  mainLog.info(`activated; runs directory ${runsDirectory()}`);
  return { runManager, tree, dashboard, comparison, runsDirectory };
}

/**
 * Lets trainers go on without the window (ddpg.whenWindowCloses: keepTraining) or stops them with
 * a final checkpoint (stopWithCheckpoint, and always for child trainers where sockets are
 * impossible), before VS Code disposes the subscriptions.
 */
export async function deactivate(): Promise<void> {
  const runManager = activeRunManager;
  activeRunManager = undefined;
  await runManager?.closeWindow(closePolicy(), DEACTIVATE_STOP_MS);
}
