// The fused TD3 engine: one exported call per update (smoothed target actions, the clipped
// double-Q target, both critics' steps, and on delayed updates the actor's step through the
// updated critic 1 with the soft updates of all three targets), a batched act, and the memory
// layout they work in. The same matrix kernels, Adam and helper thread as DDPG's (index.ts).
//
// Life cycle, driven by td3Engine.ts: _start(), addHiddenLayer() for each hidden layer of the
// actor (network 0) and of the critics (network 1, both critics share the shape), configure()
// once (it allocates every buffer, so memory grows only there), setHyperparameters(), optionally
// attachHelper(), then any number of update()/act() calls, which allocate nothing. Nothing at the
// top level allocates: a helper instance must never touch the heap.

import { backward, forward, Network } from './network';
import { Arena, alignedRegion, layerWidths } from './layout';
import { MAILBOX_BYTES, parallelAdamWithSoftUpdate as adamWithSoftUpdate } from './parallel';

export { attachHelper, detachHelper, helperChunks, helperFailed, helperLoop, setHelperInUse } from './parallel';

export const ACTOR: i32 = 0;
export const CRITIC: i32 = 1;

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

/** Hidden widths declared so far: the actor's in the first half of this static table, the critics' in the second. */
const pendingHidden = memory.data(2 * MAX_HIDDEN_LAYERS * 4);
let pendingActorCount = 0;
let pendingCriticCount = 0;
let actorNetwork: Network | null = null;
let critic1Network: Network | null = null;
let critic2Network: Network | null = null;

// ── Buffers shared with JavaScript ──────────────────────────────────────────────────────────────

export let observationsPointer: usize = 0;
export let actionsPointer: usize = 0;
export let rewardsPointer: usize = 0;
export let nextObservationsPointer: usize = 0;
export let terminatedPointer: usize = 0;
/** The target smoothing noise [batch, actionWidth], already clipped by the caller. */
export let targetNoisePointer: usize = 0;

export let actorParameterCount: i32 = 0;
export let criticParameterCount: i32 = 0;

export let actorParametersPointer: usize = 0;
export let actorTargetPointer: usize = 0;
export let actorGradientPointer: usize = 0;
export let actorFirstMomentPointer: usize = 0;
export let actorSecondMomentPointer: usize = 0;
export let critic1ParametersPointer: usize = 0;
export let critic1TargetPointer: usize = 0;
export let critic1GradientPointer: usize = 0;
export let critic1FirstMomentPointer: usize = 0;
export let critic1SecondMomentPointer: usize = 0;
export let critic2ParametersPointer: usize = 0;
export let critic2TargetPointer: usize = 0;
export let critic2GradientPointer: usize = 0;
export let critic2FirstMomentPointer: usize = 0;
export let critic2SecondMomentPointer: usize = 0;

/** act() reads [count, observationWidth] here and writes [count, actionWidth] at actOutputPointer. */
export let actInputPointer: usize = 0;
export let actOutputPointer: usize = 0;

/** The helper thread's mailbox (parallel.ts). */
export let helperMailboxPointer: usize = 0;

/** Adam steps taken so far by each optimizer (the next step uses t = steps + 1). */
export let actorAdamSteps: i32 = 0;
export let critic1AdamSteps: i32 = 0;
export let critic2AdamSteps: i32 = 0;

/** Statistics of the last update() or computeGradients(); actorLoss is NaN when the actor did not step. */
export let critic1Loss: f64 = 0;
export let critic2Loss: f64 = 0;
export let q1Mean: f64 = 0;
export let q2Mean: f64 = 0;
export let actorLoss: f64 = 0;

// ── Internal buffers ────────────────────────────────────────────────────────────────────────────

let tdTargets: usize = 0;
let nextActions: usize = 0;
let gradientScratchA: usize = 0;
let gradientScratchB: usize = 0;
let actionGradient: usize = 0;
let actActivations: StaticArray<usize> | null = null;
/** What criticGradient() measured, read by its caller. */
let measuredLoss: f64 = 0;
let measuredMeanQ: f64 = 0;

/** Declares the next hidden layer (in order) of the actor (network 0) or of the critics (network 1). */
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

function placeNetwork(net: Network, arena: Arena, rows: i32): void {
  const count = net.parameterCount;
  net.online = arena.floats(count);
  net.target = arena.floats(count);
  net.gradient = arena.floats(count);
  net.firstMoment = arena.floats(count);
  net.secondMoment = arena.floats(count);
  for (let l = 0; l < net.depth; l++) unchecked((net.activations[l] = arena.floats(rows * unchecked(net.widths[l + 1]))));
}

function placeBuffers(actor: Network, critic1: Network, critic2: Network, acting: StaticArray<usize>, arena: Arena): void {
  const rows = batchSize;
  helperMailboxPointer = arena.bytes(MAILBOX_BYTES);
  placeNetwork(actor, arena, rows);
  placeNetwork(critic1, arena, rows);
  placeNetwork(critic2, arena, rows);
  observationsPointer = arena.floats(rows * observationWidth);
  actionsPointer = arena.floats(rows * actionWidth);
  rewardsPointer = arena.floats(rows);
  nextObservationsPointer = arena.floats(rows * observationWidth);
  terminatedPointer = arena.floats(rows);
  targetNoisePointer = arena.floats(rows * actionWidth);
  tdTargets = arena.floats(rows);
  nextActions = arena.floats(rows * actionWidth);
  const scratchWidth = max(actor.maxWidth, critic1.maxWidth);
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
  const criticHidden = pendingHidden + MAX_HIDDEN_LAYERS * 4;
  const actor = new Network(layerWidths(observations, pendingHidden, pendingActorCount, actions));
  const critic1 = new Network(layerWidths(observations + actions, criticHidden, pendingCriticCount, 1));
  const critic2 = new Network(layerWidths(observations + actions, criticHidden, pendingCriticCount, 1));
  const acting = new StaticArray<usize>(actor.depth);
  actActivations = acting;

  const measure = new Arena(0);
  placeBuffers(actor, critic1, critic2, acting, measure);
  placeBuffers(actor, critic1, critic2, acting, new Arena(alignedRegion(measure.next)));

  actorNetwork = actor;
  critic1Network = critic1;
  critic2Network = critic2;
  actorParameterCount = actor.parameterCount;
  criticParameterCount = critic1.parameterCount;
  actorParametersPointer = actor.online;
  actorTargetPointer = actor.target;
  actorGradientPointer = actor.gradient;
  actorFirstMomentPointer = actor.firstMoment;
  actorSecondMomentPointer = actor.secondMoment;
  critic1ParametersPointer = critic1.online;
  critic1TargetPointer = critic1.target;
  critic1GradientPointer = critic1.gradient;
  critic1FirstMomentPointer = critic1.firstMoment;
  critic1SecondMomentPointer = critic1.secondMoment;
  critic2ParametersPointer = critic2.online;
  critic2TargetPointer = critic2.target;
  critic2GradientPointer = critic2.gradient;
  critic2FirstMomentPointer = critic2.firstMoment;
  critic2SecondMomentPointer = critic2.secondMoment;
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

/**
 * a′ = clip(μ′(s′) + noise, ±bound) into nextActions, then
 * y = r + γ·(1 − terminated)·min(Q1′(s′, a′), Q2′(s′, a′)) into tdTargets.
 */
function computeTargets(actor: Network, critic1: Network, critic2: Network): void {
  const rows = batchSize;
  forward(actor, actor.target, nextObservationsPointer, observationWidth, 0, 0, rows, actor.activations);
  const count = rows * actionWidth;
  squashActions(actor.output, count);
  const bound = actionBound;
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    const smoothed = load<f32>(actor.output + at) + load<f32>(targetNoisePointer + at);
    store<f32>(nextActions + at, min(bound, max(-bound, smoothed)));
  }
  forward(critic1, critic1.target, nextObservationsPointer, observationWidth, nextActions, actionWidth, rows, critic1.activations);
  forward(critic2, critic2.target, nextObservationsPointer, observationWidth, nextActions, actionWidth, rows, critic2.activations);
  const q1 = critic1.output;
  const q2 = critic2.output;
  for (let b = 0; b < rows; b++) {
    const at = <usize>b << 2;
    const nextQ = min(load<f32>(q1 + at), load<f32>(q2 + at));
    store<f32>(tdTargets + at, load<f32>(rewardsPointer + at) + gamma * (1 - load<f32>(terminatedPointer + at)) * nextQ);
  }
}

/** mean((Q(s, a) − y)²) and mean Q(s, a) into measuredLoss / measuredMeanQ, the gradient into critic.gradient. */
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
  measuredLoss = squaredErrors / <f64>rows;
  measuredMeanQ = sumQ / <f64>rows;
  backward(
    critic, critic.online, critic.gradient,
    observationsPointer, observationWidth, actionsPointer, actionWidth, rows,
    critic.activations, gradientScratchA, gradientScratchA, gradientScratchB, 0,
  );
}

/** Actor loss −mean Q1(s, μ(s)) through critic 1 as it is now, and the actor's gradient into actor.gradient. */
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

/**
 * One TD3 update on the batch buffers, statistics into the globals. `actorAndTargets` ≠ 0 also
 * steps the actor and soft-updates the three targets. A critic's target update is fused into its
 * Adam pass: it reads only that critic, which nothing changes afterwards in this update. On
 * critic-only updates the same pass runs with τ = 0, which leaves a finite target exactly as it was.
 */
export function update(actorAndTargets: i32): void {
  const actor = actorNetwork!;
  const critic1 = critic1Network!;
  const critic2 = critic2Network!;
  const mixing: f32 = actorAndTargets != 0 ? tau : 0;
  computeTargets(actor, critic1, critic2);
  criticGradient(critic1);
  critic1Loss = measuredLoss;
  q1Mean = measuredMeanQ;
  critic1AdamSteps++;
  adamWithSoftUpdate(
    critic1.online, critic1.gradient, critic1.firstMoment, critic1.secondMoment, critic1.target,
    critic1.parameterCount, criticLearningRate, critic1AdamSteps, mixing,
  );
  criticGradient(critic2);
  critic2Loss = measuredLoss;
  q2Mean = measuredMeanQ;
  critic2AdamSteps++;
  adamWithSoftUpdate(
    critic2.online, critic2.gradient, critic2.firstMoment, critic2.secondMoment, critic2.target,
    critic2.parameterCount, criticLearningRate, critic2AdamSteps, mixing,
  );
  if (actorAndTargets == 0) {
    actorLoss = NaN;
    return;
  }
  actorGradient(actor, critic1);
  actorAdamSteps++;
  adamWithSoftUpdate(
    actor.online, actor.gradient, actor.firstMoment, actor.secondMoment, actor.target,
    actor.parameterCount, actorLearningRate, actorAdamSteps, tau,
  );
}

/**
 * The losses and all three gradients (into the *GradientPointer buffers) of the current
 * parameters on the batch buffers, changing no parameter: the actor's through critic 1 as it is
 * (before any step). For tests.
 */
export function computeGradients(): void {
  const actor = actorNetwork!;
  const critic1 = critic1Network!;
  const critic2 = critic2Network!;
  computeTargets(actor, critic1, critic2);
  criticGradient(critic1);
  critic1Loss = measuredLoss;
  q1Mean = measuredMeanQ;
  criticGradient(critic2);
  critic2Loss = measuredLoss;
  q2Mean = measuredMeanQ;
  actorGradient(actor, critic1);
}

/** μ(s) of the online actor for `count` ≤ actCapacity observations at actInputPointer, into actOutputPointer. */
export function act(count: i32): void {
  if (count < 0 || count > actCapacity) throw new Error('act() count exceeds the act capacity');
  const actor = actorNetwork!;
  forward(actor, actor.online, actInputPointer, observationWidth, 0, 0, count, actActivations!);
  squashActions(actOutputPointer, count * actionWidth);
}
