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
/** 128×128 networks: ~3× cheaper here than the papers' 256×256 or 400×300, and enough for 100,000 steps. */
const MUJOCO_MEDIUM: Partial<RunConfig> = { ...MUJOCO_RATES, actorHidden: [128, 128], criticHidden: [128, 128], totalSteps: 100000 };
/** RL Zoo's MuJoCo setting (`learning_starts: 10000`): for tasks whose episodes end on a fall, more random starts before learning. */
const MUJOCO_LOCOMOTION: Partial<RunConfig> = { ...MUJOCO_MEDIUM, warmupSteps: 10000 };
const HALF_CHEETAH: TaskSettings = { ...MUJOCO_MEDIUM, environment: 'HalfCheetah-v5' };
const HOPPER: TaskSettings = { ...MUJOCO_LOCOMOTION, environment: 'Hopper-v5' };
const WALKER_2D: TaskSettings = { ...MUJOCO_LOCOMOTION, environment: 'Walker2d-v5' };
const ANT: TaskSettings = { ...MUJOCO_LOCOMOTION, environment: 'Ant-v5' };
const REACHER: TaskSettings = { ...MUJOCO_MEDIUM, environment: 'Reacher-v5' };
/** RL Zoo's Swimmer setting: γ 0.9999, as the swimmer's reward for moving forward builds up slowly over the whole episode. */
const SWIMMER: TaskSettings = { ...MUJOCO_MEDIUM, environment: 'Swimmer-v5', gamma: 0.9999 };

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
  preset(
    'halfcheetah-ddpg',
    "DDPG, the paper's own task, with halfcheetah-td3's rates, networks and exploration: 3,998 at 100,000 steps (one seed, BENCHMARKS.md).",
    { ...HALF_CHEETAH, algorithm: 'ddpg', ...GAUSSIAN_EXPLORATION },
  ),
  preset('hopper-td3', "TD3 with the TD3 paper's rates on 128×128 networks and RL Zoo's 10,000 random steps first; at 100,000 steps 311, mean of 3 seeds (the TD3 paper's curves: 659 ± 752); keep the best checkpoint (BENCHMARKS.md).", {
    ...HOPPER, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION,
  }),
  preset('hopper-sac', "SAC with the same rates, networks and random steps; at 100,000 steps 376, mean of 3 seeds, each seed's best ~1,030 on the way (BENCHMARKS.md).", { ...HOPPER, ...SAC_SETTINGS }),
  preset('walker2d-td3', "TD3 with the TD3 paper's rates on 128×128 networks and RL Zoo's 10,000 random steps first; at 100,000 steps 627, mean of 3 seeds (the TD3 paper's curves: 770 ± 586) (BENCHMARKS.md).", {
    ...WALKER_2D, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION,
  }),
  preset('walker2d-sac', 'SAC with the same rates, networks and random steps; at 100,000 steps 377, mean of 3 seeds (BENCHMARKS.md).', { ...WALKER_2D, ...SAC_SETTINGS }),
  preset('ant-td3', "TD3 with the TD3 paper's rates on 128×128 networks and RL Zoo's 10,000 random steps first; at 100,000 steps 372, best 1,134 on the way (one seed; the TD3 paper's curves: 586 ± 185) (BENCHMARKS.md).", {
    ...ANT, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION,
  }),
  preset('ant-sac', 'SAC with the same rates, networks and random steps; at 100,000 steps 1,048 (one seed, BENCHMARKS.md).', { ...ANT, ...SAC_SETTINGS }),
  preset('reacher-td3', "TD3 with the TD3 paper's rates on 128×128 networks; at 100,000 steps −5.4 (one seed; the TD3 paper's curves: −4.6; Gymnasium's threshold −3.75) (BENCHMARKS.md).", {
    ...REACHER, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION,
  }),
  preset('reacher-sac', 'SAC with the same rates and networks; at 100,000 steps −5.3 (one seed, BENCHMARKS.md).', { ...REACHER, ...SAC_SETTINGS }),
  preset('swimmer-td3', "TD3 with RL Zoo's γ 0.9999 for Swimmer and the TD3 paper's rates on 128×128 networks; only 16 at 100,000 steps (one seed): Swimmer needs far longer (RL Zoo: 359 at 1M steps) — raise ddpg.totalSteps (BENCHMARKS.md).", {
    ...SWIMMER, ...TD3_SETTINGS, ...GAUSSIAN_EXPLORATION,
  }),
  preset('swimmer-sac', 'SAC with the same γ, rates and networks; 28 at 100,000 steps (one seed; RL Zoo: 346 at 1M steps) (BENCHMARKS.md).', { ...SWIMMER, ...SAC_SETTINGS }),
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
