import { DEFAULTS } from "../options/defaults.js";
import type { Broker } from "../port/broker.js";
import type { ServerInfo, ServerKey, WorkerInfo } from "../port/records.js";
import { errorText } from "../state-machine/outcome.js";
import type { Clock } from "../time/clock.js";
import type { Timers } from "../time/timers.js";
import { LeaseLostError } from "./abort-reasons.js";
import type { ActiveTask, ActiveTasks } from "./active-tasks.js";
import { HEARTBEAT_INTERVAL, SERVER_STATE_TTL } from "./config.js";
import type { Logger } from "./logger.js";
import { Periodic } from "./periodic.js";

/** What the heartbeater publishes about its server, read at every beat. */
export type ServerDescription = Omit<ServerInfo, keyof ServerKey | "activeWorkerCount">;

/** Heartbeater settings. */
export interface HeartbeaterParams {
  readonly broker: Broker;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly identity: ServerKey;
  readonly describe: () => ServerDescription;
  readonly activeTasks: ActiveTasks;
  /** @default 5 s */
  readonly interval?: number;
}

/**
 * At start and every 5 s: writes the server's liveness record and one per running task (they
 * vanish 10 s later unless rewritten), and extends the lease of every running task whose lease
 * this server still holds to now + 30 s. A task whose lease has lapsed, or which the broker no
 * longer reports active, has its signal aborted with a `LeaseLostError`. On stop the records
 * are removed.
 */
export class Heartbeater {
  readonly #p: HeartbeaterParams;
  readonly #periodic: Periodic;

  constructor(params: HeartbeaterParams) {
    this.#p = params;
    this.#periodic = new Periodic({
      name: "heartbeater",
      interval: params.interval ?? HEARTBEAT_INTERVAL,
      runAtStart: true,
      timers: params.timers,
      logger: params.logger,
      job: () => this.#beat(),
    });
  }

  start(): void {
    this.#periodic.start();
  }

  /** Stops beating and removes the server's liveness records. */
  async stop(): Promise<void> {
    await this.#periodic.stop();
    try {
      await this.#p.broker.clearServerState(this.#p.identity);
    } catch (error) {
      this.#p.logger.error("could not clear the server's liveness records", {
        error: errorText(error),
      });
    }
  }

  async #beat(): Promise<void> {
    const tasks = this.#p.activeTasks.list();
    await this.#writeState(tasks);
    await this.#extendLeases(tasks);
  }

  async #writeState(tasks: readonly ActiveTask[]): Promise<void> {
    const { broker, clock, identity, logger } = this.#p;
    const workers: WorkerInfo[] = tasks.map((t) => ({
      ...identity,
      taskId: t.message.id,
      taskType: t.message.type,
      taskPayload: t.message.payload,
      queue: t.message.queue,
      startedAt: t.startedAt,
      deadline: t.deadline,
    }));
    const server: ServerInfo = {
      ...this.#p.describe(),
      ...identity,
      activeWorkerCount: tasks.length,
    };
    try {
      await broker.writeServerState({ server, workers, ttl: SERVER_STATE_TTL, now: clock.now() });
    } catch (error) {
      logger.error("could not write the server's liveness records", { error: errorText(error) });
    }
  }

  async #extendLeases(tasks: readonly ActiveTask[]): Promise<void> {
    const { broker, clock, logger } = this.#p;
    const byQueue = new Map<string, ActiveTask[]>();
    for (const task of tasks) {
      if (!task.lease.isValid()) {
        task.abort(new LeaseLostError());
        continue;
      }
      const list = byQueue.get(task.message.queue) ?? [];
      list.push(task);
      byQueue.set(task.message.queue, list);
    }
    for (const [queue, list] of byQueue) {
      const now = clock.now();
      const leaseUntil = now + DEFAULTS.lease;
      let extended: ReadonlySet<string>;
      try {
        const ids = await broker.extendLease({
          queue,
          taskIds: list.map((t) => t.message.id),
          leaseUntil,
          now,
        });
        extended = new Set(ids);
      } catch (error) {
        // The lease still runs; the next beat tries again before it lapses.
        logger.warn("could not extend leases", { queue, error: errorText(error) });
        continue;
      }
      for (const task of list) {
        if (extended.has(task.message.id)) {
          task.lease.extend(leaseUntil);
        } else {
          // No longer active in the broker: someone else owns it; never write for it again.
          task.lease.revoke();
          task.abort(new LeaseLostError());
        }
      }
    }
  }
}
