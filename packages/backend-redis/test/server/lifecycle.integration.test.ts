// End to end on real Redis: cancellation published by another connection, requeue at shutdown,
// recovery of tasks whose lease expired, and the liveness records the heartbeater writes.
import { hostname } from "node:os";
import { Task } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aborted, codeOf, delay, eventually, gate, RedisWorld } from "./support.js";

let redis: RedisServerHandle;
let world: RedisWorld;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});
beforeEach(() => {
  world = new RedisWorld(redis.url);
});
afterEach(async () => {
  await world.dispose();
});

describe("cancellation", () => {
  it("aborts a running task when another broker (another process's connection) publishes its ID", async () => {
    const reasons: unknown[] = [];
    const started: string[] = [];
    world.start(async (_task, ctx) => {
      started.push(ctx.taskId);
      const reason = await aborted(ctx.signal);
      reasons.push(reason);
      throw reason;
    });
    await world.client.enqueue(new Task("long"), { taskId: "t1" });
    await eventually(() => started.length === 1, "the handler to start");

    const other = world.connect();
    expect(other.capabilities.crossProcessCancellation).toBe(true);
    // The server subscribes in the background: publish until the cancellation lands.
    await eventually(
      async () => {
        await other.publishCancellation({ taskId: "t1" });
        return reasons.length > 0;
      },
      "the cancellation to reach the server",
      10_000,
      50,
    );
    await world.untilState("t1", "retry");
    expect(reasons.map(codeOf)).toStrictEqual(["TASK_CANCELED"]);
    expect((await world.task("t1"))?.message).toMatchObject({
      retried: 1,
      lastError: "task canceled",
    });
  });
});

describe("shutdown", () => {
  it("requeues at the front the task of a handler that ignores its signal past the shutdown timeout", async () => {
    const held = gate();
    const signals: AbortSignal[] = [];
    const server = world.start(
      async (_task, ctx) => {
        signals.push(ctx.signal);
        await held.promise; // ignores its signal
      },
      { shutdownTimeout: 300 },
    );
    await world.client.enqueue(new Task("x"), { taskId: "first" });
    await eventually(() => signals.length === 1, "the handler to start");
    await world.client.enqueue(new Task("x"), { taskId: "second" });
    expect((await world.task("first"))?.state).toBe("active");

    await server.shutdown();
    expect(codeOf(signals[0]!.reason)).toBe("BROKER_CLOSED");
    const pending = await world.broker.listTasks({
      queue: "default",
      state: "pending",
      offset: 0,
      limit: 10,
      now: Date.now(),
    });
    expect(pending.ok && pending.tasks.map((t) => t.message.id)).toStrictEqual(["first", "second"]);
    expect(pending.ok && pending.tasks[0]!.message.retried).toBe(0);
    expect((await world.stats()).active).toBe(0);
    expect(world.logged("warn", "ignored the shutdown signal")).toHaveLength(1);
    expect(await world.broker.listServers({ now: Date.now() })).toHaveLength(0);
    held.open();
  });

  it("lets a handler that finishes within the shutdown timeout complete its task", async () => {
    const started: string[] = [];
    const server = world.start(
      async (_task, ctx) => {
        started.push(ctx.taskId);
        await delay(200);
      },
      { shutdownTimeout: 5_000 },
    );
    await world.client.enqueue(new Task("x"), { taskId: "t1" });
    await eventually(() => started.length === 1, "the handler to start");
    await server.shutdown();
    expect(await world.task("t1")).toBeUndefined();
    expect((await world.stats()).processed).toBe(1);
  });
});

describe("recoverer", () => {
  /** A worker that crashed long ago: it took the task with a lease that ended two minutes back. */
  async function orphan(taskId: string, maxRetry: number, leaseUntil: number): Promise<void> {
    await world.client.enqueue(new Task("orphan"), { taskId, maxRetry });
    const taken = await world.broker.dequeue({ queues: ["default"], leaseUntil, now: Date.now() });
    expect(taken?.message.id).toBe(taskId);
  }

  it("retries or archives at start-up the tasks whose lease expired, and leaves leased ones", async () => {
    const longAgo = Date.now() - 120_000;
    await orphan("retried", 5, longAgo);
    await orphan("archived", 0, longAgo);
    await orphan("leased", 5, Date.now() + 30_000);
    let ran = 0;
    world.start(async () => {
      ran++;
    });
    await world.untilState("retried", "retry");
    await world.untilState("archived", "archived");
    expect((await world.task("retried"))?.message).toMatchObject({
      retried: 1,
      lastError: "task lease expired",
    });
    expect((await world.task("archived"))?.message.lastError).toBe("task lease expired");
    // The recoverer's pass is over (both orphans are handled); the leased task is untouched.
    expect((await world.task("leased"))?.state).toBe("active");
    expect(ran).toBe(0);
    expect(world.logged("info", "recovering a task whose lease expired")).toHaveLength(2);
  });

  it("runs a recovered task again once its retry is due", async () => {
    await orphan("t1", 5, Date.now() - 120_000);
    const runs: number[] = [];
    world.start(
      async (_task, ctx) => {
        runs.push(ctx.retryCount);
      },
      { retryDelay: () => 0 },
    );
    await world.untilState("t1", "deleted");
    expect(runs).toStrictEqual([1]);
  });
});

describe("heartbeater", () => {
  it("publishes the server and its running task, reports stop, and clears them at shutdown", async () => {
    const held = gate();
    const started: string[] = [];
    const server = world.start(
      async (_task, ctx) => {
        started.push(ctx.taskId);
        await held.promise;
      },
      { concurrency: 2, queues: { default: 2, low: 1 } },
    );
    const now = () => Date.now();
    // The first beat is written at start.
    await eventually(
      async () => (await world.broker.listServers({ now: now() })).length === 1,
      "the server's record",
    );
    const enqueuedAt = now();
    await world.client.enqueue(new Task("work", "payload"), { taskId: "t1", timeout: 60_000 });
    await eventually(() => started.length === 1, "the handler to start");
    const seenStartedAt = now();

    // The next beat (every 5 s) lists the running task.
    await eventually(
      async () => (await world.broker.listWorkers({ now: now() })).length === 1,
      "the worker's record",
      8_000,
      50,
    );
    const workers = await world.broker.listWorkers({ now: now() });
    expect(workers[0]).toMatchObject({
      host: hostname(),
      pid: process.pid,
      serverId: server.identity.serverId,
      taskId: "t1",
      taskType: "work",
      queue: "default",
    });
    expect(new TextDecoder().decode(workers[0]!.taskPayload)).toBe("payload");
    expect(workers[0]!.startedAt).toBeGreaterThanOrEqual(enqueuedAt);
    expect(workers[0]!.startedAt).toBeLessThanOrEqual(seenStartedAt);
    expect(workers[0]!.deadline).toBe(workers[0]!.startedAt + 60_000);
    const [info, ...others] = await world.broker.listServers({ now: now() });
    expect(others).toHaveLength(0);
    expect(info).toMatchObject({
      ...server.identity,
      concurrency: 2,
      queues: { default: 2, low: 1 },
      strictPriority: false,
      status: "active",
      activeWorkerCount: 1,
    });

    await server.stop();
    await eventually(
      async () => (await world.broker.listServers({ now: now() }))[0]?.status === "stopped",
      "the stopped status",
      8_000,
      50,
    );

    held.open();
    await server.shutdown();
    expect(await world.broker.listServers({ now: now() })).toHaveLength(0);
    expect(await world.broker.listWorkers({ now: now() })).toHaveLength(0);
    expect(await world.task("t1")).toBeUndefined();
  });
});
