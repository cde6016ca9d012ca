import { describeBrokerConformance } from "@asynq-ts/testing/conformance";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { createClient, type RedisClientType } from "redis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisBroker } from "../src/index.js";

let server: RedisServerHandle;
let client: RedisClientType;
let brokers = 0;

beforeAll(async () => {
  server = await startRedisServer();
  client = createClient({ url: server.url });
  client.on("error", () => {});
  await client.connect();
});
afterAll(async () => {
  await client?.close();
  await server?.stop();
});

describeBrokerConformance({
  name: "redis standalone (node-redis)",
  // A fresh key prefix per broker gives every test its own keyspace on the shared server.
  createBroker: async () => createRedisBroker({ client, prefix: `asynq-t${++brokers}` }),
  test: { describe, it, beforeEach, afterEach, expect },
});
