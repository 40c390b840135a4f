/**
 * Recommended settings per environment and algorithm, in the spirit of RL Baselines3 Zoo's
 * hyperparameter files: choosing an environment offers its preset, `--preset` applies one in the
 * CLI, and a run records the preset it started from. Data only; the figures each preset reaches
 * are in BENCHMARKS.md.
 */

import type { AlgorithmId, RunConfig } from './config';
import type { EnvironmentId } from './environments';

export interface Preset {
  id: string;
  environment: EnvironmentId;
  algorithm: AlgorithmId;
  /** One line: what it is tuned for and where it comes from. */
  summary: string;
  /** The settings it sets (environment and algorithm included); everything else keeps its value. */
  settings: Partial<RunConfig>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'pendulum-ddpg',
    environment: 'Pendulum-v1',
    algorithm: 'ddpg',
    summary: "This project's defaults: solves Pendulum-v1 in about 3,000 steps (every seed of BENCHMARKS.md's 8).",
    settings: {
      environment: 'Pendulum-v1', algorithm: 'ddpg', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 2e-3,
      gamma: 0.99, tau: 0.01, batchSize: 128, bufferSize: 50000, warmupSteps: 1000, noiseType: 'gaussian', noiseStd: 0.1,
      episodes: 100, totalSteps: 0, maxEpisodeSteps: 0, evalEverySteps: 1000, evalEveryEpisodes: 0,
    },
  },
  {
    id: 'mountaincar-ddpg',
    environment: 'MountainCarContinuous-v0',
    algorithm: 'ddpg',
    summary:
      "RL Zoo's DDPG setting: Ornstein–Uhlenbeck noise σ 0.5, θ 0.15 with SB3's dt 0.01 (θ 0.0015, σ 0.05 per step here), " +
      'a slow drift that carries the car up a slope; 100,000 steps.',
    settings: {
      environment: 'MountainCarContinuous-v0', algorithm: 'ddpg', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 1e-3,
      gamma: 0.99, tau: 0.005, batchSize: 256, bufferSize: 100000, warmupSteps: 100, noiseType: 'ou', noiseStd: 0.05, ouTheta: 0.0015,
      episodes: 0, totalSteps: 100000, maxEpisodeSteps: 0, evalEverySteps: 5000, evalEveryEpisodes: 0,
    },
  },
  {
    id: 'pendulum-td3',
    environment: 'Pendulum-v1',
    algorithm: 'td3',
    summary: "TD3 on this project's DDPG defaults (twin critics, policy delay 2, target smoothing σ 0.2 clipped at 0.5): every seed of BENCHMARKS.md's 8 solves.",
    settings: {
      environment: 'Pendulum-v1', algorithm: 'td3', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 2e-3,
      gamma: 0.99, tau: 0.01, batchSize: 128, bufferSize: 50000, warmupSteps: 1000, noiseType: 'gaussian', noiseStd: 0.1,
      policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5,
      episodes: 100, totalSteps: 0, maxEpisodeSteps: 0, evalEverySteps: 1000, evalEveryEpisodes: 0,
    },
  },
  {
    id: 'mountaincar-td3',
    environment: 'MountainCarContinuous-v0',
    algorithm: 'td3',
    summary:
      "TD3 with mountaincar-ddpg's exploration (RL Zoo's slow Ornstein–Uhlenbeck drift) and TD3's defaults; " +
      '100,000 steps (the 2 seeds tried solved by 65,000).',
    settings: {
      environment: 'MountainCarContinuous-v0', algorithm: 'td3', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 1e-3,
      gamma: 0.99, tau: 0.005, batchSize: 256, bufferSize: 100000, warmupSteps: 100, noiseType: 'ou', noiseStd: 0.05, ouTheta: 0.0015,
      policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5,
      episodes: 0, totalSteps: 100000, maxEpisodeSteps: 0, evalEverySteps: 5000, evalEveryEpisodes: 0,
    },
  },
  {
    id: 'pendulum-sac',
    environment: 'Pendulum-v1',
    algorithm: 'sac',
    summary: "SAC on this project's DDPG defaults (twin critics, α tuned from 1 towards entropy −|A|, no exploration noise): solves Pendulum-v1 in 3,000–8,000 steps (BENCHMARKS.md).",
    settings: {
      environment: 'Pendulum-v1', algorithm: 'sac', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 2e-3,
      gamma: 0.99, tau: 0.01, batchSize: 128, bufferSize: 50000, warmupSteps: 1000,
      initialAlpha: 1, autotuneAlpha: true, targetEntropyPerAction: -1, alphaLr: 1e-3,
      episodes: 100, totalSteps: 0, maxEpisodeSteps: 0, evalEverySteps: 1000, evalEveryEpisodes: 0,
    },
  },
  {
    id: 'invertedpendulum-td3',
    environment: 'InvertedPendulum-v5',
    algorithm: 'td3',
    summary: "TD3 with this project's Pendulum networks and rates: the maximum evaluation (1000) within 11–17k steps on 5 of 5 seeds (BENCHMARKS.md).",
    settings: {
      environment: 'InvertedPendulum-v5', algorithm: 'td3', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 2e-3,
      gamma: 0.99, tau: 0.01, batchSize: 128, bufferSize: 50000, warmupSteps: 1000, noiseType: 'gaussian', noiseStd: 0.1,
      policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5,
      episodes: 0, totalSteps: 30000, maxEpisodeSteps: 0, evalEverySteps: 1000, evalEveryEpisodes: 0, evalEpisodes: 10,
    },
  },
  {
    id: 'invertedpendulum-sac',
    environment: 'InvertedPendulum-v5',
    algorithm: 'sac',
    summary: 'SAC with the same networks and rates: the maximum evaluation (1000) within 5–10k steps on 5 of 5 seeds (BENCHMARKS.md).',
    settings: {
      environment: 'InvertedPendulum-v5', algorithm: 'sac', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 2e-3,
      gamma: 0.99, tau: 0.01, batchSize: 128, bufferSize: 50000, warmupSteps: 1000,
      initialAlpha: 1, autotuneAlpha: true, targetEntropyPerAction: -1, alphaLr: 1e-3,
      episodes: 0, totalSteps: 30000, maxEpisodeSteps: 0, evalEverySteps: 1000, evalEveryEpisodes: 0, evalEpisodes: 10,
    },
  },
  {
    id: 'inverteddoublependulum-td3',
    environment: 'InvertedDoublePendulum-v5',
    algorithm: 'td3',
    summary: "TD3 with the TD3 paper's rates (3e-4, τ 0.005) on small networks: Gymnasium's threshold 9,100 within 26–41k steps on 3 of 3 seeds (BENCHMARKS.md).",
    settings: {
      environment: 'InvertedDoublePendulum-v5', algorithm: 'td3', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 3e-4, criticLr: 3e-4,
      gamma: 0.99, tau: 0.005, batchSize: 128, bufferSize: 200000, warmupSteps: 5000, noiseType: 'gaussian', noiseStd: 0.1,
      policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5,
      episodes: 0, totalSteps: 150000, maxEpisodeSteps: 0, evalEverySteps: 5000, evalEveryEpisodes: 0, evalEpisodes: 5,
    },
  },
  {
    id: 'inverteddoublependulum-sac',
    environment: 'InvertedDoublePendulum-v5',
    algorithm: 'sac',
    summary: "SAC with the same rates and networks: Gymnasium's threshold 9,100 within 25–31k steps on 3 of 3 seeds (BENCHMARKS.md).",
    settings: {
      environment: 'InvertedDoublePendulum-v5', algorithm: 'sac', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 3e-4, criticLr: 3e-4,
      gamma: 0.99, tau: 0.005, batchSize: 128, bufferSize: 200000, warmupSteps: 5000,
      initialAlpha: 1, autotuneAlpha: true, targetEntropyPerAction: -1, alphaLr: 1e-3,
      episodes: 0, totalSteps: 150000, maxEpisodeSteps: 0, evalEverySteps: 5000, evalEveryEpisodes: 0, evalEpisodes: 5,
    },
  },
  {
    id: 'halfcheetah-td3',
    environment: 'HalfCheetah-v5',
    algorithm: 'td3',
    summary: "TD3 with the TD3 paper's rates on 128×128 networks: 3,959 at 100,000 steps, mean of 3 seeds (BENCHMARKS.md).",
    settings: {
      environment: 'HalfCheetah-v5', algorithm: 'td3', actorHidden: [128, 128], criticHidden: [128, 128], actorLr: 3e-4, criticLr: 3e-4,
      gamma: 0.99, tau: 0.005, batchSize: 128, bufferSize: 200000, warmupSteps: 5000, noiseType: 'gaussian', noiseStd: 0.1,
      policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5,
      episodes: 0, totalSteps: 100000, maxEpisodeSteps: 0, evalEverySteps: 5000, evalEveryEpisodes: 0, evalEpisodes: 5,
    },
  },
  {
    id: 'halfcheetah-sac',
    environment: 'HalfCheetah-v5',
    algorithm: 'sac',
    summary: 'SAC with the same rates and networks: 4,433 at 100,000 steps, mean of 3 seeds (BENCHMARKS.md).',
    settings: {
      environment: 'HalfCheetah-v5', algorithm: 'sac', actorHidden: [128, 128], criticHidden: [128, 128], actorLr: 3e-4, criticLr: 3e-4,
      gamma: 0.99, tau: 0.005, batchSize: 128, bufferSize: 200000, warmupSteps: 5000,
      initialAlpha: 1, autotuneAlpha: true, targetEntropyPerAction: -1, alphaLr: 1e-3,
      episodes: 0, totalSteps: 100000, maxEpisodeSteps: 0, evalEverySteps: 5000, evalEveryEpisodes: 0, evalEpisodes: 5,
    },
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The preset recommended for an environment and algorithm, if there is one. */
export function presetFor(environment: EnvironmentId, algorithm: AlgorithmId): Preset | undefined {
  return PRESETS.find((p) => p.environment === environment && p.algorithm === algorithm);
}

/** A preset by its id, or by an environment id (that environment's preset for `algorithm`). */
export function findPreset(name: string, algorithm: AlgorithmId = 'ddpg'): Preset | undefined {
  return presetById(name) ?? PRESETS.find((p) => p.environment === name && p.algorithm === algorithm);
}

/** The preset a configuration equals on every setting the preset sets, if any (a run records it). */
export function matchingPreset(config: RunConfig): Preset | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return PRESETS.find((p) => Object.entries(p.settings).every(([key, value]) => same(config[key as keyof RunConfig], value)));
}
