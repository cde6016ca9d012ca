/**
 * The seven states a stored task can be in. The strings are the ones Go asynq stores,
 * so they are part of the wire format: never add one.
 */
export const TASK_STATES = [
  "pending",
  "active",
  "scheduled",
  "retry",
  "archived",
  "completed",
  "aggregating",
] as const;

/** A stored task's state. */
export type TaskState = (typeof TASK_STATES)[number];

/** True for one of the seven state strings. */
export function isTaskState(value: string): value is TaskState {
  return (TASK_STATES as readonly string[]).includes(value);
}
