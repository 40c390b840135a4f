import type { NetworkShape } from '../src/agent/engine/engine';
import { actorLayers, criticLayers } from '../src/agent/engine/parameters';

type Layers = ReadonlyArray<[number, number]>;

/** Multiply-adds of one dense pass over `rows` rows, counted as 2 FLOPs each. */
function forwardFlops(layers: Layers, rows: number): number {
  return layers.reduce((sum, [inputs, outputs]) => sum + 2 * rows * inputs * outputs, 0);
}

/** Input gradients dX = dZ·Wᵀ of every layer but the first (whose input is data). */
function hiddenInputGradientFlops(layers: Layers, rows: number): number {
  return forwardFlops(layers.slice(1), rows);
}

/**
 * Matrix FLOPs of one DDPG update as engine.ts defines it (elementwise work, Adam and the soft
 * update are not counted: they are O(parameters), not O(batch × parameters)):
 * target actor + target critic forward; critic forward, weight and input gradients; actor
 * forward, critic forward, critic input gradients down to the action; actor weight and input
 * gradients.
 */
export function updateFlops(shape: NetworkShape, batch: number): number {
  const actor = actorLayers(shape);
  const critic = criticLayers(shape);
  const criticFirstOutputs = critic[0][1];
  const targets = forwardFlops(actor, batch) + forwardFlops(critic, batch);
  const criticStep = forwardFlops(critic, batch) * 2 + hiddenInputGradientFlops(critic, batch);
  const actorStep =
    forwardFlops(actor, batch) +
    forwardFlops(critic, batch) +
    hiddenInputGradientFlops(critic, batch) +
    2 * batch * shape.actDim * criticFirstOutputs +
    forwardFlops(actor, batch) +
    hiddenInputGradientFlops(actor, batch);
  return targets + criticStep + actorStep;
}
