import { type TaskMessage, uniqueDigest } from "@asynq-ts/core";
import { taskMessage } from "@asynq-ts/testing";

/** A whole-second instant (2030-01-01), so second-precision scores are exact. */
export const T0 = Date.UTC(2030, 0, 1);

/** A task message with Go asynq's defaults, overridden by `fields`. */
export function message(id: string, fields: Partial<TaskMessage> = {}): TaskMessage {
  return taskMessage(id, fields);
}

/** A unique-lock request for `msg` expiring `ttl` ms after `from`. */
export function uniqueFor(msg: TaskMessage, from: number, ttl: number) {
  return { digest: uniqueDigest(msg.payload), expiresAt: from + ttl };
}
