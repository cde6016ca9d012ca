import { DEFAULTS } from "../options/defaults.js";
import type { Broker } from "../port/broker.js";
import { errorText } from "../state-machine/outcome.js";
import type { Clock } from "../time/clock.js";
import type { Timers } from "../time/timers.js";
import { LeaseLostError } from "./abort-reasons.js";
import type { Acknowledger } from "./acknowledger.js";
import { RECOVERER_INTERVAL } from "./config.js";
import type { Logger } from "./logger.js";
import { Periodic } from "./periodic.js";
import { ReceivedTask } from "./received-task.js";

/** Recoverer settings. */
export interface RecovererParams {
  readonly broker: Broker;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly queues: readonly string[];
  readonly acknowledger: Acknowledger;
  /** @default 1 min */
  readonly interval?: number;
}

/**
 * At start and every minute: finds active tasks whose lease ended more than 30 s ago (their
 * worker crashed or lost its connection) and retries them with a "task lease expired" error,
 * or archives them when their retries are used up — the same decision a failed attempt gets.
 * Then returns stale aggregation sets to their groups. Several servers may race for the same
 * task; the losers' writes are refused and only logged.
 */
export class Recoverer {
  readonly #p: RecovererParams;
  readonly #periodic: Periodic;

  constructor(params: RecovererParams) {
    this.#p = params;
    this.#periodic = new Periodic({
      name: "recoverer",
      interval: params.interval ?? RECOVERER_INTERVAL,
      runAtStart: true,
      timers: params.timers,
      logger: params.logger,
      job: (signal) => this.#recover(signal),
    });
  }

  start(): void {
    this.#periodic.start();
  }

  async stop(): Promise<void> {
    await this.#periodic.stop();
  }

  async #recover(signal: AbortSignal): Promise<void> {
    const { broker, clock, queues, acknowledger, logger } = this.#p;
    const now = clock.now();
    const expired = await broker.listLeaseExpired({
      queues,
      cutoff: now - DEFAULTS.recovererLeaseSkew,
      now,
    });
    for (const message of expired) {
      if (signal.aborted) return;
      logger.info("recovering a task whose lease expired", {
        taskId: message.id,
        queue: message.queue,
      });
      const task = new ReceivedTask(message);
      const decision = acknowledger.decide(
        message,
        { kind: "error", error: new LeaseLostError() },
        task,
      );
      await acknowledger.apply(message, decision);
    }
    for (const queue of queues) {
      if (signal.aborted) return;
      try {
        const reclaimed = await broker.reclaimStaleAggregationSets({ queue, now: clock.now() });
        if (reclaimed > 0) logger.info("reclaimed stale aggregation sets", { queue, reclaimed });
      } catch (error) {
        logger.error("could not reclaim stale aggregation sets", {
          queue,
          error: errorText(error),
        });
      }
    }
  }
}
