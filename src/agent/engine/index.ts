import type { EngineChoice } from '../../shared/config';
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

/**
 * The engine the configuration asks for. 'auto' prefers the fused wasm engine and falls back to
 * TensorFlow.js when it cannot load (the reason goes to `log`); an explicit choice never falls back.
 */
export async function createEngine(choice: EngineChoice, options: EngineOptions, log: (message: string) => void = () => {}): Promise<Engine> {
  if (choice === 'wasm' || choice === 'auto') {
    try {
      const { createWasmEngine } = await import('./wasm/wasmEngine');
      return await createWasmEngine(options, { threads: threadsFromEnvironment() });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (choice === 'wasm') throw new Error(`the wasm engine could not load: ${reason}`);
      log(`wasm engine unavailable (${reason}); using tfjs`);
    }
  }
  const { createTfjsEngine } = await import('./tfjs/tfjsEngine');
  return createTfjsEngine(options);
}
