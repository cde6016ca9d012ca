import {
  type Broker,
  Client,
  DurabilityTimeoutError,
  Task,
  TaskIdConflictError,
} from "@asynq-ts/core";
import { type RedisSentinelGroupHandle, startRedisSentinelGroup } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSentinelBroker, type SentinelLibrary } from "../src/index.js";

// One group with passwords on the data nodes and on the sentinels: every broker below also
// proves that both sets of credentials pass through, from options and from the URL.
const PASSWORD = "node-secret";
const SENTINEL_PASSWORD = "sentinel-secret";
const LIBRARIES: readonly SentinelLibrary[] = ["ioredis", "node-redis"];

let group: RedisSentinelGroupHandle;
let master: Redis;
let prefixes = 0;

beforeAll(async () => {
  group = await startRedisSentinelGroup({
    password: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
  });
  master = new Redis({ port: await group.masterPort(), password: PASSWORD });
  master.on("error", () => {});
});
afterAll(async () => {
  master?.disconnect();
  await group?.stop();
});

/** Opens a broker, runs `body`, and always closes the broker. */
async function withBroker(
  library: SentinelLibrary,
  extra: {
    readonly durability?: { replicas: number; timeoutMs: number };
    readonly viaUrl?: boolean;
  },
  body: (broker: Broker, prefix: string) => Promise<void>,
): Promise<void> {
  const prefix = `asynq-durable-${++prefixes}`;
  const common = {
    library,
    prefix,
    sentinelPassword: SENTINEL_PASSWORD,
    ...(extra.durability === undefined ? {} : { durability: extra.durability }),
  };
  const broker = extra.viaUrl
    ? await createSentinelBroker({ url: group.url, ...common })
    : await createSentinelBroker({
        sentinels: group.sentinels,
        name: group.masterName,
        password: PASSWORD,
        ...common,
      });
  try {
    await body(broker, prefix);
  } finally {
    await broker.close();
  }
}

/** How many WAIT commands the master has run so far. */
async function waitCalls(): Promise<number> {
  const stats = await master.info("commandstats");
  return Number(/cmdstat_wait:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe.each(LIBRARIES)("durable enqueue (%s)", (library) => {
  it("resolves once the replica holds the task, with one WAIT per enqueue and none elsewhere", async () => {
    await withBroker(library, { durability: { replicas: 1, timeoutMs: 2_000 } }, async (broker) => {
      const client = new Client(broker);
      const before = await waitCalls();
      for (const taskId of ["a", "b", "c"]) {
        await client.enqueue(new Task("t", taskId), { taskId });
      }
      expect((await waitCalls()) - before).toBe(3);

      const now = Date.now();
      const dequeued = await broker.dequeue({ queues: ["default"], now, leaseUntil: now + 30_000 });
      expect(dequeued?.message.id).toBe("a");
      await broker.done({ queue: "default", taskId: "a", uniqueKey: "", now });
      expect((await waitCalls()) - before).toBe(3);
    });
  });

  it("confirms bulk, scheduled and grouped enqueues too", async () => {
    await withBroker(library, { durability: { replicas: 1, timeoutMs: 2_000 } }, async (broker) => {
      const client = new Client(broker);
      const before = await waitCalls();
      const results = await client.enqueueBulk([new Task("t", "1"), new Task("t", "2")]);
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      await client.enqueue(new Task("t", "later"), { processIn: 60_000 });
      await client.enqueue(new Task("t", "grouped"), { group: "g" });
      // The bulk items may share one confirmed script call, so 3 or 4 WAITs (never fewer).
      expect((await waitCalls()) - before).toBeGreaterThanOrEqual(3);
    });
  });

  it("rejects with DurabilityTimeoutError when fewer replicas confirm in time", async () => {
    await withBroker(library, { durability: { replicas: 2, timeoutMs: 200 } }, async (broker) => {
      const enqueued = new Client(broker).enqueue(new Task("t", "x"), { taskId: "unconfirmed" });
      await expect(enqueued).rejects.toBeInstanceOf(DurabilityTimeoutError);
      await expect(enqueued).rejects.toMatchObject({
        code: "DURABILITY_TIMEOUT",
        replicas: 2,
        acknowledged: 1,
      });
      // Not confirmed is not "not stored": the master has it, so a retry sees the conflict.
      const found = await broker.getTask({
        queue: "default",
        taskId: "unconfirmed",
        now: Date.now(),
      });
      expect(found.ok).toBe(true);
    });
  });

  it("still reports refusals as refusals", async () => {
    await withBroker(library, { durability: { replicas: 1, timeoutMs: 2_000 } }, async (broker) => {
      const client = new Client(broker);
      await client.enqueue(new Task("t", "x"), { taskId: "same" });
      await expect(client.enqueue(new Task("t", "x"), { taskId: "same" })).rejects.toBeInstanceOf(
        TaskIdConflictError,
      );
    });
  });

  it("connects from a redis-sentinel:// URL with both passwords", async () => {
    await withBroker(library, { viaUrl: true }, async (broker, prefix) => {
      await new Client(broker).enqueue(new Task("t", "x"), { taskId: "from-url" });
      expect(await master.exists(`${prefix}:{default}:t:from-url`)).toBe(1);
    });
  });
});
