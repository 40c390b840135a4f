/**
 * Every DDPG command, registered top to bottom, and the notifications it shows. What a command
 * acts on is commandTargets.ts's business; whether a checkpoint may be resumed, resumePolicy.ts's.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunConfig } from '../shared/config';
import { listRuns, readRunInfo } from '../shared/node/runDirectory';
import { deleteCheckpoint } from './checkpointDeletion';
import { isCheckpointNode, isRunNode, type CheckpointNode, type RunsTreeProvider } from './checkpointTree';
import { CommandTargets, describeStates, selectedCheckpoints, selectedRuns, type CheckpointTarget } from './commandTargets';
import { allows, type RunCommandKind } from './contextKeys';
import type { DashboardTarget } from './dashboardPanel';
import { Disposable } from './disposable';
import { exportRunMetrics } from './metricsExport';
import { cannotResumeMessage, continuingMessage, decideResume } from './resumePolicy';
import { askAboutTau, confirmIdenticalRun, identicalRun, openSettings, showSettingsWarnings } from './runStartChecks';
import { checkpointTitle } from './runLabels';
import type { ComparisonTarget } from './runComparison';
import { RUN_LOG_FILE } from './socketTrainer';
import { isTerminal } from './runHistory';
import type { EvaluationResult, EvaluationSession, LiveRunSummary, RunManager } from './runManager';
import { evaluationEpisodes, readRunConfig, SETTINGS_SECTION } from './settings';
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
  applyPreset: 'ddpg.applyPreset',
  refresh: 'ddpg.refresh',
  showLog: 'ddpg.showLog',
  exportMetrics: 'ddpg.exportMetrics',
  compareRuns: 'ddpg.compareRuns',
} as const;

const CHECKPOINT_WAIT_MS = 60_000;

/** What the commands need of the dashboard panels (DashboardPanels). */
export interface DashboardView {
  readonly currentTarget: DashboardTarget | undefined;
  readonly visibleRunId: string | undefined;
  /** True when a visible panel shows the run live: it tells the user itself when the run saves. */
  isShowingLive(runId: string): boolean;
  open(target?: DashboardTarget): { readonly currentEvaluation: EvaluationSession | undefined };
}

export interface CommandDependencies {
  extensionId: string;
  runManager: RunManager;
  dashboard: DashboardView;
  /** ComparisonController */
  comparison: { open(targets: readonly ComparisonTarget[]): unknown };
  tree: Pick<RunsTreeProvider, 'refresh' | 'scheduleRefresh'>;
  /** The runs directory as the settings say now. */
  runsDirectory(): string;
  mainLog: { info(message: string): void; error(message: string): void };
}

export class DdpgCommands extends Disposable {
  private readonly targets: CommandTargets;

  constructor(
    private readonly api: VSCode,
    private readonly deps: CommandDependencies,
  ) {
    super();
    this.targets = new CommandTargets(api, deps);
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
    const config = await this.configFromSettings('start training');
    if (!config) return undefined;
    const runsDir = this.deps.runsDirectory();
    const run = await this.startRun(runsDir, config);
    return run?.runId;
  }

  /** Starts a run, unless it would repeat one already training and the user says no. */
  private async startRun(runsDir: string, config: RunConfig, resumeFrom?: string): Promise<LiveRunSummary | undefined> {
    const manager = this.deps.runManager;
    const training = manager.liveRuns().flatMap((r) => {
      const info = manager.history(r.runId)?.info;
      return info ? [{ runId: r.runId, info }] : [];
    });
    if (!(await confirmIdenticalRun(this.api, identicalRun(training, config, resumeFrom)))) return undefined;
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

  /**
   * The validated settings, or undefined after telling the user which settings are wrong (or when
   * they dismiss the question about tau). An empty ddpg.seed draws a fresh seed, or takes
   * `seedWhenEmpty` (a resumed run keeps its checkpoint's).
   */
  private async configFromSettings(action: string, seedWhenEmpty?: number): Promise<RunConfig | undefined> {
    const configuration = this.api.workspace.getConfiguration(SETTINGS_SECTION);
    const result = readRunConfig(configuration, seedWhenEmpty === undefined ? {} : { drawSeed: () => seedWhenEmpty });
    if (result.errors.length > 0) {
      const count = result.errors.length === 1 ? 'an invalid setting' : `${result.errors.length} invalid settings`;
      void this.api.window.showErrorMessage(`DDPG: cannot ${action}: ${count}. ${result.errors.join('. ')}.`, 'Edit Hyperparameters').then((choice) => {
        if (choice) void this.editHyperparameters(result.invalidSettings);
      });
      return undefined;
    }
    showSettingsWarnings(this.api, result.warnings);
    if (!result.otherConventionTau) return result.config;
    const tau = await askAboutTau(this.api, result.otherConventionTau);
    return tau === undefined ? undefined : { ...result.config!, tau };
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
    // Resume on an interrupted run (its window closed under a trainer that could not outlive it)
    // continues it in its folder from its latest checkpoint.
    if (kind === 'resume' && isRunNode(arg) && !this.deps.runManager.isLive(arg.runId) && (await isInterrupted(arg.runDir))) {
      return (await this.deps.runManager.resumeInterrupted(arg.runDir)).runId;
    }
    const run = await this.targets.liveRun(kind, arg);
    if (!run) return undefined;
    const ok = kind === 'pause' ? this.deps.runManager.pause(run.runId) : this.deps.runManager.resume(run.runId);
    if (!ok) throw new Error(`could not ${kind} run ${run.runId}: its trainer is not reachable`);
    return run.runId;
  }

  private async stop(arg: unknown): Promise<string | undefined> {
    const run = await this.targets.liveRun('stop', arg);
    if (!run) return undefined;
    await this.api.window.withProgress(
      { location: this.api.ProgressLocation.Window, title: `DDPG: stopping ${run.runId} (saving a final checkpoint)` },
      () => this.deps.runManager.stop(run.runId, true),
    );
    return run.runId;
  }

  /** Requests a checkpoint and resolves with its folder once the trainer has written it. */
  private async saveCheckpoint(arg: unknown): Promise<string | undefined> {
    const run = await this.targets.liveRun('checkpoint', arg);
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
    // One message per action: a dashboard showing the run says it with its own toast.
    if (!this.deps.dashboard.isShowingLive(run.runId)) void this.api.window.showInformationMessage(`DDPG: saved checkpoint ${path.basename(dir)} of ${run.runId}.`);
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
      const runDir = await this.locateRun(arg);
      if (!runDir) throw new Error(`there is no run ${arg} in ${this.deps.runsDirectory()}`);
      dashboard.open({ runId: arg, runDir, mode: { kind: 'live' } });
      return;
    }
    // Back to the run the user looked at last when it trains (even from one of its checkpoints),
    // else to the live run started last, else to the run looked at last: always the run's own panel.
    const live = this.deps.runManager.liveRuns();
    const shown = dashboard.currentTarget;
    const run = live.find((r) => r.runId === shown?.runId) ?? live[live.length - 1] ?? shown;
    if (run) {
      dashboard.open({ runId: run.runId, runDir: run.runDir, mode: { kind: 'live' } });
      return;
    }
    const newest = (await listRuns(this.deps.runsDirectory())).find((r) => r.info);
    dashboard.open(newest?.info ? { runId: newest.info.id, runDir: newest.dir, mode: { kind: 'live' } } : undefined);
  }

  /** The folder of a run id: a run this window knows, else one in the current runs directory. */
  locateRun(runId: string): Promise<string | undefined> {
    return this.targets.locateRun(runId);
  }

  private async inspect(arg: unknown): Promise<void> {
    const checkpoint = await this.targets.checkpoint(arg, 'Inspect which checkpoint?');
    if (!checkpoint) return;
    this.deps.dashboard.open(this.checkpointTarget(checkpoint, 'inspect'));
  }

  /** Shows a deterministic evaluation in the dashboard; resolves with its result (undefined if it failed: the panel reports why). */
  private async evaluate(arg: unknown): Promise<EvaluationResult | undefined> {
    const checkpoint = await this.targets.checkpoint(arg, 'Evaluate which checkpoint?');
    if (!checkpoint) return undefined;
    const panel = this.deps.dashboard.open(this.checkpointTarget(checkpoint, 'evaluate'));
    return panel.currentEvaluation?.result.catch(() => undefined);
  }

  private checkpointTarget(checkpoint: CheckpointTarget, kind: 'inspect' | 'evaluate'): DashboardTarget {
    const base = { runId: checkpoint.runId, runDir: checkpoint.runDir };
    if (kind === 'inspect') return { ...base, mode: { kind, checkpoint: checkpoint.manifest, checkpointDir: checkpoint.dir } };
    const episodes = evaluationEpisodes(this.api.workspace.getConfiguration(SETTINGS_SECTION), checkpoint.manifest.config.evalEpisodes);
    return { ...base, mode: { kind, checkpoint: checkpoint.manifest, checkpointDir: checkpoint.dir, episodes } };
  }

  // ─── checkpoints ────────────────────────────────────────────────────────────────────────────

  private async resumeFromCheckpoint(arg: unknown): Promise<string | undefined> {
    const checkpoint = await this.targets.checkpoint(arg, 'Continue training from which checkpoint?');
    if (!checkpoint) return undefined;
    const config = await this.configFromSettings('resume training', checkpoint.manifest.config.seed);
    if (!config) return undefined;
    const decision = decideResume(config, checkpoint.manifest);
    if (!decision.ok) {
      void this.api.window
        .showErrorMessage(cannotResumeMessage(checkpoint.manifest.name, checkpoint.runId, decision.reasons), 'Edit Hyperparameters')
        .then((choice) => choice && this.editHyperparameters(decision.reasons.flatMap((reason) => reason.match(/\bddpg\.\w+/g) ?? [])));
      return undefined;
    }
    const notice = continuingMessage(checkpoint.runId, checkpoint.manifest.episode, decision.changed);
    if (notice) void this.api.window.showInformationMessage(notice);
    const run = await this.startRun(this.deps.runsDirectory(), config, checkpoint.dir);
    if (!run) return undefined;
    return run.runId;
  }

  private async delete(arg: unknown): Promise<boolean> {
    const target = isCheckpointNode(arg) ? { dir: arg.dir, runId: arg.runId, runDir: arg.runDir, label: arg.manifest ? checkpointTitle(arg.manifest) : path.basename(arg.dir) } : undefined;
    const choice = target ?? (await this.targets.checkpoint(arg, 'Delete which checkpoint?').then((c) => c && { dir: c.dir, runId: c.runId, runDir: c.runDir, label: checkpointTitle(c.manifest) }));
    if (!choice) return false;
    const confirm = await this.api.window.showWarningMessage(
      `Delete checkpoint ${choice.label} of run ${choice.runId}?`,
      { modal: true, detail: `Its folder is removed from disk:\n${choice.dir}` },
      'Delete',
    );
    if (confirm !== 'Delete') return false;
    await deleteCheckpoint(this.runsRootFor(choice.runDir), choice.dir);
    this.deps.runManager.forgetDeletedCheckpoint(choice.runId, choice.runDir, choice.dir);
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
        this.deps.runManager.forgetDeletedCheckpoint(checkpoint.runId, checkpoint.runDir, checkpoint.dir);
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
    const checkpoint = isCheckpointNode(arg) ? arg : await this.targets.checkpoint(arg, 'Reveal which checkpoint?');
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

  /** The Settings editor on `settingIds` (the first of them) when a problem names them, else on all of DDPG Lab's. */
  private async editHyperparameters(settingIds: readonly string[] = []): Promise<void> {
    await openSettings(this.api, this.deps.extensionId, settingIds);
  }

  /** The run's trainer.log (written by the trainer itself, so any window has it); this window's channel for runs from before it existed. */
  private async showLog(arg: unknown): Promise<void> {
    const run = await this.targets.run(arg, 'Show the log of which run?');
    if (!run) return;
    const file = path.join(run.runDir, RUN_LOG_FILE);
    if (await fileExists(file)) {
      const document = await this.api.workspace.openTextDocument(this.api.Uri.file(file));
      await this.api.window.showTextDocument(document, { preview: true });
      return;
    }
    const log = this.deps.runManager.logOf(run.runId);
    if (!log) {
      void this.api.window.showInformationMessage(`DDPG: run ${run.runId} has no log (${file} does not exist).`);
      return;
    }
    log.show();
  }

  /** `target` (a file path) skips the save dialog: for scripts and tests. */
  private async exportMetrics(arg: unknown, target: unknown): Promise<string | undefined> {
    const run = await this.targets.run(arg, 'Export the metrics of which run?');
    if (!run) return undefined;
    return exportRunMetrics(this.api, run, typeof target === 'string' ? target : undefined);
  }

  /**
   * `selected` is the Runs view's multi-selection (menus pass the clicked node, then the
   * selection); an array of run ids comes from scripts and tests. Returns the ids compared.
   */
  private async compareRuns(arg: unknown, selected: unknown): Promise<string[] | undefined> {
    const targets = await this.targets.runsToCompare(arg, selected);
    if (!targets) return undefined;
    if (targets.length < 2) {
      void this.api.window.showInformationMessage('DDPG: pick two or more runs to compare.');
      return undefined;
    }
    this.deps.comparison.open(targets);
    return targets.map((t) => t.runId);
  }
}

async function fileExists(file: string): Promise<boolean> {
  return fs.stat(file).then((s) => s.isFile(), () => false);
}

/** Interrupted, or says it is active with no trainer to show for it (the Runs view shows both as interrupted). */
async function isInterrupted(runDir: string): Promise<boolean> {
  return readRunInfo(runDir).then((info) => info.status === 'interrupted' || !isTerminal(info.status), () => false);
}
