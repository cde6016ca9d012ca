import { type AsynqError, Task } from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { aborted, gate, RETRY_DELAY, until, World } from "./support.js";

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

/** A handler that waits for its signal, records the reason, and rejects with it. */
function cooperative(reasons: unknown[], started?: string[]) {
  return async (_task: Task, ctx: { signal: AbortSignal; taskId: string }) => {
    started?.push(ctx.taskId);
    const reason = await aborted(ctx.signal);
    reasons.push(reason);
    throw reason;
  };
}

const codeOf = (error: unknown) => (error as AsynqError).code;

describe("attempt deadline", () => {
  it("aborts the signal at the timeout with TASK_TIMEOUT and retries the task", async () => {
    const reasons: unknown[] = [];
    const started: string[] = [];
    await world.start(cooperative(reasons, started));
    await world.client.enqueue(new Task("slow"), { taskId: "t1", timeout: 5_000 });
    await until(() => started.length === 1, "the handler to start");
    const startedAt = world.clock.now();

    await world.clock.tick(4_999);
    expect(reasons).toHaveLength(0);
    await world.clock.tick(1);
    expect(reasons.map(codeOf)).toStrictEqual(["TASK_TIMEOUT"]);
    await world.untilState("t1", "retry");
    const record = await world.task("t1");
    expect(record?.message.retried).toBe(1);
    expect(record?.message.lastError).toContain("deadline exceeded");
    expect(record?.nextProcessAt).toBe(startedAt + 5_000 + RETRY_DELAY);
  });

  it("aborts at the task's deadline when it comes before the timeout", async () => {
    const reasons: unknown[] = [];
    await world.start(cooperative(reasons));
    const deadline = world.clock.now() + 3_000;
    await world.client.enqueue(new Task("slow"), { taskId: "t1", timeout: 60_000, deadline });
    await world.clock.tick(2_999);
    expect(reasons).toHaveLength(0);
    await world.clock.tick(1);
    expect(reasons.map(codeOf)).toStrictEqual(["TASK_TIMEOUT"]);
    expect((reasons[0] as { deadline: number }).deadline).toBe(deadline);
    await world.untilState("t1", "retry");
  });

  it("fails a task whose deadline passed while it waited, without running the handler", async () => {
    let ran = false;
    const errors: unknown[] = [];
    await world.client.enqueue(new Task("late"), {
      taskId: "t1",
      deadline: world.clock.now() + 1_000,
    });
    world.clock.advance(2_000);
    await world.start(
      async () => {
        ran = true;
      },
      { errorHandler: (e) => void errors.push(e) },
    );
    await world.untilState("t1", "retry");
    expect(ran).toBe(false);
    expect(errors.map(codeOf)).toStrictEqual(["TASK_TIMEOUT"]);
  });

  it("writes the outcome at the deadline but keeps the slot until an ignoring handler returns", async () => {
    const handlerGate = gate();
    const started: string[] = [];
    await world.start(async (_task, ctx) => {
      started.push(ctx.taskId);
      if (ctx.taskId === "stubborn") await handlerGate.promise; // ignores its signal
    });
    await world.client.enqueue(new Task("x"), { taskId: "stubborn", timeout: 2_000 });
    await until(() => started.length === 1, "the stubborn handler to start");
    await world.client.enqueue(new Task("x"), { taskId: "next" });

    await world.clock.tick(2_000);
    await world.untilState("stubborn", "retry");
    expect(started).toStrictEqual(["stubborn"]);
    expect(world.logged("warn", "has not returned")).toHaveLength(0);

    await world.clock.tick(1_000);
    const warnings = world.logged("warn", "has not returned");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain("keeps its concurrency slot");
    expect(started).toStrictEqual(["stubborn"]);

    handlerGate.open();
    await world.untilState("next", "deleted");
    expect(started).toStrictEqual(["stubborn", "next"]);
  });
});

describe("cancellation", () => {
  it("aborts a running task's signal with TASK_CANCELED and retries it", async () => {
    const reasons: unknown[] = [];
    const started: string[] = [];
    await world.start(cooperative(reasons, started));
    await world.client.enqueue(new Task("long"), { taskId: "t1" });
    await until(() => started.length === 1, "the handler to start");

    await world.broker.publishCancellation({ taskId: "unknown" });
    await world.clock.flush();
    expect(reasons).toHaveLength(0);

    await world.broker.publishCancellation({ taskId: "t1" });
    await world.untilState("t1", "retry");
    expect(reasons.map(codeOf)).toStrictEqual(["TASK_CANCELED"]);
    expect((await world.task("t1"))?.message).toMatchObject({
      retried: 1,
      lastError: "task canceled",
    });
  });
});

describe("cancellation subscription", () => {
  it("retries subscribing every 5 s until the broker accepts", async () => {
    let failures = 1;
    const broker = new Proxy(world.broker, {
      get(target, property, receiver) {
        if (property === "subscribeCancellations") {
          return (onTaskId: (taskId: string) => void) =>
            failures-- > 0
              ? Promise.reject(new Error("pubsub down"))
              : target.subscribeCancellations(onTaskId);
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const reasons: unknown[] = [];
    const started: string[] = [];
    world.server({}, broker).start(cooperative(reasons, started));
    await world.client.enqueue(new Task("long"), { taskId: "t1" });
    await until(() => started.length === 1, "the handler to start");
    expect(world.logged("error", "could not subscribe")).toHaveLength(1);
    await world.broker.publishCancellation({ taskId: "t1" });
    await world.clock.flush();
    expect(reasons).toHaveLength(0);

    await world.clock.tick(5_000);
    await world.broker.publishCancellation({ taskId: "t1" });
    await world.untilState("t1", "retry");
    expect(reasons.map(codeOf)).toStrictEqual(["TASK_CANCELED"]);
  });
});

describe("shutdown", () => {
  it("lets a handler finish within the shutdown timeout", async () => {
    const handlerGate = gate();
    const started: string[] = [];
    const server = await world.start(async (_task, ctx) => {
      started.push(ctx.taskId);
      await handlerGate.promise;
    });
    await world.client.enqueue(new Task("x"), { taskId: "t1" });
    await until(() => started.length === 1, "the handler to start");
    const done = server.shutdown();
    await world.clock.tick(4_000);
    handlerGate.open();
    await done;
    expect(await world.task("t1")).toBeUndefined();
  });

  it("requeues at once with a shutdown timeout of 0", async () => {
    const reasons: unknown[] = [];
    const started: string[] = [];
    const server = await world.start(cooperative(reasons, started), { shutdownTimeout: 0 });
    await world.client.enqueue(new Task("x"), { taskId: "t1" });
    await until(() => started.length === 1, "the handler to start");
    await server.shutdown();
    expect(reasons.map(codeOf)).toStrictEqual(["BROKER_CLOSED"]);
    expect((await world.task("t1"))?.state).toBe("pending");
  });

  it("requeues at the front the task of a handler that outlives the shutdown timeout", async () => {
    const handlerGate = gate();
    const signals: AbortSignal[] = [];
    const server = await world.start(async (_task, ctx) => {
      signals.push(ctx.signal);
      await handlerGate.promise; // ignores its signal
    });
    await world.client.enqueue(new Task("x"), { taskId: "first" });
    await until(() => signals.length === 1, "the handler to start");
    await world.client.enqueue(new Task("x"), { taskId: "second" });
    const now = () => world.clock.now();
    expect(await world.broker.listServers({ now: now() })).toHaveLength(1);

    let finished = false;
    const done = server.shutdown().then(() => {
      finished = true;
    });
    await world.clock.tick(7_999);
    expect(finished).toBe(false);
    expect(signals[0]!.aborted).toBe(false);
    await world.clock.tick(1);
    await done;

    expect(codeOf(signals[0]!.reason)).toBe("BROKER_CLOSED");
    const pending = await world.broker.listTasks({
      queue: "default",
      state: "pending",
      offset: 0,
      limit: 10,
      now: now(),
    });
    expect(pending.ok && pending.tasks.map((t) => t.message.id)).toStrictEqual(["first", "second"]);
    expect(pending.ok && pending.tasks[0]!.message.retried).toBe(0);
    expect(await world.broker.listServers({ now: now() })).toHaveLength(0);
    expect(await world.broker.listWorkers({ now: now() })).toHaveLength(0);
    expect(world.logged("warn", "ignored the shutdown signal")).toHaveLength(1);
    handlerGate.open();
  });
});

describe("lease loss", () => {
  it("aborts with LEASE_LOST when the broker no longer has the task active, and writes nothing", async () => {
    const reasons: unknown[] = [];
    const errors: unknown[] = [];
    const started: string[] = [];
    let stealLease = false;
    const broker = new Proxy(world.broker, {
      get(target, property, receiver) {
        if (property === "extendLease" && stealLease) return async () => [];
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const server = world.server({ errorHandler: (e) => void errors.push(e) }, broker);
    server.start(cooperative(reasons, started));
    await world.client.enqueue(new Task("x"), { taskId: "t1" });
    await until(() => started.length === 1, "the handler to start");

    stealLease = true;
    await world.clock.tick(5_000);
    await until(() => errors.length === 1, "the error handler");
    expect(reasons.map(codeOf)).toStrictEqual(["LEASE_LOST"]);
    expect(errors.map(codeOf)).toStrictEqual(["LEASE_LOST"]);
    await world.clock.flush();
    expect((await world.task("t1"))?.state).toBe("active");
    expect(world.logged("warn", "lease lost before")).toHaveLength(1);
  });

  it("aborts with LEASE_LOST once the lease lapses because extensions keep failing", async () => {
    const reasons: unknown[] = [];
    const started: string[] = [];
    const broker = new Proxy(world.broker, {
      get(target, property, receiver) {
        if (property === "extendLease") {
          return async () => {
            throw new Error("connection lost");
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    world.server({}, broker).start(cooperative(reasons, started));
    await world.client.enqueue(new Task("x"), { taskId: "t1" });
    await until(() => started.length === 1, "the handler to start");
    await world.clock.tick(30_000);
    expect(reasons).toHaveLength(0);
    await world.clock.tick(5_000);
    expect(reasons.map(codeOf)).toStrictEqual(["LEASE_LOST"]);
  });
});
