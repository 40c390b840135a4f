import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test from 'node:test';

import { METRICS_CSV_COLUMNS, metricsToCsv } from '../../src/shared/metricsCsv';
import { exportRunMetrics } from '../../src/extension/metricsExport';
import type { VSCode } from '../../src/extension/vscodeApi';
import type { EpisodeRow, EvalRow } from '../../src/shared/protocol';

const episode = (n: number, overrides: Partial<EpisodeRow> = {}): EpisodeRow => ({
  type: 'episode', episode: n, step: n * 200, return: -1000 + n * 0.125, length: 200,
  criticLoss: 0.5 / n, actorLoss: 10 + n, meanQ: -20 - n, wallTime: n * 0.3, ...overrides,
});
const evaluation = (afterEpisode: number, mean: number): EvalRow => ({
  type: 'eval', episode: afterEpisode, step: afterEpisode * 200, mean, std: 12.5, returns: [mean - 1, mean + 1], wallTime: afterEpisode * 0.3 + 0.1,
});

/** A minimal CSV reader for these files (no quoting is ever needed in them). */
const parse = (csv: string) => csv.trimEnd().split('\n').map((line) => line.split(','));

test('metrics CSV: a header, episodes and evaluations in step order, empty cells for what a row lacks', () => {
  const episodes = [episode(1, { criticLoss: null, actorLoss: null, meanQ: null }), episode(2), episode(3)];
  const evals = [evaluation(2, -812.25)];
  const csv = metricsToCsv(episodes, evals);
  assert.ok(csv.endsWith('\n'));
  const [header, ...rows] = parse(csv);
  assert.deepEqual(header, [...METRICS_CSV_COLUMNS]);
  assert.deepEqual(rows.map((r) => `${r[0]}@${r[2]}`), ['episode@200', 'episode@400', 'eval@400', 'episode@600'], 'the evaluation after the episode it follows');
  assert.ok(rows.every((r) => r.length === header.length), 'every row has every column');
  const column = (row: string[], name: (typeof METRICS_CSV_COLUMNS)[number]) => row[header.indexOf(name)];
  assert.equal(column(rows[0], 'critic_loss'), '', 'warm-up: no losses');
  assert.equal(column(rows[0], 'eval_mean'), '');
  assert.equal(Number(column(rows[1], 'return')), episodes[1].return, 'numbers at full precision');
  assert.equal(Number(column(rows[1], 'critic_loss')), episodes[1].criticLoss);
  assert.equal(column(rows[2], 'return'), '');
  assert.equal(Number(column(rows[2], 'eval_mean')), -812.25);
  assert.equal(Number(column(rows[2], 'eval_std')), 12.5);
  assert.equal(column(rows[2], 'eval_returns'), '-813.25;-811.25');
});

test('metrics CSV of an empty run is its header alone', () => {
  assert.equal(metricsToCsv([], []), METRICS_CSV_COLUMNS.join(',') + '\n');
});

/** Enough of the vscode API for exportRunMetrics, recording what it showed. */
function fakeApi(saveTo: string | undefined) {
  const messages: string[] = [];
  const dialogs: Array<{ defaultUri?: { fsPath: string } }> = [];
  const api = {
    Uri: { file: (fsPath: string) => ({ fsPath }) },
    window: {
      showSaveDialog: async (options: { defaultUri?: { fsPath: string } }) => {
        dialogs.push(options);
        return saveTo === undefined ? undefined : { fsPath: saveTo };
      },
      showInformationMessage: async (message: string) => {
        messages.push(message);
        return undefined;
      },
      showTextDocument: async () => undefined,
    },
  } as unknown as VSCode;
  return { api, messages, dialogs };
}

async function runWithMetrics(lines: string[]): Promise<string> {
  const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-export-'));
  await fs.writeFile(path.join(runDir, 'metrics.jsonl'), lines.map((l) => l + '\n').join(''));
  return runDir;
}

test('Export Metrics writes the file the user chose, offering the run folder, and says what it wrote', async () => {
  const runDir = await runWithMetrics([JSON.stringify(episode(1)), JSON.stringify(evaluation(1, -900)), '{ torn line']);
  const target = path.join(runDir, 'chosen.csv');
  const { api, messages, dialogs } = fakeApi(target);
  assert.equal(await exportRunMetrics(api, { runId: 'r1', runDir }), target);
  assert.equal(dialogs[0].defaultUri?.fsPath, path.join(runDir, 'metrics.csv'));
  assert.equal(parse(await fs.readFile(target, 'utf8')).length, 3);
  assert.match(messages[0], /exported 1 episodes and 1 evaluations of r1 to .*chosen\.csv \(1 unreadable lines of metrics\.jsonl skipped\)/);
});

test('Export Metrics: a cancelled dialog writes nothing; a run without metrics says so', async () => {
  const runDir = await runWithMetrics([JSON.stringify(episode(1))]);
  const cancelled = fakeApi(undefined);
  assert.equal(await exportRunMetrics(cancelled.api, { runId: 'r1', runDir }), undefined);
  assert.deepEqual(await fs.readdir(runDir), ['metrics.jsonl']);

  const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'ddpg-export-'));
  const nothing = fakeApi(path.join(empty, 'never.csv'));
  assert.equal(await exportRunMetrics(nothing.api, { runId: 'r2', runDir: empty }), undefined);
  assert.match(nothing.messages[0], /run r2 has no metrics yet/);
  assert.equal(nothing.dialogs.length, 0);
});
