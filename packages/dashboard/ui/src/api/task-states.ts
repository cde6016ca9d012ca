/** Every task state the queue page has a tab for, in asynqmon's order. */
export const TASK_STATES = [
  "active",
  "pending",
  "aggregating",
  "scheduled",
  "retry",
  "archived",
  "completed",
] as const;

/** A task state. */
export type TaskState = (typeof TASK_STATES)[number];

/** Something that can be done to tasks. */
export type TaskAction = "cancel" | "run" | "archive" | "delete";

/** Which actions each state offers (single, selected and all alike). */
export const ACTIONS_BY_STATE: Readonly<Record<TaskState, readonly TaskAction[]>> = {
  active: ["cancel"],
  pending: ["archive", "delete"],
  aggregating: ["run", "archive", "delete"],
  scheduled: ["run", "archive", "delete"],
  retry: ["run", "archive", "delete"],
  archived: ["run", "delete"],
  completed: ["delete"],
};

/** Display label of a state ("Retry"). */
export function stateLabel(state: TaskState): string {
  return state.charAt(0).toUpperCase() + state.slice(1);
}

/** Display label of an action ("Archive"). */
export function actionLabel(action: TaskAction): string {
  return action.charAt(0).toUpperCase() + action.slice(1);
}

/** Narrows a URL parameter to a state. */
export function isTaskState(value: string | null): value is TaskState {
  return value !== null && (TASK_STATES as readonly string[]).includes(value);
}
