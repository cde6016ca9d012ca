import type { Broker } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBroker } from "../src/index.js";
import { message, T0 } from "./support/messages.js";

// Many workers on several connections race for the same queue: the dequeue script must hand
// every task out exactly once, and oldest first.

const TASKS = 200;
const WORKERS_PER_BROKER = 10;

let server: RedisServerHandle;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await server?.stop();
});

async function brokers(prefix: string): Promise<Broker[]> {
  const io1 = new Redis(server.url);
  const io2 = new Redis(server.url);
  const nr = createClient({ url: server.url });
  nr.on("error", () => {});
  await nr.connect();
  closers.push(
    () => io1.quit(),
    () => io2.quit(),
    () => nr.close(),
  );
  return [io1, io2, nr].map((client) => createRedisBroker({ client, prefix }));
}

describe("concurrent dequeues", () => {
  it("hand out every task exactly once across clients, oldest first per worker", async () => {
    const all = await brokers("asynq-race");
    const [first] = all;
    for (let i = 0; i < TASKS; i++) {
      const m = message(`t${String(i).padStart(4, "0")}`, { queue: "q" });
      await first!.enqueue({ message: m, placement: { state: "pending" }, now: T0 });
    }
    const taken: string[] = [];
    const worker = async (broker: Broker) => {
      const mine: string[] = [];
      for (;;) {
        const got = await broker.dequeue({ queues: ["q"], leaseUntil: T0 + 30_000, now: T0 });
        if (got === null) break;
        mine.push(got.message.id);
        await broker.done({ queue: "q", taskId: got.message.id, uniqueKey: "", now: T0 });
      }
      // Each worker sees tasks in enqueue order.
      expect(mine).toEqual([...mine].sort());
      taken.push(...mine);
    };
    await Promise.all(
      all.flatMap((b) => Array.from({ length: WORKERS_PER_BROKER }, () => worker(b))),
    );
    expect(taken.length).toBe(TASKS);
    expect(new Set(taken).size).toBe(TASKS);
    const stats = await first!.queueStats({ queue: "q", now: T0 });
    expect(stats.ok && stats.stats).toMatchObject({ pending: 0, active: 0, processedTotal: TASKS });
  });
});
