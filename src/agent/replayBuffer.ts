import type { Batch } from './engine/engine';
import type { Random } from './random';

/** Ring buffer of transitions over preallocated Float32Arrays; sampling allocates nothing. */
export class ReplayBuffer {
  readonly capacity: number;
  readonly obsDim: number;
  readonly actDim: number;
  readonly obs: Float32Array;
  readonly action: Float32Array;
  readonly reward: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminated: Float32Array;
  /** Next slot to write. */
  position = 0;
  size = 0;

  constructor(capacity: number, obsDim: number, actDim: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`replay buffer capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.obs = new Float32Array(capacity * obsDim);
    this.action = new Float32Array(capacity * actDim);
    this.reward = new Float32Array(capacity);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.terminated = new Float32Array(capacity);
  }

  add(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void {
    const i = this.position;
    const od = this.obsDim;
    const ad = this.actDim;
    for (let k = 0; k < od; k++) {
      this.obs[i * od + k] = obs[k];
      this.nextObs[i * od + k] = nextObs[k];
    }
    for (let k = 0; k < ad; k++) this.action[i * ad + k] = action[k];
    this.reward[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.position = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Fills `out` (batchSize = out.reward.length) with uniformly sampled transitions (with replacement). */
  sampleInto(out: Batch, rng: Random): void {
    const n = out.reward.length;
    if (this.size === 0) throw new Error('cannot sample from an empty replay buffer');
    const od = this.obsDim;
    const ad = this.actDim;
    for (let b = 0; b < n; b++) {
      const i = rng.int(this.size);
      for (let k = 0; k < od; k++) {
        out.obs[b * od + k] = this.obs[i * od + k];
        out.nextObs[b * od + k] = this.nextObs[i * od + k];
      }
      for (let k = 0; k < ad; k++) out.action[b * ad + k] = this.action[i * ad + k];
      out.reward[b] = this.reward[i];
      out.terminated[b] = this.terminated[i];
    }
  }

  /** The filled part only, for checkpoints. */
  snapshot(): { capacity: number; position: number; size: number; obs: Float32Array; action: Float32Array; reward: Float32Array; nextObs: Float32Array; terminated: Float32Array } {
    const s = this.size;
    return {
      capacity: this.capacity,
      position: this.position,
      size: s,
      obs: this.obs.slice(0, s * this.obsDim),
      action: this.action.slice(0, s * this.actDim),
      reward: this.reward.slice(0, s),
      nextObs: this.nextObs.slice(0, s * this.obsDim),
      terminated: this.terminated.slice(0, s),
    };
  }

  restore(snap: ReturnType<ReplayBuffer['snapshot']>): void {
    if (snap.capacity !== this.capacity) throw new Error(`replay buffer capacity ${snap.capacity} does not match ${this.capacity}`);
    this.obs.set(snap.obs);
    this.action.set(snap.action);
    this.reward.set(snap.reward);
    this.nextObs.set(snap.nextObs);
    this.terminated.set(snap.terminated);
    this.position = snap.position;
    this.size = snap.size;
  }
}
