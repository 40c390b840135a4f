/**
 * Chooses, while training, whether the wasm engine's helper thread takes part in updates, by
 * timing updates both ways. Whether a second thread pays cannot be known up front: on this kind of
 * 2-core virtual machine the same update takes 1.13 ms on two threads at one moment and 1.95 ms
 * (no gain, twice the CPU) a minute later, depending on what else the host and the guest run.
 * Results are bit-identical either way, so switching changes only the speed.
 *
 * The schedule: time a window of updates on two threads, then on one; keep the faster (two only
 * when clearly faster); after a stretch on the choice, time a window of the other mode again. Each
 * time the choice is confirmed the stretch doubles (up to maxStretch), so a confirmed choice costs
 * little probing; a switch resets it.
 */

export type ThreadCount = 1 | 2;

export interface ThreadPolicyOptions {
  /** Updates timed per probe window. */
  window: number;
  /** Updates on the chosen mode before the other is probed again, at first and at most. */
  minStretch: number;
  maxStretch: number;
  /** Two threads are chosen only when their median update is at least this fraction faster. */
  margin: number;
}

export const DEFAULT_THREAD_POLICY: ThreadPolicyOptions = { window: 24, minStretch: 400, maxStretch: 12_800, margin: 0.1 };

type Phase =
  | { kind: 'probe'; threads: ThreadCount; samples: number[]; then: 'probe-other' | 'decide' }
  | { kind: 'stretch'; threads: ThreadCount; remaining: number; recent: number[] };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export class AdaptiveThreadPolicy {
  private readonly options: ThreadPolicyOptions;
  private phase: Phase;
  /** The first probe's median, compared with the second's. */
  private firstProbe: { threads: ThreadCount; median: number } | null = null;
  private stretch: number;
  private decided = false;
  private switchCount = 0;

  constructor(options: Partial<ThreadPolicyOptions> = {}) {
    this.options = { ...DEFAULT_THREAD_POLICY, ...options };
    const { window, minStretch, maxStretch, margin } = this.options;
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
    if (!(minStretch >= 1 && maxStretch >= minStretch)) throw new RangeError(`need 1 ≤ minStretch ≤ maxStretch, got ${minStretch}, ${maxStretch}`);
    if (!(margin >= 0 && margin < 1)) throw new RangeError(`margin must be in [0, 1), got ${margin}`);
    this.stretch = minStretch;
    this.phase = { kind: 'probe', threads: 2, samples: [], then: 'probe-other' };
  }

  /** The mode the next update should run in. */
  get threads(): ThreadCount {
    return this.phase.threads;
  }

  /** Times the choice changed after the first decision. */
  get switches(): number {
    return this.switchCount;
  }

  /** Reports the wall time of the update just run in `threads` mode. */
  record(milliseconds: number): void {
    const phase = this.phase;
    if (phase.kind === 'stretch') {
      phase.recent.push(milliseconds);
      if (phase.recent.length > this.options.window) phase.recent.shift();
      if (--phase.remaining <= 0) {
        this.firstProbe = { threads: phase.threads, median: median(phase.recent) };
        this.phase = { kind: 'probe', threads: other(phase.threads), samples: [], then: 'decide' };
      }
      return;
    }
    phase.samples.push(milliseconds);
    if (phase.samples.length < this.options.window) return;
    const measured = { threads: phase.threads, median: median(phase.samples) };
    if (phase.then === 'probe-other') {
      this.firstProbe = measured;
      this.phase = { kind: 'probe', threads: other(phase.threads), samples: [], then: 'decide' };
      return;
    }
    const first = this.firstProbe!;
    const [one, two] = first.threads === 1 ? [first, measured] : [measured, first];
    const choice: ThreadCount = two.median < one.median * (1 - this.options.margin) ? 2 : 1;
    // first is the mode we were on (or probed first); the probe just taken is the challenger.
    const kept = choice === first.threads;
    if (this.decided && !kept) this.switchCount++;
    this.stretch = !this.decided || !kept ? this.options.minStretch : Math.min(this.stretch * 2, this.options.maxStretch);
    this.decided = true;
    this.phase = { kind: 'stretch', threads: choice, remaining: this.stretch, recent: [] };
  }
}

function other(threads: ThreadCount): ThreadCount {
  return threads === 1 ? 2 : 1;
}
