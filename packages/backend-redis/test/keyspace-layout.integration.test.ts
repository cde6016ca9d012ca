import { DEFAULTS, type TaskMessage } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encodeServerInfo, encodeTaskMessage, encodeWorkerInfo } from "../src/encoding/index.js";
import { createRedisBroker, type RedisBroker } from "../src/index.js";
import { type DumpedValue, dumpKeyspace } from "./support/keyspace-dump.js";
import { message, T0, uniqueFor } from "./support/messages.js";

// Go asynq v0.26's layout (reference §3), written with the default "asynq" prefix on a
// flushed server: key names, types, hash fields, scores in Unix seconds, pending_since in ns.

let server: RedisServerHandle;
let client: Redis;
let broker: RedisBroker;

const NOW = T0 + 123; // not a whole second: scores must round down, pending_since must not
const DAY = "2030-01-01";
const Q = "asynq:{default}:";

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url);
  broker = createRedisBroker({ client });
});
afterAll(async () => {
  await broker?.close();
  await client?.quit();
  await server?.stop();
});
beforeEach(async () => {
  await client.flushall();
});

const seconds = (ms: number) => Math.floor(ms / 1000);
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const bytes = (text: string) => Buffer.from(text);
const msg = (m: TaskMessage) => Buffer.from(encodeTaskMessage(m));
const queues: Record<string, DumpedValue> = {
  "asynq:queues": { type: "set", value: ["default"] },
};

async function enqueuePending(m: TaskMessage, now = NOW) {
  expect(await broker.enqueue({ message: m, placement: { state: "pending" }, now })).toEqual({
    ok: true,
  });
}

async function activate(m: TaskMessage) {
  await enqueuePending(m);
  const got = await broker.dequeue({ queues: ["default"], leaseUntil: NOW + 30_000, now: NOW });
  expect(got?.message.id).toBe(m.id);
}

describe("Redis keyspace matches Go asynq v0.26", () => {
  it("enqueue: hash with msg/state/pending_since (ns), LPUSH onto pending, queue registered", async () => {
    const m = message("t1");
    await enqueuePending(m);
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}pending`]: { type: "list", value: ["t1"] },
      [`${Q}t:t1`]: {
        type: "hash",
        value: { msg: msg(m), state: bytes("pending"), pending_since: bytes(nanos(NOW)) },
      },
    });
    const since = await client.hget(`${Q}t:t1`, "pending_since");
    expect(since).toBe("1893456000123000000");
    expect(BigInt(since!) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it("pending list: producers push left, dequeue takes the right end, requeue pushes right", async () => {
    await enqueuePending(message("t1"));
    await enqueuePending(message("t2"));
    expect(await client.lrange(`${Q}pending`, 0, -1)).toEqual(["t2", "t1"]);
    const got = await broker.dequeue({ queues: ["default"], leaseUntil: NOW + 30_000, now: NOW });
    expect(got?.message.id).toBe("t1");
    await broker.requeue({ queue: "default", taskId: "t1", now: NOW });
    expect(await client.lrange(`${Q}pending`, 0, -1)).toEqual(["t2", "t1"]);
    expect(await client.hget(`${Q}t:t1`, "pending_since")).toBe(nanos(NOW));
  });

  it("dequeue: active list, lease zset in seconds, state active, pending_since removed", async () => {
    const m = message("t1");
    await activate(m);
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}active`]: { type: "list", value: ["t1"] },
      [`${Q}lease`]: { type: "zset", value: { t1: seconds(NOW + 30_000) } },
      [`${Q}t:t1`]: { type: "hash", value: { msg: msg(m), state: bytes("active") } },
    });
  });

  it("done: task gone, processed counted for the UTC day (90-day expiry) and in total", async () => {
    await activate(message("t1"));
    await broker.done({ queue: "default", taskId: "t1", uniqueKey: "", now: NOW });
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}processed:${DAY}`]: { type: "string", value: bytes("1") },
      [`${Q}processed`]: { type: "string", value: bytes("1") },
    });
    const ttl = await client.ttl(`${Q}processed:${DAY}`);
    expect(ttl).toBeGreaterThan(DEFAULTS.statsTtl / 1000 - 60);
    expect(ttl).toBeLessThanOrEqual(DEFAULTS.statsTtl / 1000);
  });

  it("retry: retry zset scored at retryAt (s), updated msg, processed and failed counted", async () => {
    await activate(message("t1"));
    const failed = message("t1", { retried: 1, lastError: "boom", lastFailedAt: NOW });
    const retryAt = NOW + 60_500;
    await broker.retry({ message: failed, retryAt, isFailure: true, now: NOW });
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}retry`]: { type: "zset", value: { t1: seconds(retryAt) } },
      [`${Q}t:t1`]: { type: "hash", value: { msg: msg(failed), state: bytes("retry") } },
      [`${Q}processed:${DAY}`]: { type: "string", value: bytes("1") },
      [`${Q}failed:${DAY}`]: { type: "string", value: bytes("1") },
      [`${Q}processed`]: { type: "string", value: bytes("1") },
      [`${Q}failed`]: { type: "string", value: bytes("1") },
    });
  });

  it("archive: archived zset scored at now (s), processed and failed counted", async () => {
    await activate(message("t1"));
    const failed = message("t1", { lastError: "boom", lastFailedAt: NOW });
    const trim = { maxSize: DEFAULTS.archiveMaxSize, cutoff: NOW - DEFAULTS.archiveMaxAge };
    await broker.archive({ message: failed, trim, now: NOW });
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}archived`]: { type: "zset", value: { t1: seconds(NOW) } },
      [`${Q}t:t1`]: { type: "hash", value: { msg: msg(failed), state: bytes("archived") } },
      [`${Q}processed:${DAY}`]: { type: "string", value: bytes("1") },
      [`${Q}failed:${DAY}`]: { type: "string", value: bytes("1") },
      [`${Q}processed`]: { type: "string", value: bytes("1") },
      [`${Q}failed`]: { type: "string", value: bytes("1") },
    });
  });

  it("complete: completed zset scored at completedAt + retention (s), result kept", async () => {
    await activate(message("t1", { retention: 3_600_000 }));
    await broker.writeResult({ queue: "default", taskId: "t1", result: bytes("ok"), now: NOW });
    const completed = message("t1", { retention: 3_600_000, completedAt: NOW });
    await broker.markComplete({ message: completed, expiresAt: NOW + 3_600_000, now: NOW });
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}completed`]: { type: "zset", value: { t1: seconds(NOW + 3_600_000) } },
      [`${Q}t:t1`]: {
        type: "hash",
        value: { msg: msg(completed), state: bytes("completed"), result: bytes("ok") },
      },
      [`${Q}processed:${DAY}`]: { type: "string", value: bytes("1") },
      [`${Q}processed`]: { type: "string", value: bytes("1") },
    });
  });

  it("scheduled + unique + group: scheduled zset, unique_key and group fields, lock holds the ID", async () => {
    const m = message("t1", { group: "g" });
    const processAt = T0 + 60_000;
    const unique = uniqueFor(m, processAt, 3_600_000);
    await broker.enqueue({
      message: m,
      placement: { state: "scheduled", processAt },
      unique,
      now: NOW,
    });
    const lockKey = `${Q}unique:email:send:${unique.digest}`;
    const stored = { ...m, uniqueKey: lockKey };
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}scheduled`]: { type: "zset", value: { t1: seconds(processAt) } },
      [`${Q}t:t1`]: {
        type: "hash",
        value: {
          msg: msg(stored),
          state: bytes("scheduled"),
          unique_key: bytes(lockKey),
          group: bytes("g"),
        },
      },
      [lockKey]: { type: "string", value: bytes("t1") },
    });
    expect(unique.digest).toMatch(/^[0-9a-f]{32}$/);
    const ttl = await client.pttl(lockKey);
    expect(ttl).toBeGreaterThan(unique.expiresAt - NOW - 60_000);
    expect(ttl).toBeLessThanOrEqual(unique.expiresAt - NOW);
  });

  it("aggregating: group zset scored at now (s), groups set, group field", async () => {
    const m = message("t1", { group: "g" });
    await broker.enqueue({ message: m, placement: { state: "aggregating", group: "g" }, now: NOW });
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}g:g`]: { type: "zset", value: { t1: seconds(NOW) } },
      [`${Q}groups`]: { type: "set", value: ["g"] },
      [`${Q}t:t1`]: {
        type: "hash",
        value: { msg: msg(m), state: bytes("aggregating"), group: bytes("g") },
      },
    });
  });

  it("forward: a due scheduled task becomes pending with pending_since of the forward time", async () => {
    const m = message("t1");
    await broker.enqueue({
      message: m,
      placement: { state: "scheduled", processAt: T0 + 1_000 },
      now: NOW,
    });
    const later = T0 + 2_500;
    expect(
      await broker.forwardDue({ queue: "default", from: "scheduled", limit: 100, now: later }),
    ).toBe(1);
    expect(await dumpKeyspace(client)).toEqual({
      ...queues,
      [`${Q}pending`]: { type: "list", value: ["t1"] },
      [`${Q}t:t1`]: {
        type: "hash",
        value: { msg: msg(m), state: bytes("pending"), pending_since: bytes(nanos(later)) },
      },
    });
  });

  it("liveness: server string and workers hash under {host:pid:sid}, indexed with expiry scores", async () => {
    const server = {
      host: "box",
      pid: 42,
      serverId: "sid",
      concurrency: 2,
      queues: { default: 1 },
      strictPriority: false,
      status: "active",
      startedAt: T0,
      activeWorkerCount: 1,
    };
    const worker = {
      host: "box",
      pid: 42,
      serverId: "sid",
      taskId: "t1",
      taskType: "email:send",
      taskPayload: bytes("{}"),
      queue: "default",
      startedAt: T0,
      deadline: T0 + 60_000,
    };
    await broker.writeServerState({ server, workers: [worker], ttl: 10_000, now: NOW });
    const serverKey = "asynq:servers:{box:42:sid}";
    const workersKey = "asynq:workers:{box:42:sid}";
    expect(await dumpKeyspace(client)).toEqual({
      "asynq:servers": { type: "zset", value: { [serverKey]: seconds(NOW + 10_000) } },
      "asynq:workers": { type: "zset", value: { [workersKey]: seconds(NOW + 10_000) } },
      [serverKey]: { type: "string", value: Buffer.from(encodeServerInfo(server)) },
      [workersKey]: { type: "hash", value: { t1: Buffer.from(encodeWorkerInfo(worker)) } },
    });
    expect(await client.pttl(serverKey)).toBeGreaterThan(0);
    expect(await client.pttl(workersKey)).toBeGreaterThan(0);
  });

  it("deleteQueue(force) leaves no key of the queue behind (unlike Go asynq)", async () => {
    const trim = { maxSize: 10, cutoff: 0 };
    await activate(message("done"));
    await broker.done({ queue: "default", taskId: "done", uniqueKey: "", now: NOW });
    for (const [id, place] of [
      ["retry", "retry"],
      ["archived", "archive"],
      ["completed", "complete"],
    ] as const) {
      await activate(message(id));
      if (place === "retry") {
        await broker.retry({ message: message(id), retryAt: NOW, isFailure: true, now: NOW });
      } else if (place === "archive") {
        await broker.archive({ message: message(id), trim, now: NOW });
      } else {
        await broker.markComplete({ message: message(id), expiresAt: NOW + 60_000, now: NOW });
      }
    }
    await broker.enqueue({
      message: message("s1", { group: "g" }),
      placement: { state: "scheduled", processAt: NOW + 60_000 },
      now: NOW,
    });
    for (const [id, group] of [
      ["g1", "g"],
      ["h1", "h"],
    ] as const) {
      await broker.enqueue({
        message: message(id, { group }),
        placement: { state: "aggregating", group },
        now: NOW,
      });
    }
    const set = { queue: "default", group: "h", setId: "set-1" };
    const check = { ...set, maxSize: 1, maxDelay: 0, gracePeriod: 60_000, setDeadline: NOW };
    expect(await broker.aggregationCheck({ ...check, now: NOW })).toBe(true);
    const u = message("u1");
    await broker.enqueue({
      message: u,
      placement: { state: "pending" },
      unique: uniqueFor(u, NOW, 60_000),
      now: NOW,
    });
    await broker.pauseQueue({ queue: "default", now: NOW });
    const before = Object.keys(await dumpKeyspace(client));
    expect(before.filter((key) => key.startsWith(Q)).length).toBeGreaterThan(15);

    expect(await broker.deleteQueue({ queue: "default", force: true, now: NOW })).toEqual({
      ok: true,
    });
    expect(await dumpKeyspace(client)).toEqual({});
  });
});
