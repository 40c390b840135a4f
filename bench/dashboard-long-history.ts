/**
 * What a long run costs the dashboard page: the webview in Chromium (the test harness, a fake
 * host) is given a history of N episodes, then fed 500 episodes/s in 100 ms batches (what the
 * extension host sends for a fast run) for a while, and the renderer's main-thread time is read
 * from the Chrome DevTools Protocol.
 *
 *   node --import tsx bench/dashboard-long-history.ts [--histories 1000,20000,100000] [--seconds 10]
 *
 * One JSON line per history length: busy = renderer main-thread task time / wall time (1 = a
 * whole core), script = the JavaScript part of it, heapMB = JS heap used at the end.
 */

import type { Page } from 'playwright-core';
import type { EpisodeRow, EvalRow, StatusSnapshot, TrainerToHost } from '../src/shared/protocol';
import { harnessRunId, launchChromium, openHarness, sendToWebview } from '../test/webview/harnessBrowser';
import { startHarnessServer } from '../test/webview/harnessServer';

const STEPS_PER_EPISODE = 200;
const EPISODES_PER_SECOND = 500;
const BATCH_MS = 100;
const EVAL_EVERY_EPISODES = 50;

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

function rows(fromEpisode: number, count: number): TrainerToHost[] {
  const events: TrainerToHost[] = [];
  for (let episode = fromEpisode; episode < fromEpisode + count; episode++) {
    const progress = Math.min(1, episode / 20_000);
    const row: EpisodeRow = {
      type: 'episode', episode, step: episode * STEPS_PER_EPISODE, length: STEPS_PER_EPISODE,
      return: -1400 + 1250 * progress + 120 * Math.sin(episode * 1.7),
      criticLoss: 0.05 + Math.abs(Math.sin(episode)), actorLoss: 10, meanQ: -20 + 15 * progress, wallTime: episode / EPISODES_PER_SECOND,
    };
    events.push({ type: 'episode', row });
    if (episode % EVAL_EVERY_EPISODES === 0) {
      const mean = row.return + 30;
      const evalRow: EvalRow = { type: 'eval', episode, step: row.step, mean, std: 20, returns: [mean - 20, mean + 20], wallTime: row.wallTime };
      events.push({ type: 'eval', row: evalRow });
    }
  }
  const last = fromEpisode + count - 1;
  const status: StatusSnapshot = {
    state: 'running', episode: last, totalEpisodes: null, step: last * STEPS_PER_EPISODE, totalSteps: null,
    stepsPerSecond: EPISODES_PER_SECOND * STEPS_PER_EPISODE, elapsedSeconds: last / EPISODES_PER_SECOND, latestEval: null, bestEval: null,
  };
  events.push({ type: 'status', status });
  return events;
}

async function metrics(page: Page, session: { send(method: string): Promise<unknown> }): Promise<Record<string, number>> {
  void page;
  const result = (await session.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return Object.fromEntries(result.metrics.map((m) => [m.name, m.value]));
}

async function main(): Promise<void> {
  const histories = argument('--histories', '1000,20000,100000').split(',').map(Number);
  const seconds = Number(argument('--seconds', '10'));
  const server = await startHarnessServer();
  const browser = await launchChromium();
  try {
    for (const history of histories) {
      const harness = await openHarness(browser, server.url, { stream: false, respond: false, episodes: 0, width: 1400, height: 900 });
      const { page } = harness;
      await page.getByTestId('run-name').waitFor({ state: 'visible' });
      const runId = await harnessRunId(page);
      const send = (events: TrainerToHost[]) => sendToWebview(page, { type: 'runEvents', runId, events });
      let next = 1;
      while (next <= history) {
        const count = Math.min(10_000, history - next + 1);
        await send(rows(next, count));
        next += count;
      }
      await page.waitForTimeout(2500); // the chart redraw of the whole history, and GC
      const session = await page.context().newCDPSession(page);
      await session.send('Performance.enable');
      const before = await metrics(page, session);
      const started = Date.now();
      const perBatch = (EPISODES_PER_SECOND * BATCH_MS) / 1000;
      while (Date.now() - started < seconds * 1000) {
        const due = started + ((next - history - 1) / perBatch) * BATCH_MS;
        const wait = due - Date.now();
        if (wait > 0) await page.waitForTimeout(wait);
        await send(rows(next, perBatch));
        next += perBatch;
      }
      const after = await metrics(page, session);
      const wall = (Date.now() - started) / 1000;
      const line = {
        type: 'longHistory',
        historyEpisodes: history,
        streamedEpisodes: next - history - 1,
        seconds: Number(wall.toFixed(1)),
        busy: Number(((after.TaskDuration - before.TaskDuration) / wall).toFixed(3)),
        script: Number(((after.ScriptDuration - before.ScriptDuration) / wall).toFixed(3)),
        layoutAndPaint: Number(((after.LayoutDuration - before.LayoutDuration + after.RecalcStyleDuration - before.RecalcStyleDuration) / wall).toFixed(3)),
        heapMB: Number((after.JSHeapUsedSize / 2 ** 20).toFixed(1)),
        pageErrors: harness.errors.length,
      };
      process.stdout.write(JSON.stringify(line) + '\n');
      await harness.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
