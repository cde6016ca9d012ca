import { InvalidArgumentError } from "../errors.js";
import { requireName } from "../options/validate.js";
import type { Container } from "../port/params.js";
import { isTaskState, TASK_STATES, type TaskState } from "../task/task-state.js";

/** States whose whole container `runAll` moves to pending. */
export const RUNNABLE_STATES = ["scheduled", "retry", "archived", "aggregating"] as const;
/** States whose whole container `archiveAll` archives. */
export const ARCHIVABLE_STATES = ["pending", "scheduled", "retry", "aggregating"] as const;
/** States whose whole container `deleteAll` deletes (active tasks are never deleted). */
export const DELETABLE_STATES = [
  "pending",
  "scheduled",
  "retry",
  "archived",
  "completed",
  "aggregating",
] as const;

/** A state `runAll` accepts. */
export type RunnableState = (typeof RUNNABLE_STATES)[number];
/** A state `archiveAll` accepts. */
export type ArchivableState = (typeof ARCHIVABLE_STATES)[number];
/** A state `deleteAll` accepts. */
export type DeletableState = (typeof DELETABLE_STATES)[number];

/** Names the group of aggregating tasks; ignored by, and refused for, every other state. */
export interface GroupOption {
  /** The group; required for `"aggregating"`, refused for other states. */
  readonly group?: string;
}

/**
 * Checks `state` is one of `allowed` and that a group is given exactly when the state is
 * aggregating, and returns the port's container for it.
 */
export function containerOf<S extends TaskState>(
  allowed: readonly S[],
  state: unknown,
  group: unknown,
): Container<S> {
  if (typeof state !== "string" || !isTaskState(state)) {
    throw new InvalidArgumentError("state", `must be one of ${TASK_STATES.join(", ")}`);
  }
  if (!(allowed as readonly string[]).includes(state)) {
    throw new InvalidArgumentError(
      "state",
      `${state} is not accepted here; use one of ${allowed.join(", ")}`,
    );
  }
  if (state === "aggregating") {
    if (group === undefined) {
      throw new InvalidArgumentError("group", "is required for aggregating tasks");
    }
    return { state, group: requireName("group", group) } as Container<S>;
  }
  if (group !== undefined) {
    throw new InvalidArgumentError("group", "applies only to aggregating tasks");
  }
  return { state } as Container<S>;
}
