import type { EngineChoice } from '../config';
import type { Engine, EngineOptions } from './engine';

/**
 * The engine the configuration asks for. 'auto' prefers the fused wasm engine and falls back to
 * TensorFlow.js when it cannot load (the reason goes to `log`); an explicit choice never falls back.
 */
export async function createEngine(choice: EngineChoice, options: EngineOptions, log: (message: string) => void = () => {}): Promise<Engine> {
  if (choice === 'wasm' || choice === 'auto') {
    try {
      const { createWasmEngine } = await import('./wasm/wasmEngine');
      return await createWasmEngine(options);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (choice === 'wasm') throw new Error(`the wasm engine could not load: ${reason}`);
      log(`wasm engine unavailable (${reason}); using tfjs`);
    }
  }
  const { createTfjsEngine } = await import('./tfjs/tfjsEngine');
  return createTfjsEngine(options);
}
