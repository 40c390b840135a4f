/**
 * A minimal typed event emitter with the same shape as vscode.Event (subscribe, get a disposable),
 * so host logic can publish events without importing the vscode module.
 */

import type { DisposableLike } from './disposable';

export type Listener<T> = (value: T) => void;
export type Event<T> = (listener: Listener<T>) => DisposableLike;

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    // A throwing listener must not starve the others (one broken view must not freeze the rest).
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        console.error('[ddpg-lab] event listener failed:', err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
