import type {
  ArchiveAllParams,
  ArchiveTaskParams,
  DeleteAllParams,
  DeleteQueueParams,
  DeleteTaskParams,
  PauseParams,
  Result,
  RunAllParams,
  RunTaskParams,
  UpdatePayloadParams,
} from "@asynq-ts/core";
import { copyBytes } from "./copy.js";
import type { MemoryStore, QueueData, StoredTask } from "./store.js";

const QUEUE_NOT_FOUND = { ok: false, reason: "queue-not-found" } as const;
const NOT_FOUND = { ok: false, reason: "not-found" } as const;

/**
 * The task an inspector edge may act on. Members of an aggregation set are left to the
 * aggregator (which is about to read and delete the set) and reported not found, as the Redis
 * broker does: its task hash does not name the set holding it.
 */
function inspectable(queue: QueueData, taskId: string): StoredTask | undefined {
  const task = queue.tasks.get(taskId);
  return task?.setId === "" ? task : undefined;
}

/** scheduled / retry / archived / completed / aggregating → pending, at the back of the line. */
export function runOne(
  store: MemoryStore,
  params: RunTaskParams,
): Result<"queue-not-found" | "not-found" | "already-pending" | "active"> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const task = inspectable(queue, params.taskId);
  if (task === undefined) return NOT_FOUND;
  if (task.state === "pending") return { ok: false, reason: "already-pending" };
  if (task.state === "active") return { ok: false, reason: "active" };
  queue.detach(task);
  queue.makePending(task, params.now);
  return { ok: true };
}

/** Any non-active, non-archived task → archived at now, then the archive is trimmed. */
export function archiveOne(
  store: MemoryStore,
  params: ArchiveTaskParams,
): Result<"queue-not-found" | "not-found" | "already-archived" | "active"> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const task = inspectable(queue, params.taskId);
  if (task === undefined) return NOT_FOUND;
  if (task.state === "archived") return { ok: false, reason: "already-archived" };
  if (task.state === "active") return { ok: false, reason: "active" };
  queue.detach(task);
  queue.makeScored(task, "archived", params.now);
  queue.trimArchive(params.trim);
  return { ok: true };
}

/** Deletes a non-active task, freeing a unique lock it owns. */
export function deleteOne(
  store: MemoryStore,
  params: DeleteTaskParams,
): Result<"queue-not-found" | "not-found" | "active"> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const task = inspectable(queue, params.taskId);
  if (task === undefined) return NOT_FOUND;
  if (task.state === "active") return { ok: false, reason: "active" };
  queue.remove(task, true);
  return { ok: true };
}

/** Moves a whole container to pending, in its order. */
export function runContainer(
  store: MemoryStore,
  params: RunAllParams,
): Result<"queue-not-found", { count: number }> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const tasks = queue.containerTasks(params);
  for (const task of tasks) {
    queue.detach(task);
    queue.makePending(task, params.now);
  }
  return { ok: true, count: tasks.length };
}

/** Moves a whole container to archived at now, then trims the archive once. */
export function archiveContainer(
  store: MemoryStore,
  params: ArchiveAllParams,
): Result<"queue-not-found", { count: number }> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const tasks = queue.containerTasks(params);
  for (const task of tasks) {
    queue.detach(task);
    queue.makeScored(task, "archived", params.now);
  }
  // Like the Redis broker, an archive write trims; archiving nothing writes nothing.
  if (tasks.length > 0) queue.trimArchive(params.trim);
  return { ok: true, count: tasks.length };
}

/** Deletes a whole container, freeing unique locks its tasks own. */
export function deleteContainer(
  store: MemoryStore,
  params: DeleteAllParams,
): Result<"queue-not-found", { count: number }> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const tasks = queue.containerTasks(params);
  for (const task of tasks) queue.remove(task, true);
  return { ok: true, count: tasks.length };
}

/** Replaces a scheduled task's payload, keeping everything else (the unique key included). */
export function updatePayload(
  store: MemoryStore,
  params: UpdatePayloadParams,
): Result<"queue-not-found" | "not-found" | "not-scheduled"> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  const task = queue.tasks.get(params.taskId);
  if (task === undefined) return NOT_FOUND;
  if (task.state !== "scheduled") return { ok: false, reason: "not-scheduled" };
  task.message = { ...task.message, payload: copyBytes(params.payload) };
  return { ok: true };
}

/** Stops dequeues from the queue (it need not be registered, as in asynq). */
export function pause(store: MemoryStore, params: PauseParams): Result<"already-paused"> {
  const queue = store.open(params.queue);
  if (queue.paused) return { ok: false, reason: "already-paused" };
  queue.paused = true;
  return { ok: true };
}

/** Resumes dequeues, waking waiters when tasks are pending. */
export function unpause(store: MemoryStore, params: PauseParams): Result<"not-paused"> {
  const queue = store.peek(params.queue);
  if (queue === undefined || !queue.paused) return { ok: false, reason: "not-paused" };
  queue.paused = false;
  queue.notifyPending();
  return { ok: true };
}

/** Unregisters the queue and forgets everything it stored. */
export function deleteQueue(
  store: MemoryStore,
  params: DeleteQueueParams,
): Result<"queue-not-found" | "not-empty" | "has-active"> {
  const queue = store.registered(params.queue);
  if (queue === undefined) return QUEUE_NOT_FOUND;
  if (!params.force && queue.tasks.size > 0) return { ok: false, reason: "not-empty" };
  if (queue.active.size > 0) return { ok: false, reason: "has-active" };
  store.drop(params.queue);
  return { ok: true };
}
