/**
 * The per-episode numbers the second chart can draw: whatever numeric fields the episode rows
 * carry (DDPG's critic and actor losses and mean Q, the episode length, and what other algorithms
 * add: TD3's twin critics, SAC's temperature and entropy). Rows come from a file and from other
 * versions of the trainer, so every field is checked before it is believed: a metric is a
 * top-level field holding a finite number in at least one row; null (warm-up) and anything else
 * count as "no value in this row".
 */

import type { EpisodeRow } from '../../src/shared/protocol';

/** Fields that place a row rather than measure it, and the return (the first chart's). */
const NOT_METRICS: ReadonlySet<string> = new Set(['type', 'episode', 'step', 'wallTime', 'return']);

const KNOWN_LABELS: Readonly<Record<string, string>> = {
  criticLoss: 'Critic loss',
  actorLoss: 'Actor loss',
  meanQ: 'Mean Q',
  length: 'Episode length',
  critic1Loss: 'Critic 1 loss',
  critic2Loss: 'Critic 2 loss',
  q1: 'Mean Q1',
  q2: 'Mean Q2',
  alpha: 'Temperature α',
  alphaLoss: 'Temperature loss',
  entropy: 'Entropy',
};

/** The order of the picker: the familiar ones first, the rest as they appear. */
const PREFERRED_ORDER = Object.keys(KNOWN_LABELS);

/** A metric field that is not a plain identifier is not a field the trainer writes: ignore it. */
const METRIC_KEY = /^[A-Za-z][A-Za-z0-9_]{0,40}$/;

export function metricLabel(key: string): string {
  const known = KNOWN_LABELS[key];
  if (known) return known;
  const words = key.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The row's value of a metric, or null when it has none that can be drawn. */
export function metricValue(row: EpisodeRow, key: string): number | null {
  const value = (row as unknown as Record<string, unknown>)[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export interface MetricSummary {
  key: string;
  label: string;
  /** The smallest value seen: a log axis needs them all positive. */
  min: number;
}

/** The metrics found in a growing array of rows, scanned incrementally like the chart series. */
export class MetricCatalogue {
  private source: readonly EpisodeRow[] | null = null;
  private scanned = 0;
  private readonly found = new Map<string, MetricSummary>();

  /** Scans the rows added since the last call; true when a metric appeared. */
  sync(rows: readonly EpisodeRow[]): boolean {
    let appeared = false;
    if (rows !== this.source || rows.length < this.scanned) {
      appeared = this.found.size > 0;
      this.source = rows;
      this.scanned = 0;
      this.found.clear();
    }
    for (; this.scanned < rows.length; this.scanned++) {
      const row = rows[this.scanned] as unknown as Record<string, unknown>;
      if (typeof row !== 'object' || row === null) continue;
      for (const key of Object.keys(row)) {
        if (NOT_METRICS.has(key) || !METRIC_KEY.test(key)) continue;
        const value = row[key];
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        const known = this.found.get(key);
        if (known) known.min = Math.min(known.min, value);
        else {
          this.found.set(key, { key, label: metricLabel(key), min: value });
          appeared = true;
        }
      }
    }
    return appeared;
  }

  has(key: string): boolean {
    return this.found.has(key);
  }

  get(key: string): MetricSummary | undefined {
    return this.found.get(key);
  }

  /** Every metric found, familiar ones first. */
  list(): MetricSummary[] {
    const rank = (key: string) => {
      const i = PREFERRED_ORDER.indexOf(key);
      return i < 0 ? PREFERRED_ORDER.length : i;
    };
    return [...this.found.values()].sort((a, b) => rank(a.key) - rank(b.key));
  }
}
