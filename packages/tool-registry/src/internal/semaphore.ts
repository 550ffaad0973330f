/** A counting semaphore whose waiters can be aborted. */
export class Semaphore {
  #available: number;
  readonly #waiters: Array<{ grant: () => void }> = [];

  constructor(readonly limit: number) {
    this.#available = limit;
  }

  /** The number of calls waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Resolves with a release function once a slot is free; rejects with `signal.reason` if aborted first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#available > 0) {
      this.#available -= 1;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next.grant();
      else this.#available += 1;
    };
  }
}
