// The wasm engine's hand-written backward passes against finite differences of its own losses.
// Needs `npm run build` first (the .wasm is built into dist/).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { NetworkParameters, NetworkShape } from '../../src/agent/engine/engine';
import { actorLayers, criticLayers, parameterCount } from '../../src/agent/engine/parameters';
import { createWasmEngine, type WasmEngine } from '../../src/agent/engine/wasm/wasmEngine';
import { Random } from '../../src/agent/random';

/** |finite difference − gradient| may be at most this fraction of the gradient's largest entry. */
const TOLERANCE = 5e-3;
/**
 * Central-difference steps. A step that straddles a ReLU kink gives a wrong difference, so each
 * coordinate takes the better of two steps; a wrong gradient disagrees with both.
 */
const STEPS = [3e-3, 1e-3];

const CASES: Array<{ name: string; shape: NetworkShape; batch: number }> = [
  { name: 'Pendulum, hidden [8, 8], batch 6', shape: { obsDim: 3, actDim: 1, actorHidden: [8, 8], criticHidden: [8, 8], actionBound: 2 }, batch: 6 },
  { name: 'hidden [1] and [3], batch 5', shape: { obsDim: 3, actDim: 1, actorHidden: [1], criticHidden: [3], actionBound: 2 }, batch: 5 },
  {
    name: 'obs 5, act 3, actor [5, 3], critic [1, 130], batch 9',
    shape: { obsDim: 5, actDim: 3, actorHidden: [5, 3], criticHidden: [1, 130], actionBound: 0.5 },
    batch: 9,
  },
];

for (const { name, shape, batch } of CASES) {
  describe(`wasm engine gradients vs finite differences: ${name}`, () => {
    let engine: WasmEngine;
    let params: NetworkParameters;
    before(async () => {
      engine = await createWasmEngine({ shape, hyper: { gamma: 0.99, tau: 0.05, actorLr: 1e-3, criticLr: 1e-3 }, batchSize: batch });
      const rng = new Random(5);
      const vector = (size: number) => Float32Array.from({ length: size }, () => rng.uniform(-0.6, 0.6));
      const a = parameterCount(actorLayers(shape));
      const c = parameterCount(criticLayers(shape));
      params = { actor: vector(a), critic: vector(c), targetActor: vector(a), targetCritic: vector(c) };
      for (const key of ['obs', 'nextObs', 'action', 'reward'] as const) {
        const array = engine.batch[key];
        for (let k = 0; k < array.length; k++) array[k] = rng.uniform(-1.5, 1.5);
      }
      for (let k = 0; k < batch; k++) engine.batch.terminated[k] = k % 3 === 0 ? 1 : 0;
    });
    after(() => engine.dispose());

    for (const network of ['critic', 'actor'] as const) {
      it(`the ${network} gradient matches central differences of the ${network} loss in every coordinate`, () => {
        engine.setParameters(params);
        engine.computeGradients();
        const gradient = engine.gradients[network].slice();
        assert.deepEqual(engine.getParameters(), params, 'computing gradients changes no parameter');
        const scale = gradient.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
        assert.ok(scale > 1e-3, `the ${network} gradient is not trivially zero`);
        const lossAt = (index: number, value: number) => {
          const shifted = params[network].slice();
          shifted[index] = value;
          engine.setParameters({ ...params, [network]: shifted });
          const stats = engine.computeGradients();
          return network === 'critic' ? stats.criticLoss : stats.actorLoss;
        };
        for (let index = 0; index < gradient.length; index++) {
          const x = params[network][index];
          const errors = STEPS.map((step) => {
            // The step actually taken is what float32 can represent.
            const up = Math.fround(x + step);
            const down = Math.fround(x - step);
            const difference = (lossAt(index, up) - lossAt(index, down)) / (up - down);
            return Math.abs(difference - gradient[index]);
          });
          const error = Math.min(...errors);
          assert.ok(error <= TOLERANCE * scale, `${network}[${index}]: gradient ${gradient[index]}, finite differences off by ${error.toExponential(2)} (scale ${scale.toExponential(2)})`);
        }
      });
    }
  });
}
