// One convention for cleaning up: whatever an object starts (timers, listeners, children) it registers, and its
// dispose() ends them all, once. Plain, so core/ uses it without VS Code; VS Code's disposables fit the same shape.

export interface DisposableLike {
  dispose(): unknown;
}

export class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposedValue = false;

  protected get isDisposed(): boolean {
    return this.disposedValue;
  }

  protected _register<T extends DisposableLike>(child: T): T {
    if (this.disposedValue) child.dispose();
    else this.owned.push(child);
    return child;
  }

  dispose(): void {
    if (this.disposedValue) return;
    this.disposedValue = true;
    for (const child of this.owned.splice(0).reverse()) child.dispose();
  }
}

/** A disposable from a function, e.g. to clear a timer. */
export function toDisposable(dispose: () => void): DisposableLike {
  return { dispose };
}
