import type { Batch, Engine, NetworkParameters, NetworkShape, UpdateSchedule } from '../src/agent/engine/engine';
import { initialParameters } from '../src/agent/engine/parameters';
import { Random } from '../src/agent/random';

export interface UpdateTiming {
  /** Median wall-clock time of one update. */
  msPerUpdate: number;
  /**
   * Median process CPU time of one update: on a machine shared with other work this tracks the
   * uncontended wall time better, as time spent descheduled does not count.
   */
  cpuMsPerUpdate: number;
  /** Updates timed (after warm-up), over all rounds. */
  updates: number;
  /**
   * Mean wall and process CPU time of one update over all rounds (the total over the updates): what
   * a rate over a stretch of training compares with, probes of the adaptive thread policy included.
   */
  meanMsPerUpdate: number;
  meanCpuMsPerUpdate: number;
}

export interface TimingBudget {
  /** Warm-up time before measuring (JIT tier-up, caches), seconds. */
  warmupSeconds: number;
  /** Target length of one timed round, seconds. */
  roundSeconds: number;
  /** Most rounds; fewer when the engine is so slow that they would exceed maxSeconds. */
  rounds: number;
  maxSeconds: number;
}

/** What an algorithm other than DDPG needs to be timed. */
export interface UpdateWorkload {
  /** Its initial parameters (DDPG's by default). */
  parameters?: (shape: NetworkShape, rng: Random) => NetworkParameters;
  /** Schedules cycled through one per update (TD3's policy delay); absent: every update is full. */
  schedules?: readonly UpdateSchedule[];
  /** What the agent does before each update besides sampling, timed with it (SAC's noise draws). */
  beforeUpdate?: (batch: Batch) => void;
}

export const DEFAULT_BUDGET: TimingBudget = { warmupSeconds: 0.4, roundSeconds: 0.12, rounds: 11, maxSeconds: 3 };

/** Pendulum-like transitions: cos, sin in [−1, 1], angular velocity in [−8, 8]. */
function fillBatch(batch: Batch, rng: Random, actionBound: number, obsDim: number): void {
  const observation = (array: Float32Array) => {
    for (let k = 0; k < array.length; k++) array[k] = k % obsDim === obsDim - 1 ? rng.uniform(-8, 8) : rng.uniform(-1, 1);
  };
  observation(batch.obs);
  observation(batch.nextObs);
  for (let k = 0; k < batch.action.length; k++) batch.action[k] = rng.uniform(-actionBound, actionBound);
  for (let k = 0; k < batch.reward.length; k++) batch.reward[k] = rng.uniform(-16, 0);
  batch.terminated.fill(0);
  if (batch.targetNoise) for (let k = 0; k < batch.targetNoise.length; k++) batch.targetNoise[k] = rng.uniform(-0.5, 0.5) * actionBound;
}

const seconds = () => performance.now() / 1000;

/**
 * Median time of one update (the whole DDPG update: targets, critic step, actor step, soft
 * updates), over rounds of back-to-back updates on a fixed batch. Sampling is not included:
 * it writes the same arrays for every engine and costs the same.
 */
export function timeUpdates(engine: Engine, budget: TimingBudget = DEFAULT_BUDGET, workload: UpdateWorkload = {}): UpdateTiming {
  const rng = new Random(1);
  engine.setParameters((workload.parameters ?? initialParameters)(engine.shape, rng));
  fillBatch(engine.batch, rng, engine.shape.actionBound, engine.shape.obsDim);
  const schedules = workload.schedules;
  let updates = 0;
  const runUpdate = schedules ? () => engine.update(schedules[updates++ % schedules.length]) : () => engine.update();
  const before = workload.beforeUpdate;
  const update = before
    ? () => {
        before(engine.batch);
        return runUpdate();
      }
    : runUpdate;

  let started = seconds();
  update();
  let single = seconds() - started;
  const warmupEnd = seconds() + Math.min(budget.warmupSeconds, budget.maxSeconds / 4);
  let warmups = 1;
  while (seconds() < warmupEnd || warmups < 2) {
    started = seconds();
    update();
    single = Math.min(single, seconds() - started);
    warmups++;
  }

  // Whole schedule cycles per round, so a round's mean is the mean cost per update of the cycle.
  const cycle = schedules?.length ?? 1;
  const perRound = cycle * Math.max(1, Math.round(budget.roundSeconds / single / cycle));
  const rounds = Math.max(3, Math.min(budget.rounds, Math.floor(budget.maxSeconds / (perRound * single))));
  const wallTimes: number[] = [];
  const cpuTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cpuStart = process.cpuUsage();
    started = seconds();
    for (let k = 0; k < perRound; k++) update();
    wallTimes.push((seconds() - started) / perRound);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1e6 / perRound);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    msPerUpdate: median(wallTimes) * 1000,
    cpuMsPerUpdate: median(cpuTimes) * 1000,
    updates: rounds * perRound,
    meanMsPerUpdate: mean(wallTimes) * 1000,
    meanCpuMsPerUpdate: mean(cpuTimes) * 1000,
  };
}
