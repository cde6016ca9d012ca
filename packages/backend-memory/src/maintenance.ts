import type { DeleteExpiredCompletedParams, ForwardDueParams } from "@asynq-ts/core";
import type { MemoryStore } from "./store.js";

/**
 * Moves up to `limit` due tasks of a scheduled/retry container to pending, or into their group
 * when they carry one (the group is registered again by joining it). Returns how many moved.
 */
export function forwardDueTasks(store: MemoryStore, params: ForwardDueParams): number {
  const queue = store.peek(params.queue);
  if (queue === undefined) return 0;
  const due = queue.scored[params.from].takeUpTo(params.now, params.limit);
  for (const entry of due) {
    const task = queue.tasks.get(entry.id);
    if (task === undefined) continue;
    if (task.group !== "") queue.joinGroup(task, params.now);
    else queue.makePending(task, params.now);
  }
  return due.length;
}

/** Deletes up to `limit` completed tasks whose retention ended at or before now. */
export function deleteExpiredCompletedTasks(
  store: MemoryStore,
  params: DeleteExpiredCompletedParams,
): number {
  const queue = store.peek(params.queue);
  if (queue === undefined) return 0;
  const expired = queue.scored.completed.takeUpTo(params.now, params.limit);
  for (const entry of expired) queue.tasks.delete(entry.id);
  return expired.length;
}
