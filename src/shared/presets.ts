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

/** What a preset sets, environment and algorithm included (the Preset's own fields are read from them). */
type PresetSettings = Partial<RunConfig> & Pick<RunConfig, 'environment' | 'algorithm'>;
/** A task's settings, shared by its presets of every algorithm. */
type TaskSettings = Partial<RunConfig> & Pick<RunConfig, 'environment'>;

function preset(id: string, summary: string, settings: PresetSettings): Preset {
  return { id, environment: settings.environment, algorithm: settings.algorithm, summary, settings };
}

// Each algorithm's own settings, as every preset of that algorithm uses them.
const TD3_SETTINGS: Partial<RunConfig> & Pick<RunConfig, 'algorithm'> = { algorithm: 'td3', policyDelay: 2, targetPolicyNoise: 0.2, targetNoiseClip: 0.5 };
const SAC_SETTINGS: Partial<RunConfig> & Pick<RunConfig, 'algorithm'> = { algorithm: 'sac', initialAlpha: 1, autotuneAlpha: true, targetEntropyPerAction: -1, alphaLr: 1e-3 };
const GAUSSIAN_EXPLORATION: Partial<RunConfig> = { noiseType: 'gaussian', noiseStd: 0.1 };
/** RL Zoo's DDPG exploration for MountainCar: SB3's OU noise (σ 0.5, θ 0.15, dt 0.01) per step here. */
const SLOW_OU_EXPLORATION: Partial<RunConfig> = { noiseType: 'ou', noiseStd: 0.05, ouTheta: 0.0015 };

const PENDULUM: TaskSettings = {
  environment: 'Pendulum-v1', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 2e-3,
  gamma: 0.99, tau: 0.01, batchSize: 128, bufferSize: 50000, warmupSteps: 1000,
  episodes: 100, totalSteps: 0, maxEpisodeSteps: 0, evalEverySteps: 1000, evalEveryEpisodes: 0,
};
const MOUNTAIN_CAR: TaskSettings = {
  environment: 'MountainCarContinuous-v0', actorHidden: [64, 64], criticHidden: [64, 64], actorLr: 1e-3, criticLr: 1e-3,
  gamma: 0.99, tau: 0.005, batchSize: 256, bufferSize: 100000, warmupSteps: 100,
  episodes: 0, totalSteps: 100000, maxEpisodeSteps: 0, evalEverySteps: 5000, evalEveryEpisodes: 0,
};
const INVERTED_PENDULUM: TaskSettings = { ...PENDULUM, environment: 'InvertedPendulum-v5', episodes: 0, totalSteps: 30000, evalEpisodes: 10 };
/** The TD3 paper's rates (3e-4, τ 0.005) for the MuJoCo tasks below. */
const MUJOCO_RATES: Partial<RunConfig> = {
  actorLr: 3e-4, criticLr: 3e-4, gamma: 0.99, tau: 0.005, batchSize: 128, bufferSize: 200000, warmupSteps: 5000,
  episodes: 0, maxEpisodeSteps: 0, evalEverySteps: 5000, evalEveryEpisodes: 0, evalEpisodes: 5,
};
const INVERTED_DOUBLE_PENDULUM: TaskSettings = { ...MUJOCO_RATES, environment: 'InvertedDoublePendulum-v5', actorHidden: [64, 64], criticHidden: [64, 64], totalSteps: 150000 };
const HALF_CHEETAH: TaskSettings = { ...MUJOCO_RATES, environment: 'HalfCheetah-v5', actorHidden: [128, 128], criticHidden: [128, 128], totalSteps: 100000 };

export const PRESETS: readonly Preset[] = [
  preset('pendulum-ddpg', "This project's defaults: solves Pendulum-v1 in about 3,000 steps (every seed of BENCHMARKS.md's 8).", {
    ...PENDULUM, algorithm: 'ddpg', ...GAUSSIAN_EXPLORATION,
  }),
  preset(
    'mountaincar-ddpg',
    "RL Zoo's DDPG setting: Ornstein–Uhlenbeck noise σ 0.5, θ 0.15 with SB3's dt 0.01 (θ 0.0015, σ 0.05 per step here), " +
      'a slow drift that carries the car up a slope; 100,000 steps.',
    { ...MOUNTAIN_CAR, algorithm: 'ddpg', ...SLOW_OU_EXPLORATION },
  ),
  preset(
    'pendulum-td3',
    "TD3 on this project's DDPG defaults (twin critics, policy delay 2, target smoothing σ 0.2 clipped at 0.5): every seed of BENCHMARKS.md's 8 solves.",
    { ...PENDULUM, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION },
  ),
  preset(
    'mountaincar-td3',
    "TD3 with mountaincar-ddpg's exploration (RL Zoo's slow Ornstein–Uhlenbeck drift) and TD3's defaults; " +
      '100,000 steps (the 2 seeds tried solved by 65,000).',
    { ...MOUNTAIN_CAR, ...TD3_SETTINGS, ...SLOW_OU_EXPLORATION },
  ),
  preset(
    'pendulum-sac',
    "SAC on this project's DDPG defaults (twin critics, α tuned from 1 towards entropy −|A|, no exploration noise): solves Pendulum-v1 in 3,000–8,000 steps (BENCHMARKS.md).",
    { ...PENDULUM, ...SAC_SETTINGS },
  ),
  preset(
    'invertedpendulum-td3',
    "TD3 with this project's Pendulum networks and rates: the maximum evaluation (1000) within 11–17k steps on 5 of 5 seeds (BENCHMARKS.md).",
    { ...INVERTED_PENDULUM, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION },
  ),
  preset(
    'invertedpendulum-sac',
    'SAC with the same networks and rates: the maximum evaluation (1000) within 5–10k steps on 5 of 5 seeds (BENCHMARKS.md).',
    { ...INVERTED_PENDULUM, ...SAC_SETTINGS },
  ),
  preset(
    'inverteddoublependulum-td3',
    "TD3 with the TD3 paper's rates (3e-4, τ 0.005) on small networks: Gymnasium's threshold 9,100 within 26–41k steps on 3 of 3 seeds (BENCHMARKS.md).",
    { ...INVERTED_DOUBLE_PENDULUM, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION },
  ),
  preset(
    'inverteddoublependulum-sac',
    "SAC with the same rates and networks: Gymnasium's threshold 9,100 within 25–31k steps on 3 of 3 seeds (BENCHMARKS.md).",
    { ...INVERTED_DOUBLE_PENDULUM, ...SAC_SETTINGS },
  ),
  preset(
    'halfcheetah-td3',
    "TD3 with the TD3 paper's rates on 128×128 networks: 3,959 at 100,000 steps, mean of 3 seeds (BENCHMARKS.md).",
    { ...HALF_CHEETAH, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION },
  ),
  preset('halfcheetah-sac', 'SAC with the same rates and networks: 4,433 at 100,000 steps, mean of 3 seeds (BENCHMARKS.md).', {
    ...HALF_CHEETAH, ...SAC_SETTINGS,
  }),
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
