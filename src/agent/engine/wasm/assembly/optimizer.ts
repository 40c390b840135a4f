// One Adam step fused with the soft target update, in a single pass over a network's parameters.
// Fusing is exact: a network's target is updated from that network's parameters after its own
// Adam step, and nothing reads the target again within the same DDPG update.

const BETA1: f32 = 0.9;
const BETA2: f32 = 0.999;
const EPSILON: f32 = 1e-8;

/**
 * With t = step (1 for the first step):
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
 *   θ ← θ − lr·(m/(1 − β1^t)) / (sqrt(v/(1 − β2^t)) + ε)
 *   target ← τ·θ + (1 − τ)·target
 * over `count` parameters.
 */
export function adamWithSoftUpdate(
  parameters: usize, gradient: usize, firstMoment: usize, secondMoment: usize, target: usize,
  count: i32, learningRate: f32, step: i32, tau: f32,
): void {
  // Bias corrections in f64 so β^t stays accurate for large t, then applied as f32 factors.
  const firstCorrection = <f32>(1.0 / (1.0 - Math.pow(<f64>BETA1, <f64>step)));
  const secondCorrection = <f32>(1.0 / (1.0 - Math.pow(<f64>BETA2, <f64>step)));
  const beta1 = f32x4.splat(BETA1);
  const oneMinusBeta1 = f32x4.splat(1 - BETA1);
  const beta2 = f32x4.splat(BETA2);
  const oneMinusBeta2 = f32x4.splat(1 - BETA2);
  const correction1 = f32x4.splat(firstCorrection);
  const correction2 = f32x4.splat(secondCorrection);
  const epsilon = f32x4.splat(EPSILON);
  const rate = f32x4.splat(learningRate);
  const mix = f32x4.splat(tau);
  const keep = f32x4.splat(1 - tau);
  const vectorBytes = <usize>(count & ~3) << 2;
  let d: usize = 0;
  for (; d < vectorBytes; d += 16) {
    const g = v128.load(gradient + d);
    const m = f32x4.add(f32x4.mul(beta1, v128.load(firstMoment + d)), f32x4.mul(oneMinusBeta1, g));
    const v = f32x4.add(f32x4.mul(beta2, v128.load(secondMoment + d)), f32x4.mul(oneMinusBeta2, f32x4.mul(g, g)));
    const stepSize = f32x4.div(
      f32x4.mul(rate, f32x4.mul(m, correction1)),
      f32x4.add(f32x4.sqrt(f32x4.mul(v, correction2)), epsilon),
    );
    const theta = f32x4.sub(v128.load(parameters + d), stepSize);
    v128.store(firstMoment + d, m);
    v128.store(secondMoment + d, v);
    v128.store(parameters + d, theta);
    v128.store(target + d, f32x4.add(f32x4.mul(mix, theta), f32x4.mul(keep, v128.load(target + d))));
  }
  const end = <usize>count << 2;
  for (; d < end; d += 4) {
    const g = load<f32>(gradient + d);
    const m = BETA1 * load<f32>(firstMoment + d) + (1 - BETA1) * g;
    const v = BETA2 * load<f32>(secondMoment + d) + (1 - BETA2) * g * g;
    const theta = load<f32>(parameters + d) - (learningRate * (m * firstCorrection)) / (Mathf.sqrt(v * secondCorrection) + EPSILON);
    store<f32>(firstMoment + d, m);
    store<f32>(secondMoment + d, v);
    store<f32>(parameters + d, theta);
    store<f32>(target + d, tau * theta + (1 - tau) * load<f32>(target + d));
  }
}
