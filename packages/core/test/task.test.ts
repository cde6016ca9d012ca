import { InvalidArgumentError, Task } from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { invalidArgument } from "./support/fixtures.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("Task constructor", () => {
  it("stores a string payload as UTF-8 bytes", () => {
    const task = new Task("greet", "héllo ✓ 日本");
    expect(task.type).toBe("greet");
    expect(task.payload).toStrictEqual(utf8("héllo ✓ 日本"));
    expect(task.text()).toBe("héllo ✓ 日本");
  });

  it("keeps a byte payload as given", () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    expect(new Task("bin", bytes).payload).toBe(bytes);
  });

  it("defaults to an empty payload, no headers and no options", () => {
    const task = new Task("ping");
    expect(task.payload).toStrictEqual(new Uint8Array(0));
    expect(task.headers).toStrictEqual({});
    expect(task.options).toStrictEqual({});
  });

  it("refuses a blank type", () => {
    expect(invalidArgument(() => new Task("  ")).field).toBe("type");
  });

  it("refuses a payload that is neither bytes nor a string", () => {
    const error = invalidArgument(() => new Task("t", 42 as unknown as string));
    expect(error.field).toBe("payload");
  });

  it("refuses options that are not an object", () => {
    expect(invalidArgument(() => new Task("t", "", null as unknown as object)).field).toBe(
      "options",
    );
    expect(invalidArgument(() => new Task("t", "", "fast" as unknown as object)).field).toBe(
      "options",
    );
  });

  it("validates headers at construction", () => {
    const headers = { a: 1 } as unknown as Record<string, string>;
    expect(invalidArgument(() => new Task("t", "", { headers })).field).toBe("headers.a");
  });

  it("keeps its own frozen copy of the options and headers", () => {
    const headers: Record<string, string> = { trace: "1" };
    const task = new Task("t", "", { queue: "low", headers });
    headers.trace = "changed";
    headers.extra = "x";
    expect(task.headers).toStrictEqual({ trace: "1" });
    expect(task.options.headers).toStrictEqual({ trace: "1" });
    expect(task.options.queue).toBe("low");
    expect(Object.isFrozen(task.options)).toBe(true);
    expect(Object.isFrozen(task.headers)).toBe(true);
  });
});

describe("Task JSON helpers", () => {
  it("Task.json stores the value as JSON text and task.json() parses it back", () => {
    const task = Task.json("email:deliver", { userId: 42, tags: ["a"] }, { maxRetry: 5 });
    expect(task.text()).toBe('{"userId":42,"tags":["a"]}');
    expect(task.payload).toStrictEqual(utf8('{"userId":42,"tags":["a"]}'));
    expect(task.json<{ userId: number; tags: string[] }>()).toStrictEqual({
      userId: 42,
      tags: ["a"],
    });
    expect(task.options.maxRetry).toBe(5);
  });

  it("Task.json accepts JSON primitives", () => {
    expect(Task.json("t", null).text()).toBe("null");
    expect(Task.json("t", "s").json()).toBe("s");
    expect(Task.json("t", 3).json()).toBe(3);
  });

  it.each([
    ["undefined", undefined],
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
  ])("Task.json refuses %s", (_name, value) => {
    const error = invalidArgument(() => Task.json("t", value));
    expect(error.field).toBe("payload");
    expect(error.code).toBe("INVALID_ARGUMENT");
  });

  it("Task.json refuses a BigInt or a cycle with INVALID_ARGUMENT, keeping the cause", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [{ n: 10n }, cyclic]) {
      const error = invalidArgument(() => Task.json("t", value));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.field).toBe("payload");
      expect(error.cause).toBeInstanceOf(TypeError);
    }
  });

  it("task.json() throws on a payload that is not JSON", () => {
    expect(() => new Task("t", "not json").json()).toThrow(SyntaxError);
  });
});
