import { AsynqError } from "../errors.js";

/** `pauseQueue` on a queue that is already paused (port refusal `already-paused`). */
export class QueueAlreadyPausedError extends AsynqError {
  constructor(queue: string) {
    super("QUEUE_ALREADY_PAUSED", `queue ${JSON.stringify(queue)} is already paused`);
  }
}

/** `unpauseQueue` on a queue that is not paused (port refusal `not-paused`). */
export class QueueNotPausedError extends AsynqError {
  constructor(queue: string) {
    super("QUEUE_NOT_PAUSED", `queue ${JSON.stringify(queue)} is not paused`);
  }
}
