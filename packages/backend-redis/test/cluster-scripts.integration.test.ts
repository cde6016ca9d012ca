import type { Broker } from "@asynq-ts/core";
import { type RedisClusterHandle, startRedisCluster } from "@asynq-ts/testing/servers";
import { Cluster, Redis } from "ioredis";
import { createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySlot } from "../src/cluster/key-slot.js";
import { createRedisBroker } from "../src/index.js";
import { message, T0 } from "./support/messages.js";

// Scripts must run on a node that has never seen them (fresh node, SCRIPT FLUSH, failover):
// EVALSHA falls back to EVAL on the node that owns the keys. Slots and queue locations must
// agree with the cluster itself.

let cluster: RedisClusterHandle;
let nodes: Redis[];

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  nodes = cluster.nodes.map((node) => new Redis(node.port, node.host));
});
afterAll(async () => {
  for (const node of nodes ?? []) node.disconnect();
  await cluster?.stop();
});

/** Queue names whose slots are served by every master (so every node runs scripts). */
async function queuesOnEveryNode(): Promise<string[]> {
  const owners = new Map<string, string>();
  for (let i = 0; owners.size < nodes.length && i < 1000; i++) {
    const queue = `queue-${i}`;
    const [range] = (
      (await nodes[0]!.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][]
    ).filter(([start, end]) => keySlot(`{${queue}}`) >= start && keySlot(`{${queue}}`) <= end);
    const owner = `${range![2][0]}:${range![2][1]}`;
    if (!owners.has(owner)) owners.set(owner, queue);
  }
  return [...owners.values()];
}

async function roundTrip(broker: Broker, queue: string, id: string): Promise<void> {
  const m = message(id, { queue });
  expect(await broker.enqueue({ message: m, placement: { state: "pending" }, now: T0 })).toEqual({
    ok: true,
  });
  const got = await broker.dequeue({ queues: [queue], leaseUntil: T0 + 30_000, now: T0 });
  expect(got?.message.id).toBe(id);
  expect(await broker.done({ queue, taskId: id, uniqueKey: "", now: T0 })).toEqual({ ok: true });
}

const clients: Record<string, () => Promise<{ broker: Broker; close(): Promise<void> }>> = {
  ioredis: async () => {
    const client = new Cluster([...cluster.nodes]);
    const broker = createRedisBroker({ client, prefix: "asynq-scripts-io" });
    return {
      broker,
      close: async () => {
        await broker.close();
        await client.quit();
      },
    };
  },
  "node-redis": async () => {
    const client = createCluster({
      rootNodes: cluster.nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
    });
    client.on("error", () => {});
    await client.connect();
    const broker = createRedisBroker({ client, prefix: "asynq-scripts-nr" });
    return {
      broker,
      close: async () => {
        await broker.close();
        await client.close();
      },
    };
  },
};

describe.each(Object.keys(clients))("cluster scripts (%s)", (name) => {
  it("run on nodes whose script cache was flushed, before and after first use", async () => {
    const { broker, close } = await clients[name]!();
    try {
      const queues = await queuesOnEveryNode();
      expect(queues).toHaveLength(nodes.length);
      for (const node of nodes) await node.script("FLUSH");
      for (const queue of queues) await roundTrip(broker, queue, `${name}-fresh`);
      for (const node of nodes) await node.script("FLUSH");
      for (const queue of queues) await roundTrip(broker, queue, `${name}-flushed`);
    } finally {
      await close();
    }
  });

  it("reports each queue's slot and owning node as the cluster does", async () => {
    const { broker, close } = await clients[name]!();
    try {
      expect(broker.capabilities.queueLocation).toBe(true);
      for (const queue of await queuesOnEveryNode()) {
        const location = await broker.queueLocation!({ queue });
        const slot = await nodes[0]!.cluster("KEYSLOT", `asynq:{${queue}}:pending`);
        expect(location.keySlot).toBe(slot);
        const [range] = (
          (await nodes[0]!.call("CLUSTER", "SLOTS")) as [number, number, [string, number, string]][]
        ).filter(([start, end]) => slot >= start && slot <= end);
        expect(location.nodes[0]).toEqual({
          id: range![2][2],
          address: `${range![2][0]}:${range![2][1]}`,
        });
      }
    } finally {
      await close();
    }
  });
});

describe("keySlot", () => {
  it("agrees with CLUSTER KEYSLOT, hash tags included", async () => {
    const keys = [
      "asynq:queues",
      "asynq:{default}:pending",
      "asynq:{default}:t:0b9a1f",
      "{}",
      "a{}b",
      "a{b",
      "{user1000}.following",
      "foo{}{bar}",
      "émoji-🚀-queue",
      "123456789",
    ];
    for (const key of keys) expect(keySlot(key)).toBe(await nodes[0]!.cluster("KEYSLOT", key));
  });
});
