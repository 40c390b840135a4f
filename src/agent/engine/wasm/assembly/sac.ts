// The fused SAC engine: one exported call per update in sac.ts's (the algorithm's) order — soft TD
// targets, both critics' steps, the actor's step through the updated critics, the temperature's
// step, soft updates of the target critics — a batched act (mean or sampled), and the memory
// layout they work in. Life cycle as index.ts (DDPG's): _start(), addHiddenLayer() per hidden
// layer, configure() once (the only allocation), setHyperparameters(), optionally attachHelper(),
// then update()/act() calls that allocate nothing. Nothing at the top level allocates.

import { meanActions, policyBackward, sampledActions, samplePolicy } from './gaussianPolicy';
import { Arena, alignedRegion, layerWidths } from './layout';
import { backward, forward, Network } from './network';
import { adamWithSoftUpdate } from './optimizer';
import { MAILBOX_BYTES, parallelAdamWithSoftUpdate } from './parallel';

export { attachHelper, detachHelper, helperChunks, helperFailed, helperLoop, setHelperInUse } from './parallel';

export const ACTOR: i32 = 0;
export const CRITIC: i32 = 1;
const MAX_HIDDEN_LAYERS = 16;

// ── Configuration ───────────────────────────────────────────────────────────────────────────────

export let observationWidth: i32 = 0;
export let actionWidth: i32 = 0;
export let batchSize: i32 = 0;
export let actCapacity: i32 = 0;
let actionBound: f32 = 1;

let gamma: f32 = 0.99;
let tau: f32 = 0.005;
let actorLearningRate: f32 = 3e-4;
let criticLearningRate: f32 = 1e-3;
let alphaLearningRate: f32 = 1e-3;
let targetEntropy: f64 = -1;
let autotune = true;

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
export let targetNoisePointer: usize = 0;
export let policyNoisePointer: usize = 0;

export let actorParameterCount: i32 = 0;
export let actorParametersPointer: usize = 0;
export let actorGradientPointer: usize = 0;
export let actorFirstMomentPointer: usize = 0;
export let actorSecondMomentPointer: usize = 0;

export let criticParameterCount: i32 = 0;
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

/** log α, then its gradient, first and second moment: four floats. */
export let logAlphaPointer: usize = 0;

/** act() reads [count, observationWidth] (and, sampling, noise [count, actionWidth]) and writes [count, actionWidth]. */
export let actInputPointer: usize = 0;
export let actNoisePointer: usize = 0;
export let actOutputPointer: usize = 0;

export let helperMailboxPointer: usize = 0;

export let actorAdamSteps: i32 = 0;
export let critic1AdamSteps: i32 = 0;
export let critic2AdamSteps: i32 = 0;
export let alphaAdamSteps: i32 = 0;

/** Statistics of the last update() or computeGradients() (sac.ts's). */
export let criticLoss: f64 = 0;
export let actorLoss: f64 = 0;
export let alphaLoss: f64 = 0;
export let alphaUsed: f64 = 0;
export let entropy: f64 = 0;
export let meanQ: f64 = 0;

// ── Internal buffers ────────────────────────────────────────────────────────────────────────────

let tdTargets: usize = 0;
let nextQ: usize = 0;
let policyActions: usize = 0;
let squashed: usize = 0;
let standardDeviations: usize = 0;
let headTanh: usize = 0;
let logProbabilities: usize = 0;
let qGradient1: usize = 0;
let qGradient2: usize = 0;
let actionGradient1: usize = 0;
let actionGradient2: usize = 0;
let gradientScratchA: usize = 0;
let gradientScratchB: usize = 0;
let actActivations: StaticArray<usize> | null = null;

export function addHiddenLayer(network: i32, width: i32): void {
  if (actorNetwork != null) throw new Error('hidden layers must be declared before configure()');
  if (width < 1) throw new Error('a hidden layer needs at least one unit');
  const count = network == ACTOR ? pendingActorCount : pendingCriticCount;
  if (count == MAX_HIDDEN_LAYERS) throw new Error('too many hidden layers');
  const slot = network == ACTOR ? count : MAX_HIDDEN_LAYERS + count;
  store<i32>(pendingHidden + (<usize>slot << 2), width);
  if (network == ACTOR) pendingActorCount++;
  else pendingCriticCount++;
}

/** The actor has no target: its Adam writes its result to itself (see step()). */
function placeNetwork(net: Network, arena: Arena, rows: i32, withTarget: bool): void {
  const count = net.parameterCount;
  net.online = arena.floats(count);
  net.target = withTarget ? arena.floats(count) : 0;
  net.gradient = arena.floats(count);
  net.firstMoment = arena.floats(count);
  net.secondMoment = arena.floats(count);
  for (let l = 0; l < net.depth; l++) unchecked((net.activations[l] = arena.floats(rows * unchecked(net.widths[l + 1]))));
}

function placeBuffers(actor: Network, critic1: Network, critic2: Network, acting: StaticArray<usize>, arena: Arena): void {
  const rows = batchSize;
  const actions = rows * actionWidth;
  helperMailboxPointer = arena.bytes(MAILBOX_BYTES);
  placeNetwork(actor, arena, rows, false);
  placeNetwork(critic1, arena, rows, true);
  placeNetwork(critic2, arena, rows, true);
  logAlphaPointer = arena.floats(4);
  observationsPointer = arena.floats(rows * observationWidth);
  actionsPointer = arena.floats(actions);
  rewardsPointer = arena.floats(rows);
  nextObservationsPointer = arena.floats(rows * observationWidth);
  terminatedPointer = arena.floats(rows);
  targetNoisePointer = arena.floats(actions);
  policyNoisePointer = arena.floats(actions);
  tdTargets = arena.floats(rows);
  nextQ = arena.floats(rows);
  policyActions = arena.floats(actions);
  squashed = arena.floats(actions);
  standardDeviations = arena.floats(actions);
  headTanh = arena.floats(actions);
  logProbabilities = arena.floats(rows);
  qGradient1 = arena.floats(rows);
  qGradient2 = arena.floats(rows);
  actionGradient1 = arena.floats(actions);
  actionGradient2 = arena.floats(actions);
  const scratchWidth = max(actor.maxWidth, critic1.maxWidth);
  gradientScratchA = arena.floats(rows * scratchWidth);
  gradientScratchB = arena.floats(rows * scratchWidth);
  actInputPointer = arena.floats(actCapacity * observationWidth);
  actNoisePointer = arena.floats(actCapacity * actionWidth);
  actOutputPointer = arena.floats(actCapacity * actionWidth);
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
  const actor = new Network(layerWidths(observations, pendingHidden, pendingActorCount, 2 * actions));
  const criticHidden = pendingHidden + MAX_HIDDEN_LAYERS * 4;
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
  actorParametersPointer = actor.online;
  actorGradientPointer = actor.gradient;
  actorFirstMomentPointer = actor.firstMoment;
  actorSecondMomentPointer = actor.secondMoment;
  criticParameterCount = critic1.parameterCount;
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
}

export function setHyperparameters(discount: f32, mixing: f32, actorRate: f32, criticRate: f32, alphaRate: f32, entropyTarget: f64, tuneAlpha: i32): void {
  gamma = discount;
  tau = mixing;
  actorLearningRate = actorRate;
  criticLearningRate = criticRate;
  alphaLearningRate = alphaRate;
  targetEntropy = entropyTarget;
  autotune = tuneAlpha != 0;
}

// ── The update ──────────────────────────────────────────────────────────────────────────────────

/** y = r + γ·(1 − terminated)·(min(Q′1, Q′2)(s′, a′) − α·log π(a′|s′)), a′ sampled from the online actor with ε′. */
function computeTargets(actor: Network, critic1: Network, critic2: Network, alpha: f32): void {
  const rows = batchSize;
  forward(actor, actor.online, nextObservationsPointer, observationWidth, 0, 0, rows, actor.activations);
  samplePolicy(actor.output, rows, actionWidth, targetNoisePointer, actionBound, policyActions, squashed, standardDeviations, headTanh, logProbabilities);
  forward(critic1, critic1.target, nextObservationsPointer, observationWidth, policyActions, actionWidth, rows, critic1.activations);
  memory.copy(nextQ, critic1.output, <usize>rows << 2);
  forward(critic2, critic2.target, nextObservationsPointer, observationWidth, policyActions, actionWidth, rows, critic2.activations);
  const q2 = critic2.output;
  for (let b = 0; b < rows; b++) {
    const at = <usize>b << 2;
    const soft = min(load<f32>(nextQ + at), load<f32>(q2 + at)) - alpha * load<f32>(logProbabilities + at);
    store<f32>(tdTargets + at, load<f32>(rewardsPointer + at) + gamma * (1 - load<f32>(terminatedPointer + at)) * soft);
  }
}

/** mean((Q(s, a) − y)²) of one critic, its gradient into critic.gradient; returns the loss, adds mean Q to meanQ. */
function criticGradient(critic: Network): f64 {
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
  meanQ += 0.5 * sumQ / <f64>rows;
  backward(
    critic, critic.online, critic.gradient,
    observationsPointer, observationWidth, actionsPointer, actionWidth, rows,
    critic.activations, gradientScratchA, gradientScratchA, gradientScratchB, 0,
  );
  return squaredErrors / <f64>rows;
}

/**
 * mean(α·log π − min(Q1, Q2)(s, ã)) through the current critics, its gradient into actor.gradient,
 * entropy = −mean log π. Where Q1 = Q2 the gradient goes through critic 1 (as tfjs's minimum).
 */
function actorGradient(actor: Network, critic1: Network, critic2: Network, alpha: f32): void {
  const rows = batchSize;
  forward(actor, actor.online, observationsPointer, observationWidth, 0, 0, rows, actor.activations);
  samplePolicy(actor.output, rows, actionWidth, policyNoisePointer, actionBound, policyActions, squashed, standardDeviations, headTanh, logProbabilities);
  forward(critic1, critic1.online, observationsPointer, observationWidth, policyActions, actionWidth, rows, critic1.activations);
  forward(critic2, critic2.online, observationsPointer, observationWidth, policyActions, actionWidth, rows, critic2.activations);
  const q1 = critic1.output;
  const q2 = critic2.output;
  const dLossDq = <f32>(-1.0 / <f64>rows);
  let loss: f64 = 0;
  let sumLogProb: f64 = 0;
  for (let b = 0; b < rows; b++) {
    const at = <usize>b << 2;
    const first = load<f32>(q1 + at) <= load<f32>(q2 + at);
    const logProb = <f64>load<f32>(logProbabilities + at);
    loss += <f64>alpha * logProb - <f64>(first ? load<f32>(q1 + at) : load<f32>(q2 + at));
    sumLogProb += logProb;
    store<f32>(qGradient1 + at, first ? dLossDq : 0);
    store<f32>(qGradient2 + at, first ? 0 : dLossDq);
  }
  actorLoss = loss / <f64>rows;
  entropy = -sumLogProb / <f64>rows;
  backward(
    critic1, critic1.online, 0, observationsPointer, observationWidth, policyActions, actionWidth, rows,
    critic1.activations, qGradient1, gradientScratchA, gradientScratchB, actionGradient1,
  );
  backward(
    critic2, critic2.online, 0, observationsPointer, observationWidth, policyActions, actionWidth, rows,
    critic2.activations, qGradient2, gradientScratchA, gradientScratchB, actionGradient2,
  );
  const count = rows * actionWidth;
  for (let i = 0; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(actionGradient1 + at, load<f32>(actionGradient1 + at) + load<f32>(actionGradient2 + at));
  }
  policyBackward(
    rows, actionWidth, policyNoisePointer, actionBound, squashed, standardDeviations, headTanh,
    actionGradient1, <f64>alpha / <f64>rows, gradientScratchA,
  );
  backward(
    actor, actor.online, actor.gradient, observationsPointer, observationWidth, 0, 0, rows,
    actor.activations, gradientScratchA, gradientScratchA, gradientScratchB, 0,
  );
}

/** log α's loss −log α·(mean log π + target entropy) and its gradient −(mean log π + target entropy). */
function alphaGradient(): void {
  const gap = -entropy + targetEntropy;
  alphaLoss = -<f64>load<f32>(logAlphaPointer) * gap;
  store<f32>(logAlphaPointer, <f32>-gap, 4);
}

/**
 * The whole update when `step`, else only the losses and gradients of the current parameters
 * (computeGradients). Adam of a network without a target writes its result to itself with τ = 1:
 * target ← 1·θ + 0·θ is θ exactly, and nothing extra is read or allocated.
 */
function run(step: bool): void {
  const actor = actorNetwork!;
  const critic1 = critic1Network!;
  const critic2 = critic2Network!;
  const alpha = <f32>Math.exp(<f64>load<f32>(logAlphaPointer));
  alphaUsed = <f64>alpha;
  computeTargets(actor, critic1, critic2, alpha);
  meanQ = 0;
  const loss1 = criticGradient(critic1);
  if (step) {
    critic1AdamSteps++;
    parallelAdamWithSoftUpdate(critic1.online, critic1.gradient, critic1.firstMoment, critic1.secondMoment, critic1.target, critic1.parameterCount, criticLearningRate, critic1AdamSteps, tau);
  }
  const loss2 = criticGradient(critic2);
  if (step) {
    critic2AdamSteps++;
    parallelAdamWithSoftUpdate(critic2.online, critic2.gradient, critic2.firstMoment, critic2.secondMoment, critic2.target, critic2.parameterCount, criticLearningRate, critic2AdamSteps, tau);
  }
  criticLoss = 0.5 * (loss1 + loss2);
  actorGradient(actor, critic1, critic2, alpha);
  if (step) {
    actorAdamSteps++;
    parallelAdamWithSoftUpdate(actor.online, actor.gradient, actor.firstMoment, actor.secondMoment, actor.online, actor.parameterCount, actorLearningRate, actorAdamSteps, 1);
  }
  alphaGradient();
  if (step && autotune) {
    alphaAdamSteps++;
    adamWithSoftUpdate(logAlphaPointer, logAlphaPointer + 4, logAlphaPointer + 8, logAlphaPointer + 12, logAlphaPointer, 1, alphaLearningRate, alphaAdamSteps, 1);
  }
}

/** One full SAC update on the batch buffers, statistics into the globals. */
export function update(): void {
  run(true);
}

/** The losses and every gradient (actor, both critics, log α) of the current parameters, changing none. */
export function computeGradients(): void {
  run(false);
}

/** The online actor's mean action (sampled = 0) or sample with actNoise (sampled = 1) for `count` ≤ actCapacity observations. */
export function act(count: i32, sampled: i32): void {
  if (count < 0 || count > actCapacity) throw new Error('act() count exceeds the act capacity');
  const actor = actorNetwork!;
  const acting = actActivations!;
  forward(actor, actor.online, actInputPointer, observationWidth, 0, 0, count, acting);
  const outputs = unchecked(acting[actor.depth - 1]);
  if (sampled != 0) sampledActions(outputs, count, actionWidth, actNoisePointer, actionBound, actOutputPointer);
  else meanActions(outputs, count, actionWidth, actionBound, actOutputPointer);
}
