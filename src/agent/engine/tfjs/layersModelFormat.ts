/**
 * One network ⇄ TensorFlow.js LayersModel artifacts (`model.json` + `weights.bin`), so that a
 * checkpoint's networks load with `tf.loadLayersModel` anywhere. Pure data conversion: no tfjs, no
 * file system (the checkpoint code reads and writes the files and prefixes errors with the path).
 *
 * The models are Keras Sequential stacks of Dense layers whose predict() is exactly the network:
 *   actor:  Dense(relu)… → Dense(actDim, tanh) "actor_tanh" → Dense(actDim, linear, no bias,
 *           non-trainable) "actor_scale" with kernel actionBound·I, so the output is the torque;
 *   critic: input [obs, action] (width obsDim + actDim) → Dense(relu)… → Dense(1, linear) "critic_q";
 *   actorLogStd (SAC's log-std head): the actor's hidden layers → Dense(actDim, tanh) "log_std_tanh"
 *           → Dense(actDim, linear, non-trainable) "log_std_scale" with kernel ½(max − min)·I and
 *           bias min + ½(max − min), so the output is log σ bounded as sacParameters.ts defines it;
 *   scalar: Dense(1, linear, no bias) "value" on an input of width 1: predict([[1]]) is the number.
 * A Dense kernel is [in, out] row-major, the same as the flat layout of engine.ts, so the weights
 * file is the flat vector itself (plus the actor's scale kernel), little-endian float32.
 */

import type { NetworkShape } from '../engine';
import { actorLayers, criticLayers, parameterCount } from '../parameters';
import { LOG_STD_MAX, LOG_STD_MIN } from '../sacParameters';

export type NetworkKind = 'actor' | 'critic' | 'actorLogStd' | 'scalar';

const LOG_STD_SCALE = (LOG_STD_MAX - LOG_STD_MIN) / 2;
const LOG_STD_OFFSET = LOG_STD_MIN + LOG_STD_SCALE;

/** The trainable layers' [in, out] sizes of a network of this kind (its flat vector's layout). */
function trainableLayers(kind: NetworkKind, shape: NetworkShape): Array<[number, number]> {
  if (kind === 'critic') return criticLayers(shape);
  if (kind === 'scalar') return [[1, 1]];
  return actorLayers(shape);
}

/** Parameters of the flat vector a model of this kind stores. */
export function storedParameterCount(kind: NetworkKind, shape: NetworkShape): number {
  return kind === 'scalar' ? 1 : parameterCount(trainableLayers(kind, shape));
}

export const WEIGHTS_FILE = 'weights.bin';
/** The tfjs-layers release whose serialisation this topology follows (informational, as tfjs writes it). */
const KERAS_VERSION = 'tfjs-layers 4.22.0';

type Activation = 'relu' | 'tanh' | 'linear';

interface DenseLayer {
  name: string;
  inputs: number;
  units: number;
  activation: Activation;
  useBias: boolean;
  trainable: boolean;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** The Dense layers a network of this kind and shape is stored as. */
function denseLayers(kind: NetworkKind, shape: NetworkShape): DenseLayer[] {
  if (kind === 'scalar') return [{ name: 'value', inputs: 1, units: 1, activation: 'linear', useBias: false, trainable: true }];
  const sizes = trainableLayers(kind, shape);
  const family = kind === 'critic' ? 'critic' : 'actor';
  const outputName = { actor: 'actor_tanh', critic: 'critic_q', actorLogStd: 'log_std_tanh' }[kind];
  const layers = sizes.map(([inputs, units], i): DenseLayer => {
    const last = i === sizes.length - 1;
    const name = !last ? `${family}_dense_${i}` : outputName;
    const activation: Activation = !last ? 'relu' : kind === 'critic' ? 'linear' : 'tanh';
    return { name, inputs, units, activation, useBias: true, trainable: true };
  });
  if (kind === 'actor') {
    layers.push({ name: 'actor_scale', inputs: shape.actDim, units: shape.actDim, activation: 'linear', useBias: false, trainable: false });
  } else if (kind === 'actorLogStd') {
    layers.push({ name: 'log_std_scale', inputs: shape.actDim, units: shape.actDim, activation: 'linear', useBias: true, trainable: false });
  }
  return layers;
}

function weightSpecs(layers: DenseLayer[]): WeightSpec[] {
  return layers.flatMap((layer) => [
    { name: `${layer.name}/kernel`, shape: [layer.inputs, layer.units], dtype: 'float32' as const },
    ...(layer.useBias ? [{ name: `${layer.name}/bias`, shape: [layer.units], dtype: 'float32' as const }] : []),
  ]);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

function layerConfig(layer: DenseLayer, index: number, shape: NetworkShape): object {
  const kernelInitializer = layer.name === 'actor_scale'
    ? { class_name: 'Identity', config: { gain: shape.actionBound } }
    : layer.name === 'log_std_scale'
      ? { class_name: 'Identity', config: { gain: LOG_STD_SCALE } }
      : { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } };
  const biasInitializer = layer.name === 'log_std_scale' ? { class_name: 'Constant', config: { value: LOG_STD_OFFSET } } : { class_name: 'Zeros', config: {} };
  return {
    class_name: 'Dense',
    config: {
      units: layer.units,
      activation: layer.activation,
      use_bias: layer.useBias,
      kernel_initializer: kernelInitializer,
      bias_initializer: biasInitializer,
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      name: layer.name,
      trainable: layer.trainable,
      ...(index === 0 ? { batch_input_shape: [null, layer.inputs] } : {}),
      dtype: 'float32',
    },
  };
}

/**
 * model.json (as tfjs's file saver writes it, weights in `weights.bin`) and the weights bytes for
 * one network given as a flat parameter vector in engine.ts's layout.
 */
export function toLayersModelArtifacts(kind: NetworkKind, shape: NetworkShape, flat: Float32Array): { modelJson: object; weightsBin: Uint8Array } {
  const count = storedParameterCount(kind, shape);
  if (flat.length !== count) throw new Error(`the ${kind} has ${flat.length} parameters; this network shape needs ${count}`);
  const layers = denseLayers(kind, shape);
  const specs = weightSpecs(layers);
  const total = specs.reduce((n, spec) => n + elementCount(spec.shape), 0);
  const weights = new Float32Array(total);
  weights.set(flat);
  if (kind === 'actor') {
    for (let i = 0; i < shape.actDim; i++) weights[count + i * shape.actDim + i] = shape.actionBound;
  } else if (kind === 'actorLogStd') {
    for (let i = 0; i < shape.actDim; i++) {
      weights[count + i * shape.actDim + i] = LOG_STD_SCALE;
      weights[count + shape.actDim * shape.actDim + i] = LOG_STD_OFFSET;
    }
  }
  const weightsBin = new Uint8Array(total * 4);
  const view = new DataView(weightsBin.buffer);
  weights.forEach((value, k) => view.setFloat32(k * 4, value, true));
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'DDPG Lab',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: kind, layers: layers.map((layer, i) => layerConfig(layer, i, shape)) },
      keras_version: KERAS_VERSION,
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
  };
  return { modelJson, weightsBin };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function sameShape(a: unknown, b: readonly number[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The Sequential's layer list, accepting Keras's `model_config` wrapper as tfjs does. */
function topologyLayers(modelJson: Record<string, unknown>): unknown[] {
  let topology = modelJson.modelTopology;
  if (isRecord(topology) && isRecord(topology.model_config)) topology = topology.model_config;
  if (!isRecord(topology)) throw new Error(`modelTopology is ${show(topology)}; expected a Keras model topology object`);
  if (topology.class_name !== 'Sequential') throw new Error(`modelTopology.class_name is ${show(topology.class_name)}; expected "Sequential"`);
  const config = topology.config;
  const layers = isRecord(config) ? config.layers : config;
  if (!Array.isArray(layers)) throw new Error('modelTopology.config.layers is not a list of layers');
  return layers;
}

function checkLayer(found: unknown, expected: DenseLayer, index: number): void {
  const where = `layer ${index} ("${expected.name}")`;
  if (!isRecord(found) || !isRecord(found.config)) throw new Error(`${where} is not a Keras layer object`);
  const config = found.config;
  if (config.name !== expected.name) throw new Error(`layer ${index} is named ${show(config.name)}; expected "${expected.name}"`);
  if (found.class_name !== 'Dense') throw new Error(`${where} is a ${show(found.class_name)} layer; expected "Dense"`);
  if (config.units !== expected.units) throw new Error(`${where} has ${show(config.units)} units; this network shape needs ${expected.units}`);
  const activation = config.activation ?? 'linear';
  if (activation !== expected.activation) throw new Error(`${where} has activation ${show(config.activation)}; expected "${expected.activation}"`);
  if ((config.use_bias ?? true) !== expected.useBias) throw new Error(`${where} has use_bias ${show(config.use_bias)}; expected ${expected.useBias}`);
  if (index === 0) {
    const inputShape = config.batch_input_shape;
    if (!Array.isArray(inputShape) || inputShape.length !== 2 || inputShape[1] !== expected.inputs) {
      throw new Error(`${where} has batch_input_shape ${show(inputShape)}; this network shape needs [null, ${expected.inputs}]`);
    }
  }
}

/** The manifest's weight specs, which must all live in the single weights file the caller read. */
function manifestSpecs(modelJson: Record<string, unknown>): unknown[] {
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length !== 1 || !isRecord(manifest[0])) {
    throw new Error(`weightsManifest must hold exactly one weight group stored in ${WEIGHTS_FILE}`);
  }
  const group = manifest[0];
  if (!sameShapeOfStrings(group.paths, [WEIGHTS_FILE])) throw new Error(`weightsManifest paths are ${show(group.paths)}; expected ["${WEIGHTS_FILE}"]`);
  if (!Array.isArray(group.weights)) throw new Error('weightsManifest[0].weights is not a list');
  return group.weights;
}

function sameShapeOfStrings(a: unknown, b: readonly string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((s, i) => s === b[i]);
}

/**
 * The flat parameter vector (engine.ts's layout) of a network stored as LayersModel artifacts.
 * Checks everything against the expected shape: format, layer names, classes, units,
 * activations, input width, every weight's name, shape and dtype, the weights' byte length, and
 * that the actor's scale is this shape's action bound. Throws an Error saying what is wrong.
 */
export function fromLayersModelArtifacts(kind: NetworkKind, shape: NetworkShape, modelJson: unknown, weightsBin: Uint8Array): Float32Array {
  if (!isRecord(modelJson)) throw new Error(`model.json holds ${Array.isArray(modelJson) ? 'a list' : show(modelJson)}; expected an object`);
  if (modelJson.format !== 'layers-model') throw new Error(`format is ${show(modelJson.format)}; expected "layers-model"`);
  const expectedLayers = denseLayers(kind, shape);
  const foundLayers = topologyLayers(modelJson);
  if (foundLayers.length !== expectedLayers.length) {
    throw new Error(`the ${kind} model has ${foundLayers.length} layers; this network shape needs ${expectedLayers.length}`);
  }
  expectedLayers.forEach((layer, i) => checkLayer(foundLayers[i], layer, i));

  const expectedSpecs = new Map(weightSpecs(expectedLayers).map((spec) => [spec.name, spec]));
  const offsets = new Map<string, number>();
  let byteOffset = 0;
  for (const [i, spec] of manifestSpecs(modelJson).entries()) {
    if (!isRecord(spec) || typeof spec.name !== 'string') throw new Error(`weight ${i} in weightsManifest has no name`);
    const expected = expectedSpecs.get(spec.name);
    if (!expected) throw new Error(`unexpected weight "${spec.name}"; expected ${[...expectedSpecs.keys()].join(', ')}`);
    if (offsets.has(spec.name)) throw new Error(`weight "${spec.name}" is listed twice`);
    if (!sameShape(spec.shape, expected.shape)) throw new Error(`weight "${spec.name}" has shape ${show(spec.shape)}; this network shape needs ${show(expected.shape)}`);
    if ((spec.dtype ?? 'float32') !== 'float32') throw new Error(`weight "${spec.name}" has dtype ${show(spec.dtype)}; expected "float32"`);
    if (spec.quantization !== undefined) throw new Error(`weight "${spec.name}" is quantized; only float32 weights are supported`);
    offsets.set(spec.name, byteOffset);
    byteOffset += elementCount(expected.shape) * 4;
  }
  const missing = [...expectedSpecs.keys()].filter((name) => !offsets.has(name));
  if (missing.length > 0) throw new Error(`weightsManifest lacks ${missing.map((n) => `"${n}"`).join(', ')}`);
  if (weightsBin.byteLength !== byteOffset) {
    throw new Error(`${WEIGHTS_FILE} has ${weightsBin.byteLength} bytes; the manifest's weights need ${byteOffset}`);
  }

  const view = new DataView(weightsBin.buffer, weightsBin.byteOffset, weightsBin.byteLength);
  const read = (name: string): Float32Array => {
    const start = offsets.get(name)!;
    return Float32Array.from({ length: elementCount(expectedSpecs.get(name)!.shape) }, (_, k) => view.getFloat32(start + k * 4, true));
  };
  const flat = new Float32Array(storedParameterCount(kind, shape));
  let at = 0;
  for (const layer of expectedLayers.filter((l) => l.trainable)) {
    for (const name of [`${layer.name}/kernel`, ...(layer.useBias ? [`${layer.name}/bias`] : [])]) {
      const values = read(name);
      flat.set(values, at);
      at += values.length;
    }
  }
  if (kind === 'actor') checkActionScale(shape, read('actor_scale/kernel'));
  if (kind === 'actorLogStd') checkLogStdScale(shape, read('log_std_scale/kernel'), read('log_std_scale/bias'));
  return flat;
}

/** The log-std model's last layer must map tanh outputs onto [LOG_STD_MIN, LOG_STD_MAX] as the engines do. */
function checkLogStdScale(shape: NetworkShape, kernel: Float32Array, bias: Float32Array): void {
  kernel.forEach((value, k) => {
    const expected = k % (shape.actDim + 1) === 0 ? Math.fround(LOG_STD_SCALE) : 0;
    if (value !== expected) throw new Error(`log_std_scale/kernel[${Math.floor(k / shape.actDim)}][${k % shape.actDim}] is ${value}; expected ${expected}`);
  });
  bias.forEach((value, k) => {
    if (value !== Math.fround(LOG_STD_OFFSET)) throw new Error(`log_std_scale/bias[${k}] is ${value}; expected ${LOG_STD_OFFSET}`);
  });
}

/** The actor's last layer must turn tanh outputs into this environment's torque. */
function checkActionScale(shape: NetworkShape, kernel: Float32Array): void {
  const bound = Math.fround(shape.actionBound);
  kernel.forEach((value, k) => {
    const expected = k % (shape.actDim + 1) === 0 ? bound : 0;
    if (value !== expected) {
      throw new Error(`actor_scale/kernel[${Math.floor(k / shape.actDim)}][${k % shape.actDim}] is ${value}; expected ${expected} (action bound ${shape.actionBound})`);
    }
  });
}
