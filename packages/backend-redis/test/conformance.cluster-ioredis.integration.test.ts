import { describeBrokerConformance } from "@asynq-ts/testing/conformance";
import { type RedisClusterHandle, startRedisCluster } from "@asynq-ts/testing/servers";
import { Cluster } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisBroker } from "../src/index.js";

let cluster: RedisClusterHandle;
let client: Cluster;
let brokers = 0;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = new Cluster([...cluster.nodes]);
});
afterAll(async () => {
  await client?.quit();
  await cluster?.stop();
});

describeBrokerConformance({
  name: "redis cluster (ioredis)",
  // A fresh key prefix per broker gives every test its own keyspace on the shared cluster.
  createBroker: async () => createRedisBroker({ client, prefix: `asynq-t${++brokers}` }),
  test: { describe, it, beforeEach, afterEach, expect },
});
