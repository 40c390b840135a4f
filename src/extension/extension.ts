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
import { DashboardController } from './dashboardPanel';
import { PresetOffers } from './presets';
import { registerExtensionTestCommand } from './extensionTestCommand';
import { RunIndex } from './runIndex';
import { RunManager, type RunLog } from './runManager';
import { resolveRunsDirectory, RUNS_DIRECTORY_SETTING, SETTINGS_SECTION } from './settings';
import { TrainingStatusBar } from './statusBar';

/** How long deactivation waits for trainers to save a final checkpoint and exit before killing them. */
const DEACTIVATE_STOP_MS = 4000;

/** What activate() returns: used by the in-extension-host test suite. */
export interface DdpgLabApi {
  runManager: RunManager;
  tree: RunsTreeProvider;
  dashboard: DashboardController;
  comparison: ComparisonController;
  runsDirectory(): string;
}

/** Kept for deactivate(), which VS Code calls without arguments. */
let activeRunManager: RunManager | undefined;

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

  const contextKeys = new ContextKeys(vscode, runManager);
  context.subscriptions.push(contextKeys);

  const runIndex = new RunIndex(vscode, runManager.onDidReceiveEvent, runsDirectory());
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
  const dashboard = new DashboardController(vscode, {
    runManager,
    extensionUri: context.extensionUri,
    locateRun: (runId) => commands!.locateRun(runId),
    log: mainLog,
  });
  context.subscriptions.push(dashboard);

  const comparison = new ComparisonController(vscode, {
    runManager,
    extensionUri: context.extensionUri,
    locateRun: (runId) => commands!.locateRun(runId),
    openRun: ({ runId, runDir }) => dashboard.open({ runId, runDir, mode: { kind: 'live' } }),
    log: mainLog,
  });
  context.subscriptions.push(comparison);

  commands = new DdpgCommands(vscode, { extensionId: context.extension.id, runManager, dashboard, comparison, tree, runsDirectory, mainLog });
  context.subscriptions.push(commands);

  context.subscriptions.push(new TrainingStatusBar(vscode, runManager, () => dashboard.visibleRunId));

  context.subscriptions.push(
    runManager.onDidCrash((crash) => {
      const last = crash.stderrTail.filter((l) => l.trim() !== '').slice(-3).join(' ⏎ ');
      const detail = last ? ` Last output: ${last}` : '';
      void vscode.window.showErrorMessage(`DDPG: run ${crash.runId} crashed: ${crash.reason}. Its files are kept in ${crash.runDir}.${detail}`, 'Show Log').then((choice) => {
        if (choice) crash.log.show();
      });
    }),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.${RUNS_DIRECTORY_SETTING}`)) tree.setRunsDirectory(runsDirectory());
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => tree.setRunsDirectory(runsDirectory())),
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
  mainLog.info(`activated; runs directory ${runsDirectory()}`);
  return { runManager, tree, dashboard, comparison, runsDirectory };
}

/** Stops every trainer with a final checkpoint (bounded), before VS Code disposes the subscriptions. */
export async function deactivate(): Promise<void> {
  const runManager = activeRunManager;
  activeRunManager = undefined;
  await runManager?.stopAll(DEACTIVATE_STOP_MS);
}
