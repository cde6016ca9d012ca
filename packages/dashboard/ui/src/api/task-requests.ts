import { seg } from "./client.js";
import type { TaskAction, TaskState } from "./task-states.js";

/** One API call that changes data. */
export interface MutationRequest {
  readonly method: "POST" | "DELETE";
  readonly path: string;
  readonly body?: { readonly task_ids: readonly string[] };
}

/** Where a set of tasks lives: a queue's state list, or one aggregation group. */
export interface TaskScope {
  readonly queue: string;
  readonly state: TaskState;
  /** Aggregating tasks only. */
  readonly group: string;
}

function listPath(scope: TaskScope): string {
  const queue = `/queues/${seg(scope.queue)}`;
  return scope.state === "aggregating"
    ? `${queue}/groups/${seg(scope.group)}/aggregating_tasks`
    : `${queue}/${scope.state}_tasks`;
}

/** `{state}_tasks/{id}:verb`, or DELETE `{state}_tasks/{id}`. */
export function singleTaskRequest(
  scope: TaskScope,
  action: TaskAction,
  id: string,
): MutationRequest {
  const path = `${listPath(scope)}/${seg(id)}`;
  return action === "delete"
    ? { method: "DELETE", path }
    : { method: "POST", path: `${path}:${action}` };
}

/** `{state}_tasks:batch_{verb}` with the IDs in the body. */
export function batchTaskRequest(
  scope: TaskScope,
  action: TaskAction,
  ids: readonly string[],
): MutationRequest {
  return { method: "POST", path: `${listPath(scope)}:batch_${action}`, body: { task_ids: ids } };
}

/** `{state}_tasks:{verb}_all` (DELETE for delete_all). */
export function allTasksRequest(scope: TaskScope, action: TaskAction): MutationRequest {
  const path = `${listPath(scope)}:${action}_all`;
  return { method: action === "delete" ? "DELETE" : "POST", path };
}

/** Pause or resume a queue. */
export function queueStateRequest(queue: string, pause: boolean): MutationRequest {
  return { method: "POST", path: `/queues/${seg(queue)}:${pause ? "pause" : "resume"}` };
}

/** Delete a queue. */
export function deleteQueueRequest(queue: string): MutationRequest {
  return { method: "DELETE", path: `/queues/${seg(queue)}` };
}

/**
 * A one-line summary of a batch or "all" answer: the batch answers list succeeded and failed
 * IDs (`*_ids`), the "all" answers carry one count.
 */
export function summarize(label: string, answer: unknown): string {
  if (typeof answer !== "object" || answer === null) return label;
  let ok: number | undefined;
  let failed = 0;
  for (const [key, value] of Object.entries(answer)) {
    if (Array.isArray(value) && key.endsWith("_ids")) {
      if (key === "error_ids" || key === "failed_ids") failed += value.length;
      else ok = value.length;
    } else if (typeof value === "number") {
      ok = value;
    }
  }
  if (ok === undefined) return label;
  const tasks = `${ok} task${ok === 1 ? "" : "s"}`;
  return failed > 0 ? `${label}: ${tasks}, ${failed} failed` : `${label}: ${tasks}`;
}
