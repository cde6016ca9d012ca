import { hostname } from "node:os";
import { Client } from "../client/client.js";
import {
  BrokerClosedError,
  FailedPreconditionError,
  hasErrorCode,
  InvalidArgumentError,
} from "../errors.js";
import { DEFAULTS } from "../options/defaults.js";
import type { TaskOptions } from "../options/task-options.js";
import type { Broker } from "../port/broker.js";
import type { SchedulerEntry } from "../port/records.js";
import { Periodic } from "../server/periodic.js";
import { errorText } from "../state-machine/outcome.js";
import type { Task } from "../task/task.js";
import type { TaskInfo } from "../task/task-info.js";
import type { TimerHandle } from "../time/timers.js";
import { defineEntry, type EntryDefinition, fireTaskId } from "./entry.js";
import {
  type ResolvedSchedulerOptions,
  resolveSchedulerOptions,
  type SchedulerOptions,
} from "./scheduler-options.js";

/** Where a scheduler is in its life. */
export type SchedulerState = "new" | "active" | "closed";

interface RunningEntry {
  readonly definition: EntryDefinition;
  /** Next fire time, null when the spec never fires again. */
  next: number | null;
  /** Last fire time handled by this instance, 0 for none. */
  prev: number;
  timer: TimerHandle | undefined;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Enqueues tasks on cron schedules, like Go asynq's Scheduler, and publishes its entries and
 * their enqueue history in asynq's format (the asynq CLI and asynqmon show them).
 *
 * Several instances may run the same entries: each fire gets a task ID derived from the entry
 * and the fire time (`cron:<entryId>:<unix seconds>`), so only the first instance's enqueue
 * succeeds and the others see `TASK_ID_CONFLICT`, which they take as "enqueued by a peer".
 * The enqueued task's retention is raised to `dedupeWindow` so the ID outlives a fast
 * handler long enough for a lagging peer to see it. An entry whose options fix a `taskId`
 * is enqueued with that ID: deduplicating it is then up to the user, and a conflict is an error.
 *
 * ```ts
 * const scheduler = new Scheduler(broker, { location: "Europe/Berlin" });
 * scheduler.register("30 2 * * *", new Task("report:nightly"), { queue: "low" });
 * await scheduler.run(); // until SIGTERM or SIGINT
 * ```
 */
export class Scheduler implements AsyncDisposable {
  readonly #broker: Broker;
  readonly #options: ResolvedSchedulerOptions;
  readonly #client: Client;
  readonly #id: string;
  readonly #entries = new Map<string, RunningEntry>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #heartbeat: Periodic;
  #state: SchedulerState = "new";
  #shutdown: Promise<void> | undefined;

  /** Validates `options` (throwing `InvalidArgumentError`); nothing runs until `start`. */
  constructor(broker: Broker, options: SchedulerOptions = {}) {
    if (typeof broker !== "object" || broker === null || typeof broker.enqueue !== "function") {
      throw new InvalidArgumentError("broker", "must be a Broker");
    }
    this.#broker = broker;
    this.#options = resolveSchedulerOptions(options);
    const { clock, ids, timers, logger, heartbeatInterval } = this.#options;
    this.#client = new Client(broker, { clock, ids });
    this.#id = `${hostname()}:${globalThis.process?.pid ?? 0}:${ids.next()}`;
    this.#heartbeat = new Periodic({
      name: "scheduler heartbeat",
      interval: heartbeatInterval,
      runAtStart: true,
      timers,
      logger,
      job: () => this.#beat(),
    });
  }

  /** `<hostname>:<pid>:<uuid>`, the key of this instance's published entries. */
  get id(): string {
    return this.#id;
  }

  get state(): SchedulerState {
    return this.#state;
  }

  /** The registered entries as they are published (options in Go's string form). */
  entries(): SchedulerEntry[] {
    return [...this.#entries.values()].map((entry) => ({
      id: entry.definition.id,
      spec: entry.definition.spec,
      taskType: entry.definition.task.type,
      taskPayload: entry.definition.task.payload,
      enqueueOptions: [...entry.definition.optionStrings],
      nextEnqueueAt: entry.next ?? 0,
      prevEnqueueAt: entry.prev,
    }));
  }

  /**
   * Registers `task` to be enqueued with `options` at every fire of `cronspec` (see
   * `parseCronSpec`), and returns the entry's ID, which is derived from the spec, location,
   * task and options. Works before and after `start`. Throws `InvalidArgumentError` for a bad
   * spec or option and `FailedPreconditionError` when an identical entry is registered.
   */
  register(cronspec: string, task: Task, options?: TaskOptions): string {
    if (this.#state === "closed") throw new BrokerClosedError("scheduler");
    const { location, clock } = this.#options;
    const definition = defineEntry(cronspec, task, options, location, clock.now());
    if (this.#entries.has(definition.id)) {
      throw new FailedPreconditionError(`an identical entry is registered: ${definition.id}`);
    }
    const entry: RunningEntry = { definition, next: null, prev: 0, timer: undefined };
    this.#entries.set(definition.id, entry);
    if (this.#state === "active") this.#arm(entry, clock.now());
    return definition.id;
  }

  /** Removes an entry; a fire already under way completes. Throws when there is no such entry. */
  unregister(entryId: string): void {
    const entry = this.#entries.get(entryId);
    if (entry === undefined) throw new InvalidArgumentError("entryId", `no entry ${entryId}`);
    this.#disarm(entry);
    this.#entries.delete(entryId);
  }

  /**
   * Starts firing entries and publishing them; with `catchUp: "last"`, first enqueues each
   * entry's most recent missed fire. Resolves once that catch-up is done. Rejects with
   * `FailedPreconditionError` when already running, `BrokerClosedError` after shutdown.
   */
  async start(): Promise<void> {
    if (this.#state === "active") throw new FailedPreconditionError("scheduler already running");
    if (this.#state === "closed") throw new BrokerClosedError("scheduler");
    this.#state = "active";
    const now = this.#options.clock.now();
    this.#options.logger.info("scheduler starting", { schedulerId: this.#id });
    const entries = [...this.#entries.values()];
    for (const entry of entries) this.#arm(entry, now);
    this.#heartbeat.start();
    if (this.#options.catchUp === "last") {
      await Promise.all(entries.map((entry) => this.#track(this.#catchUp(entry, now))));
    }
  }

  /** Starts, then runs until SIGTERM or SIGINT, and shuts down. */
  async run(): Promise<void> {
    await this.start();
    const proc = globalThis.process;
    await new Promise<void>((resolve) => {
      const stop = () => {
        for (const signal of ["SIGTERM", "SIGINT"] as const) proc.off(signal, stop);
        resolve();
      };
      for (const signal of ["SIGTERM", "SIGINT"] as const) proc.on(signal, stop);
    });
    await this.shutdown();
  }

  /**
   * Stops firing, waits for enqueues under way, removes the published entries (and, with
   * `clearHistoryOnShutdown`, their history). The broker stays open. Idempotent.
   */
  shutdown(): Promise<void> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    const wasActive = this.#state === "active";
    this.#state = "closed";
    this.#shutdown = wasActive ? this.#stop() : this.#client.close();
    return this.#shutdown;
  }

  /** Checks that the broker answers. */
  ping(): Promise<void> {
    return this.#broker.ping();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  async #stop(): Promise<void> {
    const { logger } = this.#options;
    logger.info("scheduler shutting down", { schedulerId: this.#id });
    for (const entry of this.#entries.values()) this.#disarm(entry);
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    await this.#heartbeat.stop();
    try {
      await this.#broker.clearSchedulerEntries({ schedulerId: this.#id });
      if (this.#options.clearHistoryOnShutdown) {
        for (const entryId of this.#entries.keys()) {
          await this.#broker.clearSchedulerHistory({ entryId });
        }
      }
    } catch (error) {
      logger.error("could not clear the scheduler's records", { error: errorText(error) });
    }
    await this.#client.close();
    logger.info("scheduler stopped", { schedulerId: this.#id });
  }

  async #beat(): Promise<void> {
    const { heartbeatInterval, clock } = this.#options;
    await this.#broker.writeSchedulerEntries({
      schedulerId: this.#id,
      entries: this.entries(),
      ttl: 2 * heartbeatInterval,
      now: clock.now(),
    });
  }

  #arm(entry: RunningEntry, after: number): void {
    const { clock, timers } = this.#options;
    entry.next = entry.definition.schedule.nextAfter(after);
    if (entry.next === null) return;
    entry.timer = timers.setTimeout(() => this.#onTimer(entry), entry.next - clock.now());
  }

  #disarm(entry: RunningEntry): void {
    if (entry.timer !== undefined) this.#options.timers.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  #onTimer(entry: RunningEntry): void {
    entry.timer = undefined;
    const fireAt = entry.next;
    if (this.#state !== "active" || fireAt === null) return;
    if (this.#entries.get(entry.definition.id) !== entry) return;
    const { clock, timers } = this.#options;
    const now = clock.now();
    if (now < fireAt) {
      // Timers may fire early by a millisecond; wait for the real instant.
      entry.timer = timers.setTimeout(() => this.#onTimer(entry), fireAt - now);
      return;
    }
    entry.prev = fireAt;
    void this.#track(this.#fire(entry.definition, fireAt));
    // A fire is never repeated; fires that passed while this one was late are skipped.
    this.#arm(entry, now);
  }

  #track(work: Promise<void>): Promise<void> {
    this.#inFlight.add(work);
    return work.finally(() => this.#inFlight.delete(work));
  }

  async #catchUp(entry: RunningEntry, now: number): Promise<void> {
    const { definition } = entry;
    const last = definition.schedule.lastAtOrBefore(now);
    if (last === null) return;
    try {
      const [newest] = await this.#broker.listSchedulerEvents({
        entryId: definition.id,
        offset: 0,
        limit: 1,
      });
      // No history: the entry never ran, so nothing was missed. An enqueue for a fire
      // happens at or after it, so a newer event means the fire was handled.
      if (newest === undefined || newest.enqueuedAt >= last) return;
    } catch (error) {
      this.#options.logger.error("could not read the entry's history; not catching up", {
        entryId: definition.id,
        error: errorText(error),
      });
      return;
    }
    this.#options.logger.info("enqueuing a missed fire", { entryId: definition.id, fireAt: last });
    if (entry.prev < last) entry.prev = last;
    await this.#fire(definition, last);
  }

  async #fire(definition: EntryDefinition, fireAt: number): Promise<void> {
    const { preEnqueue, postEnqueue, logger, dedupeWindow, clock } = this.#options;
    const entryId = definition.id;
    const options: TaskOptions = definition.ownTaskId
      ? definition.options
      : {
          ...definition.options,
          taskId: fireTaskId(entryId, fireAt),
          retention: Math.max(definition.retention, dedupeWindow),
        };
    await this.#hook("preEnqueue", () => preEnqueue?.(definition.task, options));
    let info: TaskInfo | null = null;
    let error: Error | null = null;
    let enqueuedByPeer = false;
    try {
      info = await this.#client.enqueue(definition.task, options);
    } catch (cause) {
      if (!definition.ownTaskId && hasErrorCode(cause, "TASK_ID_CONFLICT")) enqueuedByPeer = true;
      else error = asError(cause);
    }
    if (info !== null) {
      logger.debug("scheduler enqueued a task", { entryId, taskId: info.id, fireAt });
      await this.#record(entryId, info.id, clock.now());
    } else if (enqueuedByPeer) {
      logger.debug("fire already enqueued by another scheduler instance", { entryId, fireAt });
    } else {
      logger.error("scheduler could not enqueue a task", { entryId, error: errorText(error) });
    }
    const fire = { entryId, fireAt, enqueuedByPeer };
    await this.#hook("postEnqueue", () => postEnqueue?.(info, error, fire));
  }

  async #record(entryId: string, taskId: string, enqueuedAt: number): Promise<void> {
    try {
      await this.#broker.recordSchedulerEvent({
        entryId,
        event: { taskId, enqueuedAt },
        maxEvents: DEFAULTS.schedulerHistoryMax,
        now: enqueuedAt,
      });
    } catch (error) {
      this.#options.logger.error("could not record the enqueue in the entry's history", {
        entryId,
        error: errorText(error),
      });
    }
  }

  async #hook(name: string, call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.#options.logger.error(`${name} hook failed`, { error: errorText(error) });
    }
  }
}
