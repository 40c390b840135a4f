// A stack of dense layers in the engine's flat parameter layout (engine.ts): per layer a row-major
// kernel [in, out] then its bias [out]. Forward and backward passes over a batch of rows.

import { columnSums } from './matmul';
import { parallelMatmul as matmul, parallelMatmulTransposedA as matmulTransposedA, parallelMatmulTransposedB as matmulTransposedB } from './parallel';

export class Network {
  /** widths[0] is the input width, widths[l + 1] the output width of layer l. */
  readonly widths: StaticArray<i32>;
  /** Byte offsets of each layer's kernel and bias within a parameter vector. */
  readonly kernelOffsets: StaticArray<usize>;
  readonly biasOffsets: StaticArray<usize>;
  readonly parameterCount: i32;
  /** Parameter-shaped vectors (byte pointers): online, target, gradient and Adam's two moments. */
  online: usize = 0;
  target: usize = 0;
  gradient: usize = 0;
  firstMoment: usize = 0;
  secondMoment: usize = 0;
  adamSteps: i32 = 0;
  /** Output of each layer for a batch, [batch, widths[l + 1]] each. */
  readonly activations: StaticArray<usize>;

  constructor(widths: StaticArray<i32>) {
    this.widths = widths;
    const depth = widths.length - 1;
    this.kernelOffsets = new StaticArray<usize>(depth);
    this.biasOffsets = new StaticArray<usize>(depth);
    this.activations = new StaticArray<usize>(depth);
    let offset = 0;
    for (let l = 0; l < depth; l++) {
      unchecked((this.kernelOffsets[l] = <usize>offset << 2));
      offset += unchecked(widths[l]) * unchecked(widths[l + 1]);
      unchecked((this.biasOffsets[l] = <usize>offset << 2));
      offset += unchecked(widths[l + 1]);
    }
    this.parameterCount = offset;
  }

  get depth(): i32 {
    return this.widths.length - 1;
  }

  get outputWidth(): i32 {
    return unchecked(this.widths[this.widths.length - 1]);
  }

  get output(): usize {
    return unchecked(this.activations[this.depth - 1]);
  }

  /** The widest layer input or output: the size of a row of the backward pass's scratch. */
  get maxWidth(): i32 {
    let widest = 0;
    for (let l = 0; l < this.widths.length; l++) widest = max(widest, unchecked(this.widths[l]));
    return widest;
  }
}

/**
 * Runs `rows` inputs through `net` with the parameter vector at `params`, writing layer l's output
 * into outputs[l] ([rows, widths[l + 1]]). The input comes as two column blocks, x0 [rows, w0] and
 * x1 [rows, w1] with w0 + w1 = widths[0] (w1 = 0 for one block), so that the critic reads the
 * observation and the action from their own buffers: the first layer is x0·W0[:w0] + x1·W0[w0:].
 * Hidden layers are ReLU; the output layer is linear (the caller applies any squashing).
 */
export function forward(
  net: Network, params: usize,
  x0: usize, w0: i32, x1: usize, w1: i32, rows: i32,
  outputs: StaticArray<usize>,
): void {
  const depth = net.depth;
  for (let l = 0; l < depth; l++) {
    const inWidth = unchecked(net.widths[l]);
    const outWidth = unchecked(net.widths[l + 1]);
    const kernel = params + unchecked(net.kernelOffsets[l]);
    const bias = params + unchecked(net.biasOffsets[l]);
    const out = unchecked(outputs[l]);
    const hidden = l < depth - 1;
    if (l == 0) {
      if (w1 == 0) {
        matmul(x0, w0, kernel, outWidth, out, outWidth, rows, w0, outWidth, bias, false, hidden);
      } else {
        matmul(x0, w0, kernel, outWidth, out, outWidth, rows, w0, outWidth, bias, false, false);
        matmul(x1, w1, kernel + (<usize>(w0 * outWidth) << 2), outWidth, out, outWidth, rows, w1, outWidth, 0, true, hidden);
      }
    } else {
      matmul(unchecked(outputs[l - 1]), inWidth, kernel, outWidth, out, outWidth, rows, inWidth, outWidth, bias, false, hidden);
    }
  }
}

/**
 * Backpropagates dLoss/d(output pre-activation) `outputGradient` ([rows, outputWidth]) through a
 * forward pass whose layer outputs are in `outputs` and whose input blocks were x0/x1.
 * Writes dLoss/dparams into `gradient` unless it is 0, and dLoss/dx1 into `x1Gradient`
 * ([rows, w1]) unless it is 0. scratchA and scratchB ([rows, maxWidth] each) hold the hidden
 * layers' gradients in turn; outputGradient may be one of them.
 */
export function backward(
  net: Network, params: usize, gradient: usize,
  x0: usize, w0: i32, x1: usize, w1: i32, rows: i32,
  outputs: StaticArray<usize>, outputGradient: usize,
  scratchA: usize, scratchB: usize, x1Gradient: usize,
): void {
  let dz = outputGradient;
  for (let l = net.depth - 1; l >= 0; l--) {
    const inWidth = unchecked(net.widths[l]);
    const outWidth = unchecked(net.widths[l + 1]);
    const kernel = params + unchecked(net.kernelOffsets[l]);
    const x1Rows = <usize>(w0 * outWidth) << 2;
    if (gradient != 0) {
      const kernelGradient = gradient + unchecked(net.kernelOffsets[l]);
      if (l == 0) {
        matmulTransposedA(x0, w0, dz, outWidth, kernelGradient, outWidth, rows, w0, outWidth);
        if (w1 != 0) matmulTransposedA(x1, w1, dz, outWidth, kernelGradient + x1Rows, outWidth, rows, w1, outWidth);
      } else {
        matmulTransposedA(unchecked(outputs[l - 1]), inWidth, dz, outWidth, kernelGradient, outWidth, rows, inWidth, outWidth);
      }
      columnSums(dz, outWidth, rows, outWidth, gradient + unchecked(net.biasOffsets[l]));
    }
    if (l > 0) {
      const below = unchecked(outputs[l - 1]);
      const next = dz == scratchA ? scratchB : scratchA;
      matmulTransposedB(dz, outWidth, kernel, outWidth, next, inWidth, rows, outWidth, inWidth, below, inWidth);
      dz = next;
    } else if (x1Gradient != 0) {
      matmulTransposedB(dz, outWidth, kernel + x1Rows, outWidth, x1Gradient, w1, rows, outWidth, w1, 0, 0);
    }
  }
}
