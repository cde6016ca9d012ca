// setTimeout fires at once for longer delays, so longer waits are capped (about 24.8 days).
const MAX_TIMER_DELAY = 2_147_483_647;

interface Waiter {
  readonly queues: ReadonlySet<string>;
  finish(): void;
}

/**
 * The broker's only real-time part: callers of `waitForTasks` park here until a task becomes
 * pending in one of their queues, their timeout passes, their signal aborts or the broker closes.
 */
export class TaskWaiters {
  readonly #waiters = new Set<Waiter>();

  /** Parks until woken, `timeout` ms pass or `signal` aborts; resolves at once if `ready()`. */
  wait(
    queues: readonly string[],
    timeout: number,
    signal: AbortSignal | undefined,
    ready: () => boolean,
  ): Promise<void> {
    if (signal?.aborted || timeout <= 0 || ready()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        queues: new Set(queues),
        finish: () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", waiter.finish);
          this.#waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.finish, Math.min(timeout, MAX_TIMER_DELAY));
      signal?.addEventListener("abort", waiter.finish, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** Wakes everyone waiting on `queue`. */
  notify(queue: string): void {
    for (const waiter of [...this.#waiters]) if (waiter.queues.has(queue)) waiter.finish();
  }

  /** Wakes everyone (the broker is closing). */
  releaseAll(): void {
    for (const waiter of [...this.#waiters]) waiter.finish();
  }
}
