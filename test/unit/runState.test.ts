/**
 * The shared run-state reducer (src/shared/runState.ts): every trainer event, the two rules the
 * host and the dashboard used to disagree on (an evaluation at a step already evaluated; two
 * checkpoints of one name), how a status merges with evaluations after it, what `started` resets,
 * that terminal states stick, that a replayed history is the state live events built, and that the
 * host's RunHistory and the dashboard's RunModel say the same about the same events.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { defaultConfig } from '../../src/shared/config';
import type { CheckpointManifest, EpisodeRow, EvalRow, RunInfo, RunSnapshot, StatusSnapshot, TrainerToHost } from '../../src/shared/protocol';
import {
  applyTrainerEvent,
  applyTrainerEvents,
  hasChanged,
  isTerminal,
  runSnapshot,
  runStateFromRows,
  runStateFromSnapshot,
  setLocalState,
  type RunState,
} from '../../src/shared/runState';
import { RunHistory } from '../../src/extension/runHistory';
import { RunModel } from '../../webview/runModel';

const config = { ...defaultConfig(), episodes: 20 };
const info = (status: RunInfo['status'] = 'starting', id = 'run-1'): RunInfo =>
  ({ id, name: id, created: '2026-12-01T08:00:00Z', updated: '2026-12-01T08:00:00Z', config, engine: null, seed: 1, status }) as RunInfo;
const engine = { engine: 'wasm', backend: 'wasm-simd' } as const;

const episode = (n: number, ret = -1000 + n * 40): EpisodeRow => ({
  type: 'episode', episode: n, step: n * 200, return: ret, length: 200, criticLoss: 1, actorLoss: -1, meanQ: -5, wallTime: n / 10,
});
const evaluation = (step: number, mean: number): EvalRow => ({ type: 'eval', episode: step / 200, step, mean, std: 2, returns: [mean], wallTime: step / 2000 });
const status = (state: StatusSnapshot['state'], episodeCount: number, fields: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  state, episode: episodeCount, totalEpisodes: 20, step: episodeCount * 200, totalSteps: null, stepsPerSecond: 900, elapsedSeconds: episodeCount / 10,
  latestEval: null, bestEval: null, ...fields,
});
const manifest = (name: string, step: number, reason: CheckpointManifest['reason'] = 'periodic'): CheckpointManifest =>
  ({ formatVersion: 2, name, runId: 'run-1', episode: step / 200, step, recentReturn: -500, bestEval: null, reason, created: `2026-12-01T08:00:${String(step / 200).padStart(2, '0')}Z`, configHash: 'h', config, engine, hasReplayBuffer: false }) as CheckpointManifest;
const checkpoint = (name: string, step: number, dir = `/runs/run-1/checkpoints/${name}`): TrainerToHost => ({ type: 'checkpoint', dir, manifest: manifest(name, step) });

const fresh = (): RunState => runStateFromRows(info(), {});

/** A run as a trainer reports it: start, episodes, evaluations (one a best), checkpoints, a pause, a stop. */
function trainerStream(): TrainerToHost[] {
  const events: TrainerToHost[] = [{ type: 'started', engine, run: info('starting') }, { type: 'status', status: status('running', 0) }];
  let best: number | null = null;
  for (let n = 1; n <= 12; n++) {
    events.push({ type: 'episode', row: episode(n) });
    events.push({ type: 'frames', frames: { episode: n, firstStep: 0, phase: 'train', stride: 2, data: [0, 0] } });
    if (n % 4 === 0) {
      const mean = -900 + n * 50;
      best = best === null ? mean : Math.max(best, mean);
      events.push({ type: 'eval', row: evaluation(n * 200, mean) });
      events.push(checkpoint('best', n * 200));
    }
    if (n % 5 === 0) events.push(checkpoint(`ep-${n}`, n * 200));
    if (n % 3 === 0) events.push({ type: 'status', status: status('running', n, { latestEval: best, bestEval: best }) });
  }
  events.push({ type: 'log', level: 'warn', message: 'a warning' });
  events.push({ type: 'status', status: status('paused', 12, { latestEval: best, bestEval: best }) });
  events.push({ type: 'status', status: status('stopped', 12, { latestEval: best, bestEval: best }) });
  events.push({ type: 'exiting', status: 'stopped' });
  return events;
}

describe('every trainer event', () => {
  it('started takes the trainer’s run info and engine; status, episode and eval move the status', () => {
    const state = fresh();
    const started = applyTrainerEvent(state, { type: 'started', engine, run: info('starting') });
    assert.ok(started.info && started.progress);
    assert.deepEqual(state.info.engine, engine);
    const running = applyTrainerEvent(state, { type: 'status', status: status('running', 0) });
    assert.ok(running.status && running.progress);
    assert.equal(state.info.status, 'running', 'run info and status agree on the state');

    const ep = applyTrainerEvent(state, { type: 'episode', row: episode(1) });
    assert.ok(ep.episodes && ep.progress);
    assert.equal(state.status.episode, 1);
    assert.equal(state.status.step, 200);
    const ev = applyTrainerEvent(state, { type: 'eval', row: evaluation(200, -700) });
    assert.ok(ev.evals && ev.status && !ev.progress);
    assert.equal(state.status.latestEval, -700);
    assert.equal(state.status.bestEval, -700);
  });

  it('checkpoint is kept in step order; error records the message; frames, log and evaluation change nothing', () => {
    const state = fresh();
    const later = applyTrainerEvent(state, checkpoint('ep-10', 2000));
    applyTrainerEvent(state, checkpoint('ep-5', 1000));
    assert.equal(later.checkpoints[0].manifest.name, 'ep-10');
    assert.deepEqual(state.checkpoints.map((c) => c.manifest.name), ['ep-5', 'ep-10']);
    const error = applyTrainerEvent(state, { type: 'error', message: 'boom' });
    assert.ok(error.error && !error.status);
    assert.equal(state.info.error, 'boom');
    assert.equal(applyTrainerEvent(state, { type: 'error', message: 'boom' }).error, false, 'the same error again is no news');
    for (const event of [
      { type: 'frames', frames: { episode: 1, firstStep: 0, phase: 'train', stride: 2, data: [1, 2] } },
      { type: 'log', level: 'error', message: 'x' },
      { type: 'evaluation', checkpointDir: '/c', returns: [1], mean: 1, std: 0 },
    ] as TrainerToHost[]) {
      assert.equal(hasChanged(applyTrainerEvent(state, event)), false, event.type);
    }
  });

  it('exiting names the final state', () => {
    const state = fresh();
    applyTrainerEvent(state, { type: 'status', status: status('running', 3) });
    const change = applyTrainerEvent(state, { type: 'exiting', status: 'finished' });
    assert.ok(change.progress);
    assert.equal(state.status.state, 'finished');
    assert.equal(state.info.status, 'finished');
  });
});

describe('the rules the host and the dashboard used to disagree on', () => {
  it('a second evaluation at a step already evaluated is a replay and is dropped, whatever its mean', () => {
    const state = fresh();
    applyTrainerEvent(state, { type: 'eval', row: evaluation(1000, -400) });
    assert.equal(hasChanged(applyTrainerEvent(state, { type: 'eval', row: evaluation(1000, -300) })), false);
    assert.equal(hasChanged(applyTrainerEvent(state, { type: 'eval', row: evaluation(800, -100) })), false, 'nor one from before');
    assert.deepEqual(state.evals.map((e) => e.mean), [-400]);
    assert.equal(state.status.bestEval, -400);
  });

  it('checkpoints are one per name, whatever folder spelling the event carries; a re-saved one moves to its new step', () => {
    const state = fresh();
    applyTrainerEvent(state, checkpoint('best', 400, '/runs/run-1/checkpoints/best'));
    applyTrainerEvent(state, checkpoint('ep-5', 1000));
    applyTrainerEvent(state, checkpoint('best', 1600, '/runs/run-1/checkpoints/best/'));
    assert.deepEqual(state.checkpoints.map((c) => [c.manifest.name, c.manifest.step]), [['ep-5', 1000], ['best', 1600]]);
    assert.equal(state.checkpoints[1].dir, '/runs/run-1/checkpoints/best/', 'the newest save’s folder');
  });

  it('both wrappers apply them alike', () => {
    const events: TrainerToHost[] = [
      { type: 'eval', row: evaluation(1000, -400) },
      { type: 'eval', row: evaluation(1000, -300) },
      checkpoint('best', 400, 'checkpoints/best'),
      checkpoint('best', 1000, '/abs/runs/run-1/checkpoints/best'),
    ];
    const { history, model } = wrappers();
    for (const event of events) {
      history.apply(event);
      model.apply(event);
    }
    assert.deepEqual(history.evals.map((e) => e.mean), [-400]);
    assert.deepEqual(model.evals.map((e) => e.mean), [-400]);
    assert.deepEqual(history.checkpoints.map((c) => c.manifest.step), [1000]);
    assert.deepEqual(model.checkpoints.map((c) => c.step), [1000]);
  });
});

describe('a status and the evaluations around it', () => {
  it('an evaluation after a status is the latest at once; the next status (which counts it) is the word again', () => {
    const state = fresh();
    applyTrainerEvent(state, { type: 'status', status: status('running', 4, { latestEval: -600, bestEval: -600 }) });
    applyTrainerEvent(state, { type: 'episode', row: episode(5) });
    applyTrainerEvent(state, { type: 'eval', row: evaluation(1000, -300) });
    assert.equal(state.status.latestEval, -300);
    assert.equal(state.status.bestEval, -300);
    applyTrainerEvent(state, { type: 'status', status: status('running', 5, { latestEval: -300, bestEval: -300 }) });
    applyTrainerEvent(state, { type: 'episode', row: episode(6) });
    applyTrainerEvent(state, { type: 'eval', row: evaluation(1200, -450) });
    assert.equal(state.status.latestEval, -450);
    assert.equal(state.status.bestEval, -300);
    applyTrainerEvent(state, { type: 'status', status: status('running', 6, { latestEval: null, bestEval: null }) });
    assert.equal(state.status.latestEval, -450, 'a status without evaluation figures does not forget them');
    assert.equal(state.status.bestEval, -300);
    applyTrainerEvent(state, { type: 'status', status: status('running', 7, { latestEval: -450, bestEval: -320 }) });
    assert.equal(state.status.bestEval, -320, 'the trainer’s count of its evaluations is the word, as before on both sides');
  });

  it('a status taken before the newest evaluation does not hide it, and counters never go back', () => {
    const state = fresh();
    applyTrainerEvent(state, { type: 'episode', row: episode(5) });
    applyTrainerEvent(state, { type: 'eval', row: evaluation(1000, -250) });
    applyTrainerEvent(state, { type: 'status', status: status('running', 4, { latestEval: -600, bestEval: -600 }) });
    assert.equal(state.status.latestEval, -250);
    assert.equal(state.status.bestEval, -250);
    assert.equal(state.status.episode, 5);
    assert.equal(state.status.step, 1000);
  });
});

describe('started', () => {
  it('of the same run keeps its rows (a trainer announcing a run already known); of another run resets everything', () => {
    const state = fresh();
    applyTrainerEvents(state, [{ type: 'episode', row: episode(1) }, { type: 'eval', row: evaluation(200, -800) }, checkpoint('ep-1', 200)]);
    applyTrainerEvent(state, { type: 'started', engine, run: info('starting') });
    assert.equal(state.episodes.length, 1);
    assert.equal(state.checkpoints.length, 1);
    const episodes = state.episodes;
    applyTrainerEvent(state, { type: 'started', engine, run: info('starting', 'run-2') });
    assert.equal(state.info.id, 'run-2');
    assert.deepEqual([state.episodes.length, state.evals.length, state.checkpoints.length], [0, 0, 0]);
    assert.equal(state.status.episode, 0);
    assert.equal(state.status.bestEval, null);
    assert.equal(state.episodes, episodes, 'the same array: the charts hold it');
  });
});

describe('terminal states stick', () => {
  it('a status still in the pipe after the end does not bring a run back, nor re-name its end; exiting may', () => {
    const state = fresh();
    applyTrainerEvent(state, { type: 'status', status: status('finished', 20) });
    applyTrainerEvent(state, { type: 'status', status: status('running', 20, { stepsPerSecond: 5 }) });
    assert.equal(state.status.state, 'finished');
    assert.equal(state.status.stepsPerSecond, 5, 'the rest of the status still counts');
    applyTrainerEvent(state, { type: 'status', status: status('stopped', 20) });
    assert.equal(state.status.state, 'finished');
    applyTrainerEvent(state, { type: 'started', engine, run: info('running') });
    assert.equal(state.status.state, 'finished');
    applyTrainerEvent(state, { type: 'exiting', status: 'stopped' });
    assert.equal(state.status.state, 'stopped');
    applyTrainerEvent(state, { type: 'exiting', status: 'running' });
    assert.equal(state.status.state, 'stopped');
    assert.ok(isTerminal(state.info.status));
  });

  it('a requested stop shows as stopping until the end; the host’s verdict overrides the events', () => {
    const state = fresh();
    applyTrainerEvent(state, { type: 'status', status: status('running', 2) });
    setLocalState(state, 'stopping');
    applyTrainerEvent(state, { type: 'status', status: status('paused', 3) });
    assert.equal(state.status.state, 'stopping');
    assert.equal(state.status.episode, 3);
    applyTrainerEvent(state, { type: 'status', status: status('stopped', 3) });
    assert.equal(state.status.state, 'stopped');
    const crashed = setLocalState(state, 'crashed', 'exit code 3');
    assert.ok(crashed.progress && crashed.error);
    assert.equal(state.status.state, 'crashed');
    assert.equal(state.info.error, 'exit code 3');
  });
});

describe('replay', () => {
  it('a whole history replayed (snapshot, or the rows from disk) is the state the live events built', () => {
    const live = fresh();
    applyTrainerEvents(live, trainerStream());
    const snapshot = runSnapshot(live, false);
    const replayed = runStateFromSnapshot(structuredClone(snapshot));
    assert.deepEqual(runSnapshot(replayed, false), snapshot);
    const fromDisk = runStateFromRows(live.info, { episodes: live.episodes, evals: live.evals, checkpoints: live.checkpoints });
    assert.deepEqual(fromDisk.episodes, live.episodes);
    assert.deepEqual(fromDisk.evals, live.evals);
    assert.deepEqual(fromDisk.checkpoints, live.checkpoints);
    assert.deepEqual(
      [fromDisk.status.state, fromDisk.status.episode, fromDisk.status.step, fromDisk.status.latestEval, fromDisk.status.bestEval],
      [live.status.state, live.status.episode, live.status.step, live.status.latestEval, live.status.bestEval],
    );
  });

  it('events the state already has change nothing, and a batch is the events one by one', () => {
    const oneByOne = fresh();
    const events = trainerStream();
    for (const event of events) applyTrainerEvent(oneByOne, event);
    const batched = fresh();
    applyTrainerEvents(batched, events);
    assert.deepEqual(batched, oneByOne);
    const before = structuredClone(batched);
    const again = applyTrainerEvents(batched, events.filter((e) => e.type === 'episode' || e.type === 'eval'));
    assert.equal(hasChanged(again), false);
    assert.deepEqual(batched, before);
  });

  it('a snapshot taken mid-run, then the rest of the events, ends where the live run ends', () => {
    const events = trainerStream();
    const live = fresh();
    applyTrainerEvents(live, events.slice(0, 20));
    const resumed = runStateFromSnapshot(structuredClone(runSnapshot(live, true)));
    // The host replays a few events the snapshot already had before the new ones.
    applyTrainerEvents(resumed, events.slice(15));
    applyTrainerEvents(live, events.slice(20));
    assert.deepEqual(runSnapshot(resumed, false), runSnapshot(live, false));
  });
});

function wrappers(snapshot: RunSnapshot = runSnapshot(fresh(), true)): { history: RunHistory; model: RunModel } {
  const history = new RunHistory('/runs/run-1', snapshot.run, snapshot.episodes, snapshot.evals, snapshot.checkpoints.map((manifest) => ({ manifest })));
  return { history, model: new RunModel(structuredClone(snapshot), { kind: 'live' }) };
}

describe('the host’s history and the dashboard’s model', () => {
  it('agree on the same event stream, event after event', () => {
    const { history, model } = wrappers();
    const events = trainerStream();
    for (const [i, event] of events.entries()) {
      history.apply(event);
      model.apply(event);
      const host = history.snapshot(true);
      const page = { run: model.run, status: model.status, episodes: [...model.episodes], evals: [...model.evals], checkpoints: model.checkpoints, live: true };
      assert.deepEqual(page, host, `after event ${i} (${event.type})`);
      assert.equal(model.completedEpisodes, history.status.episode);
      assert.equal(model.bestEval, history.bestEval);
    }
    assert.equal(model.live, false, 'the page knows the trainer is gone');
  });

  it('agree when the page starts from the host’s snapshot mid-run', () => {
    const events = trainerStream();
    const { history } = wrappers();
    for (const event of events.slice(0, 25)) history.apply(event);
    const model = new RunModel(structuredClone(history.snapshot(true)), { kind: 'live' });
    for (const event of events.slice(20)) {
      history.apply(event);
      model.apply(event);
    }
    assert.deepEqual(model.episodes, history.episodes);
    assert.deepEqual(model.evals, history.evals);
    assert.deepEqual(model.checkpoints, history.checkpoints.map((c) => c.manifest));
    assert.deepEqual(model.status, history.status);
  });

  it('the page drops what it cannot draw and ignores a run’s lifecycle while evaluating a checkpoint', () => {
    const { model } = wrappers();
    assert.deepEqual(model.apply({ type: 'episode', row: { ...episode(1), return: Number.NaN } }), []);
    assert.deepEqual(model.apply({ type: 'status', status: { ...status('running', 1), step: 'x' } as unknown as StatusSnapshot }), []);
    const evaluating = new RunModel(runSnapshot(fresh(), false), { kind: 'evaluate', checkpoint: manifest('best', 200), checkpointDir: '/c', episodes: 3 });
    assert.deepEqual(evaluating.apply({ type: 'status', status: status('running', 1) }), []);
    assert.deepEqual(evaluating.apply({ type: 'evaluation', checkpointDir: '/c', returns: [-150, -160], mean: -155, std: 5 }), ['evaluation']);
  });
});

describe('checkpointDeleted', () => {
  it('a pruned checkpoint leaves the run, by name; one the state never had changes nothing', () => {
    const state = fresh();
    applyTrainerEvent(state, checkpoint('ep-5', 1000));
    applyTrainerEvent(state, checkpoint('ep-10', 2000));
    const change = applyTrainerEvent(state, { type: 'checkpointDeleted', name: 'ep-5', dir: 'checkpoints/ep-5' });
    assert.deepEqual(change.deletedCheckpoints, ['ep-5']);
    assert.ok(hasChanged(change));
    assert.deepEqual(state.checkpoints.map((c) => c.manifest.name), ['ep-10']);
    assert.equal(hasChanged(applyTrainerEvent(state, { type: 'checkpointDeleted', name: 'ep-5', dir: 'checkpoints/ep-5' })), false, 'gone already');
  });

  it('the host’s history and the dashboard’s model both drop it, and say their checkpoints changed', () => {
    const { history, model } = wrappers();
    for (const event of [checkpoint('ep-5', 1000), checkpoint('ep-10', 2000)]) {
      history.apply(event);
      model.apply(event);
    }
    const deletion: TrainerToHost = { type: 'checkpointDeleted', name: 'ep-5', dir: '/runs/run-1/checkpoints/ep-5' };
    assert.equal(history.apply(deletion).checkpoints, true);
    assert.deepEqual(model.apply(deletion), ['checkpoint']);
    assert.deepEqual(history.checkpoints.map((c) => c.manifest.name), ['ep-10']);
    assert.deepEqual(model.checkpoints.map((c) => c.name), ['ep-10']);
  });
});
