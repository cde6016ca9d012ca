import type {
  ArchiveParams,
  DequeueBatchParams,
  DequeuedTask,
  DequeueParams,
  DoneParams,
  ExtendLeaseParams,
  ListLeaseExpiredParams,
  MarkCompleteParams,
  RequeueParams,
  Result,
  RetryParams,
  TaskMessage,
  WriteResultParams,
} from "@asynq-ts/core";
import { copyBytes, copyMessage } from "./copy.js";
import type { MemoryStore, QueueData, StoredTask } from "./store.js";

const NOT_ACTIVE = { ok: false, reason: "not-active" } as const;

function activeTask(
  store: MemoryStore,
  queue: string,
  taskId: string,
): { queue: QueueData; task: StoredTask } | undefined {
  const found = store.find(queue, taskId);
  return found?.task.state === "active" ? found : undefined;
}

/** pending → active for the front task of the first non-paused, non-empty queue. */
export function dequeueTask(store: MemoryStore, params: DequeueParams): DequeuedTask | null {
  for (const name of params.queues) {
    const queue = store.peek(name);
    if (queue === undefined || queue.paused) continue;
    const id = queue.pending.first();
    const task = id === undefined ? undefined : queue.tasks.get(id);
    if (id === undefined || task === undefined) continue;
    queue.detach(task);
    task.state = "active";
    queue.active.pushBack(id);
    queue.leases.set(id, params.leaseUntil);
    return { message: copyMessage(task.message), leaseUntil: params.leaseUntil };
  }
  return null;
}

/** pending → active for up to `max` front tasks of the first non-paused, non-empty queue. */
export function dequeueTasks(store: MemoryStore, params: DequeueBatchParams): DequeuedTask[] {
  const first = dequeueTask(store, params);
  if (first === null) return [];
  const taken = [first];
  const single = { ...params, queues: [first.message.queue] };
  while (taken.length < params.max) {
    const next = dequeueTask(store, single);
    if (next === null) break;
    taken.push(next);
  }
  return taken;
}

/** Moves the lease of the listed tasks that are still active; returns their IDs. */
export function extendLeases(store: MemoryStore, params: ExtendLeaseParams): string[] {
  const queue = store.peek(params.queue);
  if (queue === undefined) return [];
  const extended: string[] = [];
  for (const id of params.taskIds) {
    if (!queue.leases.has(id)) continue;
    queue.leases.set(id, params.leaseUntil);
    extended.push(id);
  }
  return extended;
}

/** Active tasks whose lease ended at or before the cutoff, earliest lease first. */
export function leaseExpired(store: MemoryStore, params: ListLeaseExpiredParams): TaskMessage[] {
  const expired: TaskMessage[] = [];
  for (const name of params.queues) {
    const queue = store.peek(name);
    if (queue === undefined) continue;
    const ids = queue.active
      .toArray()
      .filter((id) => (queue.leases.get(id) ?? Number.POSITIVE_INFINITY) <= params.cutoff);
    // Stable sort: equal leases stay in dequeue order.
    ids.sort((a, b) => (queue.leases.get(a) ?? 0) - (queue.leases.get(b) ?? 0));
    for (const id of ids) {
      const task = queue.tasks.get(id);
      if (task !== undefined) expired.push(copyMessage(task.message));
    }
  }
  return expired;
}

/** active → deleted, counted processed; frees the lock the task still owns. */
export function finishTask(store: MemoryStore, params: DoneParams): Result<"not-active"> {
  const found = activeTask(store, params.queue, params.taskId);
  if (found === undefined) return NOT_ACTIVE;
  found.queue.remove(found.task, false);
  found.queue.releaseLock(params.uniqueKey, params.taskId);
  found.queue.counters.count(params.now, false);
  return { ok: true };
}

/** active → completed until `expiresAt`, keeping the result; counted processed. */
export function completeTask(store: MemoryStore, params: MarkCompleteParams): Result<"not-active"> {
  const { message } = params;
  const found = activeTask(store, message.queue, message.id);
  if (found === undefined) return NOT_ACTIVE;
  const { queue, task } = found;
  queue.detach(task);
  task.message = copyMessage(message);
  queue.makeScored(task, "completed", params.expiresAt);
  queue.releaseLock(message.uniqueKey, message.id);
  queue.counters.count(params.now, false);
  return { ok: true };
}

/** active → pending at the front of the line; stats and retry count untouched. */
export function requeueTask(store: MemoryStore, params: RequeueParams): Result<"not-active"> {
  const found = activeTask(store, params.queue, params.taskId);
  if (found === undefined) return NOT_ACTIVE;
  found.queue.detach(found.task);
  found.queue.makePending(found.task, params.now, "front");
  return { ok: true };
}

/** active → retry at `retryAt`; a failure counts processed and failed. */
export function retryTask(store: MemoryStore, params: RetryParams): Result<"not-active"> {
  const { message } = params;
  const found = activeTask(store, message.queue, message.id);
  if (found === undefined) return NOT_ACTIVE;
  const { queue, task } = found;
  queue.detach(task);
  task.message = copyMessage(message);
  queue.makeScored(task, "retry", params.retryAt);
  if (params.isFailure) queue.counters.count(params.now, true);
  return { ok: true };
}

/** active → archived at now, counted processed and failed, then the archive is trimmed. */
export function archiveTask(store: MemoryStore, params: ArchiveParams): Result<"not-active"> {
  const { message } = params;
  const found = activeTask(store, message.queue, message.id);
  if (found === undefined) return NOT_ACTIVE;
  const { queue, task } = found;
  queue.detach(task);
  task.message = copyMessage(message);
  queue.makeScored(task, "archived", params.now);
  queue.counters.count(params.now, true);
  queue.trimArchive(params.trim);
  return { ok: true };
}

/** Stores the handler's result on an existing task. */
export function writeTaskResult(
  store: MemoryStore,
  params: WriteResultParams,
): Result<"not-found"> {
  const found = store.find(params.queue, params.taskId);
  if (found === undefined) return { ok: false, reason: "not-found" };
  found.task.result = copyBytes(params.result);
  return { ok: true };
}
