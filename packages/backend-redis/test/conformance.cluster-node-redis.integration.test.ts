import { describeBrokerConformance } from "@asynq-ts/testing/conformance";
import { type RedisClusterHandle, startRedisCluster } from "@asynq-ts/testing/servers";
import { createCluster, type RedisClusterType } from "redis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisBroker } from "../src/index.js";

let cluster: RedisClusterHandle;
let client: RedisClusterType;
let brokers = 0;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = createCluster({
    rootNodes: cluster.nodes.map((node) => ({ url: `redis://${node.host}:${node.port}` })),
  });
  client.on("error", () => {});
  await client.connect();
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

describeBrokerConformance({
  name: "redis cluster (node-redis)",
  // A fresh key prefix per broker gives every test its own keyspace on the shared cluster.
  createBroker: async () => createRedisBroker({ client, prefix: `asynq-t${++brokers}` }),
  test: { describe, it, beforeEach, afterEach, expect },
});
