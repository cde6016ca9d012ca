import type {
  ActiveWorker,
  DailyStats,
  GroupInfo,
  QueueInfo,
  SchedulerEnqueueEventInfo,
  SchedulerEntryInfo,
  ServerDetails,
  TaskInfo,
} from "@asynq-ts/core";
import type { BytesFormatter } from "../options.js";
import { capText } from "./format-bytes.js";
import { displayDuration, rfc3339 } from "./times.js";
import type {
  DailyStatJson,
  GroupJson,
  QueueJson,
  SchedulerEnqueueEventJson,
  SchedulerEntryJson,
  ServerJson,
  TaskJson,
  WorkerJson,
} from "./wire-types.js";

/** How bytes become text in one kind of answer (lists cap harder than the task page). */
export interface TextPolicy {
  readonly payloadFormatter: BytesFormatter;
  readonly resultFormatter: BytesFormatter;
  readonly maxPayloadLength: number;
  readonly maxResultLength: number;
}

/** A queue's state as asynqmon's queue snapshot. */
export function toQueueJson(info: QueueInfo): QueueJson {
  return {
    queue: info.queue,
    paused: info.paused,
    size: info.size,
    groups: info.groups,
    latency_msec: Math.round(info.latency),
    display_latency: displayDuration(info.latency),
    memory_usage_bytes: info.memoryUsageBytes ?? 0,
    active: info.active,
    pending: info.pending,
    aggregating: info.aggregating,
    scheduled: info.scheduled,
    retry: info.retry,
    archived: info.archived,
    completed: info.completed,
    processed: info.processed,
    succeeded: Math.max(0, info.processed - info.failed),
    failed: info.failed,
    timestamp: info.timestamp.toISOString(),
  };
}

/** One day of counters. */
export function toDailyStatJson(day: DailyStats): DailyStatJson {
  return {
    queue: day.queue,
    date: day.date,
    processed: day.processed,
    succeeded: Math.max(0, day.processed - day.failed),
    failed: day.failed,
  };
}

/** Days oldest first (the Inspector answers today first). */
export function toHistoryJson(days: readonly DailyStats[]): DailyStatJson[] {
  return [...days]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map(toDailyStatJson);
}

/** A group and its size. */
export function toGroupJson(group: GroupInfo): GroupJson {
  return { group: group.group, size: group.size };
}

function formatted(
  bytes: Uint8Array | null,
  format: BytesFormatter,
  max: number,
): { text: string; truncated: boolean } {
  if (bytes === null) return { text: "", truncated: false };
  return capText(format(bytes), max);
}

/** Where the worker running an active task reports it started and must finish. */
export interface WorkerTiming {
  readonly startedAt: Date;
  readonly deadline: Date | null;
}

/**
 * A task in asynqmon's field names. `worker` is consulted for active tasks only: its start
 * time, or "-" when no live server reports the task (as asynqmon does).
 */
export function toTaskJson(
  task: TaskInfo,
  policy: TextPolicy,
  now: number,
  worker?: WorkerTiming,
): TaskJson {
  const payload = formatted(task.payload, policy.payloadFormatter, policy.maxPayloadLength);
  const result = formatted(task.result, policy.resultFormatter, policy.maxResultLength);
  const active = task.state === "active";
  const completedAt = task.completedAt;
  const ttl =
    task.state === "completed" && completedAt !== null
      ? Math.max(0, Math.floor((completedAt.getTime() + task.retention - now) / 1000))
      : 0;
  let deadline = rfc3339(task.deadline);
  if (active && worker !== undefined && worker.deadline !== null)
    deadline = rfc3339(worker.deadline);
  return {
    id: task.id,
    queue: task.queue,
    type: task.type,
    payload: payload.text,
    state: task.state,
    start_time: active ? (worker === undefined ? "-" : rfc3339(worker.startedAt)) : "",
    max_retry: task.maxRetry,
    retried: task.retried,
    last_failed_at: rfc3339(task.lastFailedAt),
    error_message: task.lastError,
    next_process_at: rfc3339(task.nextProcessAt),
    timeout_seconds: Math.floor(task.timeout / 1000),
    deadline,
    group: task.group,
    completed_at: rfc3339(completedAt),
    result: result.text,
    ttl_seconds: ttl,
    is_orphaned: task.isOrphaned,
    headers: { ...task.headers },
    payload_truncated: payload.truncated,
    result_truncated: result.truncated,
  };
}

/** The workers of live servers, by task ID, for the tasks of one queue. */
export function workersOf(
  servers: readonly ServerDetails[],
  queue: string,
): Map<string, WorkerTiming> {
  const byTask = new Map<string, WorkerTiming>();
  for (const server of servers) {
    for (const worker of server.activeWorkers) {
      if (worker.queue === queue) byTask.set(worker.taskId, worker);
    }
  }
  return byTask;
}

function toWorkerJson(worker: ActiveWorker, policy: TextPolicy): WorkerJson {
  return {
    task_id: worker.taskId,
    queue: worker.queue,
    task_type: worker.taskType,
    task_payload: formatted(worker.taskPayload, policy.payloadFormatter, policy.maxPayloadLength)
      .text,
    start_time: rfc3339(worker.startedAt),
  };
}

/** A live server with its running tasks. */
export function toServerJson(server: ServerDetails, policy: TextPolicy): ServerJson {
  return {
    id: server.id,
    host: server.host,
    pid: server.pid,
    concurrency: server.concurrency,
    queue_priorities: { ...server.queues },
    strict_priority_enabled: server.strictPriority,
    start_time: rfc3339(server.startedAt),
    status: server.status,
    active_workers: server.activeWorkers.map((w) => toWorkerJson(w, policy)),
  };
}

/** A scheduler entry; `prev_enqueue_at` only when it enqueued before. */
export function toSchedulerEntryJson(
  entry: SchedulerEntryInfo,
  policy: TextPolicy,
): SchedulerEntryJson {
  const base = {
    id: entry.id,
    spec: entry.spec,
    task_type: entry.taskType,
    task_payload: formatted(entry.taskPayload, policy.payloadFormatter, policy.maxPayloadLength)
      .text,
    options: [...entry.enqueueOptions],
    next_enqueue_at: rfc3339(entry.nextEnqueueAt),
  };
  return entry.prevEnqueueAt === null
    ? base
    : { ...base, prev_enqueue_at: rfc3339(entry.prevEnqueueAt) };
}

/** One enqueue of a scheduler entry. */
export function toSchedulerEnqueueEventJson(
  event: SchedulerEnqueueEventInfo,
): SchedulerEnqueueEventJson {
  return { task_id: event.taskId, enqueued_at: rfc3339(event.enqueuedAt) };
}
