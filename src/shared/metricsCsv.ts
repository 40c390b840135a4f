/**
 * A run's metrics as one CSV table (for pandas, R, a spreadsheet): every episode row and every
 * evaluation row of metrics.jsonl, in step order, one column per field. Empty cells are values
 * the row does not have (an episode has no eval mean; warm-up episodes have no losses).
 */

import type { EpisodeRow, EvalRow } from './protocol';

export const METRICS_CSV_COLUMNS = [
  'type',
  'episode',
  'step',
  'wall_time_s',
  'return',
  'length',
  'critic_loss',
  'actor_loss',
  'mean_q',
  'eval_mean',
  'eval_std',
  'eval_returns',
] as const;

const cell = (value: number | null | undefined): string => (value === null || value === undefined || !Number.isFinite(value) ? '' : String(value));

function episodeLine(row: EpisodeRow): string {
  return ['episode', row.episode, row.step, row.wallTime, row.return, row.length, row.criticLoss, row.actorLoss, row.meanQ, null, null]
    .map((v) => (typeof v === 'string' ? v : cell(v)))
    .concat('')
    .join(',');
}

function evalLine(row: EvalRow): string {
  // One cell for all the episode returns of the evaluation; ';' keeps the cell free of commas.
  const returns = row.returns.map(cell).join(';');
  return ['eval', row.episode, row.step, row.wallTime, null, null, null, null, null, row.mean, row.std]
    .map((v) => (typeof v === 'string' ? v : cell(v)))
    .concat(returns)
    .join(',');
}

/** The CSV text (header line included, '\n' line ends, a final newline). */
export function metricsToCsv(episodes: readonly EpisodeRow[], evals: readonly EvalRow[]): string {
  const lines = [METRICS_CSV_COLUMNS.join(',')];
  // Both lists are in step order already; an evaluation runs after the episode that ends at its step.
  let e = 0;
  let v = 0;
  while (e < episodes.length || v < evals.length) {
    if (v >= evals.length || (e < episodes.length && episodes[e].step <= evals[v].step)) lines.push(episodeLine(episodes[e++]));
    else lines.push(evalLine(evals[v++]));
  }
  return lines.join('\n') + '\n';
}
