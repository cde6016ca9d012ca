import { match, P } from "ts-pattern";
import { hasErrorCode } from "../errors.js";
import type { TaskMessage } from "../task/task-message.js";

/** How a handler attempt ended. */
export type AttemptOutcome =
  | { readonly kind: "success" }
  | { readonly kind: "error"; readonly error: unknown };

/** What to do with the task after an attempt: each maps to one port edge. */
export type AfterAttempt =
  | { readonly action: "done" }
  | { readonly action: "complete"; readonly message: TaskMessage; readonly expiresAt: number }
  | {
      readonly action: "retry";
      readonly message: TaskMessage;
      readonly retryAt: number;
      readonly isFailure: boolean;
    }
  | { readonly action: "archive"; readonly message: TaskMessage };

/** Inputs of the decision; policy functions are injected. */
export interface DecideInput {
  readonly message: TaskMessage;
  readonly outcome: AttemptOutcome;
  readonly now: number;
  /** Delay in ms before the next retry, given the error; non-finite or negative counts as 0. */
  readonly retryDelay: (error: unknown) => number;
  /** False means "retry without counting it as a failure". */
  readonly isFailure: (error: unknown) => boolean;
}

/** The text stored as a task's last error. Never throws, whatever was thrown. */
export function errorText(error: unknown): string {
  if (isError(error)) return error.message === "" ? error.name : error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    try {
      return String(error);
    } catch {
      // e.g. a cyclic object without a prototype: neither JSON nor toString can describe it.
      return "non-error value thrown";
    }
  }
}

// `instanceof` runs a proxy's getPrototypeOf trap, which may throw (or be revoked).
function isError(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/** A user-supplied retry delay made safe to add to `now`: NaN, ±Infinity and negatives become 0. */
function safeDelay(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/**
 * Go asynq's decision after a handler returns: success → done, or completed when the task has
 * a retention; `RevokeTaskError` → done; `SkipRetryError` or no retries left → archive;
 * otherwise retry. Errors are recognised anywhere in their `cause` chain. A retry that is not a
 * failure keeps the retry count.
 */
export function decideAfterAttempt(input: DecideInput): AfterAttempt {
  const { message, now } = input;
  return match(input.outcome)
    .with(
      { kind: "success" },
      (): AfterAttempt =>
        message.retention > 0
          ? {
              action: "complete",
              message: { ...message, completedAt: now },
              expiresAt: now + message.retention,
            }
          : { action: "done" },
    )
    .with({ kind: "error", error: P.select() }, (error): AfterAttempt => {
      if (hasErrorCode(error, "REVOKE_TASK")) return { action: "done" };
      const failed = { ...message, lastError: errorText(error), lastFailedAt: now };
      if (hasErrorCode(error, "SKIP_RETRY") || message.retried >= message.maxRetry) {
        return { action: "archive", message: failed };
      }
      const isFailure = input.isFailure(error);
      return {
        action: "retry",
        message: { ...failed, retried: isFailure ? message.retried + 1 : message.retried },
        retryAt: now + safeDelay(input.retryDelay(error)),
        isFailure,
      };
    })
    .exhaustive();
}
