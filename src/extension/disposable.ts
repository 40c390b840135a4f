/**
 * Lifetime management without the vscode module: anything with `dispose()` can be registered on a
 * `Disposable` and is disposed with it, last registered first. Plain Node tests can use it too.
 */

export interface DisposableLike {
  dispose(): unknown;
}

export abstract class Disposable implements DisposableLike {
  private readonly disposables: DisposableLike[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Ties `value` to this object's lifetime; if this object is already disposed, disposes it at once. */
  protected _register<T extends DisposableLike>(value: T): T {
    if (this.disposed) value.dispose();
    else this.disposables.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Reverse order: later registrations may depend on earlier ones.
    while (this.disposables.length > 0) {
      const next = this.disposables.pop()!;
      try {
        next.dispose();
      } catch (err) {
        console.error('[ddpg-lab] dispose failed:', err);
      }
    }
  }
}

export function toDisposable(dispose: () => void): DisposableLike {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      dispose();
    },
  };
}
