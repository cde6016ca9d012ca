import type {
  DailyStats,
  GetTaskParams,
  HistoryParams,
  ListTasksParams,
  QueueAtTimeParams,
  QueueStats,
  Result,
  TaskRecord,
} from "@asynq-ts/core";
import { copyBytes, copyMessage } from "./copy.js";
import type { MemoryStore, QueueData, StoredTask } from "./store.js";

const QUEUE_NOT_FOUND = { ok: false, reason: "queue-not-found" } as const;

/** A stored task as the port reports it. */
export function recordOf(queue: QueueData, task: StoredTask, now: number): TaskRecord {
  const id = task.message.id;
  let nextProcessAt = 0;
  if (task.state === "pending") nextProcessAt = now;
  else if (task.state === "scheduled" || task.state === "retry") {
    nextProcessAt = queue.scored[task.state].score(id) ?? 0;
  }
  return {
    message: copyMessage(task.message),
    state: task.state,
    nextProcessAt,
    leaseExpiresAt: task.state === "active" ? (queue.leases.get(id) ?? 0) : 0,
    result: task.result === null ? null : copyBytes(task.result),
  };
}

/** Counts, counters and pause state of a registered queue. */
export function statsOf(
  store: MemoryStore,
  params: QueueAtTimeParams,
): Result<"queue-not-found", { stats: QueueStats }> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  // Like asynq, only tasks waiting in groups count; members of aggregation sets do not.
  let aggregating = 0;
  for (const group of queue.groups.values()) aggregating += group.size;
  const nextPending = queue.pending.first();
  const today = queue.counters.day(params.now, params.now);
  return {
    ok: true,
    stats: {
      queue: queue.name,
      pending: queue.pending.size,
      active: queue.active.size,
      scheduled: queue.scored.scheduled.size,
      retry: queue.scored.retry.size,
      archived: queue.scored.archived.size,
      completed: queue.scored.completed.size,
      aggregating,
      groups: queue.groups.size,
      processed: today.processed,
      failed: today.failed,
      processedTotal: queue.counters.processedTotal,
      failedTotal: queue.counters.failedTotal,
      paused: queue.paused,
      oldestPendingSince:
        nextPending === undefined ? 0 : (queue.tasks.get(nextPending)?.pendingSince ?? 0),
      memoryUsageBytes: null,
    },
  };
}

/** The last `days` UTC days of counters, today first. */
export function historyOf(
  store: MemoryStore,
  params: HistoryParams,
): Result<"queue-not-found", { days: readonly DailyStats[] }> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  return { ok: true, days: queue.counters.history(queue.name, params.now, params.days) };
}

/** Each group with tasks waiting and its size, sorted by name. */
export function groupSizes(
  store: MemoryStore,
  queueName: string,
): Result<"queue-not-found", { groups: { group: string; size: number }[] }> {
  const queue = store.registered(queueName);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const groups = [...queue.groups]
    .map(([group, members]) => ({ group, size: members.size }))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return { ok: true, groups };
}

/** One task of a registered queue. */
export function taskOf(
  store: MemoryStore,
  params: GetTaskParams,
): Result<"queue-not-found" | "not-found", { task: TaskRecord }> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const task = queue.tasks.get(params.taskId);
  if (task === undefined) return { ok: false, reason: "not-found" };
  return { ok: true, task: recordOf(queue, task, params.now) };
}

/** A page of one container. */
export function taskPage(
  store: MemoryStore,
  params: ListTasksParams,
): Result<"queue-not-found", { tasks: readonly TaskRecord[] }> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const page = queue.containerIds(params).slice(params.offset, params.offset + params.limit);
  const tasks: TaskRecord[] = [];
  for (const id of page) {
    const task = queue.tasks.get(id);
    if (task !== undefined) tasks.push(recordOf(queue, task, params.now));
  }
  return { ok: true, tasks };
}
