/**
 * What the trainer asks of an algorithm's agent: actions (training and deterministic), storing a
 * transition and running the updates due after it, and the agent's own resume state. The trainer
 * is the same loop for every algorithm; only this object differs.
 */

import type { Engine } from '../engine/engine';
import type { ActionNoise } from '../noise';
import type { RandomStreams } from '../randomStreams';
import type { ReplayBuffer } from '../replayBuffer';
import type { AlgorithmSpec } from './algorithm';
import type { UpdateAccumulator } from './updateStatistics';

/** An agent's own counters and streams, as JSON (TD3's policy-delay counter, SAC's noise stream, …). */
export type AgentState = Record<string, unknown>;

export interface Agent {
  readonly spec: AlgorithmSpec;
  readonly engine: Engine;
  readonly buffer: ReplayBuffer;
  /** Exploration noise added to the actor's action (its state is part of the resume state). */
  readonly noise: ActionNoise;
  readonly rng: RandomStreams;
  /** Fresh networks from the seed (targets equal to the online networks). */
  initialiseNetworks(seed: number): void;
  /** The action to take in training; `stepsSoFar` env steps were taken before it (warm-up first). */
  trainingAction(obs: ArrayLike<number>, stepsSoFar: number): Float32Array;
  /** The policy's deterministic action (evaluation). */
  greedyAction(obs: ArrayLike<number>): Float32Array;
  /** Stores a transition and runs the updates due after it; returns how many updates ran. */
  observe(
    obs: ArrayLike<number>,
    action: ArrayLike<number>,
    reward: number,
    nextObs: ArrayLike<number>,
    terminated: boolean,
    stepsSoFar: number,
    stats: UpdateAccumulator,
  ): number;
  getState(): AgentState;
  /** Restores getState()'s value; throws an Error saying what is wrong with a damaged one. */
  setState(state: AgentState): void;
}
