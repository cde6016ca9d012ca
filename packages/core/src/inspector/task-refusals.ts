import {
  type AsynqError,
  FailedPreconditionError,
  QueueNotFoundError,
  TaskNotFoundError,
} from "../errors.js";

/** Every reason a single-task Inspector edge of the port can refuse with. */
export type TaskRefusal =
  | "queue-not-found"
  | "not-found"
  | "already-pending"
  | "already-archived"
  | "active"
  | "not-scheduled";

/** The Inspector operation that was refused, as its message names it. */
export type TaskOperation = "run" | "archive" | "delete" | "update the payload of";

/** The typed error a port refusal of a single-task operation becomes. */
export function taskRefusalError(
  reason: TaskRefusal,
  operation: TaskOperation,
  queue: string,
  taskId: string,
): AsynqError {
  const task = `task ${JSON.stringify(taskId)} in queue ${JSON.stringify(queue)}`;
  switch (reason) {
    case "queue-not-found":
      return new QueueNotFoundError(queue);
    case "not-found":
      return new TaskNotFoundError(queue, taskId);
    case "already-pending":
      return new FailedPreconditionError(`cannot run ${task}: it is already pending`);
    case "already-archived":
      return new FailedPreconditionError(`cannot archive ${task}: it is already archived`);
    case "active":
      // Active tasks belong to a worker; only the worker (told through cancellation) may end them.
      return new FailedPreconditionError(
        `cannot ${operation} ${task}: it is active; use cancelProcessing to stop it`,
      );
    case "not-scheduled":
      return new FailedPreconditionError(
        `cannot ${operation} ${task}: only scheduled tasks can be updated`,
      );
  }
}
