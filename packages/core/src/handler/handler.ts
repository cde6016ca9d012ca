import type { Task } from "../task/task.js";

/** What a handler knows about the attempt it is running. */
export interface HandlerContext {
  /**
   * Aborted on timeout or deadline, cancellation, lease loss and shutdown; `signal.reason`
   * says which. Pass it to everything the handler awaits.
   */
  readonly signal: AbortSignal;
  readonly taskId: string;
  readonly queue: string;
  /** Retries before this attempt (0 on the first). */
  readonly retryCount: number;
  readonly maxRetry: number;
  /** Stores bytes as the task's result (kept only when the task has a retention). */
  writeResult(result: Uint8Array): Promise<void>;
}

/** Processes one task. Resolve for success; throw (or reject) for failure. */
export type Handler = (task: Task, ctx: HandlerContext) => Promise<void>;

/** Wraps a handler, e.g. for logging, metrics or tracing. */
export type Middleware = (next: Handler) => Handler;
