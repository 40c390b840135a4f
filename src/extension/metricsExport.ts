/** Export Metrics as CSV: one run's metrics.jsonl as a CSV file the user picks (metricsCsv.ts). */

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { metricsToCsv } from '../shared/metricsCsv';
import { readMetrics } from '../shared/node/runDirectory';
import type { VSCode } from './vscodeApi';

export interface RunToExport {
  runId: string;
  runDir: string;
}

/**
 * Writes the CSV to `target`, or where the user chooses (the run folder's metrics.csv offered);
 * resolves with the file written, or undefined when there was nothing to write or the user
 * cancelled. A live run exports what it has written so far.
 */
export async function exportRunMetrics(api: VSCode, run: RunToExport, target?: string): Promise<string | undefined> {
  const metrics = await readMetrics(run.runDir);
  if (metrics.episodes.length === 0 && metrics.evals.length === 0) {
    void api.window.showInformationMessage(`DDPG: run ${run.runId} has no metrics yet (${path.join(run.runDir, 'metrics.jsonl')}).`);
    return undefined;
  }
  let file = target;
  if (file === undefined) {
    const uri = await api.window.showSaveDialog({
      title: `DDPG: export the metrics of ${run.runId}`,
      defaultUri: api.Uri.file(path.join(run.runDir, 'metrics.csv')),
      filters: { CSV: ['csv'] },
      saveLabel: 'Export',
    });
    if (!uri) return undefined;
    file = uri.fsPath;
  }
  await fs.writeFile(file, metricsToCsv(metrics.episodes, metrics.evals));
  const skipped = metrics.skippedLines > 0 ? ` (${metrics.skippedLines} unreadable lines of metrics.jsonl skipped)` : '';
  void api.window
    .showInformationMessage(`DDPG: exported ${metrics.episodes.length} episodes and ${metrics.evals.length} evaluations of ${run.runId} to ${file}${skipped}.`, 'Open')
    .then((choice) => choice && api.window.showTextDocument(api.Uri.file(file)));
  return file;
}
