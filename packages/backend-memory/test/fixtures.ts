import type { MemoryBroker } from "@asynq-ts/backend-memory";
import { DEFAULTS, type TaskMessage, uniqueDigest } from "@asynq-ts/core";
import { taskMessage } from "@asynq-ts/testing";

/** A fixed instant (a whole second) that tests move forward from explicitly. */
export const T0 = Date.UTC(2030, 0, 1, 12);

let counter = 0;

/** A message with Go asynq's defaults, overridden by `fields`. */
export function message(fields: Partial<TaskMessage> = {}): TaskMessage {
  counter += 1;
  return taskMessage(`t${counter}`, fields);
}

/** Enqueues a pending task at `now` and fails the test if refused. */
export async function enqueuePending(
  broker: MemoryBroker,
  now: number,
  fields: Partial<TaskMessage> = {},
): Promise<TaskMessage> {
  const msg = message(fields);
  const result = await broker.enqueue({ message: msg, placement: { state: "pending" }, now });
  if (!result.ok) throw new Error(`enqueue refused: ${result.reason}`);
  return msg;
}

/** A unique-lock request for `msg` expiring at `expiresAt`. */
export function uniqueFor(msg: TaskMessage, expiresAt: number) {
  return { digest: uniqueDigest(msg.payload), expiresAt };
}

/** Dequeues from one queue, failing the test when nothing comes out. */
export async function dequeueFrom(
  broker: MemoryBroker,
  queue: string,
  now: number,
): Promise<TaskMessage> {
  const got = await broker.dequeue({ queues: [queue], leaseUntil: now + DEFAULTS.lease, now });
  if (got === null) throw new Error(`nothing to dequeue from ${queue}`);
  return got.message;
}

/** Lets every already-queued macrotask and microtask run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
