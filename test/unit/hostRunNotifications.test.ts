/**
 * What a run says when it ends (runNotifications.ts), on the fake vscode API: a finished run whose
 * dashboard is out of view tells its result with an Open button; one watched finishing, or stopped
 * by the user, says nothing; a crash always tells, with Open only when its dashboard is not shown.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { defaultConfig } from '../../src/shared/config';
import type { RunStatus } from '../../src/shared/protocol';
import { Emitter } from '../../src/extension/events';
import { RunHistory } from '../../src/extension/runHistory';
import type { RunChangeEvent, RunCrash } from '../../src/extension/runManager';
import { describeResult, formatDuration, OPEN, RunNotifications, SHOW_LOG } from '../../src/extension/runNotifications';
import { fakeVscode } from '../helpers/fakeVscode';
import { quietLog, runInfoFixture } from '../helpers/hostFakes';

function setup(answer?: string) {
  const fake = fakeVscode();
  fake.answer = () => answer;
  const changes = new Emitter<RunChangeEvent>();
  const crashes = new Emitter<RunCrash>();
  const histories = new Map<string, RunHistory>();
  const live = new Set<string>();
  const showing = new Set<string>();
  const opened: string[] = [];
  const logs: string[] = [];
  const notifications = new RunNotifications(fake.api, {
    runManager: { onDidChangeRun: changes.event, onDidCrash: crashes.event, history: (id: string) => histories.get(id), isLive: (id: string) => live.has(id) },
    isShowing: (runId) => showing.has(runId),
    open: ({ runId }) => opened.push(runId),
    showLog: (runId) => logs.push(runId),
  });
  /** A run that trained 20,000 steps in 130 s with two evaluations, then ended in `state`. */
  const end = (runId: string, state: RunStatus) => {
    const info = runInfoFixture({ id: runId, status: 'running', config: { ...defaultConfig(), episodes: 100 } });
    const history = new RunHistory(`/runs/${runId}`, info, [], [
      { type: 'eval', episode: 50, step: 10_000, mean: -141.04, std: 2, returns: [], wallTime: 60 },
      { type: 'eval', episode: 100, step: 20_000, mean: -145.21, std: 3, returns: [], wallTime: 130 },
    ]);
    history.apply({ type: 'status', status: { ...history.status, state: 'running', step: 20_000, elapsedSeconds: 130 } });
    history.setState(state);
    histories.set(runId, history);
    changes.fire({ runId, runDir: `/runs/${runId}`, change: { status: true, episodes: false, checkpoints: false }, liveness: true });
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { fake, notifications, end, crashes, showing, live, opened, logs, settle };
}

test('a run that finishes out of view says so with its result and an Open button', async () => {
  const { fake, end, opened, settle } = setup(OPEN);
  end('run-a', 'finished');
  await settle();
  assert.deepEqual(fake.messages.map((m) => [m.severity, m.message, m.items]), [
    ['information', 'DDPG: run run-a finished: final eval −145.2, best −141.0 · 20,000 steps in 2 min 10 s.', [OPEN]],
  ]);
  assert.deepEqual(opened, ['run-a'], 'Open shows its dashboard');
  end('run-a', 'finished');
  assert.equal(fake.messages.length, 1, 'a run ends once');
});

test('a run watched finishing, a run stopped by the user, and a run that gains its trainer say nothing', () => {
  const { fake, end, showing, live } = setup();
  showing.add('watched');
  end('watched', 'finished');
  end('stopped', 'stopped');
  live.add('starting');
  end('starting', 'finished');
  assert.deepEqual(fake.messages, []);
});

test('a crash always says so, with its progress and log; Open only when its dashboard is not in view', async () => {
  const { fake, crashes, end, showing, logs, settle } = setup(SHOW_LOG);
  end('run-c', 'crashed');
  crashes.fire({ runId: 'run-c', runDir: '/runs/run-c', reason: 'out of memory', stderrTail: ['', 'RangeError: Array buffer allocation failed'], log: quietLog });
  await settle();
  const [crash, ...others] = fake.messages;
  assert.equal(others.length, 0, 'one message');
  assert.equal(crash.severity, 'error');
  assert.equal(
    crash.message,
    'DDPG: run run-c crashed after 20,000 steps in 2 min 10 s: out of memory. Its files are kept in /runs/run-c. Last output: RangeError: Array buffer allocation failed',
  );
  assert.deepEqual(crash.items, [OPEN, SHOW_LOG]);
  assert.deepEqual(logs, ['run-c']);
  showing.add('run-d');
  end('run-d', 'crashed');
  crashes.fire({ runId: 'run-d', runDir: '/runs/run-d', reason: 'killed', stderrTail: [], log: quietLog });
  assert.deepEqual(fake.messages[1].items, [SHOW_LOG]);
});

test('results and durations in words', () => {
  assert.equal(describeResult({ latestEval: null, bestEval: null, step: 800, elapsedSeconds: 4.4 }), 'not evaluated · 800 steps in 4 s');
  assert.equal(formatDuration(59.6), '1 min 0 s');
  assert.equal(formatDuration(3725), '1 h 02 min');
});
