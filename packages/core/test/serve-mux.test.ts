import {
  type Handler,
  type HandlerContext,
  HandlerNotFoundError,
  type Middleware,
  ServeMux,
  Task,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { invalidArgument } from "./support/fixtures.js";

const ctx: HandlerContext = {
  signal: new AbortController().signal,
  taskId: "task-1",
  queue: "default",
  retryCount: 0,
  maxRetry: 25,
  writeResult: async () => {},
};

/** A handler that records its name in `log` when it runs. */
const recording =
  (log: string[], name: string): Handler =>
  async () => {
    log.push(name);
  };

describe("ServeMux routing", () => {
  it("prefers an exact match over a prefix", async () => {
    const log: string[] = [];
    const mux = new ServeMux()
      .handle("email", recording(log, "email"))
      .handle("email:deliver", recording(log, "email:deliver"));
    await mux.process(new Task("email:deliver"), ctx);
    await mux.process(new Task("email"), ctx);
    expect(log).toStrictEqual(["email:deliver", "email"]);
  });

  it("falls back to the longest registered prefix", async () => {
    const log: string[] = [];
    const mux = new ServeMux()
      .handle("images", recording(log, "images"))
      .handle("images:thumbnails", recording(log, "thumbnails"));
    await mux.process(new Task("images:thumbnails:large"), ctx);
    await mux.process(new Task("images:resize"), ctx);
    expect(log).toStrictEqual(["thumbnails", "images"]);
    expect(mux.route("images:thumbnails:large").pattern).toBe("images:thumbnails");
  });

  it("matches plain string prefixes, not only whole segments (as Go asynq does)", () => {
    const mux = new ServeMux().handle("email", async () => {});
    expect(mux.route("emailer").pattern).toBe("email");
  });

  it("reports the chosen handler and pattern", () => {
    const handler: Handler = async () => {};
    const mux = new ServeMux().handle("report", handler);
    expect(mux.route("report:daily")).toStrictEqual({ handler, pattern: "report" });
  });

  it("rejects with HandlerNotFoundError when nothing matches", async () => {
    const mux = new ServeMux().handle("email", async () => {});
    expect(mux.route("sms:send").pattern).toBe("");
    const processing = mux.process(new Task("sms:send"), ctx);
    await expect(processing).rejects.toBeInstanceOf(HandlerNotFoundError);
    await expect(processing).rejects.toMatchObject({
      code: "HANDLER_NOT_FOUND",
      message: 'handler not found for task "sms:send"',
    });
  });

  it("passes the task and context to the handler and returns its outcome", async () => {
    const seen: [Task, HandlerContext][] = [];
    const mux = new ServeMux().handle("t", async (task, c) => {
      seen.push([task, c]);
      throw new Error("handler failed");
    });
    const task = new Task("t");
    await expect(mux.process(task, ctx)).rejects.toThrow("handler failed");
    expect(seen).toStrictEqual([[task, ctx]]);
  });
});

describe("ServeMux registration", () => {
  it("refuses a duplicate pattern", () => {
    const mux = new ServeMux().handle("email", async () => {});
    expect(invalidArgument(() => mux.handle("email", async () => {})).field).toBe("pattern");
  });

  it.each(["", "   "])("refuses the blank pattern %j", (pattern) => {
    expect(invalidArgument(() => new ServeMux().handle(pattern, async () => {})).field).toBe(
      "pattern",
    );
  });

  it("refuses a handler or middleware that is not a function", () => {
    const mux = new ServeMux();
    expect(invalidArgument(() => mux.handle("t", null as unknown as Handler)).field).toBe(
      "handler",
    );
    expect(invalidArgument(() => mux.use("m" as unknown as Middleware)).field).toBe("middleware");
  });
});

describe("ServeMux middlewares", () => {
  const tracing =
    (log: string[], name: string): Middleware =>
    (next) =>
    async (task, c) => {
      log.push(`${name} before`);
      try {
        await next(task, c);
      } finally {
        log.push(`${name} after`);
      }
    };

  it("run in registration order, the first outermost", async () => {
    const log: string[] = [];
    const mux = new ServeMux().handle("t", recording(log, "handler"));
    mux.use(tracing(log, "m1"), tracing(log, "m2"));
    mux.use(tracing(log, "m3"));
    await mux.process(new Task("t"), ctx);
    expect(log).toStrictEqual([
      "m1 before",
      "m2 before",
      "m3 before",
      "handler",
      "m3 after",
      "m2 after",
      "m1 after",
    ]);
  });

  it("apply to handlers registered after them", async () => {
    const log: string[] = [];
    const mux = new ServeMux().use(tracing(log, "m"));
    mux.handle("late", recording(log, "late"));
    await mux.process(new Task("late"), ctx);
    expect(log).toStrictEqual(["m before", "late", "m after"]);
  });

  it("also wrap the not-found handler", async () => {
    const log: string[] = [];
    const mux = new ServeMux().use(tracing(log, "m"));
    await expect(mux.process(new Task("unknown"), ctx)).rejects.toBeInstanceOf(
      HandlerNotFoundError,
    );
    expect(log).toStrictEqual(["m before", "m after"]);
  });

  it("can replace the outcome of the handler they wrap", async () => {
    const mux = new ServeMux().use((next) => async (task, c) => {
      await next(task, c).catch(() => {});
    });
    await expect(mux.process(new Task("unknown"), ctx)).resolves.toBeUndefined();
  });

  it("are not applied by route()", () => {
    const handler: Handler = async () => {};
    const mux = new ServeMux().handle("t", handler).use((next) => (task, c) => next(task, c));
    expect(mux.route("t").handler).toBe(handler);
  });
});
