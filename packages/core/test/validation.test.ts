import {
  InvalidArgumentError,
  MAX_INT32,
  resolveOptions,
  Task,
  type TaskOptions,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { invalidArgument, NOW, sequentialIds } from "./support/fixtures.js";

// Options as an untyped JavaScript caller could pass them.
const resolveUntyped = (options: unknown) =>
  resolveOptions([options as TaskOptions], NOW, sequentialIds());

function expectRefused(fn: () => unknown, field: string): void {
  const error = invalidArgument(fn);
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect(error.code).toBe("INVALID_ARGUMENT");
  expect(error.field).toBe(field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
}

describe("task type validation", () => {
  it.each(["", "   ", "\t\n"])("refuses the blank type %j", (type) => {
    expectRefused(() => new Task(type), "type");
  });

  it.each([42, null, undefined, {}])("refuses the non-string type %j", (type) => {
    expectRefused(() => new Task(type as unknown as string), "type");
  });
});

describe("option validation", () => {
  const refusals: [string, unknown, string][] = [
    ["blank queue", { queue: "" }, "queue"],
    ["whitespace queue", { queue: " \t " }, "queue"],
    ["non-string queue", { queue: 7 }, "queue"],
    ["null queue", { queue: null }, "queue"],
    ["blank taskId", { taskId: "" }, "taskId"],
    ["whitespace taskId", { taskId: "   " }, "taskId"],
    ["non-string taskId", { taskId: 12 }, "taskId"],
    ["blank group", { group: "" }, "group"],
    ["whitespace group", { group: "  " }, "group"],
    ["non-string group", { group: ["g"] }, "group"],
    ["sub-second timeout", { timeout: 500 }, "timeout"],
    ["999 ms timeout", { timeout: 999 }, "timeout"],
    ["negative timeout", { timeout: -1_000 }, "timeout"],
    ["NaN timeout", { timeout: Number.NaN }, "timeout"],
    ["string timeout", { timeout: "5000" }, "timeout"],
    ["sub-second unique", { unique: 999 }, "unique"],
    ["zero unique", { unique: 0 }, "unique"],
    ["negative unique", { unique: -60_000 }, "unique"],
    ["infinite unique", { unique: Number.POSITIVE_INFINITY }, "unique"],
    ["NaN deadline", { deadline: Number.NaN }, "deadline"],
    ["infinite deadline", { deadline: Number.POSITIVE_INFINITY }, "deadline"],
    ["invalid Date deadline", { deadline: new Date("not a date") }, "deadline"],
    ["string deadline", { deadline: "2026-01-01" }, "deadline"],
    ["pre-epoch deadline", { deadline: -1 }, "deadline"],
    ["NaN processAt", { processAt: Number.NaN }, "processAt"],
    ["infinite processAt", { processAt: Number.NEGATIVE_INFINITY }, "processAt"],
    ["invalid Date processAt", { processAt: new Date(Number.NaN) }, "processAt"],
    ["negative processIn", { processIn: -1 }, "processIn"],
    ["NaN processIn", { processIn: Number.NaN }, "processIn"],
    ["infinite processIn", { processIn: Number.POSITIVE_INFINITY }, "processIn"],
    ["negative retention", { retention: -1 }, "retention"],
    ["NaN retention", { retention: Number.NaN }, "retention"],
    ["fractional maxRetry", { maxRetry: 1.5 }, "maxRetry"],
    ["NaN maxRetry", { maxRetry: Number.NaN }, "maxRetry"],
    ["string maxRetry", { maxRetry: "3" }, "maxRetry"],
    ["maxRetry above int32", { maxRetry: MAX_INT32 + 1 }, "maxRetry"],
    ["non-string header value", { headers: { a: 1 } }, "headers.a"],
    ["undefined header value", { headers: { trace: undefined } }, "headers.trace"],
    ["string headers", { headers: "a=1" }, "headers"],
    ["array headers", { headers: ["a"] }, "headers"],
    ["null headers", { headers: null }, "headers"],
    ["unknown option", { priority: 1 }, "priority"],
    ["misspelt option", { processin: 1_000 }, "processin"],
  ];

  it.each(refusals)("refuses a %s", (_name, options, field) => {
    expectRefused(() => resolveUntyped(options), field);
  });

  it.each([
    ["a string", "fast"],
    ["a number", 42],
    ["null", null],
    ["an array", [{ queue: "a" }]],
  ])("refuses options that are %s", (_name, options) => {
    expectRefused(() => resolveUntyped(options), "options");
  });

  it("accepts the boundary values", () => {
    const resolved = resolveUntyped({
      timeout: 1_000,
      unique: 1_000,
      maxRetry: MAX_INT32,
      processIn: 0,
      retention: 0,
    });
    expect(resolved.timeout).toBe(1_000);
    expect(resolved.unique).toBe(1_000);
    expect(resolved.maxRetry).toBe(MAX_INT32);
    expect(resolved.processAt).toBe(NOW);
  });

  it("refuses an invalid enqueue layer even when the task's own layer is valid", () => {
    const ids = sequentialIds();
    const error = invalidArgument(() =>
      resolveOptions([{ queue: "ok" }, { timeout: 10 } as TaskOptions], NOW, ids),
    );
    expect(error.field).toBe("timeout");
  });
});

describe("header keys that look like prototype properties", () => {
  const hostile = (): Record<string, string> =>
    JSON.parse('{"__proto__":"evil","constructor":"ctor","polluted":"yes"}');

  it("stores __proto__ and constructor as plain own properties", () => {
    const { headers } = resolveOptions([{ headers: hostile() }], NOW, sequentialIds());
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.keys(headers)).toStrictEqual(["__proto__", "constructor", "polluted"]);
    expect(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value).toBe("evil");
    expect(headers.constructor).toBe("ctor");
  });

  it("keeps them own properties when merging task and enqueue headers", () => {
    const task = new Task("t", "", { headers: hostile() });
    const { headers } = resolveOptions(
      [task.options, { headers: JSON.parse('{"__proto__":"override"}') }],
      NOW,
      sequentialIds(),
    );
    expect(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value).toBe("override");
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(task.headers, "__proto__")?.value).toBe("evil");
  });

  it("does not pollute Object.prototype", () => {
    resolveOptions([{ headers: hostile() }], NOW, sequentialIds());
    void new Task("t", "", { headers: hostile() });
    const fresh: Record<string, unknown> = {};
    expect(fresh.polluted).toBeUndefined();
    expect(fresh.constructor).toBe(Object);
    expect(Object.getPrototypeOf(fresh)).toBe(Object.prototype);
  });
});
