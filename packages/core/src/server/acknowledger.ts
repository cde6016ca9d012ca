import { defaultArchiveTrim } from "../options/archive-trim.js";
import type { Broker } from "../port/broker.js";
import type { Result } from "../port/results.js";
import { defaultRetryDelay, type Random, type RetryDelayFn } from "../retry/retry-delay.js";
import {
  type AfterAttempt,
  type AttemptOutcome,
  decideAfterAttempt,
  errorText,
} from "../state-machine/outcome.js";
import type { Task } from "../task/task.js";
import type { TaskMessage } from "../task/task-message.js";
import type { Clock } from "../time/clock.js";
import type { Lease } from "./lease.js";
import type { Logger } from "./logger.js";
import type { Syncer } from "./syncer.js";

/** Acknowledger settings. */
export interface AcknowledgerParams {
  readonly broker: Broker;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retryDelay: RetryDelayFn;
  readonly isFailure: (error: unknown) => boolean;
  /** Used when `retryDelay` throws or returns a non-number. */
  readonly random: Random;
  /** Where writes that threw go to be retried; without it they are only logged. */
  readonly syncer?: Syncer;
}

/**
 * Turns an attempt's outcome into the matching port edge (done, markComplete, retry, archive,
 * requeue) and writes it. Shared by the processor and the recoverer so both decide alike.
 */
export class Acknowledger {
  readonly #p: AcknowledgerParams;

  constructor(params: AcknowledgerParams) {
    this.#p = params;
  }

  /** What to do with `message` after `outcome`; user policy functions cannot make this throw. */
  decide(message: TaskMessage, outcome: AttemptOutcome, task: Task): AfterAttempt {
    return decideAfterAttempt({
      message,
      outcome,
      now: this.#p.clock.now(),
      retryDelay: (error) => this.#retryDelay(message, error, task),
      isFailure: (error) => this.#isFailure(error),
    });
  }

  /**
   * Applies `decision`. With a `lease`, writes only while it is valid and hands a write that
   * throws to the syncer; without one (the recoverer) a failure is only logged.
   */
  async apply(message: TaskMessage, decision: AfterAttempt, lease?: Lease): Promise<void> {
    const description = () => `${decision.action} of task ${message.id} in queue ${message.queue}`;
    await this.#write(message, description, () => this.#edge(message, decision), lease);
  }

  /** Puts an interrupted task back at the front of its queue (shutdown). */
  async requeue(message: TaskMessage, lease: Lease): Promise<void> {
    const description = () => `requeue of task ${message.id} in queue ${message.queue}`;
    const edge = () =>
      this.#p.broker.requeue({
        queue: message.queue,
        taskId: message.id,
        now: this.#p.clock.now(),
      });
    // A requeue is not retried later: the server is going away and the recoverer will act.
    await this.#write(message, description, edge, lease, false);
  }

  async #write(
    message: TaskMessage,
    describe: () => string,
    edge: () => Promise<Result<"not-active">>,
    lease: Lease | undefined,
    sync = true,
  ): Promise<void> {
    const { logger, syncer } = this.#p;
    if (lease !== undefined && !lease.isValid()) {
      logger.warn(`lease lost before the ${describe()}; the recoverer will handle the task`);
      return;
    }
    try {
      this.#warnIfRefused(await edge(), message, describe);
    } catch (error) {
      const description = describe();
      if (sync && lease !== undefined && syncer !== undefined) {
        logger.warn(`${description} failed; retrying until the lease ends`, {
          error: errorText(error),
        });
        const run = async () => this.#warnIfRefused(await edge(), message, describe);
        syncer.add({ description, run, stillHeld: () => lease.isValid() });
      } else {
        logger.error(`${description} failed`, { error: errorText(error) });
      }
    }
  }

  #warnIfRefused(result: Result<"not-active">, message: TaskMessage, describe: () => string) {
    if (result.ok) return;
    this.#p.logger.warn(`${describe()} refused: the task is no longer active`, {
      taskId: message.id,
      queue: message.queue,
    });
  }

  #edge(message: TaskMessage, decision: AfterAttempt): Promise<Result<"not-active">> {
    const { broker, clock } = this.#p;
    const now = clock.now();
    switch (decision.action) {
      case "done":
        return broker.done({
          queue: message.queue,
          taskId: message.id,
          uniqueKey: message.uniqueKey,
          now,
        });
      case "complete":
        return broker.markComplete({
          message: decision.message,
          expiresAt: decision.expiresAt,
          now,
        });
      case "retry":
        return broker.retry({
          message: decision.message,
          retryAt: decision.retryAt,
          isFailure: decision.isFailure,
          now,
        });
      case "archive":
        return broker.archive({ message: decision.message, trim: defaultArchiveTrim(now), now });
    }
  }

  #retryDelay(message: TaskMessage, error: unknown, task: Task): number {
    try {
      const delay = this.#p.retryDelay(message.retried, error, task);
      if (typeof delay === "number" && Number.isFinite(delay)) return delay;
      this.#p.logger.error("retryDelay returned a non-number; using the default delay", {
        value: String(delay),
      });
    } catch (failure) {
      this.#p.logger.error("retryDelay threw; using the default delay", {
        error: errorText(failure),
      });
    }
    return defaultRetryDelay(message.retried, this.#p.random);
  }

  #isFailure(error: unknown): boolean {
    try {
      return this.#p.isFailure(error) !== false;
    } catch (failure) {
      this.#p.logger.error("isFailure threw; counting the error as a failure", {
        error: errorText(failure),
      });
      return true;
    }
  }
}
