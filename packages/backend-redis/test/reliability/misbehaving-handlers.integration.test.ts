import { Client, Server, Task } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBroker } from "../../src/index.js";
import { eventually } from "./support/load.js";
import { nastyThrowables, recordingLogger } from "./support/misbehaviour.js";

// The Redis variant of the stuck-handler cases, on the real clock: a handler that ignores its
// signal and never returns does not keep the server from shutting down within its timeout,
// and its task goes back to the front of the queue; hostile thrown values are stored as text.

let redis: RedisServerHandle;
let client: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
});
afterAll(async () => {
  await client?.quit();
  await redis?.stop();
});

describe("misbehaving handlers on Redis", () => {
  it("a never-returning handler: shutdown completes and the task is requeued untouched", async () => {
    const broker = createRedisBroker({ client, prefix: "stuck" });
    const logger = recordingLogger();
    const started: string[] = [];
    const server = new Server(broker, { logger, concurrency: 2, shutdownTimeout: 300 });
    try {
      await new Client(broker).enqueue(new Task("stuck"), { taskId: "t1" });
      server.start((_task, ctx) => {
        started.push(ctx.taskId);
        return new Promise<void>(() => {}); // ignores its signal, never settles
      });
      expect(await eventually(() => started.length === 1, 10_000)).toBe(true);
      await server.shutdown();

      const found = await broker.getTask({ queue: "default", taskId: "t1", now: Date.now() });
      expect(found.ok && found.task.state).toBe("pending");
      expect(found.ok && found.task.message.retried).toBe(0);
      expect(logger.entries.some((e) => e.message.includes("ignored the shutdown signal"))).toBe(
        true,
      );
      expect(await broker.listServers({ now: Date.now() })).toEqual([]);
    } finally {
      await server.shutdown();
      await broker.close();
    }
  });

  it("hostile thrown values become text errors on every task", async () => {
    const broker = createRedisBroker({ client, prefix: "throws" });
    const thrown = nastyThrowables();
    const server = new Server(broker, {
      logger: recordingLogger(),
      concurrency: 4,
      retryDelay: () => 3_600_000,
    });
    try {
      const producer = new Client(broker);
      for (const [i] of thrown.entries()) {
        await producer.enqueue(new Task("throws", String(i)), { taskId: `t${i}`, maxRetry: 1 });
      }
      server.start(async (task) => {
        throw thrown[Number(task.text())]?.value;
      });
      const allRetried = await eventually(async () => {
        const stats = await broker.queueStats({ queue: "default", now: Date.now() });
        return stats.ok && stats.stats.retry === thrown.length;
      }, 20_000);
      expect(allRetried).toBe(true);
      const retry = await broker.listTasks({
        queue: "default",
        state: "retry",
        offset: 0,
        limit: 100,
        now: Date.now(),
      });
      expect(retry.ok && retry.tasks.every((t) => typeof t.message.lastError === "string")).toBe(
        true,
      );
    } finally {
      await server.shutdown();
      await broker.close();
    }
  });
});
