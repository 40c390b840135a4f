import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { aggregateCurves } from '../../src/shared/comparison';
import { differingWithin, drawnCurves, groupLabel, groupRuns, hasSeedGroups, runCurve, runsByEnvironment } from '../../webview/compare/curves';
import { DEFAULT_COMPARISON_VIEW_STATE, restoreComparisonViewState } from '../../webview/compare/viewState';
import { syntheticComparison } from '../webview/syntheticComparison';

const comparison = syntheticComparison();
const [seed1, , , seed4, other, car1, car2] = comparison.runs;

describe('comparison curves', () => {
  it('take x from the chosen axis, in order', () => {
    const byStep = runCurve(seed1, 'eval', 'step');
    assert.deepEqual(byStep.map((p) => p.x), seed1.evals.map((e) => e.step));
    assert.deepEqual(byStep.map((p) => p.y), seed1.evals.map((e) => e.mean));
    assert.deepEqual(runCurve(seed1, 'eval', 'wallTime').map((p) => p.x), seed1.evals.map((e) => e.wallTime));
    assert.deepEqual(runCurve(seed1, 'returns', 'episode').map((p) => p.x), seed1.returns.map((r) => r.episode));
    assert.deepEqual(runCurve(seed4, 'eval', 'step'), []);
  });

  it('group the seeds of one experiment in order of first appearance', () => {
    const groups = groupRuns(comparison.runs);
    assert.deepEqual(groups.map((g) => g.runs.length), [4, 1, 2]);
    assert.deepEqual(groups.map((g) => g.colourIndex), [0, 4, 5]);
    const pendulumDiffering = differingWithin(comparison.runs, 'Pendulum-v1');
    assert.deepEqual(pendulumDiffering, ['tau', 'batchSize', 'seed']);
    assert.equal(groupLabel(groups[0], pendulumDiffering), 'tau 0.01 · batchSize 128 (4 seeds)');
    assert.equal(groupLabel(groups[2], differingWithin(comparison.runs, 'MountainCarContinuous-v0')), 'all runs (2 seeds)');
    assert.equal(groupLabel(groups[0], ['seed']), 'all runs (4 seeds)');
    assert.ok(hasSeedGroups(comparison.runs));
    assert.ok(!hasSeedGroups([seed1, other]));
  });

  it('leave hidden runs out, also of a group mean', () => {
    const hidden = new Set([seed1.run.id]);
    const single = drawnCurves(comparison.runs, 'eval', 'step', { groupSeeds: false, hidden, differing: comparison.differingSettings });
    assert.deepEqual(single.map((c) => c.id), comparison.runs.slice(1).map((r) => r.run.id));
    const grouped = drawnCurves(comparison.runs, 'eval', 'step', { groupSeeds: true, hidden, differing: comparison.differingSettings });
    assert.deepEqual(grouped[0].runIds, ['tau-0.01-seed-2', 'tau-0.01-seed-3', 'tau-0.01-seed-4']);
    assert.equal(grouped[0].colourIndex, 1, 'the group takes the colour of its first visible run');
    assert.ok(grouped[0].band);
    assert.equal(grouped[1].band, undefined, 'a run alone in its experiment has no band');
    for (const [i, p] of grouped[0].points.entries()) {
      assert.ok(grouped[0].band.lower[i].y <= p.y && p.y <= grouped[0].band.upper[i].y);
    }
  });
});

describe('comparison curves per environment', () => {
  const options = { groupSeeds: true, hidden: new Set<string>(), differing: comparison.differingSettings };

  it('draw only the chosen environment’s runs, and never average runs of two environments together', () => {
    assert.deepEqual([...runsByEnvironment(comparison.runs).keys()], ['Pendulum-v1', 'MountainCarContinuous-v0']);
    const car = drawnCurves(comparison.runs, 'eval', 'step', { ...options, environment: 'MountainCarContinuous-v0' });
    assert.equal(car.length, 1);
    assert.deepEqual(car[0].runIds, [car1.run.id, car2.run.id]);
    assert.deepEqual(car[0].points, aggregateCurves([runCurve(car1, 'eval', 'step'), runCurve(car2, 'eval', 'step')]).map((p) => ({ x: p.x, y: p.mean })));
    assert.equal(car[0].label, 'mean of all runs (2 seeds)', 'inside its own charts the environment goes without saying');
    assert.equal(car[0].colourIndex, 5, 'a run keeps the colour of its place among all runs');
    const pendulum = drawnCurves(comparison.runs, 'eval', 'step', { ...options, environment: 'Pendulum-v1' });
    assert.deepEqual(pendulum.map((c) => c.runIds.length), [4, 1]);
    assert.ok(pendulum.every((c) => c.runIds.every((id) => !id.startsWith('mountain-car'))));
  });

  it('judge each run by its own environment’s threshold', () => {
    assert.equal(car1.summary.solved !== null, true, 'MountainCar seed 1 passes 90');
    assert.equal(car2.summary.solved, null, 'MountainCar seed 2 levels off below 90, far above Pendulum’s −200');
    assert.ok(car2.summary.bestEval! > -200);
    assert.deepEqual(comparison.environments.map((e) => [e.id, e.solvedThreshold]), [['Pendulum-v1', -200], ['MountainCarContinuous-v0', 90]]);
  });
});

describe('comparison view state', () => {
  it('restores what is valid and falls back for the rest', () => {
    assert.deepEqual(restoreComparisonViewState(undefined), DEFAULT_COMPARISON_VIEW_STATE);
    assert.deepEqual(restoreComparisonViewState({ runIds: ['a', 3, 'b'], xAxis: 'wallTime', groupSeeds: true, showAllSettings: 'yes', hidden: 'a' }), {
      runIds: ['a', 'b'],
      xAxis: 'wallTime',
      groupSeeds: true,
      showAllSettings: false,
      hidden: [],
    });
    assert.equal(restoreComparisonViewState({ xAxis: 'time' }).xAxis, 'step');
  });
});
