// Setup and read helpers shared by the enqueue, worker, uniqueness and maintenance areas.
import type { QueueStats, TaskMessage, TaskRecord, TaskState } from "@asynq-ts/core";
import { HOUR, MINUTE } from "@asynq-ts/core";
import { defaultTrim, type EnqueueExtras, type SuiteContext } from "./harness.js";

/** The states a task can reach without an Inspector call. */
export const REACHABLE_STATES = [
  "pending",
  "scheduled",
  "aggregating",
  "active",
  "retry",
  "archived",
  "completed",
] as const satisfies readonly TaskState[];

/** Fails the test with `what` when a guarded port call was refused. */
export function mustSucceed(result: { readonly ok: boolean }, what: string): void {
  if (!result.ok) throw new Error(`${what} was refused: ${JSON.stringify(result)}`);
}

/** A copy of `message` as a failed attempt would store it (one more retry counted). */
export function failedAttempt(message: TaskMessage, now: number, error = "boom"): TaskMessage {
  return { ...message, retried: message.retried + 1, lastError: error, lastFailedAt: now };
}

/**
 * Puts a new task into `state` through the port's own edges (no Inspector) and returns the
 * message as the broker stores it. Scheduled and retry tasks are due a minute from now;
 * completed tasks are kept for an hour; grouped tasks join group "g" unless `fields.group`.
 * States reached through a dequeue need a queue with no other pending task.
 */
export async function taskIn(
  ctx: SuiteContext,
  state: (typeof REACHABLE_STATES)[number],
  fields: Partial<TaskMessage> = {},
): Promise<TaskMessage> {
  const now = ctx.now();
  const { broker } = ctx;
  if (state === "pending" || state === "scheduled" || state === "aggregating") {
    const group = fields.group || "g";
    const extras: EnqueueExtras =
      state === "pending"
        ? {}
        : state === "scheduled"
          ? { placement: { state, processAt: now + MINUTE } }
          : { placement: { state, group } };
    return ctx.enqueue(state === "aggregating" ? { ...fields, group } : fields, extras);
  }
  const active = await ctx.activate(
    state === "completed" ? { retention: HOUR, ...fields } : fields,
  );
  if (state === "retry") {
    const message = failedAttempt(active, now);
    mustSucceed(
      await broker.retry({ message, retryAt: now + MINUTE, isFailure: true, now }),
      "retry",
    );
    return message;
  }
  if (state === "archived") {
    const message = failedAttempt(active, now);
    mustSucceed(await broker.archive({ message, trim: defaultTrim(now), now }), "archive");
    return message;
  }
  if (state === "completed") {
    const message = { ...active, completedAt: now };
    mustSucceed(
      await broker.markComplete({ message, expiresAt: now + active.retention, now }),
      "markComplete",
    );
    return message;
  }
  return active;
}

/** The task's record; fails the test when the broker does not report it. */
export async function recordOf(
  ctx: SuiteContext,
  queue: string,
  taskId: string,
): Promise<TaskRecord> {
  const found = await ctx.broker.getTask({ queue, taskId, now: ctx.now() });
  if (!found.ok) throw new Error(`getTask(${queue}, ${taskId}) refused: ${found.reason}`);
  return found.task;
}

/** The task's state, or "missing" when the broker has no such task. */
export async function stateOf(
  ctx: SuiteContext,
  queue: string,
  taskId: string,
): Promise<TaskState | "missing"> {
  const found = await ctx.broker.getTask({ queue, taskId, now: ctx.now() });
  return found.ok ? found.task.state : "missing";
}

/** Stats of a registered queue at the clock's reading; fails the test otherwise. */
export async function statsOf(ctx: SuiteContext, queue: string): Promise<QueueStats> {
  const found = await ctx.broker.queueStats({ queue, now: ctx.now() });
  if (!found.ok) throw new Error(`queueStats(${queue}) refused: ${found.reason}`);
  return found.stats;
}

/** Stats without memory usage, which a backend may estimate differently between reads. */
export async function countsOf(
  ctx: SuiteContext,
  queue: string,
): Promise<Omit<QueueStats, "memoryUsageBytes">> {
  const { memoryUsageBytes: _ignored, ...counts } = await statsOf(ctx, queue);
  return counts;
}

/** IDs in one container of a queue, in the broker's listing order. */
export async function idsIn(
  ctx: SuiteContext,
  queue: string,
  state: Exclude<TaskState, "aggregating">,
): Promise<string[]> {
  const listed = await ctx.broker.listTasks({
    queue,
    state,
    offset: 0,
    limit: 1000,
    now: ctx.now(),
  });
  if (!listed.ok) throw new Error(`listTasks(${queue}, ${state}) refused: ${listed.reason}`);
  return listed.tasks.map((t) => t.message.id);
}

/** IDs waiting in one group, in join order. */
export async function idsInGroup(
  ctx: SuiteContext,
  queue: string,
  group: string,
): Promise<string[]> {
  const listed = await ctx.broker.listTasks({
    queue,
    state: "aggregating",
    group,
    offset: 0,
    limit: 1000,
    now: ctx.now(),
  });
  if (!listed.ok) throw new Error(`listTasks(${queue}, ${group}) refused: ${listed.reason}`);
  return listed.tasks.map((t) => t.message.id);
}

/** Bytes as plain numbers, so `toEqual` compares content whatever the array class. */
export function bytes(value: Uint8Array | null): number[] | null {
  return value === null ? null : Array.from(value);
}

/** Header entries sorted by key: own keys only, so `__proto__` is compared like any other. */
export function headerEntries(headers: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A message in a form `toEqual` compares exactly: payload as numbers, headers as entries. */
export function comparable(message: TaskMessage): object {
  return { ...message, payload: bytes(message.payload), headers: headerEntries(message.headers) };
}

/** The error `action` throws or rejects with; fails the test when it succeeds. */
export async function caught(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
