import { Client } from "../client/client.js";
import { InvalidArgumentError } from "../errors.js";
import { type IdGenerator, uuidV4Generator } from "../ids.js";
import { DEFAULTS } from "../options/defaults.js";
import type { Broker } from "../port/broker.js";
import { errorText } from "../state-machine/outcome.js";
import { Task } from "../task/task.js";
import type { Clock } from "../time/clock.js";
import { SECOND } from "../time/durations.js";
import type { TimerHandle, Timers } from "../time/timers.js";
import type { Logger } from "./logger.js";
import { ReceivedTask } from "./received-task.js";

/**
 * Combines the tasks of one group into the task that is enqueued in their place (in the
 * group's queue, whatever queue the returned task names). The tasks carry their ID and queue.
 * Throwing (or rejecting) leaves the tasks to be returned to their group and tried again.
 */
export type GroupAggregator = (
  group: string,
  tasks: readonly ReceivedTask[],
) => Task | Promise<Task>;

/** Passes that may run at once; a tick that finds this many running is skipped (Go asynq: 3). */
export const MAX_CONCURRENT_AGGREGATIONS = 3;
/** Longest pause between aggregation passes; shorter when the grace period is (Go asynq: 7 s). */
export const MAX_AGGREGATION_CHECK_INTERVAL = 7 * SECOND;
// Sets one pass takes from one group, so a huge group cannot hold a pass forever.
const MAX_SETS_PER_GROUP = 100;

/** Aggregator settings. */
export interface AggregatorParams {
  readonly broker: Broker;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Source of aggregation-set IDs and of aggregated tasks' IDs. @default UUID v4 */
  readonly ids?: IdGenerator;
  readonly queues: readonly string[];
  /** Without one, the aggregator only warns (once) that grouped tasks are waiting. */
  readonly aggregate: GroupAggregator | undefined;
  readonly gracePeriod: number;
  /** 0 = no limit. */
  readonly maxDelay: number;
  /** 0 = no limit. */
  readonly maxSize: number;
  /** @default min(7 s, gracePeriod) */
  readonly interval?: number;
}

/**
 * Every `min(7 s, gracePeriod)`: for each queue and each of its groups, moves tasks into an
 * aggregation set when the group is full (`maxSize`), its oldest task waited `maxDelay`, or
 * its newest waited `gracePeriod`; calls the user's aggregator on the set; enqueues the result
 * in the group's queue; and only then deletes the set (releasing its tasks' unique locks).
 * Any failure leaves the set, which the recoverer returns to its group after 2 min. A group
 * larger than `maxSize` is emptied set by set in one pass. At most three passes run at once.
 */
export class Aggregator {
  readonly #p: AggregatorParams;
  readonly #ids: IdGenerator;
  readonly #client: Client;
  readonly #interval: number;
  readonly #passes = new Set<Promise<void>>();
  readonly #stopping = new AbortController();
  #timer: TimerHandle | undefined;
  #warnedNoAggregator = false;

  constructor(params: AggregatorParams) {
    this.#p = params;
    this.#ids = params.ids ?? uuidV4Generator;
    this.#client = new Client(params.broker, { clock: params.clock, ids: this.#ids });
    this.#interval =
      params.interval ?? Math.min(MAX_AGGREGATION_CHECK_INTERVAL, params.gracePeriod);
  }

  start(): void {
    if (this.#timer === undefined && !this.#stopping.signal.aborted) this.#schedule();
  }

  /** Cancels the next pass and waits for passes under way to end. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    if (this.#timer !== undefined) this.#p.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await Promise.allSettled([...this.#passes]);
  }

  #schedule(): void {
    if (this.#stopping.signal.aborted) return;
    this.#timer = this.#p.timers.setTimeout(() => this.#tick(), this.#interval);
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopping.signal.aborted) return;
    // Without an aggregator the only job is one warning; stop looking once it is given.
    if (this.#p.aggregate === undefined && this.#warnedNoAggregator) return;
    if (this.#passes.size >= MAX_CONCURRENT_AGGREGATIONS) {
      this.#p.logger.warn("max number of aggregation checks in flight; skipping this one");
    } else {
      const pass = this.#pass(this.#stopping.signal)
        .catch((error: unknown) => {
          this.#p.logger.error("aggregation pass failed", { error: errorText(error) });
        })
        .finally(() => this.#passes.delete(pass));
      this.#passes.add(pass);
    }
    this.#schedule();
  }

  async #pass(signal: AbortSignal): Promise<void> {
    const { broker, queues, logger, aggregate } = this.#p;
    for (const queue of queues) {
      if (signal.aborted) return;
      let groups: readonly string[];
      try {
        groups = await broker.listGroups({ queue });
      } catch (error) {
        logger.error("could not list groups", { queue, error: errorText(error) });
        continue;
      }
      if (aggregate === undefined) {
        if (groups.length > 0) this.#warnNoAggregator(queue, groups);
        continue;
      }
      for (const group of groups) {
        if (signal.aborted) return;
        await this.#drain(queue, group, aggregate, signal);
      }
    }
  }

  #warnNoAggregator(queue: string, groups: readonly string[]): void {
    if (this.#warnedNoAggregator) return;
    this.#warnedNoAggregator = true;
    this.#p.logger.warn(
      "grouped tasks are waiting but no groupAggregator is configured; they stay aggregating " +
        "until a server with an aggregator serves their queue",
      { queue, groups: [...groups] },
    );
  }

  // Takes sets from the group while a condition holds (a full group may yield several).
  async #drain(
    queue: string,
    group: string,
    aggregate: GroupAggregator,
    signal: AbortSignal,
  ): Promise<void> {
    const { broker, clock, logger, maxSize, maxDelay, gracePeriod } = this.#p;
    for (let taken = 0; taken < MAX_SETS_PER_GROUP && !signal.aborted; taken++) {
      const setId = this.#ids.next();
      const now = clock.now();
      let created: boolean;
      try {
        created = await broker.aggregationCheck({
          queue,
          group,
          setId,
          maxSize,
          maxDelay,
          gracePeriod,
          setDeadline: now + DEFAULTS.aggregationSetTtl,
          now,
        });
      } catch (error) {
        logger.error("aggregation check failed", { queue, group, error: errorText(error) });
        return;
      }
      if (!created || !(await this.#aggregateSet(queue, group, setId, aggregate))) return;
    }
  }

  async #aggregateSet(
    queue: string,
    group: string,
    setId: string,
    aggregate: GroupAggregator,
  ): Promise<boolean> {
    const { broker, clock, logger } = this.#p;
    const ref = { queue, group, setId };
    try {
      const { messages, deadline } = await broker.readAggregationSet(ref);
      const aggregated = await aggregate(
        group,
        messages.map((message) => new ReceivedTask(message)),
      );
      if (!(aggregated instanceof Task)) {
        throw new InvalidArgumentError("groupAggregator", "must return a Task");
      }
      // Past its deadline the recoverer may already have returned the set's tasks to the
      // group; enqueuing now could aggregate them twice.
      if (clock.now() >= deadline) {
        logger.warn("aggregation set expired before its task was enqueued", ref);
        return false;
      }
      const info = await this.#client.enqueue(aggregated, { queue });
      await broker.deleteAggregationSet(ref);
      logger.debug("aggregated a group", { ...ref, taskId: info.id, size: messages.length });
      return true;
    } catch (error) {
      logger.error("aggregation failed; the recoverer will return the tasks to their group", {
        ...ref,
        error: errorText(error),
      });
      return false;
    }
  }
}
