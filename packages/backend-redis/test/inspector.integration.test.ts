// The Inspector's behaviour over Redis (standalone × ioredis and a 3-master Cluster × ioredis).
import { createRedisBroker } from "@asynq-ts/backend-redis";
import { describeInspectorBehaviour } from "@asynq-ts/testing/conformance";
import {
  type RedisClusterHandle,
  type RedisServerHandle,
  startRedisCluster,
  startRedisServer,
} from "@asynq-ts/testing/servers";
import { Cluster, Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

const test = { describe, it, beforeEach, afterEach, expect };
let n = 0;

describe("standalone", () => {
  let server: RedisServerHandle;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.port, server.host);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  describeInspectorBehaviour({
    name: "redis standalone (ioredis)",
    createBroker: async () => createRedisBroker({ client, prefix: `asynq-i${++n}` }),
    test,
  });
});

describe("cluster", () => {
  let cluster: RedisClusterHandle;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    client = new Cluster(cluster.nodes.map((node) => ({ host: node.host, port: node.port })));
  });
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });
  describeInspectorBehaviour({
    name: "redis cluster (ioredis)",
    createBroker: async () => createRedisBroker({ client, prefix: `asynq-ic${++n}` }),
    test,
  });
});
