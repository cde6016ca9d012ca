import type { Broker } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBroker } from "../src/index.js";
import { message, T0 } from "./support/messages.js";

// A Redis restart (with an append-only file, so data survives) must not lose tasks or leave
// any stuck active; clients reconnect by themselves and the pub/sub connection resubscribes.

const TASKS = 10;

let server: RedisServerHandle;

beforeAll(async () => {
  server = await startRedisServer({ args: ["--appendonly", "yes", "--appendfsync", "always"] });
});
afterAll(async () => {
  await server?.stop();
});

async function eventually(check: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function processOne(broker: Broker, queue: string): Promise<boolean> {
  const got = await broker.dequeue({ queues: [queue], leaseUntil: T0 + 30_000, now: T0 });
  if (got === null) return false;
  const result = await broker.done({ queue, taskId: got.message.id, uniqueKey: "", now: T0 });
  expect(result).toEqual({ ok: true });
  return true;
}

/** A broker over a user client, and how to dispose of both. */
interface Setup {
  readonly broker: Broker;
  close(): Promise<void>;
}

const setups: Record<string, (url: string, prefix: string) => Promise<Setup>> = {
  ioredis: async (url, prefix) => {
    const client = new Redis(url);
    client.on("error", () => {});
    const broker = createRedisBroker({ client, prefix });
    return {
      broker,
      close: async () => {
        await broker.close();
        client.disconnect();
      },
    };
  },
  "node-redis": async (url, prefix) => {
    const client = createClient({ url });
    client.on("error", () => {});
    await client.connect();
    const broker = createRedisBroker({ client, prefix });
    return {
      broker,
      close: async () => {
        await broker.close();
        client.destroy();
      },
    };
  },
};

describe.each(Object.keys(setups))("after a Redis restart (%s)", (name) => {
  it("keeps every task, leaves none active, and still delivers cancellations", async () => {
    const { broker, close } = await setups[name]!(server.url, `asynq-reconnect-${name}`);
    try {
      const queue = "q";
      for (let i = 0; i < TASKS; i++) {
        const m = message(`task-${i}`, { queue });
        await broker.enqueue({ message: m, placement: { state: "pending" }, now: T0 });
      }
      for (let i = 0; i < TASKS / 2; i++) expect(await processOne(broker, queue)).toBe(true);
      const cancelled: string[] = [];
      const subscription = await broker.subscribeCancellations((id) => cancelled.push(id));

      await server.restart();

      // The client reconnects on its own; commands issued meanwhile wait or fail, never corrupt.
      expect(
        await eventually(async () =>
          broker.ping().then(
            () => true,
            () => false,
          ),
        ),
      ).toBe(true);
      let processed = TASKS / 2;
      while (await processOne(broker, queue)) processed += 1;
      expect(processed).toBe(TASKS);
      const stats = await broker.queueStats({ queue, now: T0 });
      expect(stats.ok && stats.stats).toMatchObject({
        pending: 0,
        active: 0,
        processedTotal: TASKS,
      });

      // The subscriber connection resubscribed after the restart.
      expect(
        await eventually(async () => {
          await broker.publishCancellation({ taskId: "after-restart" });
          return cancelled.includes("after-restart");
        }),
      ).toBe(true);
      await subscription.close();
    } finally {
      await close();
    }
  });
});
