import { match } from "ts-pattern";
import {
  AsynqError,
  BrokerClosedError,
  DuplicateTaskError,
  InvalidArgumentError,
  TaskIdConflictError,
} from "../errors.js";
import { type IdGenerator, uuidV4Generator } from "../ids.js";
import {
  type Placement,
  placementOf,
  type ResolvedOptions,
  resolveOptions,
  uniqueLockExpiry,
} from "../options/resolve-options.js";
import type { TaskOptions } from "../options/task-options.js";
import type { Broker, EnqueueRefusal } from "../port/broker.js";
import type { EnqueueRequest } from "../port/params.js";
import type { Refused } from "../port/results.js";
import { Task } from "../task/task.js";
import type { TaskInfo } from "../task/task-info.js";
import type { TaskMessage } from "../task/task-message.js";
import { toTaskInfo } from "../task/to-task-info.js";
import { type Clock, systemClock } from "../time/clock.js";
import { uniqueDigest } from "../uniqueness/unique-digest.js";

/** Client construction options. */
export interface ClientOptions {
  /** Source of `now`. @default the system clock */
  readonly clock?: Clock;
  /** Source of task IDs. @default UUID v4 */
  readonly ids?: IdGenerator;
}

/** One item of a bulk enqueue: a task, optionally with its own enqueue options. */
export type BulkItem = Task | { readonly task: Task; readonly options?: TaskOptions };

/** The outcome of one bulk item, aligned with the input. */
export type BulkEnqueueResult =
  | { readonly ok: true; readonly info: TaskInfo }
  | { readonly ok: false; readonly error: AsynqError };

interface Prepared {
  readonly request: EnqueueRequest;
  readonly options: ResolvedOptions;
}

/** Enqueues tasks through a broker. It does not own the broker: `close()` leaves it open. */
export class Client implements AsyncDisposable {
  readonly #broker: Broker;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  #closed = false;

  constructor(broker: Broker, options: ClientOptions = {}) {
    this.#broker = broker;
    this.#clock = options.clock ?? systemClock;
    this.#ids = options.ids ?? uuidV4Generator;
  }

  /**
   * Stores the task: scheduled when `processAt`/`processIn` is in the future, aggregating when
   * it has a group, pending otherwise. Throws `InvalidArgumentError` before writing anything,
   * `TaskIdConflictError` when the ID exists in the queue, `DuplicateTaskError` when a unique
   * lock is held.
   */
  async enqueue(task: Task, options?: TaskOptions): Promise<TaskInfo> {
    this.#assertOpen();
    const now = this.#clock.now();
    const prepared = this.#prepare(task, options, now);
    const result = await this.#broker.enqueue({ ...prepared.request, now });
    if (!result.ok) throw refusalError(result, prepared.request.message);
    return infoOf(prepared, now);
  }

  /**
   * Enqueues many tasks in few round trips. Each item is validated and stored on its own, so
   * one bad item does not affect the others; results are aligned with `items`. `options` apply
   * to every item, before the item's own.
   */
  async enqueueBulk(
    items: readonly BulkItem[],
    options?: TaskOptions,
  ): Promise<BulkEnqueueResult[]> {
    this.#assertOpen();
    const now = this.#clock.now();
    const results: (BulkEnqueueResult | Prepared)[] = items.map((item) => {
      try {
        const { task, own } =
          item instanceof Task
            ? { task: item, own: undefined }
            : { task: item?.task, own: item?.options };
        if (!(task instanceof Task)) throw new InvalidArgumentError("task", "must be a Task");
        return this.#prepare(task, options, now, own);
      } catch (error) {
        if (AsynqError.isInstance(error)) return { ok: false, error };
        throw error;
      }
    });
    const pending = results.filter((r): r is Prepared => "request" in r);
    const stored =
      pending.length === 0
        ? []
        : await this.#broker.enqueueBulk({ requests: pending.map((p) => p.request), now });
    let next = 0;
    return results.map((r) => {
      if (!("request" in r)) return r;
      const outcome = stored[next++];
      if (outcome === undefined)
        throw new Error("broker returned fewer bulk results than requests");
      return outcome.ok
        ? { ok: true, info: infoOf(r, now) }
        : { ok: false, error: refusalError(outcome, r.request.message) };
    });
  }

  /** Marks the client closed; later calls throw `BrokerClosedError`. The broker stays open. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new BrokerClosedError("client");
  }

  #prepare(task: Task, options: TaskOptions | undefined, now: number, own?: TaskOptions): Prepared {
    const resolved = resolveOptions([task.options, options, own], now, this.#ids);
    const placement = placementOf(resolved, now);
    const message = messageOf(task, resolved);
    const request: EnqueueRequest =
      resolved.unique > 0
        ? {
            message,
            placement,
            unique: {
              digest: uniqueDigest(task.payload),
              expiresAt: uniqueLockExpiry(resolved, now),
            },
          }
        : { message, placement };
    return { request, options: resolved };
  }
}

function messageOf(task: Task, o: ResolvedOptions): TaskMessage {
  return {
    id: o.taskId,
    type: task.type,
    payload: task.payload,
    headers: o.headers,
    queue: o.queue,
    maxRetry: o.maxRetry,
    retried: 0,
    lastError: "",
    lastFailedAt: 0,
    timeout: o.timeout,
    deadline: o.deadline,
    retention: o.retention,
    completedAt: 0,
    group: o.group,
    uniqueKey: "",
  };
}

function nextProcessAt(placement: Placement, now: number): number {
  return match(placement)
    .with({ state: "pending" }, () => now)
    .with({ state: "scheduled" }, (p) => p.processAt)
    .with({ state: "aggregating" }, () => 0)
    .exhaustive();
}

function infoOf(prepared: Prepared, now: number): TaskInfo {
  const { message, placement } = prepared.request;
  return toTaskInfo(
    {
      message,
      state: placement.state,
      nextProcessAt: nextProcessAt(placement, now),
      leaseExpiresAt: 0,
      result: null,
    },
    now,
  );
}

function refusalError(refusal: Refused<EnqueueRefusal>, message: TaskMessage): AsynqError {
  return match(refusal.reason)
    .with("task-id-conflict", () => new TaskIdConflictError(message.queue, message.id))
    .with("duplicate-task", () => new DuplicateTaskError(message.queue, message.type))
    .exhaustive();
}
