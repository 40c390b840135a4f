import type { AlgorithmId, EngineChoice } from '../../shared/config';
import type { Engine, EngineOptions } from './engine';

/**
 * DDPG_WASM_THREADS=1|2|adaptive|auto overrides the wasm engine's thread mode (benchmarks,
 * diagnosis). Results do not depend on it: one thread and two compute bit-identical updates.
 */
function threadsFromEnvironment(): 1 | 2 | 'adaptive' | 'auto' {
  const value = process.env.DDPG_WASM_THREADS?.trim();
  if (!value || value === 'auto' || value === 'adaptive') return value === 'adaptive' ? 'adaptive' : 'auto';
  if (value === '1' || value === '2') return Number(value) as 1 | 2;
  throw new Error(`DDPG_WASM_THREADS must be 1, 2, adaptive or auto, got "${value}"`);
}

export type WasmThreads = ReturnType<typeof threadsFromEnvironment>;

/** Each algorithm's engines, loaded only when asked for (a run loads one algorithm's code). */
interface EngineFactories {
  wasm: () => Promise<(options: EngineOptions, threads: WasmThreads) => Promise<Engine>>;
  tfjs: () => Promise<(options: EngineOptions) => Promise<Engine>>;
}

const FACTORIES: { readonly [K in AlgorithmId]: EngineFactories } = {
  ddpg: {
    wasm: async () => {
      const { createWasmEngine } = await import('./wasm/wasmEngine');
      return (options, threads) => createWasmEngine(options, { threads });
    },
    tfjs: async () => (await import('./tfjs/tfjsEngine')).createTfjsEngine,
  },
  td3: {
    wasm: async () => {
      const { createTd3WasmEngine } = await import('./wasm/td3Engine');
      return (options, threads) => createTd3WasmEngine(options, { threads });
    },
    tfjs: async () => (await import('./tfjs/td3TfjsEngine')).createTd3TfjsEngine,
  },
  sac: {
    wasm: async () => {
      const { createSacWasmEngine } = await import('./wasm/sacEngine');
      return (options, threads) => createSacWasmEngine(options, { threads });
    },
    tfjs: async () => (await import('./tfjs/sacTfjsEngine')).createSacTfjsEngine,
  },
};

/**
 * The engine the configuration asks for, for its algorithm. 'auto' prefers the fused wasm engine
 * and falls back to TensorFlow.js when it cannot load (the reason goes to `log`); an explicit
 * choice never falls back.
 */
export async function createEngine(choice: EngineChoice, options: EngineOptions, log: (message: string) => void = () => {}): Promise<Engine> {
  const factories = FACTORIES[options.algorithm ?? 'ddpg'];
  if (choice === 'wasm' || choice === 'auto') {
    try {
      return await (await factories.wasm())(options, threadsFromEnvironment());
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (choice === 'wasm') throw new Error(`the wasm engine could not load: ${reason}`);
      log(`wasm engine unavailable (${reason}); using tfjs`);
    }
  }
  return (await factories.tfjs())(options);
}
