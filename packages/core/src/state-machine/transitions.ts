import { match } from "ts-pattern";
import type { TaskState } from "../task/task-state.js";

/** A task that does not exist yet, or no longer exists. */
export type Absent = "none";

/** What moves a task from one state to another. */
export type Trigger =
  | "enqueue"
  | "forward"
  | "dequeue"
  | "succeed"
  | "fail"
  | "requeue"
  | "recover"
  | "expire"
  | "aggregate"
  | "reclaim"
  | "inspector";

/** One edge of the task state machine. */
export interface Transition {
  readonly from: TaskState | Absent;
  readonly to: TaskState | Absent;
  readonly trigger: Trigger;
}

/**
 * Every edge the library performs, as reference §2.1 lists them (with asynq's defects fixed:
 * a scheduled grouped task forwards into its group). "aggregating → aggregating" is the move
 * into an aggregation set, whose members keep the aggregating state.
 */
export const TRANSITIONS: readonly Transition[] = [
  { from: "none", to: "pending", trigger: "enqueue" },
  { from: "none", to: "scheduled", trigger: "enqueue" },
  { from: "none", to: "aggregating", trigger: "enqueue" },
  { from: "scheduled", to: "pending", trigger: "forward" },
  { from: "scheduled", to: "aggregating", trigger: "forward" },
  { from: "retry", to: "pending", trigger: "forward" },
  { from: "retry", to: "aggregating", trigger: "forward" },
  { from: "pending", to: "active", trigger: "dequeue" },
  { from: "active", to: "none", trigger: "succeed" },
  { from: "active", to: "completed", trigger: "succeed" },
  { from: "active", to: "retry", trigger: "fail" },
  { from: "active", to: "archived", trigger: "fail" },
  { from: "active", to: "pending", trigger: "requeue" },
  { from: "active", to: "retry", trigger: "recover" },
  { from: "active", to: "archived", trigger: "recover" },
  { from: "completed", to: "none", trigger: "expire" },
  { from: "archived", to: "none", trigger: "expire" },
  { from: "aggregating", to: "aggregating", trigger: "aggregate" },
  { from: "aggregating", to: "none", trigger: "aggregate" },
  { from: "aggregating", to: "aggregating", trigger: "reclaim" },
  ...(["scheduled", "retry", "archived", "aggregating", "completed"] as const).map((from) => ({
    from,
    to: "pending" as const,
    trigger: "inspector" as const,
  })),
  ...(["pending", "scheduled", "retry", "aggregating", "completed"] as const).map((from) => ({
    from,
    to: "archived" as const,
    trigger: "inspector" as const,
  })),
  ...(["pending", "scheduled", "retry", "archived", "completed", "aggregating"] as const).map(
    (from) => ({
      from,
      to: "none" as const,
      trigger: "inspector" as const,
    }),
  ),
];

/** True when the state machine has an edge from `from` to `to` (by any trigger, or by `trigger`). */
export function canTransition(
  from: TaskState | Absent,
  to: TaskState | Absent,
  trigger?: Trigger,
): boolean {
  return TRANSITIONS.some(
    (t) => t.from === from && t.to === to && (trigger === undefined || t.trigger === trigger),
  );
}

/** Whether an Inspector mutation applies to a task in `state`, and why not if it does not. */
export type InspectorVerdict = "ok" | "already-pending" | "already-archived" | "active";

/** The Inspector's rule for running a task (moving it to pending). */
export function verdictForRun(state: TaskState): InspectorVerdict {
  return match(state)
    .with("pending", () => "already-pending" as const)
    .with("active", () => "active" as const)
    .with("scheduled", "retry", "archived", "completed", "aggregating", () => "ok" as const)
    .exhaustive();
}

/** The Inspector's rule for archiving a task. */
export function verdictForArchive(state: TaskState): InspectorVerdict {
  return match(state)
    .with("archived", () => "already-archived" as const)
    .with("active", () => "active" as const)
    .with("pending", "scheduled", "retry", "completed", "aggregating", () => "ok" as const)
    .exhaustive();
}

/** The Inspector's rule for deleting a task. */
export function verdictForDelete(state: TaskState): InspectorVerdict {
  return match(state)
    .with("active", () => "active" as const)
    .with(
      "pending",
      "scheduled",
      "retry",
      "archived",
      "completed",
      "aggregating",
      () => "ok" as const,
    )
    .exhaustive();
}
