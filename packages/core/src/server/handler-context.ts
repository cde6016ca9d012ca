import type { HandlerContext } from "../handler/handler.js";
import type { TaskMessage } from "../task/task-message.js";

/** What a handler context asks of its attempt. */
export interface AttemptAccess {
  /** The attempt's signal, made on first use. */
  signal(): AbortSignal;
  writeResult(result: Uint8Array): Promise<void>;
}

/**
 * The context one attempt's handler gets. A class rather than an object literal with a
 * `signal` getter: V8 builds such a literal far more slowly, and one is made for every task.
 */
export class AttemptContext implements HandlerContext {
  readonly taskId: string;
  readonly queue: string;
  readonly retryCount: number;
  readonly maxRetry: number;
  readonly #attempt: AttemptAccess;

  constructor(message: TaskMessage, attempt: AttemptAccess) {
    this.taskId = message.id;
    this.queue = message.queue;
    this.retryCount = message.retried;
    this.maxRetry = message.maxRetry;
    this.#attempt = attempt;
  }

  get signal(): AbortSignal {
    return this.#attempt.signal();
  }

  writeResult(result: Uint8Array): Promise<void> {
    return this.#attempt.writeResult(result);
  }
}
