import type { Broker } from "../port/broker.js";
import { errorText } from "../state-machine/outcome.js";
import type { Timers } from "../time/timers.js";
import type { HealthCheckFn } from "./config.js";
import type { Logger } from "./logger.js";
import { Periodic } from "./periodic.js";

/** Health checker settings. */
export interface HealthCheckerParams {
  readonly broker: Broker;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly check: HealthCheckFn;
  /** The server's `healthCheckInterval`. */
  readonly interval: number;
}

/** Every `interval`: pings the broker and tells `check` the outcome (`undefined` when it answered). */
export class HealthChecker {
  readonly #p: HealthCheckerParams;
  readonly #periodic: Periodic;

  constructor(params: HealthCheckerParams) {
    this.#p = params;
    this.#periodic = new Periodic({
      name: "health checker",
      interval: params.interval,
      runAtStart: false,
      timers: params.timers,
      logger: params.logger,
      job: () => this.#check(),
    });
  }

  start(): void {
    this.#periodic.start();
  }

  async stop(): Promise<void> {
    await this.#periodic.stop();
  }

  async #check(): Promise<void> {
    const { broker, check, logger } = this.#p;
    let failure: unknown;
    let failed = false;
    try {
      await broker.ping();
    } catch (error) {
      failure = error;
      failed = true;
    }
    try {
      await (failed ? check(failure) : check());
    } catch (error) {
      logger.error("healthCheck callback threw", { error: errorText(error) });
    }
  }
}
