/**
 * state.json's trainer snapshot: everything besides networks, optimizer moments and the replay
 * buffer that a resumed run needs to continue exactly. Its schema is checked field by field before
 * anything uses it, so a damaged file is an error naming it, not a TypeError mid-restore.
 */

import type { EnvironmentState } from './env/environment';
import { pendulumStateFromVersion1 } from './env/legacyState';
import type { SavedRandom } from './randomStreams';

export interface TrainerSnapshot {
  episode: number;
  totalSteps: number;
  episodeReturn: number;
  inEpisode: boolean;
  obs: number[];
  /** The environment's own state (version 1 stored Pendulum's [θ, θ̇] as envState + envElapsedSteps). */
  env: EnvironmentState;
  nextEvalStep: number;
  nextEvalEpisode: number;
  bestEval: number | null;
  latestEval: number | null;
  lastEvalStep: number;
  recentReturns: number[];
  solved: { step: number; wallTime: number } | null;
  episodeStats: number[];
  wallTime: number;
  random: { env: SavedRandom; noise: SavedRandom; sample: SavedRandom; warmup: SavedRandom };
  noise: number[];
  /** The algorithm's own resume state (Agent.getState; absent before TD3 and SAC: {}). */
  agent: Record<string, unknown>;
}

type Fail = (what: string) => never;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a stored snapshot (format 1 or 2) and returns it in format 2. */
export function parseTrainerSnapshot(value: unknown, sizes: { obsDim: number; statistics: number; noiseSize: number }, fail: Fail): TrainerSnapshot {
  if (!isObject(value)) return fail('missing trainer state');
  const t = value;
  const count = (key: string) => (typeof t[key] === 'number' && Number.isInteger(t[key]) && (t[key]) >= -1 ? (t[key]) : fail(`trainer.${key} must be an integer; got ${JSON.stringify(t[key])}`));
  const number = (key: string) => (finite(t[key]) ? t[key] : fail(`trainer.${key} must be a finite number; got ${JSON.stringify(t[key])}`));
  const nullableNumber = (key: string) => (t[key] === null || finite(t[key]) ? (t[key]) : fail(`trainer.${key} must be a finite number or null`));
  const numbers = (key: string, length?: number) => {
    const v = t[key];
    if (!Array.isArray(v) || !v.every(finite) || (length !== undefined && v.length !== length)) {
      return fail(`trainer.${key} must be ${length ?? 'a list of'} finite numbers; got ${JSON.stringify(v)?.slice(0, 80)}`);
    }
    return v;
  };
  if (typeof t.inEpisode !== 'boolean') fail('trainer.inEpisode must be true or false');
  const random = t.random;
  if (!isObject(random)) return fail('trainer.random (the RNG streams) is missing');
  const streams = {} as TrainerSnapshot['random'];
  for (const name of ['env', 'noise', 'sample', 'warmup'] as const) {
    const s = random[name];
    if (!isObject(s) || !Array.isArray(s.words) || s.words.length !== 4 || !s.words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      return fail(`trainer.random.${name} must hold four 32-bit words`);
    }
    if (s.words.every((w) => w === 0)) fail(`trainer.random.${name} is all zeros (not a valid generator state)`);
    if (s.spareNormal !== null && !finite(s.spareNormal)) fail(`trainer.random.${name}.spareNormal must be a finite number or null`);
    streams[name] = { words: s.words as SavedRandom['words'], spareNormal: s.spareNormal };
  }
  const solved = t.solved;
  if (solved !== null && !(isObject(solved) && finite(solved.step) && finite(solved.wallTime))) fail('trainer.solved must be null or {step, wallTime}');
  return {
    episode: count('episode'),
    totalSteps: count('totalSteps'),
    episodeReturn: number('episodeReturn'),
    inEpisode: t.inEpisode,
    obs: numbers('obs', sizes.obsDim),
    env: environmentStateOf(t, fail),
    nextEvalStep: number('nextEvalStep'),
    nextEvalEpisode: number('nextEvalEpisode'),
    bestEval: nullableNumber('bestEval'),
    latestEval: nullableNumber('latestEval'),
    lastEvalStep: number('lastEvalStep'),
    recentReturns: numbers('recentReturns'),
    solved: solved as TrainerSnapshot['solved'],
    episodeStats: numbers('episodeStats', sizes.statistics + 1),
    wallTime: number('wallTime'),
    random: streams,
    noise: numbers('noise', sizes.noiseSize),
    agent: t.agent === undefined ? {} : isObject(t.agent) ? t.agent : fail('trainer.agent must be an object'),
  };
}

function environmentStateOf(t: Record<string, unknown>, fail: Fail): EnvironmentState {
  if (t.env === undefined && Array.isArray(t.envState)) {
    const [theta, thetaDot] = t.envState as unknown[];
    if (t.envState.length !== 2 || !finite(theta) || !finite(thetaDot) || !(Number.isInteger(t.envElapsedSteps) && (t.envElapsedSteps as number) >= 0)) {
      return fail('trainer.envState must be [θ, θ̇] with a non-negative integer envElapsedSteps');
    }
    return pendulumStateFromVersion1(theta, thetaDot, t.envElapsedSteps as number);
  }
  const env = t.env;
  if (!isObject(env) || !Number.isInteger(env.elapsedSteps) || (env.elapsedSteps as number) < 0) return fail('trainer.env must be an environment state with elapsedSteps');
  for (const [key, v] of Object.entries(env)) {
    if (!(finite(v) || (Array.isArray(v) && v.every(finite)))) fail(`trainer.env.${key} must be finite numbers`);
  }
  return env as EnvironmentState;
}
