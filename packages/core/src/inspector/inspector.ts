import type { TaskInfo } from "../task/task-info.js";
import { InspectorBase } from "./inspector-base.js";
import { optionsObject } from "./options-object.js";
import type { PageOptions } from "./pagination.js";

/**
 * Reads and administers queues and tasks through a broker (Go asynq's `Inspector`): stats,
 * listings and search, single and bulk run/archive/delete, pause, queue deletion,
 * cancellation, live servers and schedulers.
 *
 * ```ts
 * const inspector = new Inspector(broker);
 * const info = await inspector.queueInfo("critical");
 * await inspector.runAllArchivedTasks("critical");
 * ```
 *
 * Refusals become typed errors: `QueueNotFoundError`, `TaskNotFoundError`,
 * `FailedPreconditionError` (the task's state does not allow the operation),
 * `QueueNotEmptyError`, `QueueAlreadyPausedError`, `QueueNotPausedError`. Bad arguments throw
 * `InvalidArgumentError` before the broker is called. It does not own the broker: `close()`
 * marks the inspector closed (later calls throw `BrokerClosedError`) and leaves the broker open.
 */
export class Inspector extends InspectorBase {
  /** A page of pending tasks, next to run first. */
  listPendingTasks(queue: string, options?: PageOptions): Promise<TaskInfo[]> {
    return this.listTasks(queue, "pending", options);
  }

  /** A page of active tasks; those whose lease expired have `isOrphaned` set. */
  listActiveTasks(queue: string, options?: PageOptions): Promise<TaskInfo[]> {
    return this.listTasks(queue, "active", options);
  }

  /** A page of scheduled tasks, soonest first. */
  listScheduledTasks(queue: string, options?: PageOptions): Promise<TaskInfo[]> {
    return this.listTasks(queue, "scheduled", options);
  }

  /** A page of tasks waiting to be retried, soonest first. */
  listRetryTasks(queue: string, options?: PageOptions): Promise<TaskInfo[]> {
    return this.listTasks(queue, "retry", options);
  }

  /** A page of archived tasks, oldest archived first. */
  listArchivedTasks(queue: string, options?: PageOptions): Promise<TaskInfo[]> {
    return this.listTasks(queue, "archived", options);
  }

  /** A page of completed tasks, soonest to expire first. */
  listCompletedTasks(queue: string, options?: PageOptions): Promise<TaskInfo[]> {
    return this.listTasks(queue, "completed", options);
  }

  /** A page of a group's aggregating tasks, oldest first. */
  listAggregatingTasks(queue: string, group: string, options?: PageOptions): Promise<TaskInfo[]> {
    return this.listTasks(queue, "aggregating", { ...optionsObject(options), group });
  }

  /** Deletes every pending task; returns how many. */
  deleteAllPendingTasks(queue: string): Promise<number> {
    return this.deleteAll(queue, "pending");
  }

  /** Deletes every scheduled task; returns how many. */
  deleteAllScheduledTasks(queue: string): Promise<number> {
    return this.deleteAll(queue, "scheduled");
  }

  /** Deletes every task waiting for a retry; returns how many. */
  deleteAllRetryTasks(queue: string): Promise<number> {
    return this.deleteAll(queue, "retry");
  }

  /** Deletes every archived task; returns how many. */
  deleteAllArchivedTasks(queue: string): Promise<number> {
    return this.deleteAll(queue, "archived");
  }

  /** Deletes every completed task; returns how many. */
  deleteAllCompletedTasks(queue: string): Promise<number> {
    return this.deleteAll(queue, "completed");
  }

  /** Deletes every aggregating task of `group`; returns how many. */
  deleteAllAggregatingTasks(queue: string, group: string): Promise<number> {
    return this.deleteAll(queue, "aggregating", { group });
  }

  /** Moves every scheduled task to pending; returns how many. */
  runAllScheduledTasks(queue: string): Promise<number> {
    return this.runAll(queue, "scheduled");
  }

  /** Moves every task waiting for a retry to pending; returns how many. */
  runAllRetryTasks(queue: string): Promise<number> {
    return this.runAll(queue, "retry");
  }

  /** Moves every archived task to pending; returns how many. */
  runAllArchivedTasks(queue: string): Promise<number> {
    return this.runAll(queue, "archived");
  }

  /** Moves every aggregating task of `group` to pending; returns how many. */
  runAllAggregatingTasks(queue: string, group: string): Promise<number> {
    return this.runAll(queue, "aggregating", { group });
  }

  /** Archives every pending task; returns how many. */
  archiveAllPendingTasks(queue: string): Promise<number> {
    return this.archiveAll(queue, "pending");
  }

  /** Archives every scheduled task; returns how many. */
  archiveAllScheduledTasks(queue: string): Promise<number> {
    return this.archiveAll(queue, "scheduled");
  }

  /** Archives every task waiting for a retry; returns how many. */
  archiveAllRetryTasks(queue: string): Promise<number> {
    return this.archiveAll(queue, "retry");
  }

  /** Archives every aggregating task of `group`; returns how many. */
  archiveAllAggregatingTasks(queue: string, group: string): Promise<number> {
    return this.archiveAll(queue, "aggregating", { group });
  }
}
