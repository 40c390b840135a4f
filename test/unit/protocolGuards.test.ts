import assert from 'node:assert/strict';
import test from 'node:test';
import { isComparisonToHost, isHostToTrainer, isHostToWebview, isTrainerToHost, isWebviewToHost } from '../../src/shared/protocol';

const start = { type: 'start', runDir: '/runs/a', config: {}, streamFrames: true };

test('host → trainer: resumeFrom is a path or absent; evaluate asks for 1–1000 whole episodes', () => {
  assert.equal(isHostToTrainer(start), true);
  assert.equal(isHostToTrainer({ ...start, resumeFrom: '/runs/b/checkpoints/best' }), true);
  assert.equal(isHostToTrainer({ ...start, resumeFrom: 42 }), false, 'a numeric resumeFrom');
  const evaluate = { type: 'evaluate', checkpointDir: '/c', episodes: 10, streamFrames: false };
  assert.equal(isHostToTrainer(evaluate), true);
  for (const episodes of [0, -1, 2.5, 1001, Number.NaN]) assert.equal(isHostToTrainer({ ...evaluate, episodes }), false, `episodes ${episodes}`);
});

test('every guard rejects unknown types, inherited names and non-records', () => {
  for (const guard of [isHostToTrainer, isTrainerToHost, isWebviewToHost, isHostToWebview, isComparisonToHost]) {
    for (const value of [{ type: 'launchMissiles' }, { type: 'toString' }, { type: 'constructor' }, { type: '__proto__' }, null, [], 'ready', { notype: 1 }]) {
      assert.equal(guard(value), false, `${guard.name}: ${JSON.stringify(value)}`);
    }
  }
  assert.equal(isWebviewToHost({ type: 'ready' }), true);
  assert.equal(isWebviewToHost({ type: 'watchCheckpoint' }), true, '"Watch this policy" while inspecting');
  assert.equal(isComparisonToHost({ type: 'openRun', runId: 'r' }), true);
  assert.equal(isTrainerToHost({ type: 'exiting', status: 'finished' }), true);
});

test('trainer → host: a pruned checkpoint names itself and its folder', () => {
  assert.equal(isTrainerToHost({ type: 'checkpointDeleted', name: 'ep0005-step1000', dir: '/runs/a/checkpoints/ep0005-step1000' }), true);
  assert.equal(isTrainerToHost({ type: 'checkpointDeleted', name: 'ep0005-step1000' }), false, 'without its folder');
  assert.equal(isTrainerToHost({ type: 'checkpointDeleted', name: 5, dir: '/x' }), false, 'a numeric name');
});
