import {
  AsynqError,
  type Broker,
  type ErrorCode,
  type TaskInfo,
  type TaskMessage,
} from "@asynq-ts/core";
import { type EnqueueInput, messageView } from "@asynq-ts/testing/model";
import { expect } from "vitest";

// The oracle of the enqueue fuzz tests: what an accepted input must read back as, what a
// refusal may look like, and what it must leave untouched.

/** The fake clock's reading every fuzzed call uses. */
export const NOW = Date.UTC(2030, 0, 1);
/** A call that takes longer than this has hung (real time: the brokers answer in ms). */
const HANG_MS = 20_000;
const REFUSALS: readonly ErrorCode[] = ["INVALID_ARGUMENT", "TASK_ID_CONFLICT", "DUPLICATE_TASK"];

/** Rejects when `promise` has not settled within the hang bound. */
export function withinDeadline<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung for ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

/** A refusal must be an AsynqError with one of the enqueue refusal codes; anything else is a crash. */
export function expectRefusal(error: unknown): void {
  if (!AsynqError.isInstance(error)) throw error;
  expect(REFUSALS).toContain(error.code);
}

/** Byte equality without a deep-equal walk (payloads go up to 1 MiB). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** The payload bytes a `Task` makes of a payload input. */
export function utf8(payload: unknown): Uint8Array {
  return typeof payload === "string" ? new TextEncoder().encode(payload) : (payload as Uint8Array);
}

/** The option as the caller gave it: enqueue-time options win over the task's own. */
export function optionOf(input: EnqueueInput, key: string): unknown {
  const own = (options: unknown) =>
    typeof options === "object" && options !== null ? Reflect.get(options, key) : undefined;
  return own(input.enqueueOptions) ?? own(input.taskOptions);
}

/** The queue the input names (or the default one). */
export function queueOf(input: EnqueueInput): unknown {
  return optionOf(input, "queue") ?? "default";
}

/** The headers the caller gave, merged as documented: enqueue-time values win. */
export function headersOf(input: EnqueueInput): Record<string, unknown> {
  const own = (options: unknown) => {
    const headers =
      typeof options === "object" && options !== null ? Reflect.get(options, "headers") : undefined;
    return typeof headers === "object" && headers !== null ? Object.entries(headers) : [];
  };
  return Object.fromEntries([...own(input.taskOptions), ...own(input.enqueueOptions)]);
}

/** The deadline given, in epoch ms exactly as given (a TaskInfo's Date drops fractions). */
function deadlineOf(input: EnqueueInput): number {
  const deadline = optionOf(input, "deadline");
  if (deadline instanceof Date) return deadline.getTime();
  return typeof deadline === "number" ? deadline : 0;
}

/** The stored task's message, its uniqueness reduced away (it depends on the options). */
export function comparable(message: TaskMessage): ReturnType<typeof messageView> {
  return { ...messageView(message), unique: false };
}

/** What the broker must hand back for an accepted task, at the broker's time precision. */
export function expectedMessage(
  input: EnqueueInput,
  info: TaskInfo,
  broker: Broker,
): ReturnType<typeof messageView> {
  const precision = broker.capabilities.timePrecision;
  // Redis keeps whole seconds (durations round up, instants down); memory keeps what it got.
  // (`|| 0` because a stored -0 reads back as 0 from Redis.)
  const duration = (ms: number) =>
    precision === 1 ? ms : Math.ceil(ms / precision) * precision || 0;
  const instant = (ms: number) =>
    precision === 1 ? ms : Math.floor(ms / precision) * precision || 0;
  return comparable({
    id: info.id,
    type: info.type,
    payload: info.payload,
    headers: info.headers,
    queue: info.queue,
    maxRetry: info.maxRetry,
    retried: 0,
    lastError: "",
    lastFailedAt: 0,
    timeout: duration(info.timeout),
    deadline: instant(deadlineOf(input)),
    retention: duration(info.retention),
    completedAt: 0,
    group: info.group,
    uniqueKey: "",
  });
}

/** The caller's own values come back unchanged in the TaskInfo. */
export function expectInfoOfInput(input: EnqueueInput, info: TaskInfo): void {
  expect(info.type).toBe(input.type);
  expect(sameBytes(info.payload, utf8(input.payload))).toBe(true);
  expect(info.headers).toEqual(headersOf(input));
  expect(info.queue).toBe(queueOf(input));
  const taskId = optionOf(input, "taskId");
  if (taskId !== undefined) expect(info.id).toBe(taskId);
  expect(info.group).toBe(optionOf(input, "group") ?? "");
}

/** Reads the task back with getTask and compares it with what was accepted. */
export async function expectStored(broker: Broker, input: EnqueueInput, info: TaskInfo) {
  const got = await broker.getTask({ queue: info.queue, taskId: info.id, now: NOW });
  expect(got.ok).toBe(true);
  if (!got.ok) return;
  expect(got.task.state).toBe(info.state);
  expect(comparable(got.task.message)).toEqual(expectedMessage(input, info, broker));
  expect(sameBytes(got.task.message.payload, info.payload)).toBe(true);
}

/** Everything a refusal must leave as it was: the registry, and the queue's stats. */
export async function footprint(broker: Broker, queues: readonly unknown[]) {
  const registered = await broker.listQueues();
  const stats = await Promise.all(
    queues.map(async (queue) => {
      if (typeof queue !== "string" || queue.trim() === "") return null;
      const result = await broker.queueStats({ queue, now: NOW });
      return result.ok ? { ...result.stats, memoryUsageBytes: null } : result;
    }),
  );
  return { registered, stats };
}
