/**
 * Every DDPG command: what each one acts on (the argument from a menu, else the run in view, else
 * the only candidate, else a quick pick), and the notifications it shows.
 */

import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { CheckpointManifest, RunStatus } from '../shared/protocol';
import { CONFIG_KEYS, type RunConfig } from '../shared/config';
import { listCheckpoints, listRuns, readCheckpointManifest } from '../shared/node/runDirectory';
import { deleteCheckpoint } from './checkpointDeletion';
import {
  checkpointDescription,
  checkpointLabel,
  formatReturn,
  isCheckpointNode,
  isRunNode,
  type CheckpointNode,
  type RunNode,
  type RunsTreeProvider,
} from './checkpointTree';
import { allows, type RunCommandKind } from './contextKeys';
import type { ComparisonController } from './comparisonPanel';
import type { DashboardController, DashboardTarget } from './dashboardPanel';
import { Disposable } from './disposable';
import { exportRunMetrics } from './metricsExport';
import type { ComparisonTarget } from './runComparison';
import type { EvaluationResult, LiveRunSummary, RunManager } from './runManager';
import { evaluationEpisodes, readRunConfig, settingName, SETTINGS_SECTION } from './settings';
import type { VSCode } from './vscodeApi';

export const COMMAND_IDS = {
  train: 'ddpg.train',
  pause: 'ddpg.pause',
  resume: 'ddpg.resume',
  stop: 'ddpg.stop',
  saveCheckpoint: 'ddpg.saveCheckpoint',
  openDashboard: 'ddpg.openDashboard',
  inspectCheckpoint: 'ddpg.inspectCheckpoint',
  evaluateCheckpoint: 'ddpg.evaluateCheckpoint',
  resumeFromCheckpoint: 'ddpg.resumeFromCheckpoint',
  deleteCheckpoint: 'ddpg.deleteCheckpoint',
  revealCheckpoint: 'ddpg.revealCheckpoint',
  editHyperparameters: 'ddpg.editHyperparameters',
  refresh: 'ddpg.refresh',
  showLog: 'ddpg.showLog',
  exportMetrics: 'ddpg.exportMetrics',
  compareRuns: 'ddpg.compareRuns',
} as const;

const CHECKPOINT_WAIT_MS = 60_000;

export interface CommandDependencies {
  extensionId: string;
  runManager: RunManager;
  dashboard: DashboardController;
  comparison: ComparisonController;
  tree: RunsTreeProvider;
  /** The runs directory as the settings say now. */
  runsDirectory(): string;
  mainLog: { info(message: string): void; error(message: string): void };
}

interface CheckpointChoice {
  runId: string;
  runDir: string;
  dir: string;
  manifest: CheckpointManifest;
}

/** Which networks a checkpoint holds; a run resuming it must build the same ones. */
export function architectureMismatch(config: RunConfig, checkpointConfig: RunConfig): string[] {
  const problems: string[] = [];
  for (const key of ['actorHidden', 'criticHidden'] as const) {
    if (JSON.stringify(config[key]) !== JSON.stringify(checkpointConfig[key])) {
      problems.push(`${settingName(key)} is ${JSON.stringify(config[key])} but the checkpoint's networks use ${JSON.stringify(checkpointConfig[key])}`);
    }
  }
  return problems;
}

/** A resumed run continues the counters, so a limit already reached would end it at once. */
export function limitAlreadyReached(config: RunConfig, manifest: Pick<CheckpointManifest, 'episode' | 'step'>): string | undefined {
  if (config.episodes > 0 && config.episodes <= manifest.episode) {
    return `${settingName('episodes')} is ${config.episodes} but the checkpoint is already at episode ${manifest.episode}: raise it to continue training`;
  }
  if (config.totalSteps > 0 && config.totalSteps <= manifest.step) {
    return `${settingName('totalSteps')} is ${config.totalSteps} but the checkpoint is already at step ${manifest.step}: raise it to continue training`;
  }
  return undefined;
}

/** Settings that differ from the checkpoint's configuration, for the "resuming with" notice. */
export function changedSettings(config: RunConfig, checkpointConfig: RunConfig): string[] {
  return CONFIG_KEYS.filter((k) => JSON.stringify(config[k]) !== JSON.stringify(checkpointConfig[k])).map(
    (k) => `${settingName(k)} ${JSON.stringify(checkpointConfig[k])} → ${JSON.stringify(config[k])}`,
  );
}

export class DdpgCommands extends Disposable {
  constructor(
    private readonly api: VSCode,
    private readonly deps: CommandDependencies,
  ) {
    super();
    const register = (id: string, handler: (...args: unknown[]) => unknown) => {
      this._register(
        api.commands.registerCommand(id, async (...args: unknown[]) => {
          try {
            return await handler(...args);
          } catch (err) {
            const message = (err as Error).message ?? String(err);
            deps.mainLog.error(`${id} failed: ${(err as Error).stack ?? message}`);
            void api.window.showErrorMessage(`DDPG: ${message}`);
            return undefined;
          }
        }),
      );
    };
    register(COMMAND_IDS.train, () => this.train());
    // From the Runs view with several items selected, these act on every selected item that they apply to.
    register(COMMAND_IDS.pause, (arg, selected) => this.forEachSelectedRun('pause', arg, selected, (a) => this.control('pause', a)));
    register(COMMAND_IDS.resume, (arg, selected) => this.forEachSelectedRun('resume', arg, selected, (a) => this.control('resume', a)));
    register(COMMAND_IDS.stop, (arg, selected) => this.forEachSelectedRun('stop', arg, selected, (a) => this.stop(a)));
    register(COMMAND_IDS.saveCheckpoint, (arg) => this.saveCheckpoint(arg));
    register(COMMAND_IDS.openDashboard, (arg) => this.openDashboard(arg));
    register(COMMAND_IDS.inspectCheckpoint, (arg) => this.inspect(arg));
    register(COMMAND_IDS.evaluateCheckpoint, (arg) => this.evaluate(arg));
    register(COMMAND_IDS.resumeFromCheckpoint, (arg) => this.resumeFromCheckpoint(arg));
    register(COMMAND_IDS.deleteCheckpoint, (arg, selected) => {
      const several = selectedCheckpoints(arg, selected);
      return several ? this.deleteMany(several) : this.delete(arg);
    });
    register(COMMAND_IDS.revealCheckpoint, (arg) => this.reveal(arg));
    register(COMMAND_IDS.editHyperparameters, () => this.editHyperparameters());
    register(COMMAND_IDS.refresh, () => deps.tree.refresh());
    register(COMMAND_IDS.showLog, (arg) => this.showLog(arg));
    register(COMMAND_IDS.exportMetrics, (arg, target) => this.exportMetrics(arg, target));
    register(COMMAND_IDS.compareRuns, (arg, selected) => this.compareRuns(arg, selected));
  }

  // ─── training ───────────────────────────────────────────────────────────────────────────────

  /** Validates the settings and starts a run. Returns the run id, or undefined when nothing started. */
  async train(): Promise<string | undefined> {
    const config = this.configFromSettings('start training');
    if (!config) return undefined;
    const runsDir = this.deps.runsDirectory();
    const run = await this.startRun(runsDir, config);
    return run.runId;
  }

  private async startRun(runsDir: string, config: RunConfig, resumeFrom?: string): Promise<LiveRunSummary> {
    let run: LiveRunSummary;
    try {
      run = await this.deps.runManager.startTraining(runsDir, config, resumeFrom ? { resumeFrom } : {});
    } catch (err) {
      throw new Error(`cannot create a run in ${runsDir}: ${(err as Error).message}`);
    }
    this.deps.mainLog.info(`started run ${run.runId} in ${run.runDir}`);
    this.deps.tree.scheduleRefresh();
    this.deps.dashboard.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
    return run;
  }

  /** The validated settings, or undefined after telling the user which settings are wrong. */
  private configFromSettings(action: string): RunConfig | undefined {
    const result = readRunConfig(this.api.workspace.getConfiguration(SETTINGS_SECTION));
    if (result.errors.length > 0) {
      const count = result.errors.length === 1 ? 'an invalid setting' : `${result.errors.length} invalid settings`;
      void this.api.window.showErrorMessage(`DDPG: cannot ${action}: ${count}. ${result.errors.join('. ')}.`, 'Edit Hyperparameters').then((choice) => {
        if (choice) void this.editHyperparameters();
      });
      return undefined;
    }
    for (const warning of result.warnings) void this.api.window.showWarningMessage(`DDPG: ${warning}`);
    return result.config;
  }

  /**
   * `run` on each selected run whose state allows `kind` (others are skipped: Pause on a mix of
   * running and paused runs pauses the running ones), all at once. Without a selection of several
   * runs, `run` on the argument as usual. Returns the run ids acted on.
   */
  private async forEachSelectedRun(
    kind: RunCommandKind,
    arg: unknown,
    selected: unknown,
    run: (arg: unknown) => Promise<string | undefined>,
  ): Promise<string | string[] | undefined> {
    const nodes = selectedRuns(arg, selected);
    if (!nodes) return run(arg);
    const manager = this.deps.runManager;
    const eligible = nodes.filter((node) => {
      const live = manager.liveRun(node.runId);
      return live !== undefined && allows(kind, live.state);
    });
    if (eligible.length === 0) {
      void this.api.window.showInformationMessage(`DDPG: none of the ${nodes.length} selected runs is ${describeStates(kind)}.`);
      return undefined;
    }
    const done = await Promise.all(eligible.map((node) => run(node.runId)));
    return done.filter((id): id is string => id !== undefined);
  }

  private async control(kind: 'pause' | 'resume', arg: unknown): Promise<string | undefined> {
    const run = await this.pickLiveRun(kind, arg);
    if (!run) return undefined;
    const ok = kind === 'pause' ? this.deps.runManager.pause(run.runId) : this.deps.runManager.resume(run.runId);
    if (!ok) throw new Error(`could not ${kind} run ${run.runId}: its trainer is not reachable`);
    return run.runId;
  }

  private async stop(arg: unknown): Promise<string | undefined> {
    const run = await this.pickLiveRun('stop', arg);
    if (!run) return undefined;
    await this.api.window.withProgress(
      { location: this.api.ProgressLocation.Window, title: `DDPG: stopping ${run.runId} (saving a final checkpoint)` },
      () => this.deps.runManager.stop(run.runId, true),
    );
    return run.runId;
  }

  /** Requests a checkpoint and resolves with its folder once the trainer has written it. */
  private async saveCheckpoint(arg: unknown): Promise<string | undefined> {
    const run = await this.pickLiveRun('checkpoint', arg);
    if (!run) return undefined;
    const manager = this.deps.runManager;
    let subscription: { dispose(): unknown } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const saved = new Promise<string | undefined>((resolve) => {
      let requestId: number | undefined;
      subscription = manager.onDidReceiveEvent(({ runId, event }) => {
        if (runId !== run.runId) return;
        if (event.type === 'checkpoint' && requestId !== undefined && event.requestId === requestId) resolve(event.dir);
        if (event.type === 'exiting') resolve(undefined);
      });
      requestId = manager.saveCheckpoint(run.runId);
      if (requestId === undefined) resolve(undefined);
      timer = setTimeout(() => resolve(undefined), CHECKPOINT_WAIT_MS);
    });
    const dir = await saved.finally(() => {
      subscription?.dispose();
      clearTimeout(timer);
    });
    if (dir === undefined) throw new Error(`run ${run.runId} did not confirm the checkpoint`);
    void this.api.window.showInformationMessage(`DDPG: saved checkpoint ${path.basename(dir)} of ${run.runId}.`);
    return dir;
  }

  // ─── dashboard ──────────────────────────────────────────────────────────────────────────────

  private async openDashboard(arg: unknown): Promise<void> {
    const dashboard = this.deps.dashboard;
    if (isRunNode(arg)) {
      dashboard.open({ runId: arg.runId, runDir: arg.runDir, mode: { kind: 'live' } });
      return;
    }
    if (typeof arg === 'string') {
      const runDir = this.deps.runManager.history(arg)?.runDir ?? (await this.locateRun(arg));
      if (!runDir) throw new Error(`there is no run ${arg} in ${this.deps.runsDirectory()}`);
      dashboard.open({ runId: arg, runDir, mode: { kind: 'live' } });
      return;
    }
    if (dashboard.currentTarget) {
      dashboard.open();
      return;
    }
    const live = this.deps.runManager.liveRuns();
    const latestLive = live[live.length - 1];
    if (latestLive) {
      dashboard.open({ runId: latestLive.runId, runDir: latestLive.runDir, mode: { kind: 'live' } });
      return;
    }
    const newest = (await listRuns(this.deps.runsDirectory())).find((r) => r.info);
    dashboard.open(newest?.info ? { runId: newest.info.id, runDir: newest.dir, mode: { kind: 'live' } } : undefined);
  }

  /** The folder of a run id in the current runs directory, if it is there. */
  async locateRun(runId: string): Promise<string | undefined> {
    const known = this.deps.runManager.history(runId);
    if (known) return known.runDir;
    const runs = await listRuns(this.deps.runsDirectory());
    return runs.find((r) => r.info?.id === runId || path.basename(r.dir) === runId)?.dir;
  }

  private async inspect(arg: unknown): Promise<void> {
    const checkpoint = await this.pickCheckpoint(arg, 'Inspect which checkpoint?');
    if (!checkpoint) return;
    this.deps.dashboard.open(this.checkpointTarget(checkpoint, 'inspect'));
  }

  /** Shows a deterministic evaluation in the dashboard; resolves with its result (undefined if it failed: the panel reports why). */
  private async evaluate(arg: unknown): Promise<EvaluationResult | undefined> {
    const checkpoint = await this.pickCheckpoint(arg, 'Evaluate which checkpoint?');
    if (!checkpoint) return undefined;
    const panel = this.deps.dashboard.open(this.checkpointTarget(checkpoint, 'evaluate'));
    return panel.currentEvaluation?.result.catch(() => undefined);
  }

  private checkpointTarget(checkpoint: CheckpointChoice, kind: 'inspect' | 'evaluate'): DashboardTarget {
    const base = { runId: checkpoint.runId, runDir: checkpoint.runDir };
    if (kind === 'inspect') return { ...base, mode: { kind, checkpoint: checkpoint.manifest, checkpointDir: checkpoint.dir } };
    const episodes = evaluationEpisodes(this.api.workspace.getConfiguration(SETTINGS_SECTION), checkpoint.manifest.config.evalEpisodes);
    return { ...base, mode: { kind, checkpoint: checkpoint.manifest, checkpointDir: checkpoint.dir, episodes } };
  }

  // ─── checkpoints ────────────────────────────────────────────────────────────────────────────

  private async resumeFromCheckpoint(arg: unknown): Promise<string | undefined> {
    const checkpoint = await this.pickCheckpoint(arg, 'Continue training from which checkpoint?');
    if (!checkpoint) return undefined;
    const config = this.configFromSettings('resume training');
    if (!config) return undefined;
    const problems = architectureMismatch(config, checkpoint.manifest.config);
    const limit = limitAlreadyReached(config, checkpoint.manifest);
    if (limit) problems.push(limit);
    if (problems.length > 0) {
      void this.api.window
        .showErrorMessage(`DDPG: cannot resume from checkpoint ${checkpoint.manifest.name} of ${checkpoint.runId}: ${problems.join('. ')}.`, 'Edit Hyperparameters')
        .then((choice) => choice && this.editHyperparameters());
      return undefined;
    }
    const changed = changedSettings(config, checkpoint.manifest.config);
    if (changed.length > 0) {
      void this.api.window.showInformationMessage(
        `DDPG: continuing ${checkpoint.runId} from episode ${checkpoint.manifest.episode} with the current settings; changed since the checkpoint: ${changed.join(', ')}.`,
      );
    }
    const run = await this.startRun(this.deps.runsDirectory(), config, checkpoint.dir);
    return run.runId;
  }

  private async delete(arg: unknown): Promise<boolean> {
    const target = isCheckpointNode(arg) ? { dir: arg.dir, runId: arg.runId, runDir: arg.runDir, label: arg.manifest ? checkpointLabel(arg.manifest) : path.basename(arg.dir) } : undefined;
    const choice = target ?? (await this.pickCheckpoint(arg, 'Delete which checkpoint?').then((c) => c && { dir: c.dir, runId: c.runId, runDir: c.runDir, label: checkpointLabel(c.manifest) }));
    if (!choice) return false;
    const confirm = await this.api.window.showWarningMessage(
      `Delete checkpoint ${choice.label} of run ${choice.runId}?`,
      { modal: true, detail: `Its folder is removed from disk:\n${choice.dir}` },
      'Delete',
    );
    if (confirm !== 'Delete') return false;
    await deleteCheckpoint(this.runsRootFor(choice.runDir), choice.dir);
    this.deps.mainLog.info(`deleted checkpoint ${choice.dir}`);
    this.deps.tree.scheduleRefresh();
    return true;
  }

  /** One confirmation for all of them; a checkpoint that cannot be deleted does not stop the others. */
  private async deleteMany(checkpoints: CheckpointNode[]): Promise<boolean> {
    const runs = new Set(checkpoints.map((c) => c.runId));
    const confirm = await this.api.window.showWarningMessage(
      `Delete ${checkpoints.length} checkpoints of ${runs.size === 1 ? `run ${[...runs][0]}` : `${runs.size} runs`}?`,
      { modal: true, detail: `Their folders are removed from disk:\n${checkpoints.map((c) => c.dir).join('\n')}` },
      'Delete',
    );
    if (confirm !== 'Delete') return false;
    const failures: string[] = [];
    for (const checkpoint of checkpoints) {
      try {
        await deleteCheckpoint(this.runsRootFor(checkpoint.runDir), checkpoint.dir);
        this.deps.mainLog.info(`deleted checkpoint ${checkpoint.dir}`);
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
    this.deps.tree.scheduleRefresh();
    if (failures.length > 0) throw new Error(`${failures.length} of ${checkpoints.length} checkpoints were not deleted: ${failures.join('; ')}`);
    return true;
  }

  /**
   * The runs directory that may contain `runDir`: the configured one, or — for a live run started
   * before the setting changed — the one that run was created in.
   */
  private runsRootFor(runDir: string): string {
    const configured = this.deps.runsDirectory();
    const parent = path.dirname(path.resolve(runDir));
    const liveParent = this.deps.runManager.liveRuns().some((r) => path.dirname(path.resolve(r.runDir)) === parent);
    return liveParent ? parent : configured;
  }

  private async reveal(arg: unknown): Promise<void> {
    const checkpoint = isCheckpointNode(arg) ? arg : await this.pickCheckpoint(arg, 'Reveal which checkpoint?');
    if (!checkpoint) return;
    const api = this.api;
    const uri = api.Uri.file(checkpoint.dir);
    // The OS file manager exists only for a local desktop window; in a remote or browser window
    // reveal in the Explorer when the folder is inside the workspace.
    if (api.env.uiKind === api.UIKind.Desktop && api.env.remoteName === undefined) {
      await api.commands.executeCommand('revealFileInOS', uri);
      return;
    }
    if (api.workspace.getWorkspaceFolder(uri)) {
      await api.commands.executeCommand('revealInExplorer', uri);
      return;
    }
    const copy = await api.window.showInformationMessage(`DDPG: the checkpoint is outside the workspace: ${checkpoint.dir}`, 'Copy Path');
    if (copy) await api.env.clipboard.writeText(checkpoint.dir);
  }

  private async editHyperparameters(): Promise<void> {
    await this.api.commands.executeCommand('workbench.action.openSettings', `@ext:${this.deps.extensionId}`);
  }

  private async showLog(arg: unknown): Promise<void> {
    const runId = typeof arg === 'string' ? arg : isRunNode(arg) ? arg.runId : (await this.pickLiveRun('stop', undefined, true))?.runId;
    if (!runId) return;
    const log = this.deps.runManager.logOf(runId);
    if (!log) {
      void this.api.window.showInformationMessage(`DDPG: run ${runId} has no log in this window (it was not trained here).`);
      return;
    }
    log.show();
  }

  /** `target` (a file path) skips the save dialog: for scripts and tests. */
  private async exportMetrics(arg: unknown, target: unknown): Promise<string | undefined> {
    const run = await this.pickRun(arg, 'Export the metrics of which run?');
    if (!run) return undefined;
    return exportRunMetrics(this.api, run, typeof target === 'string' ? target : undefined);
  }

  /**
   * `selected` is the Runs view's multi-selection (menus pass the clicked node, then the
   * selection); an array of run ids comes from scripts and tests. Returns the ids compared.
   */
  private async compareRuns(arg: unknown, selected: unknown): Promise<string[] | undefined> {
    const targets = (await this.comparisonTargetsGiven(arg, selected)) ?? (await this.pickRunsToCompare(arg));
    if (!targets) return undefined;
    if (targets.length < 2) {
      void this.api.window.showInformationMessage('DDPG: pick two or more runs to compare.');
      return undefined;
    }
    this.deps.comparison.open(targets);
    return targets.map((t) => t.runId);
  }

  private async comparisonTargetsGiven(arg: unknown, selected: unknown): Promise<ComparisonTarget[] | undefined> {
    const nodes = selectedRuns(arg, selected);
    if (nodes) return uniqueTargets(nodes.map((n) => ({ runId: n.runId, runDir: n.runDir })));
    if (!Array.isArray(arg)) return undefined;
    const targets: ComparisonTarget[] = [];
    const unknown: string[] = [];
    for (const runId of arg.filter((a): a is string => typeof a === 'string')) {
      const runDir = await this.locateRun(runId);
      if (runDir) targets.push({ runId, runDir });
      else unknown.push(runId);
    }
    if (unknown.length > 0) throw new Error(`no run ${unknown.join(', ')} in ${this.deps.runsDirectory()}`);
    return uniqueTargets(targets);
  }

  /** A multi-select quick pick of every run, the clicked run or the one in the dashboard ticked. */
  private async pickRunsToCompare(arg: unknown): Promise<ComparisonTarget[] | undefined> {
    const runsDir = this.deps.runsDirectory();
    const runs = (await listRuns(runsDir)).filter((r) => r.info);
    if (runs.length < 2) {
      void this.api.window.showInformationMessage(`DDPG: comparing needs two or more runs; ${runsDir} has ${runs.length}.`);
      return undefined;
    }
    const preselected = isRunNode(arg) ? arg.runId : this.deps.dashboard.currentTarget?.runId;
    const picked = await this.api.window.showQuickPick(
      runs.map((r) => ({
        label: r.info!.name,
        description: `${r.info!.status} · seed ${r.info!.config.seed}`,
        detail: describeExperiment(r.info!.config),
        picked: r.info!.id === preselected,
        target: { runId: r.info!.id, runDir: r.dir },
      })),
      { title: 'DDPG: Compare which runs?', placeHolder: 'Tick two or more runs', canPickMany: true, matchOnDetail: true },
    );
    return picked?.map((p) => p.target);
  }

  // ─── choosing what to act on ────────────────────────────────────────────────────────────────

  /** Any run, live or not: the menu's run, a run id, else the run in the dashboard, else the user's choice. */
  private async pickRun(arg: unknown, title: string): Promise<{ runId: string; runDir: string } | undefined> {
    if (isRunNode(arg)) return { runId: arg.runId, runDir: arg.runDir };
    if (typeof arg === 'string') {
      const runDir = await this.locateRun(arg);
      if (!runDir) throw new Error(`there is no run ${arg} in ${this.deps.runsDirectory()}`);
      return { runId: arg, runDir };
    }
    const shown = this.deps.dashboard.currentTarget;
    if (shown) return { runId: shown.runId, runDir: shown.runDir };
    const runsDir = this.deps.runsDirectory();
    const runs = (await listRuns(runsDir)).filter((r) => r.info);
    if (runs.length === 0) {
      void this.api.window.showInformationMessage(`DDPG: no runs in ${runsDir} yet.`);
      return undefined;
    }
    const picked = await this.api.window.showQuickPick(
      runs.map((r) => ({ label: r.info!.name, description: r.info!.status, detail: r.dir, run: { runId: r.info!.id, runDir: r.dir } })),
      { title: `DDPG: ${title}`, matchOnDetail: true },
    );
    return picked?.run;
  }

  /**
   * The live run a command acts on: the menu's run, else the run in the visible dashboard, else
   * the only run in a suitable state, else the user's choice.
   */
  private async pickLiveRun(kind: RunCommandKind, arg: unknown, anyState = false): Promise<LiveRunSummary | undefined> {
    const manager = this.deps.runManager;
    const suitable = (state: RunStatus) => anyState || allows(kind, state);
    const explicit = typeof arg === 'string' ? arg : isRunNode(arg) ? arg.runId : undefined;
    if (explicit !== undefined) {
      const run = manager.liveRun(explicit);
      if (!run) throw new Error(`run ${explicit} is not training in this window`);
      if (!suitable(run.state)) throw new Error(`run ${explicit} is ${run.state}; ${kind} needs it to be ${describeStates(kind)}`);
      return run;
    }
    const candidates = manager.liveRuns().filter((r) => suitable(r.state));
    if (candidates.length === 0) {
      void this.api.window.showInformationMessage(`DDPG: no run is ${describeStates(kind)}.`);
      return undefined;
    }
    const inView = candidates.find((r) => r.runId === this.deps.dashboard.visibleRunId);
    if (inView) return inView;
    if (candidates.length === 1) return candidates[0];
    const picked = await this.api.window.showQuickPick(
      candidates.map((r) => ({ label: r.name, description: `${r.state} · ep ${r.episode} · R ${formatReturn(r.latestReturn)}`, run: r })),
      { title: `DDPG: ${kind} which run?`, placeHolder: 'Several runs are training' },
    );
    return picked?.run;
  }

  private async pickCheckpoint(arg: unknown, title: string): Promise<CheckpointChoice | undefined> {
    if (isCheckpointNode(arg)) {
      const manifest = arg.manifest ?? (await readCheckpointManifest(arg.dir));
      return { runId: arg.runId, runDir: arg.runDir, dir: arg.dir, manifest };
    }
    if (typeof arg === 'string') {
      const manifest = await readCheckpointManifest(arg);
      const runDir = path.dirname(path.dirname(arg));
      return { runId: manifest.runId, runDir, dir: arg, manifest };
    }
    const runsDir = this.deps.runsDirectory();
    const runs = (await listRuns(runsDir)).filter((r) => r.info);
    const items: Array<vscode.QuickPickItem & { choice?: CheckpointChoice }> = [];
    for (const run of runs) {
      const checkpoints = (await listCheckpoints(run.dir)).filter((c) => c.manifest).reverse();
      if (checkpoints.length === 0) continue;
      items.push({ label: run.info!.name, kind: this.api.QuickPickItemKind.Separator });
      for (const c of checkpoints) {
        items.push({
          label: checkpointLabel(c.manifest!),
          description: checkpointDescription(c.manifest!),
          detail: c.dir,
          choice: { runId: run.info!.id, runDir: run.dir, dir: c.dir, manifest: c.manifest! },
        });
      }
    }
    if (items.length === 0) {
      void this.api.window.showInformationMessage(`DDPG: no checkpoints in ${runsDir} yet.`);
      return undefined;
    }
    const picked = await this.api.window.showQuickPick(items, { title: `DDPG: ${title}`, matchOnDetail: true });
    return picked?.choice;
  }
}

/** The Runs view passes its whole selection second; several selected runs, when the clicked item is a run. */
function selectedRuns(arg: unknown, selected: unknown): RunNode[] | undefined {
  if (!isRunNode(arg) || !Array.isArray(selected)) return undefined;
  const runs = selected.filter(isRunNode);
  return runs.length >= 2 ? runs : undefined;
}

function selectedCheckpoints(arg: unknown, selected: unknown): CheckpointNode[] | undefined {
  if (!isCheckpointNode(arg) || !Array.isArray(selected)) return undefined;
  const checkpoints = selected.filter(isCheckpointNode);
  return checkpoints.length >= 2 ? checkpoints : undefined;
}

function uniqueTargets(targets: ComparisonTarget[]): ComparisonTarget[] {
  return targets.filter((t, i) => targets.findIndex((u) => u.runId === t.runId) === i);
}

/** The settings that usually tell runs apart, in one line. */
function describeExperiment(config: RunConfig): string {
  return [
    `actor ${config.actorHidden.join('×')}`,
    `critic ${config.criticHidden.join('×')}`,
    `batch ${config.batchSize}`,
    `τ ${config.tau}`,
    `lr ${config.actorLr}/${config.criticLr}`,
    `${config.noiseType} σ ${config.noiseStd}`,
  ].join(' · ');
}

function describeStates(kind: RunCommandKind): string {
  switch (kind) {
    case 'pause':
      return 'running';
    case 'resume':
      return 'paused';
    case 'stop':
      return 'training';
    case 'checkpoint':
      return 'running or paused';
  }
}
