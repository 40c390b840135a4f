import * as v8 from 'node:v8';
import { locateModule } from './engineModule';

/**
 * Lets this process run the relaxed-SIMD (fused multiply-add) build of the engine, ~25% faster.
 * Node ≥ 22 and Electron ≥ 25 validate it natively; Node 20 (code-server's, and the CLI's on
 * many machines) only behind V8's --experimental-wasm-relaxed-simd, which must be set before any
 * module is compiled. Called once at the start of our own process entry points (trainer, CLI,
 * benchmark) — never from library code another process might embed. Returns whether it works.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdValidates()) return true;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return relaxedSimdValidates();
}

function relaxedSimdValidates(): boolean {
  try {
    locateModule('relaxed-simd');
    return true;
  } catch {
    return false;
  }
}
