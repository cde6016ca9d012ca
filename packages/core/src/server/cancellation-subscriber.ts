import type { Broker, Subscription } from "../port/broker.js";
import { errorText } from "../state-machine/outcome.js";
import { SECOND } from "../time/durations.js";
import type { Timers } from "../time/timers.js";
import { TaskCanceledError } from "./abort-reasons.js";
import type { ActiveTasks } from "./active-tasks.js";
import type { Logger } from "./logger.js";

/** Cancellation subscriber settings. */
export interface CancellationSubscriberParams {
  readonly broker: Broker;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly activeTasks: ActiveTasks;
  /** Wait between subscription attempts. @default 5 s */
  readonly retryInterval?: number;
}

/**
 * Listens for cancellations and aborts the signal of a task running here with a
 * `TaskCanceledError` (the attempt then fails like any other). Subscribing is retried every
 * 5 s until it works.
 */
export class CancellationSubscriber {
  readonly #p: CancellationSubscriberParams;
  #subscription: Subscription | undefined;
  #subscribing: Promise<void> | undefined;
  #retryTimer: unknown;
  #stopped = false;

  constructor(params: CancellationSubscriberParams) {
    this.#p = params;
  }

  start(): void {
    if (this.#subscribing === undefined && this.#subscription === undefined) this.#subscribe();
  }

  /** Ends the subscription. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer !== undefined) this.#p.timers.clearTimeout(this.#retryTimer);
    await this.#subscribing;
    const subscription = this.#subscription;
    this.#subscription = undefined;
    try {
      await subscription?.close();
    } catch (error) {
      this.#p.logger.warn("could not close the cancellation subscription", {
        error: errorText(error),
      });
    }
  }

  #subscribe(): void {
    const { broker, logger, timers } = this.#p;
    this.#retryTimer = undefined;
    this.#subscribing = broker
      .subscribeCancellations((taskId) => this.#cancel(taskId))
      .then(
        (subscription) => {
          this.#subscription = subscription;
        },
        (error: unknown) => {
          logger.error("could not subscribe to cancellations; retrying", {
            error: errorText(error),
          });
          if (!this.#stopped) {
            this.#retryTimer = timers.setTimeout(
              () => this.#subscribe(),
              this.#p.retryInterval ?? 5 * SECOND,
            );
          }
        },
      )
      .finally(() => {
        this.#subscribing = undefined;
      });
  }

  #cancel(taskId: string): void {
    for (const task of this.#p.activeTasks.withId(taskId)) {
      this.#p.logger.info("canceling a running task", { taskId, queue: task.message.queue });
      task.abort(new TaskCanceledError());
    }
  }
}
