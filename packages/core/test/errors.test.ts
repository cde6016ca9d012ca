import {
  AsynqError,
  BackendError,
  BrokerClosedError,
  causeChain,
  DuplicateTaskError,
  type ErrorCode,
  FailedPreconditionError,
  HandlerNotFoundError,
  hasErrorCode,
  InvalidArgumentError,
  NotSupportedError,
  QueueNotEmptyError,
  QueueNotFoundError,
  RevokeTaskError,
  SkipRetryError,
  TaskIdConflictError,
  TaskNotFoundError,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";

const cases: [string, AsynqError, ErrorCode, string][] = [
  [
    "InvalidArgumentError",
    new InvalidArgumentError("queue", "must not be blank"),
    "INVALID_ARGUMENT",
    "queue: must not be blank",
  ],
  [
    "TaskNotFoundError",
    new TaskNotFoundError("q", "t1"),
    "TASK_NOT_FOUND",
    'task "t1" not found in queue "q"',
  ],
  [
    "TaskIdConflictError",
    new TaskIdConflictError("q", "t1"),
    "TASK_ID_CONFLICT",
    'task ID "t1" already exists in queue "q"',
  ],
  ["DuplicateTaskError", new DuplicateTaskError("q", "email"), "DUPLICATE_TASK", '"email"'],
  ["QueueNotFoundError", new QueueNotFoundError("q"), "QUEUE_NOT_FOUND", 'queue "q" not found'],
  ["QueueNotEmptyError", new QueueNotEmptyError("q", "3 pending"), "QUEUE_NOT_EMPTY", "3 pending"],
  [
    "FailedPreconditionError",
    new FailedPreconditionError("task is active"),
    "FAILED_PRECONDITION",
    "task is active",
  ],
  [
    "NotSupportedError",
    new NotSupportedError("queueLocation"),
    "NOT_SUPPORTED",
    "queueLocation is not supported",
  ],
  ["BrokerClosedError", new BrokerClosedError(), "BROKER_CLOSED", "broker is closed"],
  ["BackendError", new BackendError("connection lost"), "BACKEND_ERROR", "connection lost"],
  ["SkipRetryError", new SkipRetryError(), "SKIP_RETRY", "skip retry for the task"],
  ["RevokeTaskError", new RevokeTaskError(), "REVOKE_TASK", "revoke task"],
  [
    "HandlerNotFoundError",
    new HandlerNotFoundError("img:resize"),
    "HANDLER_NOT_FOUND",
    'handler not found for task "img:resize"',
  ],
];

describe("error classes", () => {
  it.each(cases)("%s has its code, name and message", (name, error, code, text) => {
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error.message).toContain(text);
    expect(error).toBeInstanceOf(AsynqError);
    expect(error).toBeInstanceOf(Error);
    expect(AsynqError.isInstance(error)).toBe(true);
  });

  it("gives every class a distinct code", () => {
    expect(new Set(cases.map(([, , code]) => code)).size).toBe(cases.length);
  });

  it("InvalidArgumentError names the refused field", () => {
    expect(new InvalidArgumentError("headers.a", "must be a string").field).toBe("headers.a");
  });

  it("BrokerClosedError names what was closed", () => {
    expect(new BrokerClosedError("client").message).toBe("client is closed");
  });

  it("keeps a cause where the constructor takes one", () => {
    const cause = new Error("ECONNRESET");
    expect(new BackendError("lost", { cause }).cause).toBe(cause);
    expect(new SkipRetryError("bad payload", { cause }).cause).toBe(cause);
    expect(new RevokeTaskError("gone", { cause }).cause).toBe(cause);
    expect(new InvalidArgumentError("payload", "bad", { cause }).cause).toBe(cause);
  });
});

describe("AsynqError.isInstance", () => {
  it("recognises an error from a second copy of the library by its brand", () => {
    const foreign = Object.assign(new Error("skip"), {
      [Symbol.for("asynq-ts.error")]: true,
      code: "SKIP_RETRY",
    });
    expect(foreign instanceof AsynqError).toBe(false);
    expect(AsynqError.isInstance(foreign)).toBe(true);
    expect(hasErrorCode(foreign, "SKIP_RETRY")).toBe(true);
    expect(hasErrorCode(new Error("wrapped", { cause: foreign }), "SKIP_RETRY")).toBe(true);
  });

  it.each([
    ["a plain Error", new Error("x")],
    ["an object with a code but no brand", { code: "SKIP_RETRY" }],
    ["a string", "SKIP_RETRY"],
    ["null", null],
    ["undefined", undefined],
  ])("rejects %s", (_name, value) => {
    expect(AsynqError.isInstance(value)).toBe(false);
  });
});

describe("causeChain", () => {
  it("yields the error first, then each cause", () => {
    const root = new Error("root");
    const middle = new Error("middle", { cause: root });
    const top = new Error("top", { cause: middle });
    expect([...causeChain(top)]).toStrictEqual([top, middle, root]);
  });

  it("stops at a cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.assign(a, { cause: b });
    expect([...causeChain(a)]).toStrictEqual([a, b]);
    const self = new Error("self");
    Object.assign(self, { cause: self });
    expect([...causeChain(self)]).toStrictEqual([self]);
  });

  it("stops after 32 links", () => {
    let error = new Error("0");
    for (let i = 1; i < 100; i++) error = new Error(String(i), { cause: error });
    expect([...causeChain(error)]).toHaveLength(32);
  });

  it("yields a non-object value alone and nothing for null or undefined", () => {
    expect([...causeChain("boom")]).toStrictEqual(["boom"]);
    expect([...causeChain(undefined)]).toStrictEqual([]);
    expect([...causeChain(null)]).toStrictEqual([]);
  });

  it("follows a cause that is not an Error", () => {
    const error = new Error("x", { cause: "reason" });
    expect([...causeChain(error)]).toStrictEqual([error, "reason"]);
  });
});

describe("hasErrorCode", () => {
  it("finds a code on the error itself", () => {
    expect(hasErrorCode(new SkipRetryError(), "SKIP_RETRY")).toBe(true);
    expect(hasErrorCode(new SkipRetryError(), "REVOKE_TASK")).toBe(false);
  });

  it("finds a code anywhere in the cause chain", () => {
    const wrapped = new Error("outer", {
      cause: new TypeError("middle", { cause: new RevokeTaskError() }),
    });
    expect(hasErrorCode(wrapped, "REVOKE_TASK")).toBe(true);
    expect(hasErrorCode(wrapped, "SKIP_RETRY")).toBe(false);
  });

  it("is false for non-asynq errors and plain values", () => {
    expect(hasErrorCode(new Error("SKIP_RETRY"), "SKIP_RETRY")).toBe(false);
    expect(hasErrorCode({ code: "SKIP_RETRY" }, "SKIP_RETRY")).toBe(false);
    expect(hasErrorCode(undefined, "SKIP_RETRY")).toBe(false);
  });

  it("terminates on a cyclic chain without the code", () => {
    const a = new Error("a");
    Object.assign(a, { cause: new Error("b", { cause: a }) });
    expect(hasErrorCode(a, "SKIP_RETRY")).toBe(false);
  });
});
