import type { TaskState } from "@asynq-ts/core";

/** A bulk verb on a state's collection, e.g. `pending_tasks:batch_delete`. */
export type CollectionVerb =
  | "cancel_all"
  | "batch_cancel"
  | "delete_all"
  | "batch_delete"
  | "run_all"
  | "batch_run"
  | "archive_all"
  | "batch_archive";

/** A verb on one task, e.g. `retry_tasks/{id}:run`; "delete" is the plain DELETE. */
export type TaskVerb = "cancel" | "delete" | "run" | "archive";

/** What asynqmon routes for the tasks of one state. */
export interface StateActions {
  readonly collection: readonly CollectionVerb[];
  readonly task: readonly TaskVerb[];
}

const RUN_ARCHIVE_DELETE: StateActions = {
  collection: [
    "delete_all",
    "batch_delete",
    "run_all",
    "batch_run",
    "archive_all",
    "batch_archive",
  ],
  task: ["delete", "run", "archive"],
};

/** The actions per state, as asynqmon's routes offer them (no more, so its UI and ours agree). */
export const STATE_ACTIONS: Readonly<Record<TaskState, StateActions>> = {
  active: { collection: ["cancel_all", "batch_cancel"], task: ["cancel"] },
  pending: {
    collection: ["delete_all", "batch_delete", "archive_all", "batch_archive"],
    task: ["delete", "archive"],
  },
  scheduled: RUN_ARCHIVE_DELETE,
  retry: RUN_ARCHIVE_DELETE,
  aggregating: RUN_ARCHIVE_DELETE,
  archived: {
    collection: ["delete_all", "batch_delete", "run_all", "batch_run"],
    task: ["delete", "run"],
  },
  completed: { collection: ["delete_all", "batch_delete"], task: ["delete"] },
};

/** The HTTP method of a collection verb: `:delete_all` is a DELETE, the rest POSTs. */
export function methodOfCollectionVerb(verb: CollectionVerb): "POST" | "DELETE" {
  return verb === "delete_all" ? "DELETE" : "POST";
}

/** The state a `{state}_tasks` segment names, or undefined. */
export function stateOfSegment(segment: string): TaskState | undefined {
  const match = /^(active|pending|scheduled|retry|archived|completed|aggregating)_tasks$/.exec(
    segment,
  );
  return match === null ? undefined : (match[1] as TaskState);
}
