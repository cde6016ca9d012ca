import type { TaskRecord } from "../port/records.js";
import type { TaskInfo } from "./task-info.js";

const dateOrNull = (ms: number): Date | null => (ms > 0 ? new Date(ms) : null);

/** The public view of a broker's task record. */
export function toTaskInfo(record: TaskRecord, now: number): TaskInfo {
  const m = record.message;
  return {
    id: m.id,
    queue: m.queue,
    type: m.type,
    payload: m.payload,
    headers: m.headers,
    state: record.state,
    maxRetry: m.maxRetry,
    retried: m.retried,
    lastError: m.lastError,
    lastFailedAt: dateOrNull(m.lastFailedAt),
    timeout: m.timeout,
    deadline: dateOrNull(m.deadline),
    group: m.group,
    nextProcessAt: dateOrNull(record.nextProcessAt),
    isOrphaned:
      record.state === "active" && record.leaseExpiresAt > 0 && record.leaseExpiresAt <= now,
    retention: m.retention,
    completedAt: dateOrNull(m.completedAt),
    result: record.result,
  };
}
