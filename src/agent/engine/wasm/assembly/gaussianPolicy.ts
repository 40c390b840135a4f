// SAC's squashed Gaussian policy on the actor's raw outputs [rows, 2·actDim] (mean columns, then
// the log-std head's): sampling with the caller's noise, its log-density, the backward pass of
// both, and the deterministic action. sacParameters.ts defines the arithmetic; elementwise work is
// done in f64 and stored as f32 (a few transcendental calls per action, negligible beside the
// matrix products).

const LOG_STD_MIN: f64 = -5;
const LOG_STD_MAX: f64 = 2;
const LOG_STD_HALF_RANGE: f64 = 0.5 * (LOG_STD_MAX - LOG_STD_MIN);
const HALF_LOG_TWO_PI: f64 = 0.9189385332046728;

@inline
function f32At(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

@inline
function setF32(base: usize, index: i32, value: f64): void {
  store<f32>(base + (<usize>index << 2), <f32>value);
}

/** log(1 − tanh²(u)) = 2·(log 2 − u − softplus(−2u)), without the cancellation of 1 − tanh². */
@inline
function logOneMinusTanhSquared(u: f64): f64 {
  const x = -2 * u;
  return 2 * (Math.LN2 - u - (max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))));
}

/**
 * For each row and action dimension, with ε from `noise` [rows, actDim]:
 * u = μ + σ·ε, actions = tanh(u)·bound, squashed = tanh(u), std = σ, headTanh = tanh(h),
 * and logProb[row] = Σ_j (−½ε² − log σ − ½·log 2π − log(1 − tanh²(u))).
 */
export function samplePolicy(
  outputs: usize, rows: i32, actDim: i32, noise: usize, bound: f32,
  actions: usize, squashed: usize, std: usize, headTanh: usize, logProb: usize,
): void {
  for (let n = 0; n < rows; n++) {
    let sum: f64 = 0;
    for (let j = 0; j < actDim; j++) {
      const k = n * actDim + j;
      const mean = <f64>f32At(outputs, n * 2 * actDim + j);
      const head = Math.tanh(<f64>f32At(outputs, n * 2 * actDim + actDim + j));
      const logStd = LOG_STD_MIN + LOG_STD_HALF_RANGE * (head + 1);
      const sigma = Math.exp(logStd);
      const e = <f64>f32At(noise, k);
      const u = mean + sigma * e;
      const t = Math.tanh(u);
      setF32(actions, k, t * <f64>bound);
      setF32(squashed, k, t);
      setF32(std, k, sigma);
      setF32(headTanh, k, head);
      sum += -0.5 * e * e - logStd - HALF_LOG_TWO_PI - logOneMinusTanhSquared(u);
    }
    setF32(logProb, n, sum);
  }
}

/**
 * dLoss/d(outputs) [rows, 2·actDim] into `outputGradient`, for a loss with slope `actionGradient`
 * [rows, actDim] in the actions and `logProbGradient` in every row's log π:
 *   dLoss/du = logProbGradient·2·tanh(u) + actionGradient·bound·(1 − tanh²(u))   (= dLoss/dμ)
 *   dLoss/dlog σ = dLoss/du·σ·ε − logProbGradient
 *   dLoss/dh = dLoss/dlog σ·½(max − min)·(1 − tanh²(h))
 */
export function policyBackward(
  rows: i32, actDim: i32, noise: usize, bound: f32,
  squashed: usize, std: usize, headTanh: usize,
  actionGradient: usize, logProbGradient: f64, outputGradient: usize,
): void {
  for (let n = 0; n < rows; n++) {
    for (let j = 0; j < actDim; j++) {
      const k = n * actDim + j;
      const t = <f64>f32At(squashed, k);
      const dU = logProbGradient * 2 * t + <f64>f32At(actionGradient, k) * <f64>bound * (1 - t * t);
      const dLogStd = dU * <f64>f32At(std, k) * <f64>f32At(noise, k) - logProbGradient;
      const head = <f64>f32At(headTanh, k);
      setF32(outputGradient, n * 2 * actDim + j, dU);
      setF32(outputGradient, n * 2 * actDim + actDim + j, dLogStd * LOG_STD_HALF_RANGE * (1 - head * head));
    }
  }
}

/** tanh(μ)·bound [rows, actDim]: the deterministic action. */
export function meanActions(outputs: usize, rows: i32, actDim: i32, bound: f32, actions: usize): void {
  for (let n = 0; n < rows; n++) {
    for (let j = 0; j < actDim; j++) setF32(actions, n * actDim + j, Math.tanh(<f64>f32At(outputs, n * 2 * actDim + j)) * <f64>bound);
  }
}

/** tanh(μ + σ·ε)·bound [rows, actDim] with ε from `noise`: an action to take in training. */
export function sampledActions(outputs: usize, rows: i32, actDim: i32, noise: usize, bound: f32, actions: usize): void {
  for (let n = 0; n < rows; n++) {
    for (let j = 0; j < actDim; j++) {
      const mean = <f64>f32At(outputs, n * 2 * actDim + j);
      const logStd = LOG_STD_MIN + LOG_STD_HALF_RANGE * (Math.tanh(<f64>f32At(outputs, n * 2 * actDim + actDim + j)) + 1);
      setF32(actions, n * actDim + j, Math.tanh(mean + Math.exp(logStd) * <f64>f32At(noise, n * actDim + j)) * <f64>bound);
    }
  }
}
