import { DEFAULTS } from "../options/defaults.js";
import type { Broker } from "../port/broker.js";
import { errorText } from "../state-machine/outcome.js";
import type { Clock } from "../time/clock.js";
import type { Timers } from "../time/timers.js";
import type { Logger } from "./logger.js";
import { Periodic } from "./periodic.js";

/** Forwarder settings. */
export interface ForwarderParams {
  readonly broker: Broker;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly queues: readonly string[];
  /** The server's `delayedTaskCheckInterval`. */
  readonly interval: number;
}

/**
 * At start and every `interval`: moves the scheduled and retry tasks that are due to pending
 * (or into their group), in batches, until a batch comes back short.
 */
export class Forwarder {
  readonly #p: ForwarderParams;
  readonly #periodic: Periodic;

  constructor(params: ForwarderParams) {
    this.#p = params;
    this.#periodic = new Periodic({
      name: "forwarder",
      interval: params.interval,
      runAtStart: true,
      timers: params.timers,
      logger: params.logger,
      job: (signal) => this.#forward(signal),
    });
  }

  start(): void {
    this.#periodic.start();
  }

  async stop(): Promise<void> {
    await this.#periodic.stop();
  }

  async #forward(signal: AbortSignal): Promise<void> {
    const { broker, clock, queues, logger } = this.#p;
    const limit: number = DEFAULTS.forwardBatchSize;
    for (const queue of queues) {
      for (const from of ["scheduled", "retry"] as const) {
        try {
          let moved = limit;
          while (moved === limit && !signal.aborted) {
            moved = await broker.forwardDue({ queue, from, limit, now: clock.now() });
          }
        } catch (error) {
          logger.error("could not forward due tasks", { queue, from, error: errorText(error) });
        }
      }
    }
  }
}
