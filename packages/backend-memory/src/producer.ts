import type { EnqueueRefusal, EnqueueRequest, Result } from "@asynq-ts/core";
import { copyMessage } from "./copy.js";
import type { MemoryStore, StoredTask } from "./store.js";

/** The opaque lock identity the memory broker assigns: one lock per (queue, type, payload). */
export function uniqueKeyOf(queue: string, type: string, digest: string): string {
  return `unique:${queue}:${type}:${digest}`;
}

/**
 * Stores one new task where its placement says, or refuses without changing anything. The ID
 * is checked before the lock, so a conflicting ID never leaves a lock behind.
 */
export function enqueueTask(
  store: MemoryStore,
  request: EnqueueRequest,
  now: number,
): Result<EnqueueRefusal> {
  const { message, placement, unique } = request;
  const existing = store.peek(message.queue);
  if (existing?.tasks.has(message.id)) return { ok: false, reason: "task-id-conflict" };
  const uniqueKey = unique ? uniqueKeyOf(message.queue, message.type, unique.digest) : "";
  if (unique && existing?.lockHeld(uniqueKey, now)) return { ok: false, reason: "duplicate-task" };

  const queue = store.open(message.queue);
  queue.registered = true;
  if (unique) queue.takeLock(uniqueKey, message.id, unique.expiresAt, now);
  const task: StoredTask = {
    message: copyMessage({ ...message, uniqueKey }),
    state: placement.state,
    pendingSince: 0,
    result: null,
    // A scheduled grouped task keeps its group so it aggregates once due (asynq dropped it).
    group: placement.state === "aggregating" ? placement.group : message.group,
    uniqueKey,
    setId: "",
  };
  queue.tasks.set(message.id, task);
  switch (placement.state) {
    case "pending":
      queue.makePending(task, now);
      break;
    case "scheduled":
      queue.makeScored(task, "scheduled", placement.processAt);
      break;
    case "aggregating":
      queue.joinGroup(task, now);
      break;
  }
  return { ok: true };
}
