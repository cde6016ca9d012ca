import { describeBrokerConformance } from "@asynq-ts/testing/conformance";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisBroker } from "../src/index.js";

let server: RedisServerHandle;
let client: Redis;
let brokers = 0;

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url);
});
afterAll(async () => {
  await client?.quit();
  await server?.stop();
});

describeBrokerConformance({
  name: "redis standalone (ioredis)",
  // A fresh key prefix per broker gives every test its own keyspace on the shared server.
  createBroker: async () => createRedisBroker({ client, prefix: `asynq-t${++brokers}` }),
  test: { describe, it, beforeEach, afterEach, expect },
});
