import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { defaultConfig, type RunConfig } from '../../src/shared/config';
import {
  aggregateCurves,
  algorithmOfConfig,
  comparedEnvironments,
  effectiveSetting,
  environmentOfConfig,
  settingApplies,
  differingSettings,
  EXPERIMENT_KEYS,
  experimentKey,
  interpolate,
  smoothedReturns,
  summarizeRun,
} from '../../src/shared/comparison';
import { isHostToComparison, type EpisodeRow, type EvalRow } from '../../src/shared/protocol';
import { syntheticComparison } from '../webview/syntheticComparison';

function episode(n: number, ret: number): EpisodeRow {
  return { type: 'episode', episode: n, step: n * 200, return: ret, length: 200, criticLoss: null, actorLoss: null, meanQ: null, wallTime: n / 10 };
}

function evaluation(step: number, mean: number): EvalRow {
  return { type: 'eval', episode: step / 200, step, mean, std: 1, returns: [mean], wallTime: step / 2000 };
}

describe('experimentKey', () => {
  it('ignores seed, run length, checkpoints and engine, and sees every learning setting', () => {
    const base = defaultConfig();
    const key = experimentKey(base);
    assert.equal(experimentKey({ ...base, seed: 7, episodes: 5, totalSteps: 100, checkpointEveryEpisodes: 3, engine: 'tfjs', saveReplayBuffer: false }), key);
    assert.notEqual(experimentKey({ ...base, tau: 0.02 }), key);
    assert.notEqual(experimentKey({ ...base, actorHidden: [64, 32] }), key);
    assert.notEqual(experimentKey({ ...base, evalEpisodes: 3 }), key);
    assert.ok(!EXPERIMENT_KEYS.includes('seed'));
  });
});

describe('experiments across environments and algorithms', () => {
  const pendulum = defaultConfig();
  const mountainCar: RunConfig = { ...pendulum, environment: 'MountainCarContinuous-v0' };

  it('puts the environment and the algorithm in the key: runs of different ones are never seeds of one experiment', () => {
    assert.notEqual(experimentKey(mountainCar), experimentKey(pendulum));
    assert.notEqual(experimentKey({ ...pendulum, algorithm: 'td3' as RunConfig['algorithm'] }), experimentKey(pendulum));
    assert.equal(experimentKey({ ...mountainCar, seed: 9 }), experimentKey(mountainCar));
    assert.ok(EXPERIMENT_KEYS.includes('environment') && EXPERIMENT_KEYS.includes('algorithm'));
  });

  it('reads runs written before environments and algorithms were settings as DDPG on Pendulum-v1, with their defaults', () => {
    const legacy: Partial<RunConfig> = { ...pendulum, maxEpisodeSteps: 200 };
    delete legacy.environment;
    delete legacy.algorithm;
    delete legacy.goalVelocity;
    assert.equal(environmentOfConfig(legacy).id, 'Pendulum-v1');
    assert.equal(algorithmOfConfig(legacy), 'ddpg');
    assert.equal(experimentKey(legacy), experimentKey(pendulum), 'a time limit of 0 means the environment’s own, 200 on Pendulum');
    assert.deepEqual(differingSettings([legacy, pendulum]), []);
  });

  it('counts a setting only where it applies: an unused gravity does not split MountainCar seeds, nor differ', () => {
    assert.equal(settingApplies(mountainCar, 'gravity'), false);
    assert.equal(settingApplies(pendulum, 'gravity'), true);
    assert.equal(settingApplies(mountainCar, 'goalVelocity'), true);
    assert.equal(experimentKey({ ...mountainCar, gravity: 3 }), experimentKey(mountainCar));
    assert.notEqual(experimentKey({ ...mountainCar, goalVelocity: 0.02 }), experimentKey(mountainCar));
    assert.deepEqual(differingSettings([pendulum, { ...mountainCar, gravity: 3 }]), ['environment', 'maxEpisodeSteps']);
    assert.equal(effectiveSetting(mountainCar, 'maxEpisodeSteps'), 999);
  });

  it('describes each environment once, in order of appearance, with its own solved line', () => {
    assert.deepEqual(
      comparedEnvironments(['MountainCarContinuous-v0', 'Pendulum-v1', 'MountainCarContinuous-v0', 'Acrobot-v1']).map((e) => [e.id, e.solvedThreshold, e.solvedLabel]),
      [
        ['MountainCarContinuous-v0', 90, 'solved (Gymnasium: 90)'],
        ['Pendulum-v1', -200, 'solved (DDPG Lab: -200)'],
      ],
    );
  });
});

describe('differingSettings', () => {
  it('lists the keys that are not all equal, in settings order, arrays compared by value', () => {
    const a = defaultConfig();
    assert.deepEqual(differingSettings([a, { ...a, actorHidden: [64, 64] }]), []);
    assert.deepEqual(differingSettings([a, { ...a, seed: 2 }, { ...a, seed: 3, tau: 0.5 }]), ['tau', 'seed']);
    assert.deepEqual(differingSettings([a]), []);
  });
});

describe('smoothedReturns', () => {
  it('is the trailing mean of the window, shorter at the start', () => {
    const rows = [1, 2, 3, 4, 5].map((r, i) => episode(i + 1, r));
    assert.deepEqual(
      smoothedReturns(rows, 2).map((p) => p.value),
      [1, 1.5, 2.5, 3.5, 4.5],
    );
  });

  it('thins long runs to at most maxPoints, keeping the last episode, without drift in the mean', () => {
    const rows = Array.from({ length: 10_007 }, (_, i) => episode(i + 1, (i % 7) - 3 + 0.1));
    const points = smoothedReturns(rows, 7, 500);
    assert.ok(points.length <= 500, `${points.length} points`);
    assert.ok(points.length >= 450, `${points.length} points`);
    assert.equal(points[points.length - 1].episode, 10_007);
    for (const p of points.filter((q) => q.episode >= 7)) assert.ok(Math.abs(p.value - 0.1) < 1e-9, `episode ${p.episode}: ${p.value}`);
    const steps = points.map((p) => p.episode);
    assert.deepEqual(steps, [...steps].sort((a, b) => a - b));
  });

  it('is empty without episodes', () => {
    assert.deepEqual(smoothedReturns([]), []);
  });
});

describe('summarizeRun', () => {
  it('reports best, final, recent return and the first evaluation at or above the threshold', () => {
    const episodes = Array.from({ length: 12 }, (_, i) => episode(i + 1, -100 * (i + 1)));
    const evals = [evaluation(1000, -900), evaluation(2000, -200), evaluation(3000, -150), evaluation(4000, -300)];
    const summary = summarizeRun(episodes, evals, -200);
    assert.equal(summary.episodes, 12);
    assert.equal(summary.steps, 4000);
    assert.equal(summary.wallTime, 2);
    assert.equal(summary.bestEval, -150);
    assert.equal(summary.finalEval, -300);
    assert.equal(summary.recentReturn, (-300 - 400 - 500 - 600 - 700 - 800 - 900 - 1000 - 1100 - 1200) / 10);
    assert.deepEqual(summary.solved, { episode: 10, step: 2000, wallTime: 1 });
  });

  it('solves nothing where the environment defines no threshold', () => {
    assert.equal(summarizeRun([], [evaluation(1000, 500)], null).solved, null);
  });

  it('has nulls for a run with nothing yet', () => {
    assert.deepEqual(summarizeRun([], [], -200), {
      episodes: 0,
      steps: 0,
      wallTime: 0,
      bestEval: null,
      finalEval: null,
      recentReturn: null,
      solved: null,
    });
  });
});

describe('interpolate', () => {
  const curve = [
    { x: 0, y: 0 },
    { x: 10, y: 100 },
    { x: 20, y: 0 },
  ];
  it('is linear between points, exact on them, undefined outside', () => {
    assert.equal(interpolate(curve, 5), 50);
    assert.equal(interpolate(curve, 15), 50);
    assert.equal(interpolate(curve, 10), 100);
    assert.equal(interpolate(curve, 20), 0);
    assert.equal(interpolate(curve, -1), undefined);
    assert.equal(interpolate(curve, 21), undefined);
    assert.equal(interpolate([], 0), undefined);
    assert.equal(interpolate([{ x: 3, y: 7 }], 3), 7);
  });
});

describe('aggregateCurves', () => {
  it('averages runs at the union of their x values with the sample std', () => {
    const a = [
      { x: 0, y: 0 },
      { x: 10, y: 10 },
    ];
    const b = [
      { x: 0, y: 2 },
      { x: 5, y: 4 },
      { x: 10, y: 12 },
    ];
    const result = aggregateCurves([a, b]);
    assert.deepEqual(
      result.map((p) => p.x),
      [0, 5, 10],
    );
    // at x = 5, a is interpolated to 5 and b is 4
    assert.equal(result[1].mean, 4.5);
    assert.ok(Math.abs(result[1].std - Math.sqrt(0.5)) < 1e-12);
    assert.equal(result[2].mean, 11);
    assert.ok(result.every((p) => p.n === 2));
  });

  it('leaves out x where fewer than minRuns runs are present (a shorter run does not drag the mean)', () => {
    const long = [
      { x: 0, y: 0 },
      { x: 100, y: 100 },
    ];
    const short = [
      { x: 0, y: 10 },
      { x: 50, y: 60 },
    ];
    const third = [
      { x: 0, y: 20 },
      { x: 50, y: 70 },
      { x: 100, y: 80 },
    ];
    const two = aggregateCurves([long, short, third]);
    assert.deepEqual(
      two.map((p) => [p.x, p.n]),
      [
        [0, 3],
        [50, 3],
        [100, 2],
      ],
    );
    assert.equal(two[2].mean, 90);
    assert.deepEqual(
      aggregateCurves([long, short, third], 3).map((p) => p.x),
      [0, 50],
    );
    assert.deepEqual(aggregateCurves([long]), []);
    assert.equal(aggregateCurves([long], 1)[0].std, 0);
  });
});

describe('isHostToComparison', () => {
  const message = syntheticComparison();

  it('accepts a comparison whose every run names an environment it describes', () => {
    assert.ok(isHostToComparison(message));
    assert.ok(isHostToComparison({ ...message, environments: message.environments.map((e) => ({ ...e, solvedThreshold: null })) }), 'an environment without a threshold');
  });

  it('rejects what has no charts to go in or no line to draw', () => {
    const { environments: _, ...withoutEnvironments } = message;
    assert.equal(isHostToComparison(withoutEnvironments), false);
    assert.equal(isHostToComparison({ ...message, environments: message.environments.slice(0, 1) }), false, 'a MountainCar run without its environment');
    assert.equal(isHostToComparison({ ...message, environments: [...message.environments, message.environments[0]] }), false, 'an environment twice');
    assert.equal(isHostToComparison({ ...message, environments: [{ ...message.environments[0], solvedThreshold: Number.NaN }, message.environments[1]] }), false);
    assert.equal(isHostToComparison({ ...message, runs: [{ ...message.runs[0], algorithm: 7 }] }), false);
    assert.equal(isHostToComparison({ ...message, runs: [null] }), false);
    assert.equal(isHostToComparison({ ...message, solvedThreshold: -200, environments: undefined }), false, 'the old message');
  });
});
