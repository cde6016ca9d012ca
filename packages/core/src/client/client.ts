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
import { requireHeaders } from "../options/validate.js";
import type { Broker, EnqueueRefusal } from "../port/broker.js";
import type { EnqueueParams, EnqueueRequest } from "../port/params.js";
import type { Refused, Result } from "../port/results.js";
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
  /** Run on every task enqueued (also in bulk), in this order; e.g. tracing or metrics. */
  readonly interceptors?: readonly EnqueueInterceptor[];
}

/** A task about to be stored, as an `EnqueueInterceptor` sees it: options already validated. */
export interface OutgoingTask {
  readonly task: Task;
  readonly queue: string;
  readonly taskId: string;
  /** The headers it will carry, before any interceptor's additions. */
  readonly headers: Readonly<Record<string, string>>;
  /** The client's `now` for this enqueue, epoch ms. */
  readonly now: number;
  /** When the task becomes due, epoch ms (≤ `now`: at once). */
  readonly processAt: number;
  /**
   * Adds or replaces a header of the stored task. Interceptor headers win over the task's and
   * the enqueue options' own (a copied header such as a stale trace context is replaced).
   */
  setHeader(name: string, value: string): void;
}

/** How the enqueue of one task ended: its info, or the error the caller gets. */
export type EnqueueOutcome =
  | { readonly ok: true; readonly info: TaskInfo }
  | { readonly ok: false; readonly error: unknown };

/** Told how an intercepted enqueue ended; what it throws is ignored (the outcome stands). */
export type EnqueueObserver = (outcome: EnqueueOutcome) => void;

/**
 * Sees every task before it is stored and may add headers. It runs synchronously inside
 * `enqueue`/`enqueueBulk`, so it sees the caller's async context; what it throws fails that
 * task's enqueue with nothing stored. The observer it returns (if any) is told the outcome.
 */
export type EnqueueInterceptor = (task: OutgoingTask) => EnqueueObserver | undefined;

/** One item of a bulk enqueue: a task, optionally with its own enqueue options. */
export type BulkItem = Task | { readonly task: Task; readonly options?: TaskOptions };

/** The outcome of one bulk item, aligned with the input. */
export type BulkEnqueueResult =
  | { readonly ok: true; readonly info: TaskInfo }
  | { readonly ok: false; readonly error: AsynqError };

interface Prepared {
  readonly request: EnqueueRequest;
  readonly options: ResolvedOptions;
  readonly observers: readonly EnqueueObserver[];
}

const NO_OBSERVERS: readonly EnqueueObserver[] = Object.freeze([]);

/** Enqueues tasks through a broker. It does not own the broker: `close()` leaves it open. */
export class Client implements AsyncDisposable {
  readonly #broker: Broker;
  readonly #clock: Clock;
  readonly #ids: IdGenerator;
  readonly #interceptors: readonly EnqueueInterceptor[];
  #closed = false;

  constructor(broker: Broker, options: ClientOptions = {}) {
    this.#broker = broker;
    this.#clock = options.clock ?? systemClock;
    this.#ids = options.ids ?? uuidV4Generator;
    this.#interceptors = [...(options.interceptors ?? [])];
    for (const interceptor of this.#interceptors) {
      if (typeof interceptor !== "function")
        throw new InvalidArgumentError("interceptors", "must be functions");
    }
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
    if (prepared.observers.length > 0) return this.#enqueueObserved(prepared, now);
    const result = await this.#broker.enqueue(paramsOf(prepared.request, now));
    if (!result.ok) throw refusalError(result, prepared.request.message);
    return infoOf(prepared, now);
  }

  async #enqueueObserved(prepared: Prepared, now: number): Promise<TaskInfo> {
    let info: TaskInfo;
    try {
      const result = await this.#broker.enqueue(paramsOf(prepared.request, now));
      if (!result.ok) throw refusalError(result, prepared.request.message);
      info = infoOf(prepared, now);
    } catch (error) {
      notify(prepared.observers, { ok: false, error });
      throw error;
    }
    notify(prepared.observers, { ok: true, info });
    return info;
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
    let stored: readonly Result<EnqueueRefusal>[];
    try {
      stored =
        pending.length === 0
          ? []
          : await this.#broker.enqueueBulk({ requests: pending.map((p) => p.request), now });
      if (stored.length < pending.length)
        throw new Error("broker returned fewer bulk results than requests");
    } catch (error) {
      for (const p of pending) notify(p.observers, { ok: false, error });
      throw error;
    }
    let next = 0;
    return results.map((r) => {
      if (!("request" in r)) return r;
      const outcome = stored[next++]!;
      const result: BulkEnqueueResult = outcome.ok
        ? { ok: true, info: infoOf(r, now) }
        : { ok: false, error: refusalError(outcome, r.request.message) };
      notify(r.observers, result);
      return result;
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
    let resolved = resolveOptions([task.options, options, own], now, this.#ids);
    let observers = NO_OBSERVERS;
    if (this.#interceptors.length > 0)
      ({ resolved, observers } = this.#intercept(task, resolved, now));
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
    return { request, options: resolved, observers };
  }

  /** Runs the interceptors: the options with their headers, and who to tell the outcome. */
  #intercept(
    task: Task,
    resolved: ResolvedOptions,
    now: number,
  ): { resolved: ResolvedOptions; observers: readonly EnqueueObserver[] } {
    const observers: EnqueueObserver[] = [];
    const added: Record<string, string> = {};
    const outgoing: OutgoingTask = {
      task,
      queue: resolved.queue,
      taskId: resolved.taskId,
      headers: resolved.headers,
      now,
      processAt: resolved.processAt,
      setHeader: (name, value) =>
        Object.assign(added, requireHeaders("headers", { [name]: value })),
    };
    try {
      for (const interceptor of this.#interceptors) {
        const observer = interceptor(outgoing);
        if (typeof observer === "function") observers.push(observer);
      }
    } catch (error) {
      notify(observers, { ok: false, error });
      throw error;
    }
    return { resolved: { ...resolved, headers: { ...resolved.headers, ...added } }, observers };
  }
}

/** Tells observers the outcome, the last registered first (like middleware unwinding). */
function notify(observers: readonly EnqueueObserver[], outcome: EnqueueOutcome): void {
  for (let i = observers.length - 1; i >= 0; i--) {
    try {
      observers[i]!(outcome);
    } catch {
      // The task is stored (or refused) already; an observer cannot change that.
    }
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
  // A switch, not a pattern match: this runs on every enqueue.
  switch (placement.state) {
    case "pending":
      return now;
    case "scheduled":
      return placement.processAt;
    case "aggregating":
      return 0;
  }
}

function paramsOf(request: EnqueueRequest, now: number): EnqueueParams {
  const { message, placement, unique } = request;
  return unique === undefined ? { message, placement, now } : { message, placement, unique, now };
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
