/**
 * What a MuJoCo environment's step costs beyond the physics: steps/s of env.step() (action copy,
 * ctrl, frame_skip × mj_step, mj_rnePostConstraint, reward terms, termination, observation) against
 * steps/s of the same frame_skip raw mj_step calls on the same model, one JSON line per environment:
 *   {"environment","frameSkip","envStepsPerSecond","rawStepsPerSecond","overheadPercent"}
 * Rates are per second of this process's CPU time (steadier than wall time when other work shares
 * the machine); the two loops alternate in rounds after a warm-up (MuJoCo's WebAssembly is tiered up
 * by V8 while it runs) and the medians are compared. Neither loop resets (a fallen robot keeps
 * simulating), so resets are not in the figure.
 *
 *   node --import tsx bench/mujocoEnvironments.ts [--seconds 0.5] [--rounds 9] [--env HalfCheetah-v5,Ant-v5]
 */

import type { MainModule, MjData, MjModel } from 'mujoco-js';
import { ENVIRONMENT_IDS, ENVIRONMENTS, makeEnv, prepareEnvironment, type Environment, type EnvironmentId } from '../src/agent/env/index';
import { Random } from '../src/agent/random';

/** What the bench reads of a MuJoCo environment (through the registry: bench/ may not import one). */
interface MujocoInternals {
  mujoco: MainModule;
  model: MjModel;
  frameSkip: number;
}

export interface MujocoEnvironmentRow {
  environment: EnvironmentId;
  frameSkip: number;
  envStepsPerSecond: number;
  rawStepsPerSecond: number;
  overheadPercent: number;
}

const ACTION_POOL = 1024;

function actions(env: Environment): Float32Array[] {
  const random = new Random(7);
  const { actionSize, actionLow, actionHigh } = env.spec;
  return Array.from({ length: ACTION_POOL }, () => Float32Array.from({ length: actionSize }, () => random.uniform(actionLow, actionHigh)));
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Steps per CPU second of `step` over about `seconds` of CPU time. */
function rate(seconds: number, step: (k: number) => void): number {
  let steps = 0;
  const start = cpuSeconds();
  let elapsed = 0;
  while (elapsed < seconds) {
    for (let k = 0; k < 64; k++) step(steps + k);
    steps += 64;
    elapsed = cpuSeconds() - start;
  }
  return steps / elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchmarkMujocoEnvironment(id: EnvironmentId, seconds = 0.5, rounds = 9): Promise<MujocoEnvironmentRow> {
  await prepareEnvironment(id);
  const env = makeEnv(id, { rng: new Random(1) });
  const { mujoco, model, frameSkip } = env as unknown as Environment & MujocoInternals;
  const pool = actions(env);
  const raw: MjData = new mujoco.MjData(model);
  const ctrl = raw.ctrl as Float64Array;
  env.reset();
  mujoco.mj_setState(model, raw, env.state.physics as number[], mujoco.mjtState.mjSTATE_INTEGRATION.value);
  const envStep = (k: number) => env.step(pool[k % ACTION_POOL]);
  const rawStep = (k: number) => {
    ctrl.set(pool[k % ACTION_POOL]);
    for (let i = 0; i < frameSkip; i++) mujoco.mj_step(model, raw);
  };
  for (let warmUp = 0; warmUp < 2; warmUp++) {
    rate(seconds, envStep);
    rate(seconds, rawStep);
  }
  const envRates: number[] = [];
  const rawRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    envRates.push(rate(seconds, envStep));
    rawRates.push(rate(seconds, rawStep));
  }
  raw.delete();
  env.dispose?.();
  const envStepsPerSecond = median(envRates);
  const rawStepsPerSecond = median(rawRates);
  return { environment: id, frameSkip, envStepsPerSecond, rawStepsPerSecond, overheadPercent: 100 * (rawStepsPerSecond / envStepsPerSecond - 1) };
}

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** One JSON row per MuJoCo environment (all, or those named): npm run bench prints them too. */
export async function benchmarkMujocoEnvironments(options: { seconds?: number; rounds?: number; only?: string[] } = {}, log: (line: string) => void = console.log): Promise<void> {
  const ids = ENVIRONMENT_IDS.filter((id) => ENVIRONMENTS[id].mujoco && (!options.only || options.only.includes(id)));
  for (const id of ids) {
    const row = await benchmarkMujocoEnvironment(id, options.seconds ?? 0.5, options.rounds ?? 9);
    log(JSON.stringify({ ...row, envStepsPerSecond: Math.round(row.envStepsPerSecond), rawStepsPerSecond: Math.round(row.rawStepsPerSecond), overheadPercent: Number(row.overheadPercent.toFixed(1)) }));
  }
}

// Run on its own (node --import tsx bench/mujocoEnvironments.ts), not when bench.ts imports it.
if (process.argv[1]?.endsWith('mujocoEnvironments.ts')) {
  benchmarkMujocoEnvironments({ seconds: Number(flag('seconds') ?? 0.5), rounds: Number(flag('rounds') ?? 9), only: flag('env')?.split(',') }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
