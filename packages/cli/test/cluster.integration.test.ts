import { createRedisBroker } from "@asynq-ts/backend-redis";
import { Client, Task } from "@asynq-ts/core";
import { type RedisClusterHandle, startRedisCluster } from "@asynq-ts/testing/servers";
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lines, runBinary } from "./support/cli.js";

// The executable against a 3-master Redis Cluster, through --cluster --cluster-addrs.

let cluster: RedisClusterHandle;
let client: Cluster;
let addrs: string;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })));
  const broker = createRedisBroker({ client });
  const producer = new Client(broker);
  for (const queue of ["default", "critical", "low"]) {
    await producer.enqueue(new Task("cluster:test", queue), { queue, taskId: `${queue}-1` });
  }
  await broker.close();
  addrs = cluster.nodes.map(({ host, port }) => `${host}:${port}`).join(",");
});
afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
});

/** The slot of a queue's keys and the address of the master serving it, asked of Redis itself. */
async function placement(queue: string): Promise<{ keySlot: number; address: string }> {
  const keySlot = (await client.cluster("KEYSLOT", `asynq:{${queue}}:pending`)) as number;
  const slots = await client.cluster("SLOTS");
  const master = slots.find(([from, to]) => from <= keySlot && keySlot <= to)?.[2];
  return { keySlot, address: `${master?.[0]}:${master?.[1]}` };
}

describe("asynq --cluster", { timeout: 60_000 }, () => {
  it("lists queues with their key slot and the node serving it; stats shows CLUSTER INFO", async () => {
    const args = ["--cluster", "--cluster-addrs", addrs];
    const [table, asJson, stats, tasks] = await Promise.all([
      runBinary([...args, "queue", "ls"]),
      runBinary([...args, "--json", "queue", "ls"]),
      runBinary([...args, "stats"]),
      runBinary([...args, "task", "ls", "-q", "low", "-s", "pending"]),
    ]);
    const expected = await Promise.all(
      ["critical", "default", "low"].map(async (queue) => ({ queue, ...(await placement(queue)) })),
    );

    expect([table.code, table.stderr]).toEqual([0, ""]);
    expect(lines(table.stdout)).toEqual([
      expect.stringMatching(/^Queue\s+KeySlot\s+Nodes$/),
      expect.stringMatching(/^-+\s+-+\s+-+$/),
      ...expected.map(({ queue, keySlot, address }) =>
        expect.stringMatching(new RegExp(`^${queue}\\s+${keySlot}\\s+${address}$`)),
      ),
    ]);
    expect(new Set(expected.map((e) => e.keySlot)).size).toBe(3);

    expect(JSON.parse(asJson.stdout)).toEqual(
      expected.map(({ queue, keySlot, address }) => ({
        queue,
        keySlot,
        nodes: [{ id: expect.any(String), address }],
      })),
    );
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(
      /Redis Cluster Info\n(.*\n)*cluster_state:\s+ok\n(.*\n)*cluster_known_nodes:\s+3\n/,
    );
    expect(tasks.stdout).toMatch(/\nlow-1\s+cluster:test\s+low\s+0\/25\n$/);
  });

  it("fails in one line when no node answers", async () => {
    const result = await runBinary([
      "--cluster",
      "--cluster-addrs",
      "127.0.0.1:1",
      "--connect-timeout",
      "2",
      "queue",
      "ls",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: cannot connect to Redis at cluster 127\.0\.0\.1:1: .*\n$/,
    );
  });
});
