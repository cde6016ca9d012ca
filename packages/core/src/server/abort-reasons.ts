import { AsynqError } from "../errors.js";

/**
 * Why a handler's `ctx.signal` was aborted. Each is also the error the attempt fails with
 * (except `ServerShutdownError`, whose task is requeued instead).
 */

/** The attempt ran past its timeout or the task's deadline. */
export class TaskTimeoutError extends AsynqError {
  /** When the attempt's time ran out, epoch ms. */
  readonly deadline: number;
  constructor(deadline: number) {
    super("TASK_TIMEOUT", `task deadline exceeded at ${new Date(deadline).toISOString()}`);
    this.deadline = deadline;
  }
}

/** The task was cancelled through `publishCancellation` (the Inspector's cancel). */
export class TaskCanceledError extends AsynqError {
  constructor() {
    super("TASK_CANCELED", "task canceled");
  }
}

/** This server no longer holds the task's lease; another worker or the recoverer owns it. */
export class LeaseLostError extends AsynqError {
  constructor() {
    super("LEASE_LOST", "task lease expired");
  }
}

/** The server shut down before the handler finished; the task goes back to pending. */
export class ServerShutdownError extends AsynqError {
  constructor() {
    super("BROKER_CLOSED", "server is shutting down");
  }
}
