import {
  type AfterAttempt,
  type AttemptOutcome,
  decideAfterAttempt,
  errorText,
  RevokeTaskError,
  SkipRetryError,
  type TaskMessage,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { message, NOW } from "./support/fixtures.js";

const DELAY = 30_000;

interface Options {
  readonly retryDelay?: (error: unknown) => number;
  readonly isFailure?: (error: unknown) => boolean;
}

function decide(stored: TaskMessage, outcome: AttemptOutcome, options: Options = {}): AfterAttempt {
  return decideAfterAttempt({
    message: stored,
    outcome,
    now: NOW,
    retryDelay: options.retryDelay ?? (() => DELAY),
    isFailure: options.isFailure ?? (() => true),
  });
}

const failure = (error: unknown): AttemptOutcome => ({ kind: "error", error });

describe("decideAfterAttempt on success", () => {
  it("is done when the task has no retention", () => {
    expect(decide(message(), { kind: "success" })).toStrictEqual({ action: "done" });
  });

  it("completes a task with retention: completedAt = now, expiresAt = now + retention", () => {
    const stored = message({ retention: 3_600_000 });
    expect(decide(stored, { kind: "success" })).toStrictEqual({
      action: "complete",
      message: { ...stored, completedAt: NOW },
      expiresAt: NOW + 3_600_000,
    });
    expect(stored.completedAt).toBe(0);
  });
});

describe("decideAfterAttempt on RevokeTaskError", () => {
  it("is done, as for a success without retention", () => {
    expect(decide(message(), failure(new RevokeTaskError()))).toStrictEqual({ action: "done" });
  });

  it("is done when RevokeTaskError is wrapped in a cause chain", () => {
    const wrapped = new Error("outer", {
      cause: new Error("inner", { cause: new RevokeTaskError() }),
    });
    expect(decide(message(), failure(wrapped))).toStrictEqual({ action: "done" });
  });

  it("is done even with retries exhausted or a retention set", () => {
    const stored = message({ retried: 3, maxRetry: 3, retention: 60_000 });
    expect(decide(stored, failure(new RevokeTaskError()))).toStrictEqual({ action: "done" });
  });
});

describe("decideAfterAttempt archives", () => {
  it("on SkipRetryError, with lastError and lastFailedAt set and retried unchanged", () => {
    const stored = message({ retried: 1 });
    expect(decide(stored, failure(new SkipRetryError("bad payload")))).toStrictEqual({
      action: "archive",
      message: { ...stored, lastError: "bad payload", lastFailedAt: NOW },
    });
  });

  it("on a wrapped SkipRetryError, storing the outer message", () => {
    const wrapped = new Error("cannot parse", { cause: new SkipRetryError() });
    expect(decide(message(), failure(wrapped))).toStrictEqual({
      action: "archive",
      message: { ...message(), lastError: "cannot parse", lastFailedAt: NOW },
    });
  });

  it.each([
    [3, 3],
    [5, 3],
    [0, 0],
  ])("when retried (%i) >= maxRetry (%i)", (retried, maxRetry) => {
    const stored = message({ retried, maxRetry });
    expect(decide(stored, failure(new Error("boom")))).toStrictEqual({
      action: "archive",
      message: { ...stored, lastError: "boom", lastFailedAt: NOW },
    });
  });

  it("when retries are exhausted even if the error is not a failure", () => {
    const stored = message({ retried: 3, maxRetry: 3 });
    const decision = decide(stored, failure(new Error("later")), { isFailure: () => false });
    expect(decision.action).toBe("archive");
  });
});

describe("decideAfterAttempt retries", () => {
  it("a generic error: retried + 1, retryAt = now + delay, counted as a failure", () => {
    const stored = message({ retried: 1, lastError: "old", lastFailedAt: NOW - 60_000 });
    expect(decide(stored, failure(new Error("timeout talking to SMTP")))).toStrictEqual({
      action: "retry",
      message: { ...stored, retried: 2, lastError: "timeout talking to SMTP", lastFailedAt: NOW },
      retryAt: NOW + DELAY,
      isFailure: true,
    });
  });

  it("passes the thrown error to retryDelay and isFailure", () => {
    const error = new Error("boom");
    const seen: unknown[] = [];
    decide(message(), failure(error), {
      retryDelay: (e) => {
        seen.push(e);
        return 1_000;
      },
      isFailure: (e) => {
        seen.push(e);
        return true;
      },
    });
    expect(seen).toStrictEqual([error, error]);
  });

  it("keeps retried when isFailure says the error is not a failure", () => {
    const stored = message({ retried: 2 });
    expect(
      decide(stored, failure(new Error("rate limited")), { isFailure: () => false }),
    ).toStrictEqual({
      action: "retry",
      message: { ...stored, lastError: "rate limited", lastFailedAt: NOW },
      retryAt: NOW + DELAY,
      isFailure: false,
    });
  });

  it.each([
    ["negative", -5_000],
    ["NaN", Number.NaN],
    ["infinite", Number.POSITIVE_INFINITY],
  ])("treats a %s delay as 0", (_name, delay) => {
    const decision = decide(message(), failure(new Error("x")), { retryDelay: () => delay });
    expect(decision).toMatchObject({ action: "retry", retryAt: NOW });
  });

  it.each([
    ["a string", "plain string", "plain string"],
    ["an object", { code: 7, reason: "quota" }, '{"code":7,"reason":"quota"}'],
    ["undefined", undefined, "undefined"],
    ["null", null, "null"],
    ["a number", 42, "42"],
  ])("retries when %s is thrown, with a readable lastError", (_name, thrown, text) => {
    expect(decide(message(), failure(thrown))).toStrictEqual({
      action: "retry",
      message: { ...message(), retried: 1, lastError: text, lastFailedAt: NOW },
      retryAt: NOW + DELAY,
      isFailure: true,
    });
  });
});

describe("errorText", () => {
  it("uses an Error's message", () => {
    expect(errorText(new Error("disk full"))).toBe("disk full");
    expect(errorText(new SkipRetryError("bad payload"))).toBe("bad payload");
  });

  it("falls back to the error's name when the message is empty", () => {
    expect(errorText(new Error(""))).toBe("Error");
    expect(errorText(new TypeError())).toBe("TypeError");
  });

  it("describes values JSON cannot encode", () => {
    expect(errorText(10n)).toBe("10");
    expect(errorText(Symbol("why"))).toBe("Symbol(why)");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorText(cyclic)).toBe("[object Object]");
  });

  it("never throws, even for a value that cannot be stringified", () => {
    const bare: Record<string, unknown> = Object.create(null);
    bare.self = bare;
    expect(errorText(bare)).toBe("non-error value thrown");
  });
});
