// The TD3 wasm engine's hand-written backward passes against finite differences of its own losses
// and against the float64 reference's gradients. Needs `npm run build` first (the .wasm).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { NetworkParameters, NetworkShape } from '../../src/agent/engine/engine';
import { createTd3WasmEngine, type Td3WasmEngine } from '../../src/agent/engine/wasm/td3Engine';
import { Random } from '../../src/agent/random';
import { normDifference } from '../helpers/engineComparison';
import { td3Gradients } from '../helpers/referenceTd3';
import { fillTd3Batch, orderOneTd3Parameters } from '../helpers/td3Comparison';

/** |finite difference − gradient| may be at most this fraction of the gradient's largest entry. */
const TOLERANCE = 5e-3;
/** A step that straddles a ReLU kink gives a wrong difference: each coordinate takes the better of two. */
const STEPS = [3e-3, 1e-3];

const CASES: Array<{ name: string; shape: NetworkShape; batch: number }> = [
  { name: 'Pendulum, hidden [8, 8], batch 6', shape: { obsDim: 3, actDim: 1, actorHidden: [8, 8], criticHidden: [8, 8], actionBound: 2 }, batch: 6 },
  { name: 'obs 5, act 2, actor [5, 3], critic [1, 13], batch 9', shape: { obsDim: 5, actDim: 2, actorHidden: [5, 3], criticHidden: [1, 13], actionBound: 0.5 }, batch: 9 },
  { name: 'obs 4, act 6, actor [7], critic [6, 5], batch 5', shape: { obsDim: 4, actDim: 6, actorHidden: [7], criticHidden: [6, 5], actionBound: 1 }, batch: 5 },
];

const LOSS_OF = { critic1: 'critic1Loss', critic2: 'critic2Loss', actor: 'actorLoss' } as const;

for (const { name, shape, batch } of CASES) {
  describe(`TD3 wasm engine gradients: ${name}`, () => {
    let engine: Td3WasmEngine;
    let params: NetworkParameters;
    before(async () => {
      engine = await createTd3WasmEngine({ shape, hyper: { gamma: 0.99, tau: 0.05, actorLr: 1e-3, criticLr: 1e-3 }, batchSize: batch }, { threads: 1 });
      params = orderOneTd3Parameters(shape, 5);
      fillTd3Batch(engine.batch, new Random(6), shape.actionBound);
      for (let k = 0; k < batch; k++) engine.batch.terminated[k] = k % 3 === 0 ? 1 : 0;
    });
    after(() => engine.dispose());

    it('match the float64 reference (both critics through the clipped double-Q target, the actor through critic 1)', () => {
      engine.setParameters(params);
      engine.computeGradients();
      const expected = td3Gradients(shape, 0.99, params, engine.batch);
      for (const network of ['critic1', 'critic2', 'actor'] as const) {
        const difference = normDifference(engine.gradients[network], expected[network].gradient);
        assert.ok(difference < 1e-4, `${network} gradient differs by ${difference.toExponential(2)}`);
      }
    });

    for (const network of ['critic1', 'critic2', 'actor'] as const) {
      it(`the ${network} gradient matches central differences of the ${LOSS_OF[network]} in every coordinate`, () => {
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
          return engine.computeGradients()[LOSS_OF[network]];
        };
        for (let index = 0; index < gradient.length; index++) {
          const x = params[network][index];
          const error = Math.min(
            ...STEPS.map((step) => {
              const up = Math.fround(x + step);
              const down = Math.fround(x - step);
              return Math.abs((lossAt(index, up) - lossAt(index, down)) / (up - down) - gradient[index]);
            }),
          );
          assert.ok(error <= TOLERANCE * scale, `${network}[${index}]: gradient ${gradient[index]}, finite differences off by ${error.toExponential(2)} (scale ${scale.toExponential(2)})`);
        }
      });
    }
  });
}
