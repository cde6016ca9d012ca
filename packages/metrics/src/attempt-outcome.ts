import { type HandlerContext, hasErrorCode } from "@asynq-ts/core";

/**
 * What core does with a task after an attempt, as a middleware can tell: `succeeded`,
 * `retried`, `archived` (SkipRetry or retries exhausted), `revoked` (RevokeTask),
 * `requeued` (server shutdown) or `lease_lost` (the recoverer will decide).
 */
export type TaskOutcome =
  | "succeeded"
  | "retried"
  | "archived"
  | "revoked"
  | "requeued"
  | "lease_lost";

/** Why an attempt failed (only for `retried` and `archived`). */
export type FailureReason = "error" | "timed_out" | "cancelled";

/** The classification of one attempt. */
export interface AttemptClassification {
  readonly outcome: TaskOutcome;
  /** Set when the attempt counts as a failure (`retried` or `archived`). */
  readonly reason?: FailureReason;
  /** The error core decides on: the signal's reason when it aborted first, else the thrown one. */
  readonly error?: unknown;
}

const SUCCEEDED: AttemptClassification = Object.freeze({ outcome: "succeeded" });

/**
 * Classifies an attempt the way core's processor decides it. When `ctx.signal` aborted before
 * the handler settled, core went by the signal's reason (timeout, cancellation, lease loss,
 * shutdown), whatever the handler did afterwards; otherwise by what the handler threw.
 * Call it as soon as the wrapped handler settles. Core's `isFailure` option is not visible
 * here: an error it does not count as a failure is still reported as `retried`.
 */
export function classifyAttempt(ctx: HandlerContext, settled: Settled): AttemptClassification {
  const signal = ctx.signal;
  if (!signal.aborted && settled.ok) return SUCCEEDED;
  const error: unknown = signal.aborted ? signal.reason : settled.ok ? undefined : settled.error;
  if (signal.aborted && hasErrorCode(error, "BROKER_CLOSED")) return { outcome: "requeued", error };
  if (signal.aborted && hasErrorCode(error, "LEASE_LOST")) return { outcome: "lease_lost", error };
  if (hasErrorCode(error, "REVOKE_TASK")) return { outcome: "revoked", error };
  const reason: FailureReason = hasErrorCode(error, "TASK_TIMEOUT")
    ? "timed_out"
    : hasErrorCode(error, "TASK_CANCELED")
      ? "cancelled"
      : "error";
  const archived = hasErrorCode(error, "SKIP_RETRY") || ctx.retryCount >= ctx.maxRetry;
  return { outcome: archived ? "archived" : "retried", reason, error };
}

/** How a wrapped handler settled. */
export type Settled = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

const OK: Settled = Object.freeze({ ok: true });

/** Runs `run` and reports how it settled, a synchronous throw included; never rejects. */
export function settle(run: () => Promise<void>): Promise<Settled> {
  try {
    // Promise.resolve: a handler written without `async` may return a plain value.
    return Promise.resolve(run()).then(
      () => OK,
      (error: unknown) => ({ ok: false, error }),
    );
  } catch (error) {
    return Promise.resolve({ ok: false, error });
  }
}
