// The fused DDPG engine: one exported call per update (TD targets, critic step, actor step through
// the updated critic, Adam and soft updates), a batched act, and the memory layout they work in.
//
// Life cycle, driven by wasmEngine.ts: _start() (the module's start function, exported so that a
// helper thread's instance on the same memory can skip it), addHiddenLayer() for each hidden layer
// of both networks, configure() once (it allocates every buffer, so memory grows only there),
// setHyperparameters(), optionally attachHelper() (parallel.ts), then any number of
// update()/act() calls, which allocate nothing. The exported *Pointer globals are byte addresses
// of the buffers JavaScript reads and writes in place. Nothing at the top level allocates: a
// helper instance must never touch the heap.

import { backward, forward, Network } from './network';
import { MAILBOX_BYTES, parallelAdamWithSoftUpdate as adamWithSoftUpdate } from './parallel';

export { attachHelper, detachHelper, helperChunks, helperFailed, helperLoop, setHelperInUse } from './parallel';

export const ACTOR: i32 = 0;
export const CRITIC: i32 = 1;

/** Spare bytes after every buffer: SIMD loads at a ragged row end may read up to 28 bytes past it. */
const BUFFER_SLACK: usize = 64;
/** Buffers start on cache lines, so the two threads' halves of a product do not share lines. */
const BUFFER_ALIGNMENT: usize = 64;
const MAX_HIDDEN_LAYERS = 16;

// ── Configuration ───────────────────────────────────────────────────────────────────────────────

export let observationWidth: i32 = 0;
export let actionWidth: i32 = 0;
export let batchSize: i32 = 0;
/** Most observations one act() call takes. */
export let actCapacity: i32 = 0;
let actionBound: f32 = 1;

let gamma: f32 = 0.99;
let tau: f32 = 0.005;
let actorLearningRate: f32 = 1e-3;
let criticLearningRate: f32 = 1e-3;

/** Hidden widths declared so far: actor's in the first half of this static table, critic's in the second. */
const pendingHidden = memory.data(2 * MAX_HIDDEN_LAYERS * 4);
let pendingActorCount = 0;
let pendingCriticCount = 0;
let actorNetwork: Network | null = null;
let criticNetwork: Network | null = null;

// ── Buffers shared with JavaScript ──────────────────────────────────────────────────────────────

export let observationsPointer: usize = 0;
export let actionsPointer: usize = 0;
export let rewardsPointer: usize = 0;
export let nextObservationsPointer: usize = 0;
export let terminatedPointer: usize = 0;

export let actorParameterCount: i32 = 0;
export let actorParametersPointer: usize = 0;
export let actorTargetPointer: usize = 0;
export let actorGradientPointer: usize = 0;
export let actorFirstMomentPointer: usize = 0;
export let actorSecondMomentPointer: usize = 0;

export let criticParameterCount: i32 = 0;
export let criticParametersPointer: usize = 0;
export let criticTargetPointer: usize = 0;
export let criticGradientPointer: usize = 0;
export let criticFirstMomentPointer: usize = 0;
export let criticSecondMomentPointer: usize = 0;

/** act() reads [count, observationWidth] here and writes [count, actionWidth] at actOutputPointer. */
export let actInputPointer: usize = 0;
export let actOutputPointer: usize = 0;

/** The helper thread's mailbox (parallel.ts). */
export let helperMailboxPointer: usize = 0;

/** Adam steps taken so far by each optimizer (the next step uses t = steps + 1). */
export let actorAdamSteps: i32 = 0;
export let criticAdamSteps: i32 = 0;

/** Statistics of the last update() or computeGradients(). */
export let criticLoss: f64 = 0;
export let actorLoss: f64 = 0;
export let meanQ: f64 = 0;

// ── Internal buffers ────────────────────────────────────────────────────────────────────────────

let tdTargets: usize = 0;
let gradientScratchA: usize = 0;
let gradientScratchB: usize = 0;
let actionGradient: usize = 0;
let actActivations: StaticArray<usize> | null = null;

/** Declares the next hidden layer (in order) of the actor (network 0) or the critic (network 1). */
export function addHiddenLayer(network: i32, width: i32): void {
  if (actorNetwork != null) throw new Error('hidden layers must be declared before configure()');
  if (width < 1) throw new Error('a hidden layer needs at least one unit');
  if (network == ACTOR) {
    if (pendingActorCount == MAX_HIDDEN_LAYERS) throw new Error('too many hidden layers');
    store<i32>(pendingHidden + (<usize>pendingActorCount << 2), width);
    pendingActorCount++;
  } else {
    if (pendingCriticCount == MAX_HIDDEN_LAYERS) throw new Error('too many hidden layers');
    store<i32>(pendingHidden + (<usize>(MAX_HIDDEN_LAYERS + pendingCriticCount) << 2), width);
    pendingCriticCount++;
  }
}

function layerWidths(inputs: i32, hidden: usize, hiddenCount: i32, outputs: i32): StaticArray<i32> {
  const widths = new StaticArray<i32>(hiddenCount + 2);
  unchecked((widths[0] = inputs));
  for (let l = 0; l < hiddenCount; l++) unchecked((widths[l + 1] = load<i32>(hidden + (<usize>l << 2))));
  unchecked((widths[hiddenCount + 1] = outputs));
  return widths;
}

/**
 * Hands out cache-line-aligned buffers, each followed by BUFFER_SLACK spare bytes. Run once to
 * measure (base 0), then again over one region allocated at the measured size, so memory grows
 * a single time for all the engine's buffers.
 */
class Arena {
  constructor(public next: usize) {}
  bytes(count: usize): usize {
    const at = this.next;
    this.next = (at + count + BUFFER_SLACK + BUFFER_ALIGNMENT - 1) & ~(BUFFER_ALIGNMENT - 1);
    return at;
  }
  floats(count: i32): usize {
    return this.bytes(<usize>count << 2);
  }
}

function placeNetwork(net: Network, arena: Arena, rows: i32): void {
  const count = net.parameterCount;
  net.online = arena.floats(count);
  net.target = arena.floats(count);
  net.gradient = arena.floats(count);
  net.firstMoment = arena.floats(count);
  net.secondMoment = arena.floats(count);
  for (let l = 0; l < net.depth; l++) unchecked((net.activations[l] = arena.floats(rows * unchecked(net.widths[l + 1]))));
}

function placeBuffers(actor: Network, critic: Network, acting: StaticArray<usize>, arena: Arena): void {
  const rows = batchSize;
  helperMailboxPointer = arena.bytes(MAILBOX_BYTES);
  placeNetwork(actor, arena, rows);
  placeNetwork(critic, arena, rows);
  observationsPointer = arena.floats(rows * observationWidth);
  actionsPointer = arena.floats(rows * actionWidth);
  rewardsPointer = arena.floats(rows);
  nextObservationsPointer = arena.floats(rows * observationWidth);
  terminatedPointer = arena.floats(rows);
  tdTargets = arena.floats(rows);
  const scratchWidth = max(actor.maxWidth, critic.maxWidth);
  gradientScratchA = arena.floats(rows * scratchWidth);
  gradientScratchB = arena.floats(rows * scratchWidth);
  actionGradient = arena.floats(rows * actionWidth);
  actInputPointer = arena.floats(actCapacity * observationWidth);
  for (let l = 0; l < actor.depth; l++) unchecked((acting[l] = arena.floats(actCapacity * unchecked(actor.widths[l + 1]))));
}

/** Allocates every buffer for the declared networks; call once. */
export function configure(observations: i32, actions: i32, batch: i32, actRows: i32, bound: f32): void {
  if (actorNetwork != null) throw new Error('configure() may only be called once');
  if (observations < 1 || actions < 1 || batch < 1 || actRows < 1) throw new Error('configure() needs positive sizes');
  observationWidth = observations;
  actionWidth = actions;
  batchSize = batch;
  actCapacity = actRows;
  actionBound = bound;
  const actor = new Network(layerWidths(observations, pendingHidden, pendingActorCount, actions));
  const critic = new Network(layerWidths(observations + actions, pendingHidden + MAX_HIDDEN_LAYERS * 4, pendingCriticCount, 1));
  const acting = new StaticArray<usize>(actor.depth);
  actActivations = acting;

  const measure = new Arena(0);
  placeBuffers(actor, critic, acting, measure);
  const region = heap.alloc(measure.next + BUFFER_ALIGNMENT);
  placeBuffers(actor, critic, acting, new Arena((region + BUFFER_ALIGNMENT - 1) & ~(BUFFER_ALIGNMENT - 1)));

  actorNetwork = actor;
  criticNetwork = critic;
  actorParameterCount = actor.parameterCount;
  actorParametersPointer = actor.online;
  actorTargetPointer = actor.target;
  actorGradientPointer = actor.gradient;
  actorFirstMomentPointer = actor.firstMoment;
  actorSecondMomentPointer = actor.secondMoment;
  criticParameterCount = critic.parameterCount;
  criticParametersPointer = critic.online;
  criticTargetPointer = critic.target;
  criticGradientPointer = critic.gradient;
  criticFirstMomentPointer = critic.firstMoment;
  criticSecondMomentPointer = critic.secondMoment;
  actOutputPointer = unchecked(acting[actor.depth - 1]);
}

export function setHyperparameters(discount: f32, mixing: f32, actorRate: f32, criticRate: f32): void {
  gamma = discount;
  tau = mixing;
  actorLearningRate = actorRate;
  criticLearningRate = criticRate;
}

// ── The update ──────────────────────────────────────────────────────────────────────────────────

/** z ← tanh(z)·bound in place: the actor's output layer. */
function squashActions(values: usize, count: i32): void {
  const bound = <f64>actionBound;
  for (let i = 0; i < count; i++) {
    const at = values + (<usize>i << 2);
    store<f32>(at, <f32>(Math.tanh(<f64>load<f32>(at)) * bound));
  }
}

/** y = r + γ·(1 − terminated)·Q′(s′, μ′(s′)) into tdTargets. */
function computeTargets(actor: Network, critic: Network): void {
  const rows = batchSize;
  forward(actor, actor.target, nextObservationsPointer, observationWidth, 0, 0, rows, actor.activations);
  squashActions(actor.output, rows * actionWidth);
  forward(critic, critic.target, nextObservationsPointer, observationWidth, actor.output, actionWidth, rows, critic.activations);
  const nextQ = critic.output;
  for (let b = 0; b < rows; b++) {
    const at = <usize>b << 2;
    const y = load<f32>(rewardsPointer + at) + gamma * (1 - load<f32>(terminatedPointer + at)) * load<f32>(nextQ + at);
    store<f32>(tdTargets + at, y);
  }
}

/** Critic loss mean((Q(s, a) − y)²), meanQ, and the critic's gradient into critic.gradient. */
function criticGradient(critic: Network): void {
  const rows = batchSize;
  forward(critic, critic.online, observationsPointer, observationWidth, actionsPointer, actionWidth, rows, critic.activations);
  const q = critic.output;
  const scale = <f32>(2.0 / <f64>rows);
  let squaredErrors: f64 = 0;
  let sumQ: f64 = 0;
  for (let b = 0; b < rows; b++) {
    const at = <usize>b << 2;
    const value = load<f32>(q + at);
    const error = value - load<f32>(tdTargets + at);
    squaredErrors += <f64>error * <f64>error;
    sumQ += <f64>value;
    store<f32>(gradientScratchA + at, scale * error);
  }
  criticLoss = squaredErrors / <f64>rows;
  meanQ = sumQ / <f64>rows;
  backward(
    critic, critic.online, critic.gradient,
    observationsPointer, observationWidth, actionsPointer, actionWidth, rows,
    critic.activations, gradientScratchA, gradientScratchA, gradientScratchB, 0,
  );
}

/** Actor loss −mean Q(s, μ(s)) through the current critic, and the actor's gradient into actor.gradient. */
function actorGradient(actor: Network, critic: Network): void {
  const rows = batchSize;
  forward(actor, actor.online, observationsPointer, observationWidth, 0, 0, rows, actor.activations);
  const mu = actor.output;
  squashActions(mu, rows * actionWidth);
  forward(critic, critic.online, observationsPointer, observationWidth, mu, actionWidth, rows, critic.activations);
  const q = critic.output;
  const dLossDq = <f32>(-1.0 / <f64>rows);
  let sumQ: f64 = 0;
  for (let b = 0; b < rows; b++) {
    const at = <usize>b << 2;
    sumQ += <f64>load<f32>(q + at);
    store<f32>(gradientScratchA + at, dLossDq);
  }
  actorLoss = -sumQ / <f64>rows;
  // Through the critic to its action input only; the critic's own gradient is not needed here.
  backward(
    critic, critic.online, 0,
    observationsPointer, observationWidth, mu, actionWidth, rows,
    critic.activations, gradientScratchA, gradientScratchA, gradientScratchB, actionGradient,
  );
  // d tanh(z)·bound / dz = bound·(1 − tanh²) = bound − μ²/bound.
  const bound = actionBound;
  const inverseBound: f32 = 1 / bound;
  const count = rows * actionWidth;
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    const action = load<f32>(mu + at);
    store<f32>(gradientScratchA + at, load<f32>(actionGradient + at) * (bound - action * action * inverseBound));
  }
  backward(
    actor, actor.online, actor.gradient,
    observationsPointer, observationWidth, 0, 0, rows,
    actor.activations, gradientScratchA, gradientScratchA, gradientScratchB, 0,
  );
}

/** One full DDPG update on the batch buffers (engine.ts's order), statistics into the globals. */
export function update(): void {
  const actor = actorNetwork!;
  const critic = criticNetwork!;
  computeTargets(actor, critic);
  criticGradient(critic);
  criticAdamSteps++;
  adamWithSoftUpdate(
    critic.online, critic.gradient, critic.firstMoment, critic.secondMoment, critic.target,
    critic.parameterCount, criticLearningRate, criticAdamSteps, tau,
  );
  actorGradient(actor, critic);
  actorAdamSteps++;
  adamWithSoftUpdate(
    actor.online, actor.gradient, actor.firstMoment, actor.secondMoment, actor.target,
    actor.parameterCount, actorLearningRate, actorAdamSteps, tau,
  );
}

/**
 * The losses and both gradients (into the *GradientPointer buffers) of the current parameters on
 * the batch buffers, changing no parameter: what update() would step along, for tests.
 */
export function computeGradients(): void {
  const actor = actorNetwork!;
  const critic = criticNetwork!;
  computeTargets(actor, critic);
  criticGradient(critic);
  actorGradient(actor, critic);
}

/** μ(s) of the online actor for `count` ≤ actCapacity observations at actInputPointer, into actOutputPointer. */
export function act(count: i32): void {
  if (count < 0 || count > actCapacity) throw new Error('act() count exceeds the act capacity');
  const actor = actorNetwork!;
  forward(actor, actor.online, actInputPointer, observationWidth, 0, 0, count, actActivations!);
  squashActions(actOutputPointer, count * actionWidth);
}
