/**
 * `<run dir>/trainer.log`, written by the trainer itself (the detached trainer and the CLI alike),
 * so "Show Run Log" has something to show for any run, from any window, after any reload, also
 * when nobody was attached. Fed by the trainer's events: episode and evaluation lines, checkpoints,
 * warnings and errors, and every `tableEverySeconds` a compact summary table in the spirit of
 * Stable-Baselines3's logger (rollout return of the last 10 episodes, evaluation mean ± std,
 * losses, steps/s, totals).
 *
 * Each line is one synchronous append: a crash loses nothing already logged, and the lines
 * interleave whole with the process's stderr when that goes to the same file. A fast run ends
 * hundreds of episodes a second; episode lines are thinned to a few a second (the line says how
 * many it stands for) so that the log stays readable and its size bounded.
 */

import { closeSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import type { EpisodeRow, EvalRow, StatusSnapshot, TrainerToHost } from '../../shared/protocol';

export const RUN_LOG_FILE = 'trainer.log';
const RECENT_EPISODES = 10;

export interface RunLogOptions {
  /** Seconds between summary tables. */
  tableEverySeconds?: number;
  /** Seconds between two episode lines; the episodes in between are counted, not listed. */
  episodeLineEverySeconds?: number;
  /** Milliseconds; injected by tests. */
  clock?: () => number;
  /** Where lines go; defaults to appending to the file. */
  write?: (text: string) => void;
}

const fixed = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));

/** Numbers as SB3 prints them: short, with exponent notation for the very large or small. */
function compact(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return Number.isInteger(v) ? String(v) : v.toPrecision(4).replace(/\.?0+$/, '');
}

/** A two-column table with section headings, framed by dashes. */
export function formatTable(sections: ReadonlyArray<[string, ReadonlyArray<[string, string]>]>): string {
  const rows: Array<[string, string]> = [];
  for (const [title, entries] of sections) {
    if (entries.length === 0) continue;
    rows.push([`${title}/`, '']);
    for (const [key, value] of entries) rows.push([`   ${key}`, value]);
  }
  const keyWidth = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  const rule = '-'.repeat(keyWidth + valueWidth + 7);
  return [rule, ...rows.map(([k, v]) => `| ${k.padEnd(keyWidth)} | ${v.padEnd(valueWidth)} |`), rule].join('\n');
}

export class RunLog {
  private readonly write: (text: string) => void;
  private readonly clock: () => number;
  private readonly tableEveryMs: number;
  private readonly episodeLineEveryMs: number;
  private fd: number | undefined;
  private readonly recentReturns: number[] = [];
  private readonly recentLengths: number[] = [];
  private lossesSinceTable: { critic: number[]; actor: number[] } = { critic: [], actor: [] };
  private latestEval: EvalRow | undefined;
  private latestStatus: StatusSnapshot | undefined;
  private lastEpisode: EpisodeRow | undefined;
  private lastTableAt: number;
  private lastEpisodeLineAt = -Infinity;
  private episodesNotListed = 0;
  /** The rate while running: a table at the end (state stopped, rate 0) still says how fast it went. */
  private lastRate: number | null = null;

  constructor(runDir: string, options: RunLogOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.tableEveryMs = (options.tableEverySeconds ?? 10) * 1000;
    this.episodeLineEveryMs = (options.episodeLineEverySeconds ?? 0.5) * 1000;
    this.lastTableAt = this.clock();
    if (options.write) this.write = options.write;
    else {
      const fd = openSync(path.join(runDir, RUN_LOG_FILE), 'a');
      this.fd = fd;
      this.write = (text) => {
        writeSync(fd, text);
      };
    }
  }

  /** A line of the trainer's own (attach and detach of hosts, signals). */
  note(message: string): void {
    this.line(message);
  }

  onEvent(event: TrainerToHost): void {
    switch (event.type) {
      case 'started':
        this.line(
          `run ${event.run.id}: ${event.run.algorithm.toUpperCase()} on ${event.run.environment.id}, engine ${event.engine.engine} (${event.engine.backend}), ` +
            `seed ${event.run.seed}, pid ${process.pid}` + (event.run.resumedFrom ? `, resumed from ${event.run.resumedFrom.checkpoint} at step ${event.run.resumedFrom.step}` : ''),
        );
        break;
      case 'episode':
        this.episode(event.row);
        break;
      case 'eval':
        this.evaluation(event.row);
        break;
      case 'status':
        this.status(event.status);
        break;
      case 'checkpoint':
        this.line(`checkpoint ${event.manifest.name} (${event.manifest.reason}) at episode ${event.manifest.episode}, step ${event.manifest.step}: ${event.dir}`);
        break;
      case 'log':
        this.line(`${event.level}: ${event.message}`);
        break;
      case 'error':
        this.line(`error: ${event.stack ?? event.message}`);
        break;
      case 'evaluation':
        this.line(`evaluation of ${event.checkpointDir}: mean ${fixed(event.mean)} ± ${fixed(event.std)} over ${event.returns.length} episodes`);
        break;
      case 'exiting':
        this.table();
        this.line(`exiting: ${event.status}`);
        break;
      case 'frames':
      case 'scene':
        break;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private episode(row: EpisodeRow): void {
    this.lastEpisode = row;
    this.recentReturns.push(row.return);
    this.recentLengths.push(row.length);
    if (this.recentReturns.length > RECENT_EPISODES) {
      this.recentReturns.shift();
      this.recentLengths.shift();
    }
    if (row.criticLoss !== null) this.lossesSinceTable.critic.push(row.criticLoss);
    if (row.actorLoss !== null) this.lossesSinceTable.actor.push(row.actorLoss);
    const now = this.clock();
    if (now - this.lastEpisodeLineAt >= this.episodeLineEveryMs) {
      const skipped = this.episodesNotListed > 0 ? `  (+${this.episodesNotListed} episodes since the last line)` : '';
      this.line(
        `episode ${row.episode}  step ${row.step}  return ${fixed(row.return)}  length ${row.length}  ` +
          `critic loss ${compact(row.criticLoss)}  actor loss ${compact(row.actorLoss)}${skipped}`,
      );
      this.lastEpisodeLineAt = now;
      this.episodesNotListed = 0;
    } else {
      this.episodesNotListed++;
    }
    this.tableIfDue();
  }

  private evaluation(row: EvalRow): void {
    this.latestEval = row;
    this.line(`eval at episode ${row.episode}, step ${row.step}: mean ${fixed(row.mean)} ± ${fixed(row.std)} over ${row.returns.length} episodes`);
  }

  private status(status: StatusSnapshot): void {
    const before = this.latestStatus?.state;
    this.latestStatus = status;
    if (status.stepsPerSecond > 0) this.lastRate = status.stepsPerSecond;
    if (before !== undefined && before !== status.state) this.line(`state: ${status.state}`);
    this.tableIfDue();
  }

  private tableIfDue(): void {
    if (this.clock() - this.lastTableAt >= this.tableEveryMs) this.table();
  }

  private table(): void {
    this.lastTableAt = this.clock();
    if (!this.lastEpisode && !this.latestStatus) return;
    const mean = (values: readonly number[]) => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null);
    const status = this.latestStatus;
    const steps = Math.max(status?.step ?? 0, this.lastEpisode?.step ?? 0);
    const episodes = Math.max(status?.episode ?? 0, this.lastEpisode?.episode ?? 0);
    const text = formatTable([
      ['rollout', [
        [`ep_rew_mean (last ${this.recentReturns.length})`, compact(mean(this.recentReturns))],
        ['ep_len_mean', compact(mean(this.recentLengths))],
      ]],
      ['eval', this.latestEval ? [
        ['mean_reward', `${fixed(this.latestEval.mean)} ± ${fixed(this.latestEval.std)}`],
        ['at_step', String(this.latestEval.step)],
      ] : []],
      ['train', [
        ['critic_loss', compact(mean(this.lossesSinceTable.critic))],
        ['actor_loss', compact(mean(this.lossesSinceTable.actor))],
      ]],
      ['time', [
        ['steps_per_second', this.lastRate !== null ? String(Math.round(this.lastRate)) : '—'],
        ['total_steps', String(steps)],
        ['episodes', String(episodes)],
        ['time_elapsed_s', status ? String(Math.round(status.elapsedSeconds)) : '—'],
      ]],
    ]);
    this.lossesSinceTable = { critic: [], actor: [] };
    this.write(`${text}\n`);
  }

  private line(message: string): void {
    this.write(`${new Date().toISOString()} ${message}\n`);
  }
}
