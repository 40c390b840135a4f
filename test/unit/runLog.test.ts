/**
 * trainer.log as the trainer writes it: episode lines (thinned for fast runs), evaluation lines,
 * and every N seconds a compact summary table in the spirit of Stable-Baselines3's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EpisodeRow, StatusSnapshot } from '../../src/shared/protocol';
import { formatTable, RUN_LOG_FILE, RunLog } from '../../src/agent/trainer/runLog';

const episode = (n: number, ret = -100 - n): EpisodeRow => ({
  type: 'episode', episode: n, step: n * 200, return: ret, length: 200, criticLoss: 2 + n / 100, actorLoss: 30, meanQ: -20, wallTime: n,
});
const status = (over: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  state: 'running', episode: 0, totalEpisodes: null, step: 0, totalSteps: null, stepsPerSecond: 1234.4, elapsedSeconds: 12, latestEval: null, bestEval: null, ...over,
});

function memoryLog(options: { tableEverySeconds?: number; episodeLineEverySeconds?: number } = {}) {
  let now = 0;
  let text = '';
  const log = new RunLog('/unused', { ...options, clock: () => now, write: (t) => (text += t) });
  return { log, advance: (ms: number) => (now += ms), text: () => text };
}

test('episode and evaluation lines; fast episodes are thinned and counted', () => {
  const { log, advance, text } = memoryLog({ episodeLineEverySeconds: 1 });
  log.onEvent({ type: 'episode', row: episode(1) });
  for (let n = 2; n <= 5; n++) {
    advance(100);
    log.onEvent({ type: 'episode', row: episode(n) });
  }
  advance(1000);
  log.onEvent({ type: 'episode', row: episode(6) });
  log.onEvent({ type: 'eval', row: { type: 'eval', episode: 6, step: 1200, mean: -150.04, std: 12.5, returns: [-140, -160], wallTime: 6 } });
  const lines = text().trim().split('\n');
  assert.equal(lines.length, 3, text());
  assert.match(lines[0], /episode 1 +step 200 +return -101\.0 +length 200 +critic loss 2\.01 +actor loss 30$/);
  assert.match(lines[1], /episode 6 .*\(\+4 episodes since the last line\)$/);
  assert.match(lines[2], /eval at episode 6, step 1200: mean -150\.0 ± 12\.5 over 2 episodes$/);
});

test('a summary table every N seconds: rollout mean of the last 10, eval mean ± std, losses, steps/s, totals', () => {
  const { log, advance, text } = memoryLog({ tableEverySeconds: 10 });
  log.onEvent({ type: 'status', status: status() });
  for (let n = 1; n <= 12; n++) log.onEvent({ type: 'episode', row: episode(n, -n * 10) });
  log.onEvent({ type: 'eval', row: { type: 'eval', episode: 12, step: 2400, mean: -80, std: 4, returns: [-76, -84], wallTime: 12 } });
  assert.doesNotMatch(text(), /rollout\//, 'not before 10 s');
  advance(10_000);
  log.onEvent({ type: 'status', status: status({ step: 2400, episode: 12 }) });
  const table = text().slice(text().indexOf('---'));
  assert.match(table, /\| rollout\/ +\| +\|/);
  assert.match(table, /ep_rew_mean \(last 10\) \| -75 /, 'mean of episodes 3..12');
  assert.match(table, /mean_reward +\| -80\.0 ± 4\.0/);
  assert.match(table, /critic_loss +\| 2\.065/);
  assert.match(table, /steps_per_second +\| 1234 /);
  assert.match(table, /total_steps +\| 2400 /);
  assert.match(table, /episodes +\| 12 /);
  const widths = new Set(table.trim().split('\n').map((l) => l.length));
  assert.equal(widths.size, 1, 'every row of the table has the same width');
});

test('exiting writes a last table and the final state', () => {
  const { log, text } = memoryLog();
  log.onEvent({ type: 'status', status: status() });
  log.onEvent({ type: 'episode', row: episode(1) });
  log.onEvent({ type: 'exiting', status: 'stopped' });
  assert.match(text(), /total_steps +\| 200 [\s\S]*exiting: stopped\n$/);
});

test('formatTable skips empty sections', () => {
  assert.doesNotMatch(formatTable([['eval', []], ['time', [['episodes', '3']]]]), /eval/);
});

test('the file: appended to, line by line', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ddpg-runlog-'));
  const log = new RunLog(dir);
  log.note('first');
  log.onEvent({ type: 'log', level: 'warn', message: 'careful' });
  log.close();
  const again = new RunLog(dir);
  again.note('second');
  again.close();
  assert.match(readFileSync(path.join(dir, RUN_LOG_FILE), 'utf8'), /first\n.*warn: careful\n.*second\n$/);
});
