import type { Broker } from "../port/broker.js";
import { errorText } from "../state-machine/outcome.js";
import type { Clock } from "../time/clock.js";
import type { Timers } from "../time/timers.js";
import type { Logger } from "./logger.js";
import { Periodic } from "./periodic.js";

/** Janitor settings. */
export interface JanitorParams {
  readonly broker: Broker;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly queues: readonly string[];
  /** The server's `janitorInterval`. */
  readonly interval: number;
  /** The server's `janitorBatchSize`. */
  readonly batchSize: number;
}

/**
 * Every `interval`: deletes completed tasks whose retention has ended, in batches of
 * `batchSize`, until a batch comes back short (so none is left).
 */
export class Janitor {
  readonly #p: JanitorParams;
  readonly #periodic: Periodic;

  constructor(params: JanitorParams) {
    this.#p = params;
    this.#periodic = new Periodic({
      name: "janitor",
      interval: params.interval,
      runAtStart: false,
      timers: params.timers,
      logger: params.logger,
      job: (signal) => this.#clean(signal),
    });
  }

  start(): void {
    this.#periodic.start();
  }

  async stop(): Promise<void> {
    await this.#periodic.stop();
  }

  async #clean(signal: AbortSignal): Promise<void> {
    const { broker, clock, queues, batchSize: limit, logger } = this.#p;
    for (const queue of queues) {
      try {
        let deleted = limit;
        while (deleted === limit && !signal.aborted) {
          deleted = await broker.deleteExpiredCompleted({ queue, limit, now: clock.now() });
        }
      } catch (error) {
        logger.error("could not delete expired completed tasks", {
          queue,
          error: errorText(error),
        });
      }
    }
  }
}
