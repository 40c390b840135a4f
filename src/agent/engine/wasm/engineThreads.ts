/**
 * The thread side of a fused wasm engine, for engines whose module exports parallel.ts's helper
 * API: the optional helper thread, the adaptive policy that decides per update whether it takes
 * part, the failure reporting and the usage counts. (wasmEngine.ts, DDPG's, keeps its own copy of
 * this from before there was more than one engine.)
 */

import type { ThreadUsage } from '../engine';
import type { WasmMemory, WasmModule } from './engineModule';
import { startHelperThread, type HelperThread } from './helperThread';
import { AdaptiveThreadPolicy, type ThreadPolicyOptions } from './threadPolicy';

/** parallel.ts's exports. */
export interface HelperExports {
  attachHelper(mailbox: number): void;
  detachHelper(): void;
  setHelperInUse(inUse: boolean): void;
  helperChunks(): number;
}

export type ThreadMode = 1 | 2 | 'adaptive';

export const BACKEND_SUFFIX: Record<ThreadMode, string> = { 1: '', 2: '-2threads', adaptive: '-adaptive-threads' };

/** Ends the helper thread of an engine that was garbage-collected without dispose(). */
const abandonedHelpers = new FinalizationRegistry<HelperThread>((helper) => helper.stop());

export class EngineThreads {
  private helper: HelperThread | null = null;
  private policy: AdaptiveThreadPolicy | null = null;
  private helperInUse = true;
  private twoThreadUpdates = 0;
  private updates = 0;
  private lastHelperChunks = 0;

  constructor(private module: HelperExports | null) {}

  /** Starts a helper on `mailbox` (2: always in use; 'adaptive': when timing says it pays). */
  async start(mode: 2 | 'adaptive', wasm: WasmModule, memory: WasmMemory, mailbox: number, policy?: Partial<ThreadPolicyOptions>): Promise<void> {
    const helper = await startHelperThread(wasm, memory, mailbox);
    this.module!.attachHelper(mailbox);
    this.helper = helper;
    this.policy = mode === 'adaptive' ? new AdaptiveThreadPolicy(policy) : null;
    abandonedHelpers.register(this, helper, this);
  }

  /** Runs one update (`call`), letting the policy choose and time its thread count. */
  runUpdate(call: () => void): void {
    const policy = this.policy;
    if (policy) {
      const useHelper = policy.threads === 2;
      if (useHelper !== this.helperInUse) {
        this.module!.setHelperInUse(useHelper);
        this.helperInUse = useHelper;
      }
      const started = performance.now();
      this.run(call);
      policy.record(performance.now() - started);
    } else {
      this.run(call);
    }
    this.updates++;
    if (this.helper && this.helperInUse) this.twoThreadUpdates++;
  }

  /** Calls into the module, naming the helper thread's failure if that is what stopped it. */
  run(call: () => void): void {
    try {
      call();
    } catch (error) {
      if (this.helper?.failure) throw new Error(`${(error as Error).message}: ${this.helper.failure}`);
      throw error;
    }
  }

  usage(): ThreadUsage {
    if (this.module && this.helper) this.lastHelperChunks = this.module.helperChunks();
    return { twoThreadUpdates: this.twoThreadUpdates, updates: this.updates, switches: this.policy?.switches ?? 0, helperChunks: this.lastHelperChunks };
  }

  /** Detaches and stops the helper; the module is not called again. */
  dispose(): void {
    if (this.module && this.helper) {
      this.lastHelperChunks = this.module.helperChunks();
      this.module.detachHelper();
      this.helper.stop();
      abandonedHelpers.unregister(this);
    }
    this.helper = null;
    this.module = null;
  }
}
