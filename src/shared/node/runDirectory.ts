/**
 * The run directory on disk: `<runs dir>/<run id>/` with run.json, metrics.jsonl,
 * checkpoints/<name>/checkpoint.json and, for MuJoCo runs, scene.json (runFormat.ts). Readers and writers shared by the trainer, the CLI and the
 * extension host. Every error names the file that is wrong.
 */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EnvironmentDescriptor } from '../environments';
import type { MujocoScene } from '../mujocoScene';
import type { CheckpointManifest, EpisodeRow, EvalRow, MetricsRow, RunInfo, RunStatus } from '../protocol';
import { parseCheckpointManifest, parseRunInfo, parseStoredScene } from '../runFormat';

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CHECKPOINTS_DIR = 'checkpoints';
export const MANIFEST_FILE = 'checkpoint.json';
export const SCENE_FILE = 'scene.json';

/** A run id sorts by creation time and is unique within a runs dir: 2026-11-23_20-14-05[-2]. */
export function runIdFor(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}_` +
    `${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`
  );
}

/** Creates a fresh, empty run directory (and the runs dir itself if needed). */
export async function createRunDirectory(runsDir: string, date = new Date()): Promise<{ id: string; dir: string }> {
  await fs.mkdir(runsDir, { recursive: true });
  const base = runIdFor(date);
  for (let attempt = 1; attempt < 1000; attempt++) {
    const id = attempt === 1 ? base : `${base}-${attempt}`;
    const dir = path.join(runsDir, id);
    try {
      await fs.mkdir(dir); // not recursive: fails if it exists, which makes the id ours
      await fs.mkdir(path.join(dir, CHECKPOINTS_DIR));
      return { id, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`could not create a unique run directory in ${runsDir}`);
}

/** Writes a file atomically: a temporary sibling, then rename (readers never see half a file). */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    // A full disk must not leave a half-written temporary file beside the real one.
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw namedIoError(err, 'could not write', file);
  }
}

/** An I/O error (ENOSPC, EACCES, …) as a message that names the file and what was being done. */
export function namedIoError(err: unknown, doing: string, file: string): Error {
  const e = err as NodeJS.ErrnoException;
  return new Error(`${doing} ${file}: ${e.code ? `${e.code} (${e.message.replace(/^\w+: /, '')})` : e.message}`);
}

/** Stands for a file that is not there, where that is a state of the run rather than an error. */
const MISSING = Symbol('missing');

async function readJsonOrMissing(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return MISSING;
    throw new Error(`${what} cannot be read (${code}): ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not valid JSON (${(err as Error).message}): ${file}`);
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  const value = await readJsonOrMissing(file, what);
  if (value === MISSING) throw new Error(`${what} is missing: ${file}`);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function readRunInfo(runDir: string): Promise<RunInfo> {
  const file = path.join(runDir, RUN_FILE);
  return parseRunInfo<RunInfo>(await readJson(file, 'run.json'), file);
}

export async function writeRunInfo(runDir: string, info: RunInfo): Promise<void> {
  await writeFileAtomic(path.join(runDir, RUN_FILE), JSON.stringify(info, null, 2) + '\n');
}

/** Sets the status (and error) in run.json, keeping everything else. */
export async function updateRunStatus(runDir: string, status: RunStatus, error?: string): Promise<RunInfo> {
  const info = await readRunInfo(runDir);
  info.status = status;
  info.updated = new Date().toISOString();
  if (error !== undefined) info.error = error;
  await writeRunInfo(runDir, info);
  return info;
}

/** Writes a MuJoCo run's scene.json (written once, when the run starts; a resumed run writes the same again). */
export async function writeScene(runDir: string, scene: MujocoScene): Promise<void> {
  await writeFileAtomic(path.join(runDir, SCENE_FILE), JSON.stringify(scene) + '\n');
}

/**
 * A MuJoCo run's scene.json; null when the folder has none (written before scenes were saved).
 * Throws naming the file when it cannot be read, is not JSON, or is not a scene of `environment`.
 */
export async function readScene(runDir: string, environment: EnvironmentDescriptor): Promise<MujocoScene | null> {
  const file = path.join(runDir, SCENE_FILE);
  const value = await readJsonOrMissing(file, 'scene.json');
  return value === MISSING ? null : parseStoredScene(value, file, environment);
}

export interface MetricsFile {
  episodes: EpisodeRow[];
  evals: EvalRow[];
  /** Lines that were not valid rows (a crash can leave a half-written last line). */
  skippedLines: number;
}

export function parseMetrics(text: string): MetricsFile {
  const episodes: EpisodeRow[] = [];
  const evals: EvalRow[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      skippedLines++;
      continue;
    }
    if (isObject(row) && row.type === 'episode' && typeof row.episode === 'number') episodes.push(row as unknown as EpisodeRow);
    else if (isObject(row) && row.type === 'eval' && typeof row.mean === 'number') evals.push(row as unknown as EvalRow);
    else skippedLines++;
  }
  return { episodes, evals, skippedLines };
}

/** metrics.jsonl of a run; a missing file is an empty history (the run has not finished an episode). */
export async function readMetrics(runDir: string): Promise<MetricsFile> {
  try {
    return parseMetrics(await fs.readFile(path.join(runDir, METRICS_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { episodes: [], evals: [], skippedLines: 0 };
    throw err;
  }
}

/** Appends rows to metrics.jsonl; one write per call so a crash loses at most the last line. */
export class MetricsWriter {
  private readonly file: string;
  constructor(runDir: string) {
    this.file = path.join(runDir, METRICS_FILE);
  }
  async append(rows: MetricsRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await fs.appendFile(this.file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    } catch (err) {
      throw namedIoError(err, 'could not append to', this.file);
    }
  }
  /** Drops rows beyond `step` (a run resumed from an earlier checkpoint of itself rewrites history). */
  async truncateAfter(step: number): Promise<void> {
    const m = await readMetrics(path.dirname(this.file));
    const rows: MetricsRow[] = [...m.episodes, ...m.evals].filter((r) => r.step <= step).sort((a, b) => a.step - b.step || (a.type === 'episode' ? -1 : 1));
    await writeFileAtomic(this.file, rows.map((r) => JSON.stringify(r) + '\n').join(''));
  }
}

export async function readCheckpointManifest(checkpointDir: string): Promise<CheckpointManifest> {
  const file = path.join(checkpointDir, MANIFEST_FILE);
  return parseCheckpointManifest<CheckpointManifest>(await readJson(file, 'checkpoint manifest'), file);
}

/** Each visible subfolder of `parent`, read by `read`; a failure becomes that entry's error. */
async function readSubfolders<T>(parent: string, read: (dir: string) => Promise<T>): Promise<Array<{ dir: string; value?: T; error?: string }>> {
  let names: string[];
  try {
    names = (await fs.readdir(parent, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return Promise.all(
    names.map(async (name) => {
      const dir = path.join(parent, name);
      try {
        return { dir, value: await read(dir) };
      } catch (err) {
        return { dir, error: (err as Error).message };
      }
    }),
  );
}

export interface CheckpointEntry {
  dir: string;
  manifest?: CheckpointManifest;
  error?: string;
}

/** Complete checkpoints of a run, oldest first; unreadable ones carry an error (temporary folders are skipped). */
export async function listCheckpoints(runDir: string): Promise<CheckpointEntry[]> {
  const entries = (await readSubfolders(path.join(runDir, CHECKPOINTS_DIR), readCheckpointManifest)).map(
    ({ dir, value, error }): CheckpointEntry => (value ? { dir, manifest: value } : { dir, error }),
  );
  return entries.sort((a, b) => (a.manifest?.step ?? Infinity) - (b.manifest?.step ?? Infinity) || a.dir.localeCompare(b.dir));
}

export interface RunEntry {
  dir: string;
  info?: RunInfo;
  error?: string;
}

/** Runs in a runs dir, newest first; folders without run.json are reported with an error. */
export async function listRuns(runsDir: string): Promise<RunEntry[]> {
  const entries = (await readSubfolders(runsDir, readRunInfo)).map(({ dir, value, error }): RunEntry => (value ? { dir, info: value } : { dir, error }));
  return entries.sort((a, b) => (b.info?.created ?? '').localeCompare(a.info?.created ?? '') || b.dir.localeCompare(a.dir));
}
