import type { Clock } from "@asynq-ts/core";

/**
 * Holds the last value of an expensive read for `ttl` ms. Concurrent callers share one read in
 * flight; a failed read is not cached, so the next call tries again.
 */
export class TtlCache<T> {
  readonly #read: () => Promise<T>;
  readonly #ttl: number;
  readonly #clock: Clock;
  #value: { readonly at: number; readonly value: T } | undefined;
  #inFlight: Promise<T> | undefined;

  constructor(read: () => Promise<T>, ttl: number, clock: Clock) {
    this.#read = read;
    this.#ttl = ttl;
    this.#clock = clock;
  }

  /** The cached value while fresh, else a new read. */
  get(): Promise<T> {
    const cached = this.#value;
    if (cached !== undefined && this.#clock.now() - cached.at < this.#ttl) {
      return Promise.resolve(cached.value);
    }
    this.#inFlight ??= this.#refresh();
    return this.#inFlight;
  }

  async #refresh(): Promise<T> {
    try {
      const at = this.#clock.now();
      const value = await this.#read();
      this.#value = { at, value };
      return value;
    } finally {
      this.#inFlight = undefined;
    }
  }
}
