import type {
  Container,
  QueueStats,
  Result,
  TaskMessage,
  TaskRecord,
  TaskState,
} from "@asynq-ts/core";
import { DEFAULTS, HOUR, MINUTE, TASK_STATES } from "@asynq-ts/core";
import { defaultTrim, type EnqueueExtras, enqueueRequest, type SuiteContext } from "./harness.js";

// Set-up, read and comparison helpers shared by every area of the conformance suite. Reads
// take the queue last and default it to "default", where most tests work.

/** Every state but active: the states the Inspector's deletes accept. */
export const INACTIVE_STATES = TASK_STATES.filter(
  (state): state is Exclude<TaskState, "active"> => state !== "active",
);

/** The states whose tasks still own their unique lock, apart from active. */
export const UNIQUE_LOCKED_STATES = INACTIVE_STATES.filter(
  (state): state is Exclude<TaskState, "active" | "completed"> => state !== "completed",
);

/** UTF-8 bytes of `text`. */
export function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** "a pending", "an archived": the word with its indefinite article, for test names. */
export function aOrAn(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** The success value of a guarded port call; fails the test, naming `what`, on a refusal. */
export function mustSucceed<T extends object>(result: Result<string, T>, what: string): T {
  if (!result.ok) throw new Error(`${what} was refused: ${result.reason}`);
  return result;
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

/** A copy of `message` as a failed attempt would store it (one more retry counted). */
export function failedAttempt(message: TaskMessage, now: number, error = "boom"): TaskMessage {
  return { ...message, retried: message.retried + 1, lastError: error, lastFailedAt: now };
}

/** Options for `placeTask` and `activateTask`. */
export type PlaceOptions = Pick<EnqueueExtras, "uniqueTtl">;

/**
 * Enqueues a task and dequeues it, returning the message as the broker handed it out (with
 * its `uniqueKey`). Like `SuiteContext.activate`, but can take a unique lock. The task's queue
 * must hold no other pending task.
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
 * Stores a new task in `state` through the port's worker edges (no Inspector call) and returns
 * its message as stored. Scheduled and retry tasks are due a minute from now; retry and
 * archived tasks carry the error "boom"; completed tasks are kept an hour; aggregating tasks
 * join `fields.group` (default "g"). States reached through active need the queue to hold no
 * other pending task.
 */
export async function placeTask(
  ctx: SuiteContext,
  state: TaskState,
  fields: Partial<TaskMessage> = {},
  options: PlaceOptions = {},
): Promise<TaskMessage> {
  const now = ctx.now();
  const { broker } = ctx;
  switch (state) {
    case "pending":
      return ctx.enqueue(fields, options);
    case "scheduled":
      return ctx.enqueue(fields, { ...options, placement: { state, processAt: now + MINUTE } });
    case "aggregating": {
      const group = fields.group || "g";
      return ctx.enqueue({ ...fields, group }, { ...options, placement: { state, group } });
    }
    case "active":
      return activateTask(ctx, fields, options);
    case "retry": {
      const message = failedAttempt(await activateTask(ctx, fields, options), now);
      const retryAt = now + MINUTE;
      mustSucceed(await broker.retry({ message, retryAt, isFailure: true, now }), "retry");
      return message;
    }
    case "archived": {
      // As core archives: the error is recorded, the retry count is left as it was.
      const active = await activateTask(ctx, fields, options);
      const message = { ...active, lastError: "boom", lastFailedAt: now };
      mustSucceed(await broker.archive({ message, trim: defaultTrim(now), now }), "archive");
      return message;
    }
    case "completed": {
      const active = await activateTask(ctx, { retention: HOUR, ...fields }, options);
      const message = { ...active, completedAt: now };
      const expiresAt = now + message.retention;
      mustSucceed(await broker.markComplete({ message, expiresAt, now }), "markComplete");
      return message;
    }
  }
}

/** Runs a task of the default queue to success (`done`): counted processed, nothing kept. */
export async function processTask(ctx: SuiteContext): Promise<void> {
  const { queue, id: taskId } = await ctx.activate();
  const result = await ctx.broker.done({ queue, taskId, uniqueKey: "", now: ctx.now() });
  mustSucceed(result, "done");
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

/** One task's record; fails the test when the broker does not report it. */
export async function recordOf(
  ctx: SuiteContext,
  taskId: string,
  queue: string = DEFAULTS.queue,
): Promise<TaskRecord> {
  const found = await ctx.broker.getTask({ queue, taskId, now: ctx.now() });
  return mustSucceed(found, `getTask(${queue}, ${taskId})`).task;
}

/** The task's state, or "missing" when the broker has no such task. */
export async function stateOf(
  ctx: SuiteContext,
  taskId: string,
  queue: string = DEFAULTS.queue,
): Promise<TaskState | "missing"> {
  const found = await ctx.broker.getTask({ queue, taskId, now: ctx.now() });
  return found.ok ? found.task.state : "missing";
}

/** The reason `getTask` gives, or "found". */
export async function lookup(
  ctx: SuiteContext,
  taskId: string,
  queue: string = DEFAULTS.queue,
): Promise<"found" | "not-found" | "queue-not-found"> {
  const found = await ctx.broker.getTask({ queue, taskId, now: ctx.now() });
  return found.ok ? "found" : found.reason;
}

/** Stats of a registered queue at the clock's reading; fails the test otherwise. */
export async function statsOf(
  ctx: SuiteContext,
  queue: string = DEFAULTS.queue,
): Promise<QueueStats> {
  const found = await ctx.broker.queueStats({ queue, now: ctx.now() });
  return mustSucceed(found, `queueStats(${queue})`).stats;
}

/** Stats without memory usage, which a backend may estimate differently between reads. */
export async function countsOf(
  ctx: SuiteContext,
  queue: string = DEFAULTS.queue,
): Promise<Omit<QueueStats, "memoryUsageBytes">> {
  const { memoryUsageBytes: _ignored, ...counts } = await statsOf(ctx, queue);
  return counts;
}

/** Group names of `queue`, sorted. */
export async function groupsOf(
  ctx: SuiteContext,
  queue: string = DEFAULTS.queue,
): Promise<string[]> {
  return [...(await ctx.broker.listGroups({ queue }))].sort();
}

/** What `listed` reads: a container, with a page of it and a queue other than "default". */
export type ListQuery = Container<TaskState> & {
  readonly queue?: string;
  /** @default 0 */
  readonly offset?: number;
  /** @default 1000, the whole container in these tests */
  readonly limit?: number;
};

/** The records `listTasks` returns for `query`; fails the test on a refusal. */
export async function listed(ctx: SuiteContext, query: ListQuery): Promise<readonly TaskRecord[]> {
  const { queue = DEFAULTS.queue, offset = 0, limit = 1000 } = query;
  const result = await ctx.broker.listTasks({ ...query, queue, offset, limit, now: ctx.now() });
  return mustSucceed(result, `listTasks(${queue}, ${query.state})`).tasks;
}

/** The IDs of listed tasks or messages, in order. */
export function idsOf(
  items: readonly ({ readonly message: TaskMessage } | TaskMessage)[],
): string[] {
  return items.map((item) => ("message" in item ? item.message.id : item.id));
}

/** IDs of a whole non-aggregating container, in listing order. */
export async function idsIn(
  ctx: SuiteContext,
  state: Exclude<TaskState, "aggregating">,
  queue: string = DEFAULTS.queue,
): Promise<string[]> {
  return idsOf(await listed(ctx, { state, queue }));
}

/** IDs of a group's aggregating tasks, in join order. */
export async function idsInGroup(
  ctx: SuiteContext,
  group: string,
  queue: string = DEFAULTS.queue,
): Promise<string[]> {
  return idsOf(await listed(ctx, { state: "aggregating", group, queue }));
}

/** The container a task of `state` lives in: for aggregating tasks, `group`. */
export function containerOf<S extends TaskState>(state: S, group = "g"): Container<S> {
  return (state === "aggregating" ? { state, group } : { state }) as Container<S>;
}

/** IDs in the default queue's container of `state` (group `group` for aggregating tasks). */
export async function idsInContainer(
  ctx: SuiteContext,
  state: TaskState,
  group = "g",
): Promise<string[]> {
  return idsOf(await listed(ctx, containerOf(state, group)));
}

/** Bytes as plain numbers (null stays null), so `toEqual` compares content whatever the class. */
export function bytes(value: Uint8Array | null): number[] | null {
  return value === null ? null : Array.from(value);
}

/** Header entries sorted by key: own keys only, so `__proto__` is compared like any other. */
export function headerEntries(headers: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A message in the form `comparable` gives: payload as numbers, headers as sorted entries. */
export type ComparableMessage = Omit<TaskMessage, "payload" | "headers"> & {
  readonly payload: number[];
  readonly headers: [string, string][];
};

/** `message` in a form `toEqual` compares exactly, payload bytes and headers by value. */
export function comparable(message: TaskMessage): ComparableMessage {
  return {
    ...message,
    payload: Array.from(message.payload),
    headers: headerEntries(message.headers),
  };
}
