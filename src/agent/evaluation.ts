/**
 * Deterministic evaluation: the online actor without noise, from the environment's fixed start
 * states, so that evaluations are comparable across runs, engines and checkpoints.
 */

import type { RunConfig } from '../shared/config';
import type { FrameBatch } from '../shared/protocol';
import { loadCheckpoint } from './checkpoint';
import { createEngine } from './engine/index';
import { prepareEnvironment } from './env/index';
import { environmentFor } from './environmentFor';
import { roundFrameValue } from './trainer/frameRecorder';

/** Long evaluations hand the event loop back this often, so commands and IPC stay responsive. */
const YIELD_EVERY_MS = 15;

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/** Evaluation frame batches go out about this often (and at each episode's end), like training frames. */
const FRAME_BATCH_MS = 100;

/** What a batch of evaluation frames is: which evaluation and start, and on an episode's last batch its length. */
export type EvaluationFrameLabels = Required<Pick<FrameBatch, 'evaluation'>> & Pick<FrameBatch, 'episodeLength'>;

/**
 * Receives animation frames (the environment's frame() of each step, `stride` numbers a step) of
 * evaluation episode `episode` (1-based). Every episode arrives whole: batches from step 0 on,
 * the last one carrying `labels.episodeLength`.
 */
export type FrameSink = (episode: number, firstStep: number, data: number[], stride: number, labels: EvaluationFrameLabels) => void;

/**
 * Runs `episodes` deterministic episodes of `act` from the environment's fixed evaluation starts
 * (systematic sampling of its reset distribution: comparable across runs, engines and checkpoints)
 * and returns their returns. `atStep` labels the frames: the training step this evaluation judges.
 */
export async function evaluatePolicy(
  act: (obs: ArrayLike<number>) => Float32Array,
  config: RunConfig,
  episodes: number,
  onFrames?: FrameSink,
  atStep = 0,
): Promise<number[]> {
  await prepareEnvironment(config.environment);
  const env = environmentFor(config);
  const stride = env.spec.frameLabels.length;
  const returns: number[] = [];
  let lastYield = performance.now();
  let lastFrames = lastYield;
  for (let e = 0; e < episodes; e++) {
    let obs = env.resetToEvaluationStart(e, episodes);
    const evaluation = { step: atStep, index: e + 1, count: episodes };
    let total = 0;
    let frames: number[] = [];
    let firstStep = 0;
    for (;;) {
      const result = env.step(act(obs));
      total += result.reward;
      if (onFrames) for (const value of env.frame()) frames.push(roundFrameValue(value));
      obs = result.observation;
      const ended = result.terminated || result.truncated;
      if (!ended && performance.now() - lastYield > YIELD_EVERY_MS) {
        if (onFrames && frames.length > 0 && performance.now() - lastFrames >= FRAME_BATCH_MS) {
          onFrames(e + 1, firstStep, frames, stride, { evaluation });
          firstStep = env.state.elapsedSteps;
          frames = [];
          lastFrames = performance.now();
        }
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (ended) break;
    }
    if (onFrames) {
      onFrames(e + 1, firstStep, frames, stride, { evaluation, episodeLength: env.state.elapsedSteps });
      lastFrames = performance.now();
    }
    returns.push(total);
  }
  env.dispose?.();
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
  const engine = await createEngine(config.engine, { algorithm: config.algorithm, shape: checkpoint.shape, hyper: config, batchSize: 1 }, options.log);
  try {
    engine.setParameters(checkpoint.parameters);
    const obs = new Float32Array(checkpoint.shape.obsDim);
    const act = (o: ArrayLike<number>) => {
      for (let i = 0; i < obs.length; i++) obs[i] = o[i];
      return engine.act(obs, 1);
    };
    const returns = await evaluatePolicy(act, config, episodes ?? config.evalEpisodes, options.onFrames, checkpoint.manifest.step);
    return { checkpointDir, returns, ...meanStd(returns) };
  } finally {
    engine.dispose();
  }
}
