import {
  type HandlerContext,
  ReceivedTask,
  RevokeTaskError,
  SkipRetryError,
  Task,
  type TaskInfo,
} from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gate, until, World } from "./support.js";

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

const failing = (error: unknown) => async () => {
  throw error;
};

describe("processing outcomes", () => {
  it("deletes a task whose handler succeeds and hands the handler its task and context", async () => {
    const seen: { task: Task; ctx: HandlerContext }[] = [];
    await world.start(async (task, ctx) => {
      seen.push({ task, ctx });
    });
    await world.client.enqueue(new Task("greet", "hi", { headers: { a: "b" } }), {
      taskId: "t1",
      maxRetry: 4,
    });
    await world.untilState("t1", "deleted");
    expect(seen).toHaveLength(1);
    const { task, ctx } = seen[0]!;
    expect(task).toBeInstanceOf(Task);
    expect(task).toBeInstanceOf(ReceivedTask);
    expect((task as ReceivedTask).id).toBe("t1");
    expect(task.type).toBe("greet");
    expect(task.text()).toBe("hi");
    expect(task.headers).toStrictEqual({ a: "b" });
    expect(ctx).toMatchObject({ taskId: "t1", queue: "default", retryCount: 0, maxRetry: 4 });
    expect(ctx.signal.aborted).toBe(false);
    const stats = await world.broker.queueStats({ queue: "default", now: world.clock.now() });
    expect(stats.ok && stats.stats.processed).toBe(1);
  });

  it("keeps a task with retention as completed, with the result the handler wrote", async () => {
    await world.start(async (_task, ctx) => {
      await ctx.writeResult(new TextEncoder().encode("done!"));
    });
    await world.client.enqueue(new Task("report"), { taskId: "t1", retention: 60_000 });
    await world.untilState("t1", "completed");
    const record = await world.task("t1");
    expect(new TextDecoder().decode(record?.result ?? new Uint8Array())).toBe("done!");
    expect(record?.message.completedAt).toBe(world.clock.now());
  });

  it("retries a failed task after the retry delay, counting the retry", async () => {
    const delays: [number, string, string][] = [];
    let calls = 0;
    await world.start(
      async () => {
        calls++;
        if (calls === 1) throw new Error("boom");
      },
      {
        retryDelay: (retried, error, task) => {
          delays.push([retried, (error as Error).message, (task as ReceivedTask).id]);
          return 7_000;
        },
      },
    );
    const failedAt = world.clock.now();
    await world.client.enqueue(new Task("flaky"), { taskId: "t1" });
    await world.untilState("t1", "retry");
    const record = await world.task("t1");
    expect(record?.message).toMatchObject({
      retried: 1,
      lastError: "boom",
      lastFailedAt: failedAt,
    });
    expect(record?.nextProcessAt).toBe(failedAt + 7_000);
    expect(delays).toStrictEqual([[0, "boom", "t1"]]);

    await world.clock.tick(6_999);
    expect(calls).toBe(1);
    // The forwarder runs every 5 s, so the task is due at 7 s and moved at 10 s.
    await world.clock.tick(3_001);
    await world.untilState("t1", "deleted");
    expect(calls).toBe(2);
  });

  it("archives a task that throws SkipRetryError, even with retries left", async () => {
    await world.start(failing(new Error("wrapped", { cause: new SkipRetryError("bad payload") })));
    await world.client.enqueue(new Task("bad"), { taskId: "t1", maxRetry: 10 });
    await world.untilState("t1", "archived");
    expect((await world.task("t1"))?.message.lastError).toBe("wrapped");
  });

  it("archives a task whose retries are used up", async () => {
    await world.start(failing(new Error("still broken")));
    await world.client.enqueue(new Task("bad"), { taskId: "t1", maxRetry: 0 });
    await world.untilState("t1", "archived");
  });

  it("deletes a task that throws RevokeTaskError, without retry or archive", async () => {
    const errors: unknown[] = [];
    await world.start(failing(new RevokeTaskError()), {
      errorHandler: (error) => {
        errors.push(error);
      },
    });
    await world.client.enqueue(new Task("obsolete"), { taskId: "t1" });
    await world.untilState("t1", "deleted");
    expect(errors).toHaveLength(1);
  });

  it("retries without counting when isFailure says the error is not a failure", async () => {
    await world.start(failing(new Error("rate limited")), { isFailure: () => false });
    await world.client.enqueue(new Task("limited"), { taskId: "t1" });
    await world.untilState("t1", "retry");
    expect((await world.task("t1"))?.message.retried).toBe(0);
    const stats = await world.broker.queueStats({ queue: "default", now: world.clock.now() });
    expect(stats.ok && [stats.stats.processed, stats.stats.failed]).toStrictEqual([0, 0]);
  });

  it("calls the errorHandler for every failure, before the task is retried", async () => {
    const calls: [unknown, string, TaskInfo, string][] = [];
    const error = new Error("nope");
    await world.start(failing(error), {
      errorHandler: async (e, task, info) => {
        calls.push([e, task.type, info, (await world.task("t1"))?.state ?? "deleted"]);
      },
    });
    await world.client.enqueue(new Task("fails"), { taskId: "t1" });
    await world.untilState("t1", "retry");
    expect(calls).toHaveLength(1);
    const [seen, type, info, stateDuringCall] = calls[0]!;
    expect(seen).toBe(error);
    expect(type).toBe("fails");
    expect(info).toMatchObject({ id: "t1", queue: "default", state: "active", retried: 0 });
    expect(stateDuringCall).toBe("active");
  });

  it("treats a thrown string, a synchronous throw and a rejected non-error as failures", async () => {
    const handlers: Record<string, () => Promise<void>> = {
      string: failing("plain string"),
      sync: () => {
        throw new TypeError("sync panic");
      },
      object: () => Promise.reject({ code: 42 }),
    };
    await world.start((task) => handlers[task.type]!());
    for (const type of Object.keys(handlers)) {
      await world.client.enqueue(new Task(type), { taskId: type });
    }
    for (const type of Object.keys(handlers)) await world.untilState(type, "retry");
    expect((await world.task("string"))?.message.lastError).toBe("plain string");
    expect((await world.task("sync"))?.message.lastError).toBe("sync panic");
    expect((await world.task("object"))?.message.lastError).toBe('{"code":42}');
  });

  it("survives an errorHandler and a retryDelay that throw", async () => {
    await world.start(failing(new Error("x")), {
      errorHandler: () => {
        throw new Error("handler bug");
      },
      retryDelay: () => {
        throw new Error("delay bug");
      },
    });
    await world.client.enqueue(new Task("t"), { taskId: "t1" });
    await world.untilState("t1", "retry");
    expect(world.logged("error", "errorHandler threw")).toHaveLength(1);
    expect(world.logged("error", "retryDelay threw")).toHaveLength(1);
    const record = await world.task("t1");
    // The default delay for a first retry is 15–44 s.
    expect(record!.nextProcessAt - world.clock.now()).toBeGreaterThanOrEqual(15_000);
    expect(record!.nextProcessAt - world.clock.now()).toBeLessThan(45_000);
  });

  it("refuses a result that is not bytes", async () => {
    const outcomes: string[] = [];
    await world.start(async (_task, ctx) => {
      await ctx.writeResult("text" as unknown as Uint8Array).catch((e) => outcomes.push(e.code));
    });
    await world.client.enqueue(new Task("t"), { taskId: "t1" });
    await world.untilState("t1", "deleted");
    expect(outcomes).toStrictEqual(["INVALID_ARGUMENT"]);
  });
});

describe("concurrency", () => {
  it("never runs more handlers than the concurrency allows", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let finished = 0;
    const gates: ReturnType<typeof gate>[] = [];
    await world.start(
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const g = gate();
        gates.push(g);
        await g.promise;
        inFlight--;
        finished++;
      },
      { concurrency: 3 },
    );
    for (let i = 0; i < 10; i++) await world.client.enqueue(new Task("job"));
    for (let released = 0; released < 10; released++) {
      await until(() => gates.length > released, "a handler to start");
      await world.clock.flush();
      expect(inFlight).toBeLessThanOrEqual(3);
      gates[released]!.open();
    }
    await until(() => finished === 10, "all handlers to finish");
    expect(maxInFlight).toBe(3);
  });

  it("starts a task enqueued to an idle server without the clock moving", async () => {
    let handled = 0;
    await world.start(async () => {
      handled++;
    });
    await world.clock.flush();
    const before = world.clock.now();
    await world.client.enqueue(new Task("wake"));
    await until(() => handled === 1, "the idle server to pick up the task");
    expect(world.clock.now()).toBe(before);
  });

  it("serves a ServeMux", async () => {
    const { ServeMux } = await import("@asynq-ts/core");
    const seen: string[] = [];
    const mux = new ServeMux().handle("email:", async (task) => {
      seen.push(task.type);
    });
    await world.start(mux);
    await world.client.enqueue(new Task("email:welcome"), { taskId: "a" });
    await world.client.enqueue(new Task("sms:welcome"), { taskId: "b" });
    await world.untilState("a", "deleted");
    await world.untilState("b", "retry");
    expect(seen).toStrictEqual(["email:welcome"]);
    expect((await world.task("b"))?.message.lastError).toContain("handler not found");
  });
});
