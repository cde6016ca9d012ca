import { DEFAULTS, type TaskMessage, uniqueDigest } from "@asynq-ts/core";

/** A whole-second instant (2030-01-01), so second-precision scores are exact. */
export const T0 = Date.UTC(2030, 0, 1);

/** A task message with Go asynq's defaults, overridden by `fields`. */
export function message(id: string, fields: Partial<TaskMessage> = {}): TaskMessage {
  return {
    id,
    type: "email:send",
    payload: new TextEncoder().encode(`{"id":"${id}"}`),
    headers: {},
    queue: "default",
    maxRetry: DEFAULTS.maxRetry,
    retried: 0,
    lastError: "",
    lastFailedAt: 0,
    timeout: DEFAULTS.timeout,
    deadline: 0,
    retention: 0,
    completedAt: 0,
    group: "",
    uniqueKey: "",
    ...fields,
  };
}

/** A unique-lock request for `msg` expiring `ttl` ms after `from`. */
export function uniqueFor(msg: TaskMessage, from: number, ttl: number) {
  return { digest: uniqueDigest(msg.payload), expiresAt: from + ttl };
}
