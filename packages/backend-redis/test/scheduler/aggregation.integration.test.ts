// Group aggregation end to end on real Redis, standalone and a 3-master Cluster: a Server with
// a groupAggregator (grace 1 s, max size 5) aggregates grouped tasks, some of them scheduled
// (processIn), and a handler records the member payloads of each aggregated task. Every member
// must be aggregated and handled exactly once, scheduled members only once due (they enter the
// group from "scheduled"), and no group, aggregation-set or member key may remain.
import { Client, type GroupAggregator, type Handler, Server, Task } from "@asynq-ts/core";
import {
  type RedisClusterHandle,
  type RedisServerHandle,
  startRedisCluster,
  startRedisServer,
} from "@asynq-ts/testing/servers";
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBroker, type RedisBroker } from "../../src/index.js";
import { eventually, recordingLogger } from "../server/support.js";

const QUEUE = "agg";
const MAX_SIZE = 5;

/** A member's payload: which group it was enqueued to, and its number. */
interface MemberPayload {
  readonly group: string;
  readonly n: number;
}

/** What the handler receives in an aggregated task. */
interface BatchPayload {
  readonly group: string;
  readonly members: readonly { readonly id: string; readonly payload: MemberPayload }[];
}

/** The members enqueued per group: how many at once and how many with processIn. */
const PLAN = [
  { group: "a", now: 12, scheduled: 3 },
  { group: "b", now: 3, scheduled: 2 },
] as const;
const SCHEDULED_IN = 2_000;

/** Where a scenario runs: a broker factory and a way to list every key under a prefix. */
interface Backend {
  broker(prefix: string): RedisBroker;
  keys(prefix: string): Promise<string[]>;
}

const decoder = new TextDecoder();

async function runScenario(backend: Backend, prefix: string): Promise<void> {
  const broker = backend.broker(prefix);
  const client = new Client(broker);
  const logger = recordingLogger();
  const aggregated: { group: string; ids: string[]; at: number }[] = [];
  const batches: BatchPayload[] = [];
  const strays: string[] = [];

  const aggregate: GroupAggregator = (group, tasks) => {
    aggregated.push({ group, ids: tasks.map((t) => t.id), at: Date.now() });
    const members = tasks.map((t) => ({
      id: t.id,
      payload: JSON.parse(decoder.decode(t.payload)) as MemberPayload,
    }));
    return new Task("agg:batch", JSON.stringify({ group, members } satisfies BatchPayload));
  };
  const handler: Handler = async (task) => {
    if (task.type === "agg:batch") batches.push(JSON.parse(decoder.decode(task.payload)));
    else strays.push(task.type);
  };
  const server = new Server(broker, {
    queues: { [QUEUE]: 1 },
    concurrency: 2,
    groupAggregator: aggregate,
    groupGracePeriod: 1_000,
    groupMaxSize: MAX_SIZE,
    delayedTaskCheckInterval: 100,
    shutdownTimeout: 2_000,
    logger,
    logLevel: "warn",
  });

  try {
    const memberIds: string[] = [];
    const scheduledIds: string[] = [];
    // Earliest instant each scheduled member can be due: Redis keeps whole seconds (floored).
    const earliestDue = new Map<string, number>();
    for (const { group, now, scheduled } of PLAN) {
      for (let n = 0; n < now + scheduled; n++) {
        const later = n >= now;
        const payload: MemberPayload = { group, n };
        const before = Date.now();
        const info = await client.enqueue(new Task("agg:member", JSON.stringify(payload)), {
          queue: QUEUE,
          group,
          ...(later ? { processIn: SCHEDULED_IN } : {}),
        });
        // Scheduled grouped tasks wait as "scheduled", not in the group, until due.
        expect(info.state).toBe(later ? "scheduled" : "aggregating");
        expect(info.group).toBe(group);
        memberIds.push(info.id);
        if (later) {
          scheduledIds.push(info.id);
          earliestDue.set(info.id, Math.floor((before + SCHEDULED_IN) / 1000) * 1000);
        }
      }
    }
    // ioredis ≥ 5.8.2 races a SUBSCRIBE written between a connection's "connect" and "ready"
    // with its handshake (redis/ioredis#2037): the ready check fails with "Connection in
    // subscriber mode" and the server's cancellation subscription is retried 5 s later. The
    // broker's subscriber connection is opened here first (its SUBSCRIBE waits in the offline
    // queue until ready), so the server subscribes on a ready connection.
    await (await broker.subscribeCancellations(() => {})).close();
    server.start(handler);

    const handledIds = () => batches.flatMap((b) => b.members.map((m) => m.id));
    await eventually(
      () => handledIds().length >= memberIds.length,
      "every member handled in an aggregated task",
      20_000,
      50,
    );
    // Quiescent: nothing left waiting, scheduled, aggregating or running in the queue.
    await eventually(
      async () => {
        const stats = await broker.queueStats({ queue: QUEUE, now: Date.now() });
        if (!stats.ok) return false;
        const { pending, active, scheduled, retry, aggregating, groups } = stats.stats;
        return pending + active + scheduled + retry + aggregating + groups === 0;
      },
      "queue drained",
      10_000,
      50,
    );
    await server.shutdown();

    expect(strays).toStrictEqual([]);
    expect(logger.entries.filter((e) => e.level === "error")).toStrictEqual([]);
    // Every member aggregated exactly once and handled exactly once.
    const sorted = (ids: readonly string[]) => [...ids].sort();
    expect(sorted(aggregated.flatMap((a) => a.ids))).toStrictEqual(sorted(memberIds));
    expect(sorted(handledIds())).toStrictEqual(sorted(memberIds));
    expect(batches).toHaveLength(aggregated.length);
    for (const batch of batches) {
      expect(batch.members.length).toBeGreaterThan(0);
      expect(batch.members.length).toBeLessThanOrEqual(MAX_SIZE);
      for (const member of batch.members) expect(member.payload.group).toBe(batch.group);
    }
    for (const { group, now, scheduled } of PLAN) {
      const ns = batches
        .filter((b) => b.group === group)
        .flatMap((b) => b.members.map((m) => m.payload.n))
        .sort((x, y) => x - y);
      expect(ns).toStrictEqual(Array.from({ length: now + scheduled }, (_, n) => n));
    }
    for (const id of scheduledIds) expect(handledIds()).toContain(id);
    // A scheduled member joins its group only once due, so it is never aggregated before.
    for (const { ids, at } of aggregated) {
      for (const id of ids) expect(at).toBeGreaterThanOrEqual(earliestDue.get(id) ?? 0);
    }

    // Nothing of the groups is left: no group zset, set, index, or member/batch task hash.
    const keys = await backend.keys(prefix);
    const base = `${prefix}:{${QUEUE}}:`;
    expect(keys.filter((k) => k.startsWith(`${base}g:`))).toStrictEqual([]);
    expect(keys).not.toContain(`${base}groups`);
    expect(keys).not.toContain(`${base}aggregation_sets`);
    expect(keys.filter((k) => k.startsWith(`${base}t:`))).toStrictEqual([]);
    const sizes = aggregated.map((a) => a.ids.length).join(",");
    console.log(
      `aggregation (${prefix}): members=${memberIds.length} (scheduled ${scheduledIds.length}) ` +
        `aggregations=${aggregated.length} sizes=[${sizes}] handled=${handledIds().length} ` +
        `keys-left=${JSON.stringify(keys.sort())}`,
    );
  } finally {
    await server.shutdown();
    await client.close();
    await broker.close();
  }
}

describe("aggregation on standalone Redis", () => {
  let redis: RedisServerHandle;
  let direct: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    direct = new Redis(redis.url);
  });
  afterAll(async () => {
    direct?.disconnect();
    await redis?.stop();
  });

  it("aggregates every grouped member exactly once, scheduled ones when due", async () => {
    await runScenario(
      {
        broker: (prefix) => createRedisBroker({ url: redis.url, prefix }),
        keys: (prefix) => direct.keys(`${prefix}:*`),
      },
      "agg-standalone",
    );
  }, 30_000);
});

describe("aggregation on a 3-master Redis Cluster", () => {
  let cluster: RedisClusterHandle;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    client = new Cluster([...cluster.nodes]);
  });
  afterAll(async () => {
    await client?.quit();
    await cluster?.stop();
  });

  it("aggregates every grouped member exactly once, scheduled ones when due", async () => {
    await runScenario(
      {
        broker: (prefix) => createRedisBroker({ client, prefix }),
        // KEYS only sees one node's keys: ask every master.
        keys: async (prefix) => {
          const perNode = await Promise.all(
            client.nodes("master").map((node) => node.keys(`${prefix}:*`)),
          );
          return perNode.flat();
        },
      },
      "agg-cluster",
    );
  }, 30_000);
});
