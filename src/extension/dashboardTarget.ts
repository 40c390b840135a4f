/**
 * What a dashboard panel shows (a run, or one of its checkpoints inspected or evaluated), the
 * identity that decides which panel is reused for it, its title, and how the state a webview
 * persisted turns back into a target after a window reload.
 */

import * as path from 'node:path';
import type { CheckpointManifest, DashboardMode } from '../shared/protocol';
import { readCheckpointManifest } from '../shared/node/runDirectory';

/** A run in one of the three modes. */
export interface DashboardTarget {
  runId: string;
  runDir: string;
  mode: DashboardMode;
}

/** The state the webview stores with setState; all the serializer gets back after a reload. */
export interface PersistedDashboardState {
  runId?: unknown;
  mode?: unknown;
}

/**
 * Two targets with the same key share a panel: a run has one panel, and each checkpoint one per
 * mode. An evaluation's episode count is left out on purpose: evaluating again with another count
 * re-runs it in the same panel.
 */
export function targetKey(target: DashboardTarget | undefined): string {
  if (!target) return 'empty';
  if (target.mode.kind === 'live') return `run ${target.runId}`;
  return `${target.mode.kind} ${path.resolve(target.mode.checkpointDir)}`;
}

/**
 * The tab's title. A checkpoint's says which one by its kind and episode ("best @ ep 5"): the
 * best and the final checkpoint of a run are often saved at the same episode, and their folder
 * names (ep0005-step1000, final-ep0020-step4000) are too long for a tab.
 */
export function titleFor(target: DashboardTarget | undefined): string {
  if (!target) return 'DDPG Dashboard';
  if (target.mode.kind === 'live') return `DDPG: ${target.runId}`;
  const { checkpoint } = target.mode;
  const which = `${checkpointKind(checkpoint)} @ ep ${checkpoint.episode}`;
  return target.mode.kind === 'inspect' ? `DDPG: ${target.runId} · ${which}` : `DDPG: evaluate ${target.runId} · ${which}`;
}

/** best, final, periodic, manual; a manifest without a reason (readers do not insist on one) goes by its name. */
function checkpointKind(checkpoint: CheckpointManifest): string {
  const reason: unknown = checkpoint.reason;
  return typeof reason === 'string' && reason !== '' ? reason : checkpoint.name;
}

export interface RevivalSources {
  /** Where a run lives when this window has not seen it (the current runs directory). */
  locateRun(runId: string): Promise<string | undefined>;
  log: { warn(message: string): void };
}

/**
 * Turns a stored webview state back into a target. An evaluation comes back as an inspection of
 * its checkpoint: re-running it on every reload would cost a trainer process per panel. A
 * checkpoint deleted since falls back to its run; a run deleted since, to nothing.
 */
export async function targetFromState(state: PersistedDashboardState | undefined, sources: RevivalSources): Promise<DashboardTarget | undefined> {
  if (!state || typeof state.runId !== 'string') return undefined;
  const runId = state.runId;
  const mode = state.mode as DashboardMode | undefined;
  if (mode && typeof mode === 'object' && (mode.kind === 'inspect' || mode.kind === 'evaluate') && typeof mode.checkpointDir === 'string') {
    try {
      const checkpoint = await readCheckpointManifest(mode.checkpointDir);
      return { runId, runDir: path.dirname(path.dirname(mode.checkpointDir)), mode: { kind: 'inspect', checkpoint, checkpointDir: mode.checkpointDir } };
    } catch (err) {
      sources.log.warn(`dashboard: the checkpoint shown before the reload is gone (${(err as Error).message}); showing the run`);
    }
  }
  const runDir = await sources.locateRun(runId);
  if (!runDir) {
    sources.log.warn(`dashboard: run ${runId} shown before the reload no longer exists`);
    return undefined;
  }
  return { runId, runDir, mode: { kind: 'live' } };
}
