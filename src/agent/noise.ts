import type { Random } from './random';

/** Exploration noise in action units; `reset()` at the start of every episode. */
export interface ActionNoise {
  sample(out: Float32Array): void;
  reset(): void;
  getState(): number[];
  setState(state: number[]): void;
}

export class GaussianNoise implements ActionNoise {
  constructor(private readonly sigma: number, private readonly rng: Random) {}
  sample(out: Float32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.sigma * this.rng.normal();
  }
  reset(): void {}
  getState(): number[] {
    return [];
  }
  setState(): void {}
}

/** dx = θ(μ − x)dt + σ√dt·N(0, 1), μ = 0, dt = 1 step (the DDPG paper's exploration process). */
export class OrnsteinUhlenbeckNoise implements ActionNoise {
  private x: Float64Array;
  constructor(dim: number, private readonly theta: number, private readonly sigma: number, private readonly rng: Random, private readonly dt = 1) {
    this.x = new Float64Array(dim);
  }
  sample(out: Float32Array): void {
    const sq = Math.sqrt(this.dt);
    for (let i = 0; i < out.length; i++) {
      this.x[i] += this.theta * -this.x[i] * this.dt + this.sigma * sq * this.rng.normal();
      out[i] = this.x[i];
    }
  }
  reset(): void {
    this.x.fill(0);
  }
  getState(): number[] {
    return Array.from(this.x);
  }
  setState(state: number[]): void {
    this.x.set(state);
  }
}

/** Clips each action into [−bound, bound]. */
export function clipActions(actions: Float32Array, bound: number): void {
  for (let i = 0; i < actions.length; i++) actions[i] = Math.min(bound, Math.max(-bound, actions[i]));
}
