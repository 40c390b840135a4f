/**
 * Deterministic evaluation: the online actor without noise, from fixed start states, so that
 * evaluations are comparable across runs, engines and checkpoints.
 */

import { loadCheckpoint } from './checkpoint';
import type { RunConfig } from '../shared/config';
import { createEngine } from './engine/index';
import { Pendulum } from './env/pendulum';
import { Random } from './random';

/** Evaluation episode e draws its start from seed EVAL_SEED_BASE + e. */
export const EVAL_SEED_BASE = 1_000_000;

/**
 * Start state [θ, θ̇] of evaluation episode `e` out of `episodes`: systematic sampling of the
 * angle, i.e. `episodes` evenly spaced angles around the circle shifted by one fixed random
 * offset, with θ̇ ~ U(−1, 1) from a fixed seed per episode. Its expectation is that of Pendulum's
 * own uniform reset, but it covers the whole circle every time: ten plain draws can put half the
 * starts hanging at the bottom (the seeds first used here did), and "solved" (mean ≥ −200) would
 * then mean something different from one set of seeds to the next.
 */
export function evaluationStart(e: number, episodes: number): [number, number] {
  const offset = new Random(EVAL_SEED_BASE).next();
  const theta = -Math.PI + ((e + offset) * 2 * Math.PI) / episodes;
  return [theta, new Random(EVAL_SEED_BASE + 1 + e).uniform(-1, 1)];
}

/** Long evaluations hand the event loop back this often, so commands and IPC stay responsive. */
const YIELD_EVERY_MS = 15;

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Receives animation frames [theta, torque, …] of evaluation episode `episode` (1-based). */
export type FrameSink = (episode: number, firstStep: number, data: number[]) => void;

/** Runs `episodes` deterministic episodes of `act` and returns their returns. */
export async function evaluatePolicy(
  act: (obs: ArrayLike<number>) => Float32Array,
  config: Pick<RunConfig, 'gravity' | 'maxEpisodeSteps'>,
  episodes: number,
  onFrames?: FrameSink,
): Promise<number[]> {
  const env = new Pendulum({ g: config.gravity, maxEpisodeSteps: config.maxEpisodeSteps });
  const returns: number[] = [];
  let lastYield = performance.now();
  for (let e = 0; e < episodes; e++) {
    env.reset();
    env.state = evaluationStart(e, episodes);
    let obs = env.observation();
    let total = 0;
    let frames: number[] = [];
    let firstStep = 0;
    for (;;) {
      const result = env.step(act(obs)[0]);
      total += result.reward;
      if (onFrames) frames.push(env.state[0], env.lastTorque);
      obs = result.observation;
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        if (onFrames && frames.length > 0) {
          onFrames(e + 1, firstStep, frames);
          firstStep = env.elapsedSteps;
          frames = [];
        }
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (result.terminated || result.truncated) break;
    }
    if (onFrames && frames.length > 0) onFrames(e + 1, firstStep, frames);
    returns.push(total);
  }
  return returns;
}

export interface CheckpointEvaluation {
  checkpointDir: string;
  returns: number[];
  mean: number;
  std: number;
}

/** Loads a checkpoint and evaluates its actor with the engine its config names (episodes default to its evalEpisodes). */
export async function evaluateCheckpoint(
  checkpointDir: string,
  episodes: number | undefined,
  options: { onFrames?: FrameSink; log?: (message: string) => void } = {},
): Promise<CheckpointEvaluation> {
  const checkpoint = await loadCheckpoint(checkpointDir);
  const config = checkpoint.manifest.config;
  const engine = await createEngine(config.engine, { shape: checkpoint.shape, hyper: config, batchSize: 1 }, options.log);
  try {
    engine.setParameters(checkpoint.parameters);
    const obs = new Float32Array(checkpoint.shape.obsDim);
    const act = (o: ArrayLike<number>) => {
      for (let i = 0; i < obs.length; i++) obs[i] = o[i];
      return engine.act(obs, 1);
    };
    const returns = await evaluatePolicy(act, config, episodes ?? config.evalEpisodes, options.onFrames);
    return { checkpointDir, returns, ...meanStd(returns) };
  } finally {
    engine.dispose();
  }
}
