/**
 * What every Gymnasium MuJoCo environment shares (gymnasium/envs/mujoco/mujoco_env.py, MujocoEnv),
 * behind the Environment interface: the model, `frame_skip` physics steps per step followed by
 * mj_rnePostConstraint (as Gymnasium's _step_mujoco_simulation does, so that cfrc_ext is filled),
 * reset = mj_resetData + the class's reset_model + mj_forward, and the TimeLimit wrapper's counter.
 * A subclass is one Gymnasium v5 class: its reset noise, observation, reward terms and termination.
 */

import type { DoubleBuffer, MainModule, MjData, MjModel } from 'mujoco-js';
import type { EnvironmentDescriptor } from '../../../shared/environments';
import type { MujocoScene } from '../../../shared/mujocoScene';
import { Random } from '../../random';
import type { Environment, EnvironmentState, StepResult } from '../environment';
import { checkEvaluationEpisode, EVALUATION_SEED_BASE } from '../evaluationStarts';
import { stepCountField } from '../stateFields';
import { modelScene, type RestPoses } from './modelScene';
import { compiledModel, loadedMujoco } from './mujocoRuntime';

export interface MujocoEnvironmentOptions {
  rng: Random;
  maxEpisodeSteps: number;
}

/**
 * Results of the last mj_step (or reset's mj_forward) that an environment reads. They are not part
 * of MuJoCo's integration state — mj_step recomputes them from it, and leaves them one sub-step
 * behind qpos — so a state that must resume bit for bit carries them as they are.
 */
export type DerivedField = 'xpos' | 'xquat' | 'site_xpos' | 'cfrc_ext' | 'qfrc_constraint';

/** The MjData arrays this code reads or writes; embind makes a new view per access, so they are kept, and remade when the heap grows. */
class DataViews {
  qpos!: Float64Array;
  qvel!: Float64Array;
  ctrl!: Float64Array;
  xpos!: Float64Array;
  xquat!: Float64Array;
  site_xpos!: Float64Array;
  cfrc_ext!: Float64Array;
  qfrc_constraint!: Float64Array;

  constructor(private readonly data: MjData) {
    this.refresh();
  }

  /** A grown WebAssembly memory detaches every earlier view (length 0): remake them. */
  attached(): this {
    if (this.qpos.length === 0) this.refresh();
    return this;
  }

  private refresh(): void {
    const { data } = this;
    this.qpos = data.qpos as Float64Array;
    this.qvel = data.qvel as Float64Array;
    this.ctrl = data.ctrl as Float64Array;
    this.xpos = data.xpos as Float64Array;
    this.xquat = data.xquat as Float64Array;
    this.site_xpos = data.site_xpos as Float64Array;
    this.cfrc_ext = data.cfrc_ext as Float64Array;
    this.qfrc_constraint = data.qfrc_constraint as Float64Array;
  }
}

export interface MujocoEnvironmentState extends EnvironmentState {
  /** mj_getState(mjSTATE_INTEGRATION): time, qpos, qvel, act, warm start, ctrl, applied forces, mocap, … */
  physics: number[];
  /** The last action, which frame() reports. */
  lastAction: number[];
}

/** MuJoCo's memory is freed with its environment even when nobody calls dispose(). */
const releaseSimulation = new FinalizationRegistry<{ data: MjData; stateBuffer: DoubleBuffer }>(({ data, stateBuffer }) => {
  stateBuffer.delete();
  data.delete();
});

export abstract class MujocoEnvironment implements Environment {
  readonly spec: EnvironmentDescriptor;
  readonly maxEpisodeSteps: number;
  readonly frameSkip: number;
  /** Gymnasium's dt: model timestep × frame_skip, the time one step() simulates. */
  readonly dt: number;
  /** Gymnasium's `info` of the last step or reset: the reward terms, positions and velocities it reports. */
  info: Record<string, number> = {};
  /** MuJoCo, the compiled model (shared by every environment of this model) and this environment's simulation data. */
  readonly mujoco: MainModule;
  readonly model: MjModel;
  readonly data: MjData;
  /** The model's qpos0 and zero velocities: what reset noise is added to (Gymnasium's init_qpos, init_qvel). */
  protected readonly initQpos: Float64Array;
  protected readonly initQvel: Float64Array;
  protected readonly rng: Random;
  /** Derived arrays (beyond the body poses frame() reads) this environment's observation or reward uses. */
  protected readonly derivedFields: readonly DerivedField[] = [];
  private readonly views: DataViews;
  private readonly lastAction: Float64Array;
  private readonly integrationState: number;
  private readonly stateBuffer: DoubleBuffer;
  private elapsedSteps = 0;
  private sceneData: MujocoScene | undefined;
  private disposed = false;

  protected constructor(spec: EnvironmentDescriptor, modelFile: string, frameSkip: number, options: MujocoEnvironmentOptions) {
    this.spec = spec;
    this.maxEpisodeSteps = options.maxEpisodeSteps;
    this.rng = options.rng;
    this.frameSkip = frameSkip;
    this.mujoco = loadedMujoco();
    this.model = compiledModel(this.mujoco, modelFile);
    this.data = new this.mujoco.MjData(this.model);
    this.views = new DataViews(this.data);
    this.dt = this.model.opt.timestep * frameSkip;
    this.initQpos = Float64Array.from(this.views.qpos);
    this.initQvel = Float64Array.from(this.views.qvel);
    this.lastAction = new Float64Array(this.model.nu);
    this.integrationState = this.mujoco.mjtState.mjSTATE_INTEGRATION.value;
    this.stateBuffer = new this.mujoco.DoubleBuffer(this.mujoco.mj_stateSize(this.model, this.integrationState));
    releaseSimulation.register(this, { data: this.data, stateBuffer: this.stateBuffer }, this);
    if (spec.actionSize !== this.model.nu) throw new Error(`${spec.id}: the descriptor says ${spec.actionSize} actions, the model has ${this.model.nu}`);
  }

  // ─── what each Gymnasium class defines ───────────────────────────────────────────────────────

  /** reset_model's draw: qpos and qvel to start from (noise added to initQpos / initQvel from `rng`). */
  protected abstract resetModel(rng: Random): { qpos: ArrayLike<number>; qvel: ArrayLike<number> };

  /** The class's step() around do_simulation: call this.simulate(action) once, return reward and termination, set this.info. */
  protected abstract stepModel(action: Float64Array): { reward: number; terminated: boolean };

  /** _get_obs(). */
  abstract observation(): number[];

  /** _get_reset_info() (most classes report positions). */
  protected resetInfo(): Record<string, number> {
    return {};
  }

  // ─── the Environment interface ───────────────────────────────────────────────────────────────

  reset(seed?: number): number[] {
    if (seed !== undefined) this.rng.seed(seed);
    return this.startEpisode(this.rng);
  }

  /** Episode `index`'s reset noise comes from its own fixed seed, the same for every run and every count. */
  resetToEvaluationStart(index: number, count: number): number[] {
    checkEvaluationEpisode(index, count);
    return this.startEpisode(new Random(EVALUATION_SEED_BASE + 1 + index));
  }

  step(action: ArrayLike<number> | number): StepResult {
    this.checkUsable();
    const components = typeof action === 'number' ? [action] : action;
    if (components.length !== this.model.nu) {
      throw new RangeError(`${this.spec.id} takes ${this.model.nu} action components, got ${components.length}`);
    }
    for (let i = 0; i < components.length; i++) this.lastAction[i] = components[i];
    const { reward, terminated } = this.stepModel(this.lastAction);
    this.elapsedSteps++;
    return { observation: this.observation(), reward, terminated, truncated: this.elapsedSteps >= this.maxEpisodeSteps };
  }

  get state(): MujocoEnvironmentState {
    this.checkUsable();
    this.mujoco.mj_getState(this.model, this.data, this.stateBuffer, this.integrationState);
    const views = this.d;
    const saved: MujocoEnvironmentState = {
      elapsedSteps: this.elapsedSteps,
      physics: Array.from(this.stateBuffer.GetView() as Float64Array),
      lastAction: Array.from(this.lastAction),
    };
    for (const field of this.savedFields()) saved[field] = Array.from(views[field]);
    return saved;
  }

  set state(saved: EnvironmentState) {
    this.checkUsable();
    const id = this.spec.id;
    const elapsedSteps = stepCountField(id, saved);
    const physics = numberArrayField(id, saved, 'physics', this.mujoco.mj_stateSize(this.model, this.integrationState));
    const lastAction = numberArrayField(id, saved, 'lastAction', this.model.nu);
    const views = this.d;
    const derived = this.savedFields().map((field) => [field, numberArrayField(id, saved, field, views[field].length)] as const);
    this.mujoco.mj_setState(this.model, this.data, physics, this.integrationState);
    for (const [field, values] of derived) views[field].set(values);
    this.lastAction.set(lastAction);
    this.elapsedSteps = elapsedSteps;
  }

  /** Each moving body's position and orientation (world body excluded), then the last action: spec.frameLabels. */
  frame(): number[] {
    const { xpos, xquat } = this.d;
    const frame: number[] = [];
    for (let b = 1; b < this.model.nbody; b++) {
      frame.push(xpos[3 * b], xpos[3 * b + 1], xpos[3 * b + 2], xquat[4 * b], xquat[4 * b + 1], xquat[4 * b + 2], xquat[4 * b + 3]);
    }
    for (let i = 0; i < this.lastAction.length; i++) frame.push(this.lastAction[i]);
    return frame;
  }

  /** The model's bodies, geoms and rest poses for the 3D renderer; the same object on every call. */
  scene(): MujocoScene {
    this.sceneData ??= modelScene(this.model, this.restPoses());
    return this.sceneData;
  }

  /** Frees the simulation's memory in MuJoCo's heap now rather than when the collector finds the environment. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    releaseSimulation.unregister(this);
    this.stateBuffer.delete();
    this.data.delete();
  }

  /**
   * Gymnasium's MujocoEnv.set_state(qpos, qvel): writes them and runs mj_forward, so that positions
   * and forces match them (the time limit's counter is left alone).
   */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    this.checkUsable();
    if (qpos.length !== this.model.nq || qvel.length !== this.model.nv) {
      throw new RangeError(`${this.spec.id}: set_state takes ${this.model.nq} positions and ${this.model.nv} velocities, got ${qpos.length} and ${qvel.length}`);
    }
    const views = this.d;
    views.qpos.set(qpos);
    views.qvel.set(qvel);
    this.mujoco.mj_forward(this.model, this.data);
  }

  /**
   * The bodies' poses at qpos0, from a simulation of their own: this environment's is wherever
   * its episode has got to. (A new MjData starts at qpos0; mj_forward places the bodies there.)
   */
  private restPoses(): RestPoses {
    this.checkUsable();
    const data = new this.mujoco.MjData(this.model);
    try {
      this.mujoco.mj_forward(this.model, data);
      return { xpos: Float64Array.from(data.xpos as Float64Array), xquat: Float64Array.from(data.xquat as Float64Array) };
    } finally {
      data.delete();
    }
  }

  // ─── for subclasses ──────────────────────────────────────────────────────────────────────────

  /** The MjData arrays, valid until the next allocation in MuJoCo's heap. */
  protected get d(): DataViews {
    return this.views.attached();
  }

  /** Gymnasium's do_simulation(action, frame_skip): ctrl ← action (MuJoCo clamps it to ctrlrange), frame_skip × mj_step, mj_rnePostConstraint. */
  protected simulate(action: Float64Array): void {
    const { mujoco, model, data } = this;
    this.d.ctrl.set(action);
    for (let i = 0; i < this.frameSkip; i++) mujoco.mj_step(model, data);
    mujoco.mj_rnePostConstraint(model, data);
  }

  /** Position of body `index` (Gymnasium's get_body_com / data.body(i).xpos), as mj_step last computed it. */
  protected bodyPosition(index: number): [number, number, number] {
    const { xpos } = this.d;
    return [xpos[3 * index], xpos[3 * index + 1], xpos[3 * index + 2]];
  }

  protected bodyIndex(name: string): number {
    const id = this.mujoco.mj_name2id(this.model, this.mujoco.mjtObj.mjOBJ_BODY.value, name);
    if (id < 0) throw new Error(`${this.spec.id}: the model has no body ${JSON.stringify(name)}`);
    return id;
  }

  /** Gymnasium's state_vector(): qpos then qvel. */
  protected stateVector(): number[] {
    const { qpos, qvel } = this.d;
    return [...qpos, ...qvel];
  }

  // ─── internals ───────────────────────────────────────────────────────────────────────────────

  private startEpisode(rng: Random): number[] {
    this.checkUsable();
    const { mujoco, model, data } = this;
    mujoco.mj_resetData(model, data);
    const { qpos, qvel } = this.resetModel(rng);
    this.setState(qpos, qvel);
    this.elapsedSteps = 0;
    this.lastAction.fill(0);
    this.info = this.resetInfo();
    return this.observation();
  }

  private savedFields(): DerivedField[] {
    return [...new Set<DerivedField>(['xpos', 'xquat', ...this.derivedFields])];
  }

  private checkUsable(): void {
    if (this.disposed) throw new Error(`${this.spec.id}: this environment was disposed`);
  }
}

function numberArrayField(environmentId: string, state: EnvironmentState, field: string, length: number): number[] {
  const value = state?.[field];
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new TypeError(`${environmentId} state: ${field} must be ${length} finite numbers, got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return value;
}
