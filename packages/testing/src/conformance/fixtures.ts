import type { QueueStats, Result, TaskMessage, TaskRecord, TaskState } from "@asynq-ts/core";
import { DEFAULTS, HOUR, MINUTE } from "@asynq-ts/core";
import { defaultTrim, enqueueRequest, type SuiteContext } from "./harness.js";

// Shared set-up and read helpers of the aggregation and inspector suites.

/** A message with its payload as plain numbers, so equality compares bytes whatever the container. */
export type ComparableMessage = Omit<TaskMessage, "payload"> & { readonly payload: number[] };

/** `message` in a form `toEqual` compares field by field, payload bytes by value. */
export function comparable(message: TaskMessage): ComparableMessage {
  return { ...message, payload: Array.from(message.payload) };
}

/** Bytes as plain numbers (null stays null), for comparisons by value. */
export function bytes(value: Uint8Array | null): number[] | null {
  return value === null ? null : Array.from(value);
}

/** "a pending", "an archived": the word with its indefinite article, for test names. */
export function aOrAn(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** The IDs of listed tasks or messages, in order. */
export function idsOf(
  items: readonly ({ readonly message: TaskMessage } | TaskMessage)[],
): string[] {
  return items.map((item) => ("message" in item ? item.message.id : item.id));
}

/** The success value of a guarded call; throws (failing the test) on a refusal. */
export function okValue<T extends object>(result: Result<string, T>): T {
  if (!result.ok) throw new Error(`unexpected refusal: ${result.reason}`);
  return result;
}

/** Options for `placeTask`. */
export interface PlaceOptions {
  /** Take a unique lock of this TTL (ms) with the task. */
  readonly uniqueTtl?: number;
}

/**
 * Enqueues a task and dequeues it, returning the message as the broker handed it out (with
 * its `uniqueKey`). The task's queue must hold no other pending task.
 */
export async function activateTask(
  ctx: SuiteContext,
  fields: Partial<TaskMessage> = {},
  options: PlaceOptions = {},
): Promise<TaskMessage> {
  const sent = await ctx.enqueue(fields, options);
  const got = await ctx.broker.dequeue({
    queues: [sent.queue],
    leaseUntil: ctx.now() + DEFAULTS.lease,
    now: ctx.now(),
  });
  if (got === null || got.message.id !== sent.id) throw new Error("activateTask: wrong task");
  return got.message;
}

/**
 * Stores a new task in `state` through the port's ordinary edges and returns its message as
 * stored. Scheduled and retry tasks are due a minute from now; completed tasks are kept an
 * hour; aggregating tasks join `fields.group` (default "g"). States reached through active
 * need the queue to hold no other pending task.
 */
export async function placeTask(
  ctx: SuiteContext,
  state: TaskState,
  fields: Partial<TaskMessage> = {},
  options: PlaceOptions = {},
): Promise<TaskMessage> {
  const now = ctx.now();
  switch (state) {
    case "pending":
      return ctx.enqueue(fields, options);
    case "scheduled":
      return ctx.enqueue(fields, {
        ...options,
        placement: { state: "scheduled", processAt: now + MINUTE },
      });
    case "aggregating": {
      const group = fields.group || "g";
      return ctx.enqueue(
        { ...fields, group },
        { ...options, placement: { state: "aggregating", group } },
      );
    }
    case "active":
      return activateTask(ctx, fields, options);
    case "retry": {
      const active = await activateTask(ctx, fields, options);
      const message = { ...active, retried: 1, lastError: "boom", lastFailedAt: now };
      const result = await ctx.broker.retry({
        message,
        retryAt: now + MINUTE,
        isFailure: true,
        now,
      });
      okValue(result);
      return message;
    }
    case "archived": {
      const active = await activateTask(ctx, fields, options);
      const message = { ...active, lastError: "boom", lastFailedAt: now };
      okValue(await ctx.broker.archive({ message, trim: defaultTrim(now), now }));
      return message;
    }
    case "completed": {
      const active = await activateTask(ctx, { retention: HOUR, ...fields }, options);
      const message = { ...active, completedAt: now };
      const result = await ctx.broker.markComplete({
        message,
        expiresAt: now + message.retention,
        now,
      });
      okValue(result);
      return message;
    }
  }
}

/** The stats of `queue`, failing the test when the queue is not found. */
export async function statsOf(ctx: SuiteContext, queue = "default"): Promise<QueueStats> {
  return okValue(await ctx.broker.queueStats({ queue, now: ctx.now() })).stats;
}

/** One task's record, failing the test when it is missing. */
export async function recordOf(
  ctx: SuiteContext,
  taskId: string,
  queue = "default",
): Promise<TaskRecord> {
  return okValue(await ctx.broker.getTask({ queue, taskId, now: ctx.now() })).task;
}

/** The reason `getTask` gives, or "found". */
export async function lookup(
  ctx: SuiteContext,
  taskId: string,
  queue = "default",
): Promise<"found" | "not-found" | "queue-not-found"> {
  const result = await ctx.broker.getTask({ queue, taskId, now: ctx.now() });
  return result.ok ? "found" : result.reason;
}

/** IDs of a whole non-aggregating container, in listing order. */
export async function idsIn(
  ctx: SuiteContext,
  state: Exclude<TaskState, "aggregating">,
  queue = "default",
): Promise<string[]> {
  const result = await ctx.broker.listTasks({
    queue,
    state,
    offset: 0,
    limit: 1000,
    now: ctx.now(),
  });
  return idsOf(okValue(result).tasks);
}

/** IDs of a group's aggregating tasks, in join order. */
export async function idsInGroup(
  ctx: SuiteContext,
  group: string,
  queue = "default",
): Promise<string[]> {
  const result = await ctx.broker.listTasks({
    queue,
    state: "aggregating",
    group,
    offset: 0,
    limit: 1000,
    now: ctx.now(),
  });
  return idsOf(okValue(result).tasks);
}

/** Group names of `queue`, sorted. */
export async function groupsOf(ctx: SuiteContext, queue = "default"): Promise<string[]> {
  return [...(await ctx.broker.listGroups({ queue }))].sort();
}

/** Tries a unique enqueue of `payload` under a fresh ID; returns the refusal or "ok". */
export async function tryUnique(
  ctx: SuiteContext,
  payload: Uint8Array,
  fields: Partial<TaskMessage> = {},
): Promise<"ok" | "task-id-conflict" | "duplicate-task"> {
  const message = ctx.message({ ...fields, payload });
  const request = enqueueRequest(message, ctx.now(), { uniqueTtl: MINUTE });
  const result = await ctx.broker.enqueue({ ...request, now: ctx.now() });
  return result.ok ? "ok" : result.reason;
}
