import { describeBrokerConformance } from "@asynq-ts/testing/conformance";
import RedisMock from "ioredis-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRedisBroker, type IoredisClient } from "../src/index.js";

// ioredis-mock has no server to start; its gaps are declared by the broker's capabilities and
// listed in README.md.
const client = new RedisMock() as unknown as IoredisClient;
let brokers = 0;

afterAll(async () => {
  client.disconnect();
});

describeBrokerConformance({
  name: "ioredis-mock",
  // A fresh key prefix per broker gives every test its own keyspace in the shared mock.
  createBroker: async () => createRedisBroker({ client, prefix: `asynq-t${++brokers}` }),
  test: { describe, it, beforeEach, afterEach, expect },
});
