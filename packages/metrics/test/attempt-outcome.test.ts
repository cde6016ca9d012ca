import {
  type HandlerContext,
  LeaseLostError,
  RevokeTaskError,
  ServerShutdownError,
  SkipRetryError,
  TaskCanceledError,
  TaskTimeoutError,
} from "@asynq-ts/core";
import { classifyAttempt, type Settled, settle } from "@asynq-ts/metrics";
import { describe, expect, it } from "vitest";

/** A handler context at `retryCount` of `maxRetry`, its signal aborted with `abortedWith` if given. */
function ctxOf(retryCount: number, maxRetry: number, abortedWith?: unknown): HandlerContext {
  const controller = new AbortController();
  if (abortedWith !== undefined) controller.abort(abortedWith);
  return {
    signal: controller.signal,
    taskId: "id",
    queue: "default",
    retryCount,
    maxRetry,
    writeResult: async () => {},
  };
}

const ok: Settled = { ok: true };
const threw = (error: unknown): Settled => ({ ok: false, error });

describe("classifyAttempt", () => {
  it("counts a handler that resolved as succeeded", () => {
    expect(classifyAttempt(ctxOf(0, 3), ok)).toStrictEqual({ outcome: "succeeded" });
  });

  it("counts a thrown error as retried while retries are left, archived after", () => {
    const error = new Error("boom");
    expect(classifyAttempt(ctxOf(2, 3), threw(error))).toStrictEqual({
      outcome: "retried",
      reason: "error",
      error,
    });
    expect(classifyAttempt(ctxOf(3, 3), threw(error)).outcome).toBe("archived");
  });

  it("archives on SkipRetry and drops on RevokeTask, also found in a cause chain", () => {
    const skip = new Error("wrapped", { cause: new SkipRetryError() });
    expect(classifyAttempt(ctxOf(0, 3), threw(skip))).toMatchObject({
      outcome: "archived",
      reason: "error",
    });
    const revoke = new Error("wrapped", { cause: new RevokeTaskError() });
    expect(classifyAttempt(ctxOf(0, 3), threw(revoke))).toMatchObject({ outcome: "revoked" });
    expect(classifyAttempt(ctxOf(0, 3), threw(revoke)).reason).toBeUndefined();
  });

  it("goes by the signal's reason when it aborted first, whatever the handler did", () => {
    const timeout = new TaskTimeoutError(0);
    expect(classifyAttempt(ctxOf(0, 3, timeout), ok)).toStrictEqual({
      outcome: "retried",
      reason: "timed_out",
      error: timeout,
    });
    expect(classifyAttempt(ctxOf(3, 3, timeout), threw(new Error("x")))).toMatchObject({
      outcome: "archived",
      reason: "timed_out",
    });
    expect(classifyAttempt(ctxOf(0, 3, new TaskCanceledError()), ok)).toMatchObject({
      outcome: "retried",
      reason: "cancelled",
    });
    expect(classifyAttempt(ctxOf(0, 3, new ServerShutdownError()), ok).outcome).toBe("requeued");
    expect(classifyAttempt(ctxOf(0, 3, new LeaseLostError()), ok).outcome).toBe("lease_lost");
  });

  it("treats abort-reason errors thrown without an abort like any error", () => {
    expect(classifyAttempt(ctxOf(0, 3), threw(new LeaseLostError())).outcome).toBe("retried");
    expect(classifyAttempt(ctxOf(0, 3), threw(new ServerShutdownError())).outcome).toBe("retried");
  });
});

describe("settle", () => {
  it("reports resolution, rejection and a synchronous throw", async () => {
    const error = new Error("sync");
    expect(await settle(async () => {})).toStrictEqual({ ok: true });
    expect(await settle(() => Promise.reject(error))).toStrictEqual({ ok: false, error });
    expect(
      await settle(() => {
        throw error;
      }),
    ).toStrictEqual({ ok: false, error });
  });
});
