/**
 * Snapshot and restore of everything a run needs to continue exactly where it stopped: counters,
 * the evaluation schedule, the environment mid-episode, the random streams, the noise process,
 * the update statistics of the episode in progress, networks, optimizer moments and replay buffer.
 */

import * as path from 'node:path';
import type { Agent } from '../algorithms/agent';
import type { UpdateAccumulator } from '../algorithms/updateStatistics';
import type { LoadedCheckpoint, TrainerSnapshot } from '../checkpoint';
import type { Environment } from '../env/environment';
import type { EvaluationSchedule } from './evaluationSchedule';

/** The run's counters (all saved in checkpoints). */
export interface TrainingProgress {
  episode: number;
  totalSteps: number;
  episodeReturn: number;
  inEpisode: boolean;
  obs: number[];
  bestEval: number | null;
  latestEval: number | null;
  lastEvalStep: number;
  /** Returns of the last (up to) RECENT_EPISODES episodes. */
  recentReturns: number[];
  solved: { step: number; wallTime: number } | null;
}

export function freshProgress(obsDim: number): TrainingProgress {
  return {
    episode: 0,
    totalSteps: 0,
    episodeReturn: 0,
    inEpisode: false,
    obs: new Array<number>(obsDim).fill(0),
    bestEval: null,
    latestEval: null,
    lastEvalStep: -1,
    recentReturns: [],
    solved: null,
  };
}

export interface ResumableParts {
  progress: TrainingProgress;
  schedule: EvaluationSchedule;
  env: Environment;
  agent: Agent;
  episodeStats: UpdateAccumulator;
}

export function takeSnapshot(parts: ResumableParts, wallTime: number): TrainerSnapshot {
  const { progress: p, schedule, env, agent, episodeStats } = parts;
  const r = agent.rng;
  return {
    episode: p.episode,
    totalSteps: p.totalSteps,
    episodeReturn: p.episodeReturn,
    inEpisode: p.inEpisode,
    obs: [...p.obs],
    env: env.state,
    nextEvalStep: schedule.nextEvalStep,
    nextEvalEpisode: schedule.nextEvalEpisode,
    bestEval: p.bestEval,
    latestEval: p.latestEval,
    lastEvalStep: p.lastEvalStep,
    recentReturns: [...p.recentReturns],
    solved: p.solved,
    episodeStats: episodeStats.getState(),
    wallTime,
    random: { env: r.env.getState(), noise: r.noise.getState(), sample: r.sample.getState(), warmup: r.warmup.getState() },
    noise: agent.noise.getState(),
    agent: agent.getState(),
  };
}

/**
 * Puts a loaded checkpoint back into a run's parts. Returns the training seconds before this
 * process and whether the checkpoint held a replay buffer (without one training continues with
 * an empty buffer: not exact, but it continues).
 */
export function restoreSnapshot(parts: ResumableParts, loaded: LoadedCheckpoint): { wallTime: number; hadReplayBuffer: boolean } {
  const { progress: p, schedule, env, agent, episodeStats } = parts;
  const s = loaded.trainer;
  agent.engine.setParameters(loaded.parameters);
  agent.engine.setOptimizerState(loaded.optimizer);
  p.episode = s.episode;
  p.totalSteps = s.totalSteps;
  p.episodeReturn = s.episodeReturn;
  p.inEpisode = s.inEpisode;
  p.obs = [...s.obs];
  env.state = s.env;
  schedule.restore(s, loaded.manifest.config, { totalSteps: s.totalSteps, episode: s.episode });
  p.bestEval = s.bestEval;
  p.latestEval = s.latestEval;
  p.lastEvalStep = s.lastEvalStep;
  p.recentReturns = [...s.recentReturns];
  p.solved = s.solved;
  episodeStats.setState(s.episodeStats);
  const r = agent.rng;
  r.env.setState(s.random.env);
  r.noise.setState(s.random.noise);
  r.sample.setState(s.random.sample);
  r.warmup.setState(s.random.warmup);
  agent.noise.setState(s.noise);
  try {
    agent.setState(s.agent);
  } catch (err) {
    throw new Error(`checkpoint file is corrupt (${agent.spec.id} state: ${(err as Error).message}): ${path.join(loaded.dir, 'state.json')}`);
  }
  if (loaded.buffer) agent.buffer.restore(loaded.buffer);
  return { wallTime: s.wallTime, hadReplayBuffer: !!loaded.buffer };
}
