import { describeBrokerConformance } from "@asynq-ts/testing/conformance";
import { type RedisSentinelGroupHandle, startRedisSentinelGroup } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSentinelBroker, ioredisSentinelOptions } from "../src/index.js";

let group: RedisSentinelGroupHandle;
let client: Redis;
let brokers = 0;

beforeAll(async () => {
  group = await startRedisSentinelGroup();
  client = new Redis(
    ioredisSentinelOptions({ sentinels: group.sentinels, name: group.masterName }),
  );
  client.on("error", () => {});
});
afterAll(async () => {
  client?.disconnect();
  await group?.stop();
});

describeBrokerConformance({
  name: "redis sentinel (ioredis, durable enqueue)",
  // A fresh key prefix per broker gives every test its own keyspace on the shared master. Durable
  // enqueue is on, so every enqueue also proves the replica confirmed it.
  createBroker: () =>
    createSentinelBroker({
      client,
      prefix: `asynq-t${++brokers}`,
      durability: { replicas: 1, timeoutMs: 2_000 },
    }),
  test: { describe, it, beforeEach, afterEach, expect },
});
