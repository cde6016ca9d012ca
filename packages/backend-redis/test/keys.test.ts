import { describe, expect, it } from "vitest";
import { belongsToQueue, createKeySpace, escapeGlob, hashTagOf, utcDay } from "../src/keys.js";
import { fromNanos, toNanos, toScore, ttlUntil } from "../src/units.js";

describe("key space", () => {
  const keys = createKeySpace();
  const q = keys.queue("critical");

  it("uses Go asynq's global keys under the default prefix", () => {
    expect([keys.queues, keys.servers, keys.workers, keys.schedulers, keys.cancelChannel]).toEqual([
      "asynq:queues",
      "asynq:servers",
      "asynq:workers",
      "asynq:schedulers",
      "asynq:cancel",
    ]);
    expect(keys.server("host", 12, "sid")).toBe("asynq:servers:{host:12:sid}");
    expect(keys.workersOf("host", 12, "sid")).toBe("asynq:workers:{host:12:sid}");
    expect(keys.schedulerEntries("s1")).toBe("asynq:schedulers:{s1}");
    expect(keys.schedulerHistory("e1")).toBe("asynq:scheduler_history:e1");
  });

  it("tags every key of a queue with {queue}", () => {
    expect([
      q.pending,
      q.active,
      q.lease,
      q.scheduled,
      q.retry,
      q.archived,
      q.completed,
      q.paused,
      q.groups,
      q.aggregationSets,
      q.processedTotal,
      q.failedTotal,
      q.task("id1"),
      q.processedOn("2030-01-01"),
      q.failedOn("2030-01-01"),
      q.unique("email:send", "abc"),
      q.group("g"),
      q.aggregationSet("g", "set"),
    ]).toEqual([
      "asynq:{critical}:pending",
      "asynq:{critical}:active",
      "asynq:{critical}:lease",
      "asynq:{critical}:scheduled",
      "asynq:{critical}:retry",
      "asynq:{critical}:archived",
      "asynq:{critical}:completed",
      "asynq:{critical}:paused",
      "asynq:{critical}:groups",
      "asynq:{critical}:aggregation_sets",
      "asynq:{critical}:processed",
      "asynq:{critical}:failed",
      "asynq:{critical}:t:id1",
      "asynq:{critical}:processed:2030-01-01",
      "asynq:{critical}:failed:2030-01-01",
      "asynq:{critical}:unique:email:send:abc",
      "asynq:{critical}:g:g",
      "asynq:{critical}:g:g:set",
    ]);
    expect(q.unique("email:send", "")).toBe("asynq:{critical}:unique:email:send:");
  });

  it("applies a custom prefix everywhere", () => {
    const custom = createKeySpace("app");
    expect(custom.queues).toBe("app:queues");
    expect(custom.queue("q").pending).toBe("app:{q}:pending");
  });

  it("accepts only lock keys in the queue's slot", () => {
    expect(belongsToQueue(q.unique("t", "d"), q)).toBe(true);
    expect(belongsToQueue("other:{critical}:unique:t:d", q)).toBe(true);
    expect(belongsToQueue("asynq:{default}:unique:t:d", q)).toBe(false);
    expect(belongsToQueue("", q)).toBe(false);
  });

  it("finds hash tags as Redis Cluster does", () => {
    expect(hashTagOf("a{b}c")).toBe("b");
    expect(hashTagOf("a{}c{d}")).toBe("a{}c{d}");
    expect(hashTagOf("a{b")).toBe("a{b");
    expect(hashTagOf("plain")).toBe("plain");
  });

  it("escapes glob metacharacters for SCAN MATCH", () => {
    expect(escapeGlob("asynq:{a*b?[c]\\}:")).toBe("asynq:{a\\*b\\?\\[c\\]\\\\}:");
  });

  it("names UTC days", () => {
    expect(utcDay(Date.UTC(2030, 0, 1, 23, 59, 59))).toBe("2030-01-01");
    expect(utcDay(Date.UTC(2030, 0, 2))).toBe("2030-01-02");
  });
});

describe("units", () => {
  it("scores are Unix seconds rounded down", () => {
    expect(toScore(Date.UTC(2030, 0, 1) + 999)).toBe("1893456000");
  });

  it("pending_since is Unix nanoseconds beyond safe integers, exact", () => {
    const ms = Date.UTC(2030, 0, 1) + 123;
    expect(toNanos(ms)).toBe("1893456000123000000");
    expect(fromNanos("1893456000123456789")).toBe(ms);
    expect(fromNanos(null)).toBe(0);
    expect(fromNanos("garbage")).toBe(0);
  });

  it("TTLs never drop below 1 ms", () => {
    expect(ttlUntil(5_000, 1_000)).toBe("4000");
    expect(ttlUntil(1_000, 1_000)).toBe("1");
  });
});
