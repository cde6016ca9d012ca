import {
  BrokerClosedError,
  InvalidArgumentError,
  NotSupportedError,
  QueueNotEmptyError,
  QueueNotFoundError,
  TaskNotFoundError,
} from "../errors.js";
import type { IdGenerator } from "../ids.js";
import { defaultArchiveTrim } from "../options/archive-trim.js";
import { requireName } from "../options/validate.js";
import type { Broker } from "../port/broker.js";
import type { ListTasksParams } from "../port/params.js";
import type { DailyStats, QueueLocation, TaskRecord } from "../port/records.js";
import type { Result } from "../port/results.js";
import type { TaskInfo } from "../task/task-info.js";
import { TASK_STATES, type TaskState } from "../task/task-state.js";
import { toTaskInfo } from "../task/to-task-info.js";
import { type Clock, systemClock } from "../time/clock.js";
import {
  ARCHIVABLE_STATES,
  type ArchivableState,
  containerOf,
  DELETABLE_STATES,
  type DeletableState,
  type GroupOption,
  RUNNABLE_STATES,
  type RunnableState,
} from "./containers.js";
import {
  joinServersWithWorkers,
  type SchedulerEnqueueEventInfo,
  type SchedulerEntryInfo,
  type ServerDetails,
  toSchedulerEnqueueEventInfo,
  toSchedulerEntryInfo,
} from "./liveness-views.js";
import { optionsObject } from "./options-object.js";
import { type PageOptions, pageWindow } from "./pagination.js";
import { type GroupInfo, type QueueInfo, toQueueInfo } from "./queue-info.js";
import { QueueAlreadyPausedError, QueueNotPausedError } from "./queue-pause-errors.js";
import { type TaskOperation, type TaskRefusal, taskRefusalError } from "./task-refusals.js";
import {
  scanForMatches,
  type TaskSearchOptions,
  type TaskSearchResult,
  taskSearchOf,
} from "./task-search.js";

/** Inspector construction options. */
export interface InspectorOptions {
  /** Source of `now` (stats days, latency, orphan detection, liveness). @default the system clock */
  readonly clock?: Clock;
  /** Accepted so one options object can configure a Client and an Inspector; the Inspector creates no IDs. */
  readonly ids?: IdGenerator;
}

/** Page and group of `listTasks`. */
export interface ListTasksOptions extends PageOptions, GroupOption {}

/** Options of `deleteQueue`. */
export interface DeleteQueueOptions {
  /** Delete the queue's tasks too (still refused while any is active). @default false */
  readonly force?: boolean;
}

/** A node of a clustered backend that serves a queue. */
export type ClusterNode = QueueLocation["nodes"][number];

const encoder = new TextEncoder();

/**
 * The Inspector's operations in their general form (a state is an argument). Use `Inspector`,
 * which adds Go asynq's per-state names; see it for the error contract.
 */
export class InspectorBase implements AsyncDisposable {
  readonly #broker: Broker;
  readonly #clock: Clock;
  #closed = false;

  constructor(broker: Broker, options: InspectorOptions = {}) {
    this.#broker = broker;
    this.#clock = options.clock ?? systemClock;
  }

  // ---- queues ----

  /** Names of every known queue, sorted. */
  async queues(): Promise<string[]> {
    this.#assertOpen();
    return [...(await this.#broker.listQueues())].sort();
  }

  /** Sizes, counters, pause state and latency of a queue. */
  async queueInfo(queue: string): Promise<QueueInfo> {
    const name = this.#queue(queue);
    const now = this.#clock.now();
    const result = await this.#broker.queueStats({ queue: name, now });
    return toQueueInfo(this.#found(result, name).stats, now);
  }

  /** Processed and failed counts of the last `days` UTC days, today first (`days` ≥ 1). */
  async history(queue: string, days: number): Promise<DailyStats[]> {
    const name = this.#queue(queue);
    if (typeof days !== "number" || !Number.isSafeInteger(days) || days < 1) {
      throw new InvalidArgumentError("days", "must be an integer of at least 1");
    }
    const result = await this.#broker.queueHistory({ queue: name, days, now: this.#clock.now() });
    return [...this.#found(result, name).days];
  }

  /** The queue's aggregation groups with their sizes, by name. */
  async groups(queue: string): Promise<GroupInfo[]> {
    const name = this.#queue(queue);
    const result = await this.#broker.groupStats({ queue: name });
    return this.#found(result, name)
      .groups.map(({ group, size }) => ({ group, size }))
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  }

  /** Stops dequeues from the queue; throws `QueueAlreadyPausedError` if it is paused. */
  async pauseQueue(queue: string): Promise<void> {
    const name = this.#queue(queue);
    const result = await this.#broker.pauseQueue({ queue: name, now: this.#clock.now() });
    if (!result.ok) throw new QueueAlreadyPausedError(name);
  }

  /** Resumes dequeues from the queue; throws `QueueNotPausedError` if it is not paused. */
  async unpauseQueue(queue: string): Promise<void> {
    const name = this.#queue(queue);
    const result = await this.#broker.unpauseQueue({ queue: name, now: this.#clock.now() });
    if (!result.ok) throw new QueueNotPausedError(name);
  }

  /**
   * Removes the queue and everything stored for it. Throws `QueueNotEmptyError` while it holds
   * tasks (with `force`: while any task is active), `QueueNotFoundError` for an unknown queue.
   */
  async deleteQueue(queue: string, options?: DeleteQueueOptions): Promise<void> {
    const name = this.#queue(queue);
    const { force = false }: DeleteQueueOptions = optionsObject(options);
    if (typeof force !== "boolean") throw new InvalidArgumentError("force", "must be a boolean");
    const result = await this.#broker.deleteQueue({ queue: name, force, now: this.#clock.now() });
    if (result.ok) return;
    switch (result.reason) {
      case "queue-not-found":
        throw new QueueNotFoundError(name);
      case "not-empty":
        throw new QueueNotEmptyError(name, "it holds tasks; delete them or pass force: true");
      case "has-active":
        throw new QueueNotEmptyError(name, "tasks are active; wait for them or cancel them");
    }
  }

  // ---- tasks: reads ----

  /** One task; `TaskNotFoundError` / `QueueNotFoundError` when missing. */
  async taskInfo(queue: string, taskId: string): Promise<TaskInfo> {
    const name = this.#queue(queue);
    const id = requireName("taskId", taskId);
    const now = this.#clock.now();
    const result = await this.#broker.getTask({ queue: name, taskId: id, now });
    if (!result.ok) {
      throw result.reason === "not-found"
        ? new TaskNotFoundError(name, id)
        : new QueueNotFoundError(name);
    }
    return toTaskInfo(result.task, now);
  }

  /**
   * A page of the tasks in `state`: pending and active in dequeue order, scheduled and retry
   * by due time, archived by archive time, completed by expiry, aggregating (which needs
   * `group`) by join time; oldest first. Page 1 of 30 unless told otherwise.
   */
  async listTasks(
    queue: string,
    state: TaskState,
    options?: ListTasksOptions,
  ): Promise<TaskInfo[]> {
    const name = this.#queue(queue);
    const o: ListTasksOptions = optionsObject(options);
    const container = containerOf(TASK_STATES, state, o.group);
    const { offset, limit } = pageWindow(o);
    const now = this.#clock.now();
    const records = await this.#page({ ...container, queue: name, offset, limit, now });
    return records.map((record) => toTaskInfo(record, now));
  }

  /**
   * A page of the tasks in `state` matching every given filter (type, payload bytes, group),
   * found by scanning the state's listing in order and examining at most `scanLimit` tasks.
   * `truncated` tells when the bound stopped the scan, so matches may be missing.
   */
  async searchTasks(
    queue: string,
    state: TaskState,
    options?: TaskSearchOptions,
  ): Promise<TaskSearchResult> {
    const name = this.#queue(queue);
    const search = taskSearchOf(options);
    const aggregating = state === "aggregating";
    const container = containerOf(TASK_STATES, state, aggregating ? search.group : undefined);
    const window = pageWindow(optionsObject(options));
    const now = this.#clock.now();
    const scan = await scanForMatches(
      (offset, limit) => this.#page({ ...container, queue: name, offset, limit, now }),
      search,
      window,
    );
    return {
      tasks: scan.records.map((record) => toTaskInfo(record, now)),
      scanned: scan.scanned,
      truncated: scan.truncated,
    };
  }

  // ---- tasks: single mutations ----

  /** Deletes a task in any state but active (use `cancelProcessing` for those). */
  async deleteTask(queue: string, taskId: string): Promise<void> {
    const [name, id] = this.#taskRef(queue, taskId);
    const result = await this.#broker.deleteTask({
      queue: name,
      taskId: id,
      now: this.#clock.now(),
    });
    this.#applied(result, "delete", name, id);
  }

  /** Moves a scheduled, retry, archived, completed or aggregating task to pending. */
  async runTask(queue: string, taskId: string): Promise<void> {
    const [name, id] = this.#taskRef(queue, taskId);
    const result = await this.#broker.runTask({ queue: name, taskId: id, now: this.#clock.now() });
    this.#applied(result, "run", name, id);
  }

  /** Archives a pending, scheduled, retry, completed or aggregating task. */
  async archiveTask(queue: string, taskId: string): Promise<void> {
    const [name, id] = this.#taskRef(queue, taskId);
    const now = this.#clock.now();
    const trim = defaultArchiveTrim(now);
    const result = await this.#broker.archiveTask({ queue: name, taskId: id, trim, now });
    this.#applied(result, "archive", name, id);
  }

  /** Replaces a scheduled task's payload (a string is stored as UTF-8). */
  async updateTaskPayload(
    queue: string,
    taskId: string,
    payload: Uint8Array | string,
  ): Promise<void> {
    const [name, id] = this.#taskRef(queue, taskId);
    const bytes = typeof payload === "string" ? encoder.encode(payload) : payload;
    if (!(bytes instanceof Uint8Array)) {
      throw new InvalidArgumentError("payload", "must be a Uint8Array or a string");
    }
    const now = this.#clock.now();
    const result = await this.#broker.updateTaskPayload({
      queue: name,
      taskId: id,
      payload: bytes,
      now,
    });
    this.#applied(result, "update the payload of", name, id);
  }

  /** Asks whichever server runs the task to abort it. Best effort: nothing is stored. */
  async cancelProcessing(taskId: string): Promise<void> {
    this.#assertOpen();
    await this.#broker.publishCancellation({ taskId: requireName("taskId", taskId) });
  }

  // ---- tasks: bulk mutations ----

  /** Deletes every task of a state (aggregating: of `group`); returns how many. */
  async deleteAll(queue: string, state: DeletableState, options?: GroupOption): Promise<number> {
    const name = this.#queue(queue);
    const container = containerOf(DELETABLE_STATES, state, groupOf(options));
    const result = await this.#broker.deleteAll({
      ...container,
      queue: name,
      now: this.#clock.now(),
    });
    return this.#found(result, name).count;
  }

  /** Moves every task of a state (aggregating: of `group`) to pending; returns how many. */
  async runAll(queue: string, state: RunnableState, options?: GroupOption): Promise<number> {
    const name = this.#queue(queue);
    const container = containerOf(RUNNABLE_STATES, state, groupOf(options));
    const result = await this.#broker.runAll({ ...container, queue: name, now: this.#clock.now() });
    return this.#found(result, name).count;
  }

  /** Archives every task of a state (aggregating: of `group`); returns how many. */
  async archiveAll(queue: string, state: ArchivableState, options?: GroupOption): Promise<number> {
    const name = this.#queue(queue);
    const container = containerOf(ARCHIVABLE_STATES, state, groupOf(options));
    const now = this.#clock.now();
    const trim = defaultArchiveTrim(now);
    const result = await this.#broker.archiveAll({ ...container, queue: name, trim, now });
    return this.#found(result, name).count;
  }

  // ---- liveness and scheduling ----

  /** Live servers with the tasks each is processing. */
  async servers(): Promise<ServerDetails[]> {
    this.#assertOpen();
    const now = this.#clock.now();
    const [servers, workers] = await Promise.all([
      this.#broker.listServers({ now }),
      this.#broker.listWorkers({ now }),
    ]);
    return joinServersWithWorkers(servers, workers);
  }

  /** Periodic task entries of live schedulers. */
  async schedulerEntries(): Promise<SchedulerEntryInfo[]> {
    this.#assertOpen();
    const entries = await this.#broker.listSchedulerEntries({ now: this.#clock.now() });
    return entries.map(toSchedulerEntryInfo);
  }

  /** A page of one scheduler entry's enqueues, newest first. */
  async schedulerEnqueueEvents(
    entryId: string,
    options?: PageOptions,
  ): Promise<SchedulerEnqueueEventInfo[]> {
    this.#assertOpen();
    const id = requireName("entryId", entryId);
    const { offset, limit } = pageWindow(options);
    const events = await this.#broker.listSchedulerEvents({ entryId: id, offset, limit });
    return events.map(toSchedulerEnqueueEventInfo);
  }

  // ---- cluster ----

  /** The cluster hash slot of the queue's keys; `NotSupportedError` on unclustered brokers. */
  async clusterKeySlot(queue: string): Promise<number> {
    return (await this.#location("clusterKeySlot", queue)).keySlot;
  }

  /** The cluster nodes serving the queue; `NotSupportedError` on unclustered brokers. */
  async clusterNodes(queue: string): Promise<ClusterNode[]> {
    return (await this.#location("clusterNodes", queue)).nodes.map(({ id, address }) => ({
      id,
      address,
    }));
  }

  // ---- lifecycle ----

  /** Marks the inspector closed; later calls throw `BrokerClosedError`. The broker stays open. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- internals ----

  #assertOpen(): void {
    if (this.#closed) throw new BrokerClosedError("inspector");
  }

  #queue(queue: string): string {
    this.#assertOpen();
    return requireName("queue", queue);
  }

  #taskRef(queue: string, taskId: string): [string, string] {
    return [this.#queue(queue), requireName("taskId", taskId)];
  }

  #found<T extends object>(result: Result<"queue-not-found", T>, queue: string): T {
    if (!result.ok) throw new QueueNotFoundError(queue);
    return result;
  }

  #applied(result: Result<TaskRefusal>, operation: TaskOperation, queue: string, id: string): void {
    if (!result.ok) throw taskRefusalError(result.reason, operation, queue, id);
  }

  async #page(params: ListTasksParams): Promise<readonly TaskRecord[]> {
    return this.#found(await this.#broker.listTasks(params), params.queue).tasks;
  }

  async #location(operation: string, queue: string): Promise<QueueLocation> {
    const name = this.#queue(queue);
    const locate = this.#broker.queueLocation;
    if (!this.#broker.capabilities.queueLocation || locate === undefined) {
      throw new NotSupportedError(operation);
    }
    return locate.call(this.#broker, { queue: name });
  }
}

/** The `group` of bulk options, validated by `containerOf`. */
function groupOf(options: GroupOption | undefined): unknown {
  return (optionsObject(options) as GroupOption).group;
}
