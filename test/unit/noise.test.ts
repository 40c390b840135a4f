import assert from 'node:assert/strict';
import test from 'node:test';
import { GaussianNoise, OrnsteinUhlenbeckNoise, clipActions } from '../../src/agent/noise';
import { Random } from '../../src/agent/random';

function stats(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}

test('Gaussian noise has mean 0 and the requested sigma, independent across steps', () => {
  const noise = new GaussianNoise(0.2, new Random(1));
  const out = new Float32Array(1);
  const xs: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    noise.sample(out);
    xs.push(out[0]);
  }
  const { mean, std } = stats(xs);
  assert.ok(Math.abs(mean) < 0.003, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.2) < 0.003, `std ${std}`);
  let lag1 = 0;
  for (let i = 1; i < xs.length; i++) lag1 += xs[i] * xs[i - 1];
  assert.ok(Math.abs(lag1 / (xs.length - 1) / 0.04) < 0.02, 'no autocorrelation');
});

test('Ornstein–Uhlenbeck noise: stationary std sigma/sqrt(2 theta - theta^2), correlated, reset to 0', () => {
  const theta = 0.15;
  const sigma = 0.2;
  const noise = new OrnsteinUhlenbeckNoise(1, theta, sigma, new Random(2));
  const out = new Float32Array(1);
  for (let i = 0; i < 1000; i++) noise.sample(out); // reach stationarity
  const xs: number[] = [];
  for (let i = 0; i < 200_000; i++) {
    noise.sample(out);
    xs.push(out[0]);
  }
  const { mean, std } = stats(xs);
  // Discrete AR(1): x' = (1 - θ)x + σε → Var = σ² / (1 − (1 − θ)²)
  const expectedStd = sigma / Math.sqrt(1 - (1 - theta) ** 2);
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(std - expectedStd) / expectedStd < 0.05, `std ${std} vs ${expectedStd}`);
  let lag1 = 0;
  for (let i = 1; i < xs.length; i++) lag1 += (xs[i] - mean) * (xs[i - 1] - mean);
  const rho = lag1 / (xs.length - 1) / std ** 2;
  assert.ok(Math.abs(rho - (1 - theta)) < 0.02, `lag-1 correlation ${rho}`);
  noise.reset();
  assert.deepEqual(noise.getState(), [0]);
});

test('OU state round trips', () => {
  const a = new OrnsteinUhlenbeckNoise(2, 0.15, 0.3, new Random(3));
  const out = new Float32Array(2);
  for (let i = 0; i < 10; i++) a.sample(out);
  const b = new OrnsteinUhlenbeckNoise(2, 0.15, 0.3, new Random(0));
  b.setState(a.getState());
  assert.deepEqual(b.getState(), a.getState());
});

test('clipActions bounds every action', () => {
  const a = new Float32Array([-3, -2, 0.5, 2, 7]);
  clipActions(a, 2);
  assert.deepEqual(Array.from(a), [-2, -2, 0.5, 2, 2]);
});
