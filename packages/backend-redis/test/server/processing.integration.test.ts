// End to end on real Redis: a Server processing tasks with the real clock — outcomes of
// attempts (success, retention, timeout, SkipRetry, Revoke), weighted queues, concurrency cap.
import {
  type HandlerContext,
  RevokeTaskError,
  type ServerConfig,
  SkipRetryError,
  seededRandom,
  Task,
} from "@asynq-ts/core";
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

const failing = (error: unknown) => async () => {
  throw error;
};

describe("attempt outcomes", () => {
  it("keeps a task with retention as completed, with the result its handler wrote", async () => {
    world.start(async (_task, ctx) => {
      await ctx.writeResult(new TextEncoder().encode("done!"));
    });
    const before = Date.now();
    await world.client.enqueue(new Task("report"), { taskId: "t1", retention: 60_000 });
    await world.untilState("t1", "completed");
    const record = await world.task("t1");
    expect(new TextDecoder().decode(record?.result ?? new Uint8Array())).toBe("done!");
    // Redis stores whole seconds.
    expect(record?.message.completedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(record?.message.completedAt).toBeLessThanOrEqual(Date.now());
    expect((await world.stats()).processed).toBe(1);
  });

  it("aborts an attempt at its timeout, retries the task, and the retry runs", async () => {
    const reasons: unknown[] = [];
    const errors: unknown[] = [];
    let attempts = 0;
    world.start(
      async (_task, ctx) => {
        attempts++;
        if (ctx.retryCount > 0) return;
        const reason = await aborted(ctx.signal);
        reasons.push(reason);
        throw reason;
      },
      { retryDelay: () => 0, errorHandler: (error) => void errors.push(error) },
    );
    await world.client.enqueue(new Task("slow"), { taskId: "t1", timeout: 1_000 });
    await world.untilState("t1", "deleted");
    expect(attempts).toBe(2);
    expect(reasons.map(codeOf)).toStrictEqual(["TASK_TIMEOUT"]);
    expect(errors.map(codeOf)).toStrictEqual(["TASK_TIMEOUT"]);
    const stats = await world.stats();
    expect([stats.processed, stats.failed]).toStrictEqual([2, 1]);
  });

  it("records the timeout as the last error of a task waiting to be retried", async () => {
    world.start(async (_task, ctx) => {
      throw await aborted(ctx.signal);
    });
    await world.client.enqueue(new Task("slow"), { taskId: "t1", timeout: 1_000 });
    await world.untilState("t1", "retry");
    const record = await world.task("t1");
    expect(record?.message.retried).toBe(1);
    expect(record?.message.lastError).toContain("deadline exceeded");
  });

  it("archives a task that throws SkipRetryError, even with retries left", async () => {
    world.start(failing(new Error("wrapped", { cause: new SkipRetryError("bad payload") })));
    await world.client.enqueue(new Task("bad"), { taskId: "t1", maxRetry: 10 });
    await world.untilState("t1", "archived");
    const record = await world.task("t1");
    expect(record?.message).toMatchObject({ lastError: "wrapped", retried: 0 });
  });

  it("deletes a task that throws RevokeTaskError, without retry or archive", async () => {
    const errors: unknown[] = [];
    world.start(failing(new RevokeTaskError()), {
      errorHandler: (error) => void errors.push(error),
    });
    await world.client.enqueue(new Task("obsolete"), { taskId: "t1" });
    await world.untilState("t1", "deleted");
    expect(errors).toHaveLength(1);
    const stats = await world.stats();
    expect([stats.retry, stats.archived, stats.active]).toStrictEqual([0, 0, 0]);
  });
});

describe("queues and concurrency", () => {
  async function fill(queue: string, count: number): Promise<void> {
    const items = Array.from({ length: count }, () => ({
      task: new Task("job"),
      options: { queue },
    }));
    const results = await world.client.enqueueBulk(items);
    expect(results.every((r) => r.ok)).toBe(true);
  }

  it("serves weighted queues in proportion to their priorities", async () => {
    const sample = 600;
    for (const queue of ["critical", "default", "low"]) await fill(queue, sample);
    const order: string[] = [];
    const config: ServerConfig = {
      queues: { critical: 6, default: 3, low: 1 },
      random: seededRandom(42),
    };
    const server = world.start(async (_task, ctx: HandlerContext) => {
      order.push(ctx.queue);
      if (order.length === sample) void server.stop();
    }, config);
    await eventually(() => order.length >= sample, `${sample} tasks`, 30_000);
    const share = (queue: string) => order.filter((q) => q === queue).length / order.length;
    // Every queue stays non-empty, so each dequeue takes the queue drawn first.
    expect(share("critical")).toBeGreaterThan(0.55);
    expect(share("critical")).toBeLessThan(0.65);
    expect(share("default")).toBeGreaterThan(0.25);
    expect(share("default")).toBeLessThan(0.35);
    expect(share("low")).toBeGreaterThan(0.06);
    expect(share("low")).toBeLessThan(0.14);
  });

  it("never runs more handlers than the concurrency allows", async () => {
    const total = 30;
    const concurrency = 4;
    let inFlight = 0;
    let maxInFlight = 0;
    let finished = 0;
    const held = gate();
    world.start(
      async (_task, ctx) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // The first handlers wait for the test; the later ones take a few ms each.
        if (ctx.taskId.startsWith("held")) await held.promise;
        else await delay(5 + (finished % 10));
        inFlight--;
        finished++;
      },
      { concurrency },
    );
    const items = Array.from({ length: total }, (_, i) => ({
      task: new Task("job"),
      options: { taskId: i < concurrency ? `held-${i}` : `free-${i}` },
    }));
    await world.client.enqueueBulk(items);
    await eventually(() => inFlight === concurrency, "the server to fill its slots");
    // Give the server every chance to overrun: work is pending and every slot is busy.
    await delay(200);
    expect(inFlight).toBe(concurrency);
    expect((await world.stats()).active).toBe(concurrency);
    held.open();
    await eventually(() => finished === total, "every task", 20_000);
    expect(maxInFlight).toBe(concurrency);
  });
});
