import type { QueueInfo, SchedulerEntryInfo, ServerDetails, TaskInfo } from "@asynq-ts/core";
import { printableText } from "./format.js";

// The JSON shapes `--json` prints. Instants are ISO strings (null when absent), durations ms,
// and bytes are UTF-8 text when valid, base64 otherwise, with the encoding named beside them.

/** Bytes as `{ text, encoding }` fields named after `field`. */
export function bytesJson(field: string, bytes: Uint8Array | null): Record<string, unknown> {
  if (bytes === null) return { [field]: null, [`${field}Encoding`]: null };
  const text = printableText(bytes);
  return text === null
    ? { [field]: Buffer.from(bytes).toString("base64"), [`${field}Encoding`]: "base64" }
    : { [field]: text, [`${field}Encoding`]: "utf8" };
}

/** A task as JSON. */
export function taskJson(task: TaskInfo): Record<string, unknown> {
  return {
    id: task.id,
    queue: task.queue,
    type: task.type,
    state: task.state,
    ...bytesJson("payload", task.payload),
    headers: task.headers,
    maxRetry: task.maxRetry,
    retried: task.retried,
    lastError: task.lastError,
    lastFailedAt: task.lastFailedAt,
    timeout: task.timeout,
    deadline: task.deadline,
    group: task.group,
    nextProcessAt: task.nextProcessAt,
    isOrphaned: task.isOrphaned,
    retention: task.retention,
    completedAt: task.completedAt,
    ...bytesJson("result", task.result),
  };
}

/** A queue's figures as JSON (QueueInfo is plain data already). */
export function queueJson(info: QueueInfo): QueueInfo {
  return info;
}

/** A server as JSON. */
export function serverJson(server: ServerDetails): Record<string, unknown> {
  return {
    ...server,
    activeWorkers: server.activeWorkers.map((w) => ({
      ...w,
      ...bytesJson("taskPayload", w.taskPayload),
    })),
  };
}

/** A scheduler entry as JSON. */
export function schedulerEntryJson(entry: SchedulerEntryInfo): Record<string, unknown> {
  return { ...entry, ...bytesJson("taskPayload", entry.taskPayload) };
}

/** JSON text for stdout: indented, newline-terminated. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
