/** A counting semaphore: at most `capacity` holders at once. */
export class Semaphore {
  readonly #capacity: number;
  #held = 0;
  readonly #waiting: ((acquired: boolean) => void)[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** How many permits are held. */
  get held(): number {
    return this.#held;
  }

  /**
   * Resolves `true` with a permit once one is free, or `false` (holding nothing) if `signal`
   * aborts first.
   */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.#held < this.#capacity) {
      this.#held++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = (acquired: boolean) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(acquired);
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        resolve(false);
      };
      this.#waiting.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Takes up to `count` free permits at once without waiting; returns how many it took. */
  tryAcquire(count: number): number {
    if (this.#waiting.length > 0) return 0;
    const taken = Math.max(0, Math.min(count, this.#capacity - this.#held));
    this.#held += taken;
    return taken;
  }

  /** Returns a permit, handing it straight to the longest waiter if there is one. */
  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next(true);
    else if (this.#held > 0) this.#held--;
  }
}
