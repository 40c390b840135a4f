/**
 * What the runs directory holds, as the Runs view needs it: the run folders, each run's
 * checkpoints and a summary of its metrics. Watches the directory (a FileSystemWatcher), so
 * checkpoints written by any process are noticed, and says which run a change belongs to.
 *
 * A small network trains hundreds of episodes and can write several checkpoints a second, and a
 * run can hold thousands of them. So a run's checkpoint list is kept in memory between redraws:
 * its folder is listed again only when something said it changed, and then only new folders and
 * those named by a change are read; a manifest that a trainer's checkpoint event carries is not
 * read back at all. Metrics are summarised again only when metrics.jsonl changed.
 *
 * A checkpoint that a listing had and the next one of its folder lacks was deleted without its
 * trainer saying so (outside VS Code): the run manager is told, so that the run's history in
 * memory, and the dashboard showing it, forget it too.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { CheckpointManifest, RunInfo } from '../shared/protocol';
import { sweepRunLeftovers } from '../shared/node/leftovers';
import { CHECKPOINTS_DIR, listRuns, METRICS_FILE, parseMetrics, readCheckpointManifest, readRunInfo, type RunEntry } from '../shared/node/runDirectory';
import { segmentsInside } from './checkpointDeletion';
import { Disposable } from './disposable';
import { Emitter, type Event } from './events';
import type { RunManager } from './runManager';
import type { VSCode } from './vscodeApi';

/** What the index hears from the run manager, and tells it. */
export type RunIndexRuns = Pick<RunManager, 'onDidReceiveEvent' | 'forgetDeletedCheckpoint'>;

/** The part of the vscode API the index needs: a file watcher. */
export type RunIndexApi = Pick<VSCode, 'Uri' | 'RelativePattern'> & { workspace: Pick<VSCode['workspace'], 'createFileSystemWatcher'> };

export interface RunIndexChange {
  /** The run folder something changed in; undefined when a run folder appeared or vanished. */
  runDir?: string;
  /** The change is to the run's checkpoints (a live run writes those at the pace of its episodes). */
  checkpoints: boolean;
}

export interface IndexedCheckpoint {
  dir: string;
  manifest?: CheckpointManifest;
  error?: string;
}

export interface MetricsSummary {
  episode: number;
  bestEval: number | null;
}

interface CachedMetricsSummary extends MetricsSummary {
  mtimeMs: number;
  size: number;
}

/** What the index holds of a run's checkpoints folder. */
interface CheckpointListing {
  /** By folder name. */
  readonly entries: Map<string, { manifest?: CheckpointManifest; error?: string }>;
  /** The folder's entries may have changed: list it again. */
  relist: boolean;
  /** Folders whose manifest must be read again. */
  readonly reread: Set<string>;
  /** The listing under way, which concurrent callers share. */
  reading?: Promise<void>;
}

const NO_METRICS: MetricsSummary = { episode: 0, bestEval: null };

export class RunIndex extends Disposable {
  private readonly changeEmitter = this._register(new Emitter<RunIndexChange>());
  readonly onDidChange: Event<RunIndexChange> = this.changeEmitter.event;
  /** Checkpoint folders by run folder (resolved). */
  private readonly listings = new Map<string, CheckpointListing>();
  private readonly metricsCache = new Map<string, CachedMetricsSummary>();
  private watcher: vscode.FileSystemWatcher | undefined;
  private runsDir: string;

  constructor(
    private readonly api: RunIndexApi,
    private readonly runManager: RunIndexRuns,
    runsDir: string,
  ) {
    super();
    this.runsDir = runsDir;
    this._register(
      runManager.onDidReceiveEvent(({ event }) => {
        // A checkpoint event carries the manifest just written: no need to read it back.
        if (event.type === 'checkpoint') this.checkpointWritten(event.dir, event.manifest);
        else if (event.type === 'checkpointDeleted') this.checkpointDeleted(event.dir);
      }),
    );
    this.watch();
    this._register({ dispose: () => void this.watcher?.dispose() });
  }

  get runsDirectory(): string {
    return this.runsDir;
  }

  /** Returns false when `runsDir` is the directory already indexed. */
  setRunsDirectory(runsDir: string): boolean {
    if (path.resolve(runsDir) === path.resolve(this.runsDir)) return false;
    this.runsDir = runsDir;
    this.listings.clear();
    this.metricsCache.clear();
    this.watch();
    return true;
  }

  /** Everything is read from disk again (the Refresh command). */
  invalidate(): void {
    // Each run's folder is read afresh but against what it held, so that checkpoints deleted outside VS Code are found gone.
    for (const [key, listing] of this.listings) {
      this.listings.set(key, { entries: new Map(listing.entries), relist: true, reread: new Set(listing.entries.keys()) });
    }
  }

  /** A run folder that is no longer listed: its cached state goes. */
  forget(runDir: string): void {
    this.listings.delete(path.resolve(runDir));
    this.metricsCache.delete(path.resolve(runDir));
  }

  /** The run folders, newest first; a folder that is not a run carries an error. */
  runs(): Promise<RunEntry[]> {
    return listRuns(this.runsDir);
  }

  /** run.json as it is now: a run this window does not train may have changed on disk since the list was read. */
  runInfo(runDir: string): Promise<RunInfo> {
    return readRunInfo(runDir);
  }

  /** The checkpoints of a run, oldest first (by step, then folder); hidden temporary folders skipped. */
  async checkpoints(runDir: string): Promise<IndexedCheckpoint[]> {
    const key = path.resolve(runDir);
    const parent = path.join(key, CHECKPOINTS_DIR);
    let listing = this.listings.get(key);
    if (!listing) {
      listing = { entries: new Map(), relist: true, reread: new Set() };
      this.listings.set(key, listing);
    }
    const current = listing;
    if (current.relist && !current.reading) {
      current.reading = this.relistCheckpoints(parent, current).finally(() => {
        current.reading = undefined;
      });
    }
    if (current.reading) await current.reading;
    const entries = [...current.entries].map(([name, entry]) => ({ dir: path.join(parent, name), ...entry }));
    return entries.sort((a, b) => (a.manifest?.step ?? Infinity) - (b.manifest?.step ?? Infinity) || a.dir.localeCompare(b.dir));
  }

  /** Episode count and best evaluation of a run on disk. */
  async metricsSummary(runDir: string): Promise<MetricsSummary> {
    const key = path.resolve(runDir);
    const file = path.join(key, METRICS_FILE);
    try {
      const stat = await fs.stat(file);
      const cached = this.metricsCache.get(key);
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
      const metrics = parseMetrics(await fs.readFile(file, 'utf8'));
      const summary: CachedMetricsSummary = {
        mtimeMs: stat.mtimeMs,
        size: stat.size,
        episode: metrics.episodes[metrics.episodes.length - 1]?.episode ?? 0,
        bestEval: metrics.evals.reduce<number | null>((b, e) => (b === null || e.mean > b ? e.mean : b), null),
      };
      this.metricsCache.set(key, summary);
      return summary;
    } catch {
      return NO_METRICS;
    }
  }

  /** A file or folder under the runs directory was created, changed or deleted. */
  fileChanged(file: string): void {
    const segments = segmentsInside(path.resolve(this.runsDir), path.resolve(file));
    if (!segments) return;
    if (segments.some((s) => s.startsWith('.'))) return; // temporary folders of atomic writes
    const runDir = path.resolve(this.runsDir, segments[0]);
    const checkpoints = segments[1] === CHECKPOINTS_DIR;
    if (checkpoints) this.invalidateCheckpoints(runDir, segments[2]);
    this.changeEmitter.fire({ runDir: segments.length === 1 ? undefined : runDir, checkpoints });
  }

  private watch(): void {
    this.watcher?.dispose();
    const base = this.api.Uri.file(this.runsDir);
    // Run folders, run.json, checkpoint folders and manifests; not metrics.jsonl (run events cover live runs).
    const pattern = new this.api.RelativePattern(base, '{*,*/run.json,*/checkpoints/*,*/checkpoints/*/checkpoint.json}');
    const watcher = this.api.workspace.createFileSystemWatcher(pattern);
    const onFile = (uri: vscode.Uri) => this.fileChanged(uri.fsPath);
    watcher.onDidCreate(onFile);
    watcher.onDidChange(onFile);
    watcher.onDidDelete(onFile);
    this.watcher = watcher;
  }

  private checkpointWritten(dir: string, manifest: CheckpointManifest): void {
    const folder = path.resolve(dir);
    const parent = path.dirname(folder);
    if (path.basename(parent) !== CHECKPOINTS_DIR) return;
    this.listings.get(path.dirname(parent))?.entries.set(path.basename(folder), { manifest });
  }

  private checkpointDeleted(dir: string): void {
    const folder = path.resolve(dir);
    const parent = path.dirname(folder);
    if (path.basename(parent) !== CHECKPOINTS_DIR) return;
    this.listings.get(path.dirname(parent))?.entries.delete(path.basename(folder));
  }

  /** `name` is a checkpoint folder known to have changed. */
  private invalidateCheckpoints(runDir: string, name?: string): void {
    const listing = this.listings.get(runDir);
    if (!listing) return;
    listing.relist = true;
    if (name !== undefined) listing.reread.add(name);
  }

  private async relistCheckpoints(parent: string, listing: CheckpointListing): Promise<void> {
    // Cleared before reading: a change that lands meanwhile marks it again for the next redraw.
    listing.relist = false;
    const listed = new Map(listing.entries);
    const reread = new Set(listing.reread);
    listing.reread.clear();
    // Opening a run is when a killed writer's leftovers go (a live writer's never: the sweep checks its pid).
    await sweepRunLeftovers(path.dirname(parent)).catch(() => undefined);
    let names: string[];
    try {
      names = (await fs.readdir(parent, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        listing.relist = true;
        throw err;
      }
      names = [];
    }
    const present = new Set(names);
    const gone: Array<{ dir: string; manifest: CheckpointManifest }> = [];
    for (const [name, entry] of [...listing.entries]) {
      if (present.has(name)) continue;
      listing.entries.delete(name);
      // One written while the folder was read (a best checkpoint replaced) is not the one found missing.
      if (entry.manifest && listed.get(name) === entry) gone.push({ dir: path.join(parent, name), manifest: entry.manifest });
    }
    const runDir = path.dirname(parent);
    for (const { dir, manifest } of gone) this.runManager.forgetDeletedCheckpoint(manifest.runId, runDir, dir, manifest);
    const toRead = names.filter((name) => reread.has(name) || listing.entries.get(name)?.manifest === undefined);
    const results = await Promise.all(
      toRead.map(async (name) => {
        const dir = path.join(parent, name);
        try {
          return { name, manifest: await readCheckpointManifest(dir) };
        } catch (err) {
          // Renamed away since the listing (a "best" checkpoint being replaced) is not broken, just gone.
          const gone = await fs.stat(dir).then(() => false, () => true);
          return { name, error: (err as Error).message, gone };
        }
      }),
    );
    for (const result of results) {
      if (result.manifest) listing.entries.set(result.name, { manifest: result.manifest });
      else if (result.gone) listing.entries.delete(result.name); // its replacement's file event brings it back
      else listing.entries.set(result.name, { error: result.error });
    }
  }
}
