/**
 * One error hierarchy for the whole library. Every error has a stable `code`; messages may
 * change between versions, codes may not. See docs/errors.md.
 */

/** Every stable error code the library raises. */
export type ErrorCode =
  | "INVALID_ARGUMENT"
  | "TASK_NOT_FOUND"
  | "TASK_ID_CONFLICT"
  | "DUPLICATE_TASK"
  | "QUEUE_NOT_FOUND"
  | "QUEUE_NOT_EMPTY"
  | "QUEUE_ALREADY_PAUSED"
  | "QUEUE_NOT_PAUSED"
  | "FAILED_PRECONDITION"
  | "LEASE_LOST"
  | "HANDLER_NOT_FOUND"
  | "NOT_SUPPORTED"
  | "BROKER_CLOSED"
  | "BACKEND_ERROR"
  | "DURABILITY_TIMEOUT"
  | "SKIP_RETRY"
  | "REVOKE_TASK"
  | "TASK_TIMEOUT"
  | "TASK_CANCELED"
  | "PANIC";

// A cross-realm brand: two copies of this package still recognise each other's errors.
const BRAND = Symbol.for("asynq-ts.error");

/** Base class of every error asynq-ts throws; check `code`, or use `AsynqError.isInstance`. */
export class AsynqError extends Error {
  readonly code: ErrorCode;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** True for an asynq-ts error from any copy of the library. */
  static isInstance(value: unknown): value is AsynqError {
    try {
      return typeof value === "object" && value !== null && BRAND in value;
    } catch {
      return false; // a proxy whose `has` trap throws, or a revoked one
    }
  }
}

/** A caller passed a value that can never be valid (blank type, sub-second TTL, NaN date…). */
export class InvalidArgumentError extends AsynqError {
  /** The option or argument that was refused. */
  readonly field: string;
  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super("INVALID_ARGUMENT", `${field}: ${message}`, options);
    this.field = field;
  }
}

/** The task does not exist in the queue. */
export class TaskNotFoundError extends AsynqError {
  constructor(queue: string, taskId: string) {
    super(
      "TASK_NOT_FOUND",
      `task ${JSON.stringify(taskId)} not found in queue ${JSON.stringify(queue)}`,
    );
  }
}

/** A task with the same ID already exists in the queue (in any state). */
export class TaskIdConflictError extends AsynqError {
  constructor(queue: string, taskId: string) {
    super(
      "TASK_ID_CONFLICT",
      `task ID ${JSON.stringify(taskId)} already exists in queue ${JSON.stringify(queue)}`,
    );
  }
}

/** A unique task with the same (queue, type, payload) still holds its lock. */
export class DuplicateTaskError extends AsynqError {
  constructor(queue: string, type: string) {
    super(
      "DUPLICATE_TASK",
      `a unique ${JSON.stringify(type)} task with this payload already exists in queue ${JSON.stringify(queue)}`,
    );
  }
}

/** The queue is not registered. */
export class QueueNotFoundError extends AsynqError {
  constructor(queue: string) {
    super("QUEUE_NOT_FOUND", `queue ${JSON.stringify(queue)} not found`);
  }
}

/** The queue still holds tasks and the operation requires it empty. */
export class QueueNotEmptyError extends AsynqError {
  constructor(queue: string, detail: string) {
    super("QUEUE_NOT_EMPTY", `queue ${JSON.stringify(queue)} is not empty: ${detail}`);
  }
}

/** The task or queue is in a state where the operation does not apply (e.g. running an active task). */
export class FailedPreconditionError extends AsynqError {
  constructor(message: string) {
    super("FAILED_PRECONDITION", message);
  }
}

/** The backend cannot perform the operation; see its `capabilities`. */
export class NotSupportedError extends AsynqError {
  constructor(operation: string) {
    super("NOT_SUPPORTED", `${operation} is not supported by this broker`);
  }
}

/** The broker, client or server was closed. */
export class BrokerClosedError extends AsynqError {
  constructor(what = "broker") {
    super("BROKER_CLOSED", `${what} is closed`);
  }
}

/** The backend failed (connection loss, unexpected reply). The operation may or may not have applied. */
export class BackendError extends AsynqError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("BACKEND_ERROR", message, options);
  }
}

/**
 * A durable enqueue was stored on the master, but fewer replicas than required confirmed it in
 * time (`WAIT`), or the confirmation could not run on the connection that wrote it. The task
 * may exist, or may be lost if the master dies; enqueue it again with the same task ID.
 */
export class DurabilityTimeoutError extends AsynqError {
  /** Replicas that had to confirm the write. */
  readonly replicas: number;
  /** Replicas that confirmed it; undefined when it could not be asked. */
  readonly acknowledged: number | undefined;
  constructor(
    replicas: number,
    acknowledged: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      "DURABILITY_TIMEOUT",
      `the write was not confirmed by ${replicas} replica(s): ${detail}`,
      options,
    );
    this.replicas = replicas;
    this.acknowledged = acknowledged;
  }
}

/** Thrown by a handler: archive the task now, without further retries. */
export class SkipRetryError extends AsynqError {
  constructor(message = "skip retry for the task", options?: { cause?: unknown }) {
    super("SKIP_RETRY", message, options);
  }
}

/** Thrown by a handler: drop the task as if it succeeded, without retry or archive. */
export class RevokeTaskError extends AsynqError {
  constructor(message = "revoke task", options?: { cause?: unknown }) {
    super("REVOKE_TASK", message, options);
  }
}

/** No handler is registered for the task type. */
export class HandlerNotFoundError extends AsynqError {
  constructor(type: string) {
    super("HANDLER_NOT_FOUND", `handler not found for task ${JSON.stringify(type)}`);
  }
}

/** Walks an error's `cause` chain (bounded, cycle-safe) and yields every link, the error first. */
export function* causeChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current) && seen.size < 32) {
    seen.add(current);
    yield current;
    current = causeOf(current);
  }
}

// Reading `cause` runs a proxy's traps, which may throw (or be revoked): the chain ends there.
function causeOf(value: unknown): unknown {
  try {
    return typeof value === "object" && value !== null && "cause" in value
      ? value.cause
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when the error or any error in its `cause` chain carries `code`. */
export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  for (const link of causeChain(error)) {
    if (AsynqError.isInstance(link) && link.code === code) return true;
  }
  return false;
}
