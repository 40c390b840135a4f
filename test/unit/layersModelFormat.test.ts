import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type * as TF from '@tensorflow/tfjs';

import type { Engine, NetworkShape } from '../../src/agent/engine/engine';
import { actorLayers, criticLayers, initialParameters, parameterCount } from '../../src/agent/engine/parameters';
import { loadTensorFlow } from '../../src/agent/engine/tfjs/backend';
import { fromLayersModelArtifacts, toLayersModelArtifacts, type NetworkKind } from '../../src/agent/engine/tfjs/layersModelFormat';
import { createTfjsEngine } from '../../src/agent/engine/tfjs/tfjsEngine';
import { Random } from '../../src/agent/random';
import { actorForward, criticForward } from '../helpers/referenceDdpg';

const PENDULUM: NetworkShape = { obsDim: 3, actDim: 1, actorHidden: [64, 64], criticHidden: [64, 64], actionBound: 2 };
const ODD: NetworkShape = { obsDim: 4, actDim: 2, actorHidden: [3, 5], criticHidden: [1], actionBound: 0.75 };

/** Parameters of order one, so that the tanh and every ReLU layer matter in predict(). */
function randomFlat(kind: NetworkKind, shape: NetworkShape, seed: number): Float32Array {
  const rng = new Random(seed);
  const size = parameterCount(kind === 'actor' ? actorLayers(shape) : criticLayers(shape));
  return Float32Array.from({ length: size }, () => rng.uniform(-0.7, 0.7));
}

function randomRows(rng: Random, count: number, width: number, bound: number): Float32Array {
  return Float32Array.from({ length: count * width }, () => rng.uniform(-bound, bound));
}

/** A JSON round trip, as writing model.json to disk and reading it back does. */
function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

let tf: typeof TF;
before(async () => {
  ({ tf } = await loadTensorFlow());
});

/**
 * An IOHandler that serves model.json + weights.bin exactly as tfjs's own file and HTTP loaders
 * do (getModelArtifactsForJSON over the parsed JSON, weights concatenated in manifest order).
 */
function artifactsHandler(modelJson: object, weightsBin: Uint8Array): TF.io.IOHandler {
  const parsed = viaJson(modelJson) as TF.io.ModelJSON;
  return {
    load: () =>
      tf.io.getModelArtifactsForJSON(parsed, async (manifest) => {
        assert.deepEqual(
          manifest.flatMap((group) => group.paths),
          ['weights.bin'],
        );
        const bytes = weightsBin.slice();
        return [manifest.flatMap((group) => group.weights), bytes.buffer];
      }),
  };
}

async function loadModel(modelJson: object, weightsBin: Uint8Array): Promise<TF.LayersModel> {
  return tf.loadLayersModel(artifactsHandler(modelJson, weightsBin));
}

function predict(model: TF.LayersModel, rows: Float32Array, width: number): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(rows, [rows.length / width, width])) as TF.Tensor).dataSync() as Float32Array).slice();
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let k = 0; k < expected.length; k++) {
    const error = Math.abs(actual[k] - expected[k]);
    assert.ok(error <= tolerance * Math.max(1, Math.abs(expected[k])), `${label}[${k}]: ${actual[k]} vs ${expected[k]}`);
  }
}

for (const [name, shape] of Object.entries({ pendulum: PENDULUM, odd: ODD })) {
  describe(`LayersModel artifacts round trip (${name} shape)`, () => {
    for (const kind of ['actor', 'critic'] as const) {
      it(`${kind}: reading back what was written gives the same flat vector, bit for bit`, () => {
        const flat = randomFlat(kind, shape, 1);
        const { modelJson, weightsBin } = toLayersModelArtifacts(kind, shape, flat);
        const back = fromLayersModelArtifacts(kind, shape, viaJson(modelJson), weightsBin);
        assert.deepEqual(back, flat);
      });
    }

    it('tf.loadLayersModel(actor).predict() is the torque: tanh(MLP(s))·actionBound', async () => {
      const flat = randomFlat('actor', shape, 2);
      const { modelJson, weightsBin } = toLayersModelArtifacts('actor', shape, flat);
      const model = await loadModel(modelJson, weightsBin);
      try {
        const obs = randomRows(new Random(3), 9, shape.obsDim, 2);
        const predicted = predict(model, obs, shape.obsDim);
        const expected = actorForward(shape, flat, obs, 9);
        assertClose(predicted, expected, 1e-5, 'actor');
        assert.ok(expected.some((a) => Math.abs(a) > 0.3 * shape.actionBound), 'the sample reaches beyond tanh’s linear range');
        assert.deepEqual(
          model.layers.map((l) => [l.name, l.trainable]),
          [...shape.actorHidden.map((_, i) => [`actor_dense_${i}`, true]), ['actor_tanh', true], ['actor_scale', false]],
        );
      } finally {
        model.dispose();
      }
    });

    it('tf.loadLayersModel(critic).predict() on [obs, action] rows is Q(s, a)', async () => {
      const flat = randomFlat('critic', shape, 4);
      const { modelJson, weightsBin } = toLayersModelArtifacts('critic', shape, flat);
      const model = await loadModel(modelJson, weightsBin);
      try {
        const rng = new Random(5);
        const obs = randomRows(rng, 9, shape.obsDim, 2);
        const action = randomRows(rng, 9, shape.actDim, shape.actionBound);
        const width = shape.obsDim + shape.actDim;
        const rows = new Float32Array(9 * width);
        for (let n = 0; n < 9; n++) {
          rows.set(obs.subarray(n * shape.obsDim, (n + 1) * shape.obsDim), n * width);
          rows.set(action.subarray(n * shape.actDim, (n + 1) * shape.actDim), n * width + shape.obsDim);
        }
        assertClose(predict(model, rows, width), criticForward(shape, flat, obs, action, 9), 1e-5, 'critic');
      } finally {
        model.dispose();
      }
    });
  });
}

describe('LayersModel artifacts and the tfjs engine', () => {
  let engine: Engine;
  before(async () => {
    engine = await createTfjsEngine({ shape: PENDULUM, hyper: { gamma: 0.99, tau: 0.01, actorLr: 1e-3, criticLr: 2e-3 }, batchSize: 4 });
  });
  after(() => engine.dispose());

  it("the saved actor's predict() equals engine.act()", async () => {
    const params = initialParameters(PENDULUM, new Random(8));
    params.actor = randomFlat('actor', PENDULUM, 9);
    engine.setParameters(params);
    const { modelJson, weightsBin } = toLayersModelArtifacts('actor', PENDULUM, engine.getParameters().actor);
    const model = await loadModel(modelJson, weightsBin);
    try {
      const obs = randomRows(new Random(10), 16, 3, 1.5);
      assertClose(predict(model, obs, 3), engine.act(obs, 16), 1e-5, 'predict vs act');
    } finally {
      model.dispose();
    }
  });
});

describe('LayersModel artifacts written by tfjs itself', () => {
  it('a model tfjs saves again (model.save) reads back to the same parameters', async () => {
    const flat = randomFlat('actor', ODD, 11);
    const written = toLayersModelArtifacts('actor', ODD, flat);
    const model = await loadModel(written.modelJson, written.weightsBin);
    let saved: TF.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    model.dispose();
    assert.ok(saved?.weightData instanceof ArrayBuffer);
    // What tfjs's file:// saver writes as model.json.
    const modelJson = {
      format: saved.format,
      generatedBy: saved.generatedBy,
      convertedBy: saved.convertedBy,
      modelTopology: saved.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: saved.weightSpecs }],
    };
    assert.deepEqual(fromLayersModelArtifacts('actor', ODD, viaJson(modelJson), new Uint8Array(saved.weightData)), flat);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment --
   these tests break model.json on purpose, through `any`: no type describes the broken documents. */
describe('LayersModel artifacts are validated', () => {
  const flat = randomFlat('actor', PENDULUM, 12);
  const good = toLayersModelArtifacts('actor', PENDULUM, flat);
  /** A JSON copy of the good model.json, edited by `edit`. */
  const edited = (edit: (json: any) => void): unknown => {
    const json = viaJson(good.modelJson);
    edit(json);
    return json;
  };
  const read = (json: unknown, bin = good.weightsBin, shape = PENDULUM, kind: NetworkKind = 'actor') => () =>
    fromLayersModelArtifacts(kind, shape, json, bin);

  it('stores little-endian float32 in manifest order', () => {
    const view = new DataView(good.weightsBin.buffer, good.weightsBin.byteOffset);
    assert.equal(view.getFloat32(0, true), flat[0]);
    assert.equal(view.getFloat32(good.weightsBin.byteLength - 4, true), 2, 'the scale kernel comes last and is the action bound');
  });

  it('rejects the wrong flat length when writing', () => {
    assert.throws(() => toLayersModelArtifacts('critic', PENDULUM, flat), /the critic has \d+ parameters; this network shape needs \d+/);
  });

  it('rejects what is not a LayersModel', () => {
    assert.throws(read([]), /holds a list; expected an object/);
    assert.throws(read(null), /holds null; expected an object/);
    assert.throws(read(edited((j) => (j.format = 'graph-model'))), /format is "graph-model"; expected "layers-model"/);
    assert.throws(read(edited((j) => (j.modelTopology.class_name = 'Model'))), /class_name is "Model"; expected "Sequential"/);
    assert.throws(read(edited((j) => delete j.modelTopology)), /modelTopology is missing/);
  });

  it('names the layer that does not match the network shape', () => {
    assert.throws(read(edited((j) => (j.modelTopology.config.layers[1].config.name = 'dense_7'))), /layer 1 is named "dense_7"; expected "actor_dense_1"/);
    assert.throws(read(edited((j) => (j.modelTopology.config.layers[2].config.activation = 'sigmoid'))), /layer 2 \("actor_tanh"\) has activation "sigmoid"/);
    assert.throws(read(edited((j) => (j.modelTopology.config.layers[0].class_name = 'Conv1D'))), /"actor_dense_0"\) is a "Conv1D" layer/);
    assert.throws(read(good.modelJson, good.weightsBin, { ...PENDULUM, actorHidden: [64, 32] }), /layer 1 \("actor_dense_1"\) has 64 units; this network shape needs 32/);
    assert.throws(read(good.modelJson, good.weightsBin, { ...PENDULUM, obsDim: 4 }), /batch_input_shape \[null,3\]; this network shape needs \[null, 4\]/);
    assert.throws(read(good.modelJson, good.weightsBin, { ...PENDULUM, actorHidden: [64] }), /has 4 layers; this network shape needs 3/);
    const critic = toLayersModelArtifacts('critic', PENDULUM, randomFlat('critic', PENDULUM, 1));
    assert.throws(read(critic.modelJson, critic.weightsBin), /has 3 layers; this network shape needs 4/);
  });

  it('checks every weight entry and the byte length', () => {
    assert.throws(read(edited((j) => (j.weightsManifest[0].weights[1].shape = [63]))), /weight "actor_dense_0\/bias" has shape \[63\]; this network shape needs \[64\]/);
    assert.throws(read(edited((j) => (j.weightsManifest[0].weights[0].dtype = 'int32'))), /dtype "int32"; expected "float32"/);
    assert.throws(read(edited((j) => j.weightsManifest[0].weights.splice(2, 1))), /lacks "actor_dense_1\/kernel"/);
    assert.throws(read(edited((j) => (j.weightsManifest[0].weights[0].name = 'kernel'))), /unexpected weight "kernel"/);
    assert.throws(read(edited((j) => (j.weightsManifest[0].paths = ['group1-shard1of1.bin']))), /paths are \["group1-shard1of1.bin"\]; expected \["weights.bin"\]/);
    assert.throws(read(edited((j) => j.weightsManifest.push(j.weightsManifest[0]))), /exactly one weight group/);
    assert.throws(
      read(edited((j) => (j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 }))),
      /is quantized/,
    );
    assert.throws(read(good.modelJson, good.weightsBin.subarray(4)), /weights.bin has \d+ bytes; the manifest's weights need \d+/);
  });

  it('reads weights in manifest order, wherever the manifest lists them', () => {
    const reordered = edited((j) => j.weightsManifest[0].weights.reverse()) as any;
    const specs: Array<{ name: string; shape: number[] }> = reordered.weightsManifest[0].weights;
    // Rewrite the bytes in the reversed order, each weight's values kept together.
    const original = (good.modelJson as any).weightsManifest[0].weights as Array<{ name: string; shape: number[] }>;
    const starts = new Map<string, number>();
    let offset = 0;
    for (const spec of original) {
      starts.set(spec.name, offset);
      offset += spec.shape.reduce((a, b) => a * b, 1) * 4;
    }
    const bin = new Uint8Array(good.weightsBin.length);
    let at = 0;
    for (const spec of specs) {
      const bytes = spec.shape.reduce((a, b) => a * b, 1) * 4;
      bin.set(good.weightsBin.subarray(starts.get(spec.name), starts.get(spec.name)! + bytes), at);
      at += bytes;
    }
    assert.deepEqual(fromLayersModelArtifacts('actor', PENDULUM, reordered, bin), flat);
  });

  it("rejects an actor whose scale is not this environment's action bound", () => {
    assert.throws(read(good.modelJson, good.weightsBin, { ...PENDULUM, actionBound: 3 }), /actor_scale\/kernel\[0\]\[0\] is 2; expected 3 \(action bound 3\)/);
  });
});
/* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment */
