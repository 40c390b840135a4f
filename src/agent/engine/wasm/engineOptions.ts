/**
 * What every fused wasm engine (DDPG, TD3, SAC) checks before it lays out its memory, and how it
 * turns the requested thread count into a mode: written once, so the three engines cannot drift.
 */

import { availableParallelism } from 'node:os';
import type { EngineOptions, UpdateHyperparameters } from '../engine';
import { actorLayers, criticLayers, parameterCount } from '../parameters';
import type { ThreadMode } from './engineThreads';

/** act() handles this many observations per wasm call at least (more when the batch is larger). */
export const MIN_ACT_CAPACITY = 256;

/** 'auto' threads: cores the machine must have. */
const AUTO_THREADS_MIN_CORES = 2;
/** 'auto' threads: batch × (actor + critic parameters) from which a second thread pays (hidden 128, batch 64). */
const AUTO_THREADS_MIN_WORK = 2_000_000;

/**
 * The thread mode 'auto' resolves to for these options on this machine. Measured on DDPG's update;
 * TD3's and SAC's have more work on the same shape, so the threshold is conservative for them.
 */
export function autoThreads(options: EngineOptions, cores = availableParallelism()): 1 | 'adaptive' {
  const work = options.batchSize * (parameterCount(actorLayers(options.shape)) + parameterCount(criticLayers(options.shape)));
  return cores >= AUTO_THREADS_MIN_CORES && work >= AUTO_THREADS_MIN_WORK ? 'adaptive' : 1;
}

/** The requested thread count, checked, with 'auto' resolved. */
export function resolveThreads(requested: unknown, options: EngineOptions): ThreadMode {
  if (requested !== 1 && requested !== 2 && requested !== 'adaptive' && requested !== 'auto') {
    throw new RangeError(`threads must be 1, 2, 'adaptive' or 'auto', got ${String(requested)}`);
  }
  return requested === 'auto' ? autoThreads(options) : requested;
}

/** Sizes every engine needs positive, then the algorithm's own hyperparameter check. */
export function checkEngineOptions({ shape, batchSize, hyper }: EngineOptions, checkHyper: (hyper: UpdateHyperparameters) => unknown = checkHyperparameters): void {
  const positiveInteger = (name: string, n: number) => {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  };
  positiveInteger('obsDim', shape.obsDim);
  positiveInteger('actDim', shape.actDim);
  positiveInteger('batchSize', batchSize);
  shape.actorHidden.forEach((w, i) => positiveInteger(`actorHidden[${i}]`, w));
  shape.criticHidden.forEach((w, i) => positiveInteger(`criticHidden[${i}]`, w));
  if (!(shape.actionBound > 0)) throw new RangeError(`actionBound must be positive, got ${shape.actionBound}`);
  checkHyper(hyper);
}

/** The hyperparameters DDPG and TD3 take: all finite. */
export function checkHyperparameters(hyper: UpdateHyperparameters): void {
  for (const key of ['gamma', 'tau', 'actorLr', 'criticLr'] as const) {
    if (!Number.isFinite(hyper[key])) throw new RangeError(`${key} must be a finite number, got ${hyper[key]}`);
  }
}
