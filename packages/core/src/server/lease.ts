import type { Clock } from "../time/clock.js";

/**
 * This server's view of a task's lease. Writes for the task are made only while it is valid:
 * once it lapses the recoverer owns the task, and a late write could clobber another worker's.
 */
export class Lease {
  #expiresAt: number;
  #revoked = false;
  readonly #clock: Clock;

  constructor(expiresAt: number, clock: Clock) {
    this.#expiresAt = expiresAt;
    this.#clock = clock;
  }

  /** When the lease ends, epoch ms. */
  get expiresAt(): number {
    return this.#expiresAt;
  }

  /** True until the expiry instant has passed (inclusive, as in Go asynq) and unless revoked. */
  isValid(): boolean {
    return !this.#revoked && this.#clock.now() <= this.#expiresAt;
  }

  /** Moves the expiry to `until` if that is later and the lease is still held. */
  extend(until: number): void {
    if (!this.#revoked && until > this.#expiresAt) this.#expiresAt = until;
  }

  /** Gives the lease up for good, e.g. when the broker says the task is no longer ours. */
  revoke(): void {
    this.#revoked = true;
  }
}
