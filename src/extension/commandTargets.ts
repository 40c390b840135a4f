/**
 * What a command acts on: the item it was invoked on (a Runs view node, or a run id or folder from
 * a script), the Runs view's multi-selection, the run in the dashboard, the only candidate, and
 * only then a quick pick.
 */

import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { CheckpointManifest, RunStatus } from '../shared/protocol';
import type { RunConfig } from '../shared/config';
import { listCheckpoints, listRuns, readCheckpointManifest } from '../shared/node/runDirectory';
import { isCheckpointNode, isRunNode, type CheckpointNode, type RunNode } from './checkpointTree';
import { allows, type RunCommandKind } from './contextKeys';
import type { DashboardTarget } from './dashboardPanel';
import type { ComparisonTarget } from './runComparison';
import { algorithmTitle, checkpointDescription, checkpointLabel, environmentTitle, formatReturn } from './runLabels';
import type { LiveRunSummary, RunManager } from './runManager';
import type { VSCode } from './vscodeApi';

export interface RunTarget {
  runId: string;
  runDir: string;
}

export interface CheckpointTarget extends RunTarget {
  dir: string;
  manifest: CheckpointManifest;
}

export type CommandTargetsApi = Pick<VSCode, 'QuickPickItemKind'> & { window: Pick<VSCode['window'], 'showQuickPick' | 'showInformationMessage'> };

export interface CommandTargetSources {
  runManager: Pick<RunManager, 'liveRun' | 'liveRuns' | 'history'>;
  dashboard: { readonly currentTarget: DashboardTarget | undefined; readonly visibleRunId: string | undefined };
  /** The runs directory as the settings say now. */
  runsDirectory(): string;
}

export class CommandTargets {
  constructor(
    private readonly api: CommandTargetsApi,
    private readonly sources: CommandTargetSources,
  ) {}

  /** The folder of a run id: a run this window knows, else one in the current runs directory. */
  async locateRun(runId: string): Promise<string | undefined> {
    const known = this.sources.runManager.history(runId);
    if (known) return known.runDir;
    const runs = await listRuns(this.sources.runsDirectory());
    return runs.find((r) => r.info?.id === runId || path.basename(r.dir) === runId)?.dir;
  }

  /** Any run, live or not: the menu's run, a run id, else the run in the dashboard, else the user's choice. */
  async run(arg: unknown, title: string): Promise<RunTarget | undefined> {
    if (isRunNode(arg)) return { runId: arg.runId, runDir: arg.runDir };
    if (typeof arg === 'string') return { runId: arg, runDir: await this.existingRunDir(arg) };
    const shown = this.sources.dashboard.currentTarget;
    if (shown) return { runId: shown.runId, runDir: shown.runDir };
    const runsDir = this.sources.runsDirectory();
    const runs = await readableRuns(runsDir);
    if (runs.length === 0) {
      void this.api.window.showInformationMessage(`DDPG: no runs in ${runsDir} yet.`);
      return undefined;
    }
    const picked = await this.api.window.showQuickPick(
      runs.map(({ info, dir }) => ({
        label: info.name,
        description: `${info.status} · ${environmentTitle(info.config)}`,
        detail: dir,
        run: { runId: info.id, runDir: dir },
      })),
      { title: `DDPG: ${title}`, matchOnDetail: true },
    );
    return picked?.run;
  }

  /**
   * The live run a command acts on: the menu's run, else the run in the visible dashboard, else
   * the only run in a suitable state, else the user's choice.
   */
  async liveRun(kind: RunCommandKind, arg: unknown, anyState = false): Promise<LiveRunSummary | undefined> {
    const manager = this.sources.runManager;
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
    const inView = candidates.find((r) => r.runId === this.sources.dashboard.visibleRunId);
    if (inView) return inView;
    if (candidates.length === 1) return candidates[0];
    const picked = await this.api.window.showQuickPick(
      candidates.map((r) => ({ label: r.name, description: `${r.state} · ep ${r.episode} · R ${formatReturn(r.latestReturn)}`, run: r })),
      { title: `DDPG: ${kind} which run?`, placeHolder: 'Several runs are training' },
    );
    return picked?.run;
  }

  /** The menu's checkpoint, a checkpoint folder, else the user's choice among every run's checkpoints (newest first). */
  async checkpoint(arg: unknown, title: string): Promise<CheckpointTarget | undefined> {
    if (isCheckpointNode(arg)) {
      const manifest = arg.manifest ?? (await readCheckpointManifest(arg.dir));
      return { runId: arg.runId, runDir: arg.runDir, dir: arg.dir, manifest };
    }
    if (typeof arg === 'string') {
      const manifest = await readCheckpointManifest(arg);
      return { runId: manifest.runId, runDir: path.dirname(path.dirname(arg)), dir: arg, manifest };
    }
    const runsDir = this.sources.runsDirectory();
    const items: Array<vscode.QuickPickItem & { choice?: CheckpointTarget }> = [];
    for (const run of await readableRuns(runsDir)) {
      const checkpoints = (await listCheckpoints(run.dir)).filter((c) => c.manifest).reverse();
      if (checkpoints.length === 0) continue;
      items.push({ label: run.info.name, kind: this.api.QuickPickItemKind.Separator });
      for (const c of checkpoints) {
        items.push({
          label: checkpointLabel(c.manifest!),
          description: checkpointDescription(c.manifest!),
          detail: c.dir,
          choice: { runId: run.info.id, runDir: run.dir, dir: c.dir, manifest: c.manifest! },
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

  /**
   * The runs to compare: the Runs view's selection of several runs, or run ids from a script
   * (each must exist), else a multi-select quick pick of every run with the clicked run or the
   * one in the dashboard ticked.
   */
  async runsToCompare(arg: unknown, selected: unknown): Promise<ComparisonTarget[] | undefined> {
    const nodes = selectedRuns(arg, selected);
    if (nodes) return uniqueTargets(nodes.map((n) => ({ runId: n.runId, runDir: n.runDir })));
    if (Array.isArray(arg)) return this.runIdsToCompare(arg);
    const runsDir = this.sources.runsDirectory();
    const runs = await readableRuns(runsDir);
    if (runs.length < 2) {
      void this.api.window.showInformationMessage(`DDPG: comparing needs two or more runs; ${runsDir} has ${runs.length}.`);
      return undefined;
    }
    const preselected = isRunNode(arg) ? arg.runId : this.sources.dashboard.currentTarget?.runId;
    const picked = await this.api.window.showQuickPick(
      runs.map(({ info, dir }) => ({
        label: info.name,
        description: `${info.status} · seed ${info.config.seed}`,
        detail: describeExperiment(info.config),
        picked: info.id === preselected,
        target: { runId: info.id, runDir: dir },
      })),
      { title: 'DDPG: Compare which runs?', placeHolder: 'Tick two or more runs', canPickMany: true, matchOnDetail: true },
    );
    return picked?.map((p) => p.target);
  }

  private async runIdsToCompare(runIds: unknown[]): Promise<ComparisonTarget[]> {
    const targets: ComparisonTarget[] = [];
    const missing: string[] = [];
    for (const runId of runIds.filter((a): a is string => typeof a === 'string')) {
      const runDir = await this.locateRun(runId);
      if (runDir) targets.push({ runId, runDir });
      else missing.push(runId);
    }
    if (missing.length > 0) throw new Error(`no run ${missing.join(', ')} in ${this.sources.runsDirectory()}`);
    return uniqueTargets(targets);
  }

  private async existingRunDir(runId: string): Promise<string> {
    const runDir = await this.locateRun(runId);
    if (!runDir) throw new Error(`there is no run ${runId} in ${this.sources.runsDirectory()}`);
    return runDir;
  }
}

/** The Runs view passes its whole selection second; several selected runs, when the clicked item is a run. */
export function selectedRuns(arg: unknown, selected: unknown): RunNode[] | undefined {
  if (!isRunNode(arg) || !Array.isArray(selected)) return undefined;
  const runs = selected.filter(isRunNode);
  return runs.length >= 2 ? runs : undefined;
}

export function selectedCheckpoints(arg: unknown, selected: unknown): CheckpointNode[] | undefined {
  if (!isCheckpointNode(arg) || !Array.isArray(selected)) return undefined;
  const checkpoints = selected.filter(isCheckpointNode);
  return checkpoints.length >= 2 ? checkpoints : undefined;
}

export function describeStates(kind: RunCommandKind): string {
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

async function readableRuns(runsDir: string) {
  return (await listRuns(runsDir)).flatMap((r) => (r.info ? [{ dir: r.dir, info: r.info }] : []));
}

function uniqueTargets(targets: ComparisonTarget[]): ComparisonTarget[] {
  return targets.filter((t, i) => targets.findIndex((u) => u.runId === t.runId) === i);
}

/** The settings that usually tell runs apart, in one line. */
function describeExperiment(config: RunConfig): string {
  return [
    `${algorithmTitle(config)} on ${environmentTitle(config)}`,
    `actor ${config.actorHidden.join('×')}`,
    `critic ${config.criticHidden.join('×')}`,
    `batch ${config.batchSize}`,
    `τ ${config.tau}`,
    `lr ${config.actorLr}/${config.criticLr}`,
    `${config.noiseType} σ ${config.noiseStd}`,
  ].join(' · ');
}
