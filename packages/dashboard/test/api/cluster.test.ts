import { createRedisBroker, type RedisBroker } from "@asynq-ts/backend-redis";
import { Client, Inspector, Task } from "@asynq-ts/core";
import { type RedisClusterHandle, startRedisCluster } from "@asynq-ts/testing/servers";
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDashboard,
  type RedisInfoResponse,
  redisInfoSourceFromIoredis,
} from "../../src/index.js";

// The Redis page over a real 3-master cluster through an ioredis Cluster.

let cluster: RedisClusterHandle;
let client: Cluster;
let broker: RedisBroker;
let inspector: Inspector;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })));
  broker = createRedisBroker({ client });
  inspector = new Inspector(broker);
  const producer = new Client(broker);
  for (const queue of ["default", "critical"]) {
    await producer.enqueue(new Task("cluster:test", queue), { queue, taskId: `${queue}-1` });
  }
}, 60_000);
afterAll(async () => {
  await broker?.close();
  client?.disconnect();
  await cluster?.stop();
});

describe("redis_info on a cluster", { timeout: 30_000 }, () => {
  it("answers one node's INFO, CLUSTER NODES and each queue's key slot and nodes", async () => {
    const dashboard = createDashboard({ inspector, redisInfo: redisInfoSourceFromIoredis(client) });
    const res = await dashboard.fetch(new Request("http://dash.test/api/redis_info"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as RedisInfoResponse;
    expect(body.cluster).toBe(true);
    expect(body.info.redis_version).toBeDefined();
    expect(body.info.cluster_enabled).toBe("1");
    expect(body.raw_cluster_nodes.match(/master/g)?.length).toBeGreaterThanOrEqual(3);
    const masters = cluster.nodes.map(({ host, port }) => `${host}:${port}`).sort();
    expect(body.address.split(",").sort()).toEqual(masters);
    expect(body.queue_locations?.map((l) => l.queue)).toEqual(["critical", "default"]);
    for (const location of body.queue_locations ?? []) {
      expect(location.keyslot).toBe(await inspector.clusterKeySlot(location.queue));
      const nodes = await inspector.clusterNodes(location.queue);
      expect(location.nodes).toEqual(nodes.map((n) => n.address));
      expect(location.nodes.length).toBeGreaterThan(0);
    }
  });
});
