import type { Subscription } from "@asynq-ts/core";

/**
 * In-process cancellation pub/sub. Delivery is synchronous, to every subscription open at
 * publish time; a throwing subscriber does not stop delivery to the others and its error is
 * rethrown asynchronously, as an event emitter's listener error would surface.
 */
export class CancellationHub {
  readonly #subscribers = new Set<(taskId: string) => void>();

  publish(taskId: string): void {
    for (const deliver of [...this.#subscribers]) {
      try {
        deliver(taskId);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  subscribe(onTaskId: (taskId: string) => void): Subscription {
    // A wrapper per subscription, so one callback subscribed twice is two subscriptions.
    const deliver = (taskId: string): void => onTaskId(taskId);
    this.#subscribers.add(deliver);
    return {
      close: async () => {
        this.#subscribers.delete(deliver);
      },
    };
  }

  /** Ends every subscription (the broker is closing). */
  closeAll(): void {
    this.#subscribers.clear();
  }
}
