import { DEFAULTS, type TaskMessage } from "@asynq-ts/core";

/**
 * A `TaskMessage` with Go asynq's defaults (queue "default", 25 retries, 30-minute timeout) and
 * a small JSON payload naming `id`, overridden by `fields`: the input of a port-level test.
 */
export function taskMessage(id: string, fields: Partial<TaskMessage> = {}): TaskMessage {
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
