import { createMemoryBroker, type MemoryBroker } from "@asynq-ts/backend-memory";
import { DAY, DEFAULTS, MINUTE, SECOND, type TaskState } from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dequeueFrom, enqueuePending, message, T0, uniqueFor } from "./fixtures.js";

let broker: MemoryBroker;

beforeEach(() => {
  broker = createMemoryBroker();
});

afterEach(async () => {
  await broker.close();
});

async function ids(queue: string, state: Exclude<TaskState, "aggregating">, now = T0) {
  const page = await broker.listTasks({ queue, state, offset: 0, limit: 1000, now });
  if (!page.ok) throw new Error(page.reason);
  return page.tasks.map((task) => task.message.id);
}

async function stats(queue: string, now: number) {
  const result = await broker.queueStats({ queue, now });
  if (!result.ok) throw new Error(result.reason);
  return result.stats;
}

describe("time comes only from the caller's now", () => {
  it("holds a unique lock until exactly expiresAt, whatever the wall clock says", async () => {
    const first = message({ id: "first" });
    const lock = uniqueFor(first, T0 + 10 * SECOND);
    await broker.enqueue({
      message: first,
      placement: { state: "pending" },
      unique: lock,
      now: T0,
    });
    const again = (id: string, now: number) =>
      broker.enqueue({
        message: message({ id, payload: first.payload }),
        placement: { state: "pending" },
        unique: { ...lock, expiresAt: now + 10 * SECOND },
        now,
      });
    expect(await again("second", T0 + 10 * SECOND - 1)).toEqual({
      ok: false,
      reason: "duplicate-task",
    });
    expect(await again("third", T0 + 10 * SECOND)).toEqual({ ok: true });
  });

  it("counts processed and failed on the UTC day of now", async () => {
    const day1 = Date.UTC(2030, 0, 1, 23, 59, 59);
    const day2 = day1 + SECOND;
    const a = await enqueuePending(broker, day1);
    await dequeueFrom(broker, "default", day1);
    await broker.done({ queue: "default", taskId: a.id, uniqueKey: "", now: day1 });
    const b = await enqueuePending(broker, day1);
    const active = await dequeueFrom(broker, "default", day1);
    expect(active.id).toBe(b.id);
    await broker.archive({
      message: { ...active, lastError: "boom", lastFailedAt: day2 },
      trim: { maxSize: 10, cutoff: 0 },
      now: day2,
    });

    const history = await broker.queueHistory({ queue: "default", days: 3, now: day2 });
    expect(history).toEqual({
      ok: true,
      days: [
        { queue: "default", date: "2030-01-02", processed: 1, failed: 1 },
        { queue: "default", date: "2030-01-01", processed: 1, failed: 0 },
        { queue: "default", date: "2029-12-31", processed: 0, failed: 0 },
      ],
    });
    const today = await stats("default", day2);
    expect([today.processed, today.failed, today.processedTotal, today.failedTotal]).toEqual([
      1, 1, 2, 1,
    ]);
  });

  it("forgets daily counters once the stats retention has passed", async () => {
    const a = await enqueuePending(broker, T0);
    await dequeueFrom(broker, "default", T0);
    await broker.done({ queue: "default", taskId: a.id, uniqueKey: "", now: T0 });
    const later = T0 + DEFAULTS.statsTtl;
    const history = await broker.queueHistory({ queue: "default", days: 1, now: T0 });
    expect(history.ok && history.days[0]?.processed).toBe(1);
    const expired = await broker.queueHistory({ queue: "default", days: 91, now: later });
    expect(expired.ok && expired.days.every((day) => day.processed === 0)).toBe(true);
    expect((await stats("default", later)).processedTotal).toBe(1);
  });

  it("expires liveness records at now + ttl", async () => {
    const server = {
      host: "h",
      pid: 1,
      serverId: "s",
      concurrency: 1,
      queues: { default: 1 },
      strictPriority: false,
      status: "active",
      startedAt: T0,
      activeWorkerCount: 0,
    };
    await broker.writeServerState({ server, workers: [], ttl: 10 * SECOND, now: T0 });
    expect(await broker.listServers({ now: T0 + 10 * SECOND - 1 })).toEqual([server]);
    expect(await broker.listServers({ now: T0 + 10 * SECOND })).toEqual([]);
  });
});

describe("pending line", () => {
  it("dequeues in enqueue order and puts a requeued task at the front", async () => {
    const a = await enqueuePending(broker, T0);
    const b = await enqueuePending(broker, T0);
    const c = await enqueuePending(broker, T0);
    expect((await dequeueFrom(broker, "default", T0)).id).toBe(a.id);
    await broker.requeue({ queue: "default", taskId: a.id, now: T0 + SECOND });
    expect(await ids("default", "pending")).toEqual([a.id, b.id, c.id]);
    expect((await stats("default", T0 + SECOND)).oldestPendingSince).toBe(T0 + SECOND);
  });

  it("reports next-to-run pending-since and lease expiry in records", async () => {
    const a = await enqueuePending(broker, T0);
    await enqueuePending(broker, T0 + SECOND);
    expect((await stats("default", T0 + 5 * SECOND)).oldestPendingSince).toBe(T0);
    await broker.dequeue({ queues: ["default"], leaseUntil: T0 + 30 * SECOND, now: T0 });
    const record = await broker.getTask({ queue: "default", taskId: a.id, now: T0 });
    expect(record.ok && [record.task.state, record.task.leaseExpiresAt]).toEqual([
      "active",
      T0 + 30 * SECOND,
    ]);
    expect((await stats("default", T0 + 5 * SECOND)).oldestPendingSince).toBe(T0 + SECOND);
  });
});

describe("asynq defects fixed", () => {
  it("takes no unique lock when the ID conflicts", async () => {
    const existing = await enqueuePending(broker, T0, { id: "dup" });
    const other = message({ id: "dup", type: "other" });
    const refused = await broker.enqueue({
      message: other,
      placement: { state: "pending" },
      unique: uniqueFor(other, T0 + MINUTE),
      now: T0,
    });
    expect(refused).toEqual({ ok: false, reason: "task-id-conflict" });
    const fresh = message({ id: "fresh", type: "other", payload: other.payload });
    const accepted = await broker.enqueue({
      message: fresh,
      placement: { state: "pending" },
      unique: uniqueFor(fresh, T0 + MINUTE),
      now: T0,
    });
    expect(accepted).toEqual({ ok: true });
    expect(existing.id).toBe("dup");
  });

  it("keeps exactly maxSize archived tasks and deletes trimmed ones entirely", async () => {
    for (let i = 0; i < 4; i += 1) {
      const msg = await enqueuePending(broker, T0, { id: `a${i}` });
      await broker.archiveTask({
        queue: "default",
        taskId: msg.id,
        trim: { maxSize: 3, cutoff: 0 },
        now: T0 + i * SECOND,
      });
    }
    expect(await ids("default", "archived")).toEqual(["a1", "a2", "a3"]);
    expect(await broker.getTask({ queue: "default", taskId: "a0", now: T0 })).toEqual({
      ok: false,
      reason: "not-found",
    });
    await enqueuePending(broker, T0, { id: "a0" });
  });

  it("aggregates a scheduled grouped task once it is due", async () => {
    const msg = message({ group: "g" });
    await broker.enqueue({
      message: msg,
      placement: { state: "scheduled", processAt: T0 + MINUTE },
      now: T0,
    });
    expect(await broker.listGroups({ queue: "default" })).toEqual([]);
    expect(
      await broker.forwardDue({ queue: "default", from: "scheduled", limit: 10, now: T0 + MINUTE }),
    ).toBe(1);
    expect(await broker.listGroups({ queue: "default" })).toEqual(["g"]);
    const record = await broker.getTask({ queue: "default", taskId: msg.id, now: T0 + MINUTE });
    expect(record.ok && record.task.state).toBe("aggregating");
  });

  it("releases members' unique locks when an aggregation set is deleted", async () => {
    const msg = message({ group: "g" });
    await broker.enqueue({
      message: msg,
      placement: { state: "aggregating", group: "g" },
      unique: uniqueFor(msg, T0 + DAY),
      now: T0,
    });
    const set = { queue: "default", group: "g", setId: "set-1" };
    const created = await broker.aggregationCheck({
      ...set,
      maxSize: 1,
      maxDelay: 0,
      gracePeriod: MINUTE,
      setDeadline: T0 + 2 * MINUTE,
      now: T0,
    });
    expect(created).toBe(true);
    await broker.deleteAggregationSet(set);
    const again = message({ payload: msg.payload });
    const result = await broker.enqueue({
      message: again,
      placement: { state: "pending" },
      unique: uniqueFor(again, T0 + DAY),
      now: T0,
    });
    expect(result).toEqual({ ok: true });
  });

  it("reclaims a stale set into its group with original join order and registers the group", async () => {
    const joins = [T0, T0 + SECOND, T0 + 2 * SECOND];
    const members: string[] = [];
    for (const now of joins) {
      const msg = message({ group: "g" });
      members.push(msg.id);
      await broker.enqueue({ message: msg, placement: { state: "aggregating", group: "g" }, now });
    }
    const set = { queue: "default", group: "g", setId: "set-1" };
    await broker.aggregationCheck({
      ...set,
      maxSize: 0,
      maxDelay: 0,
      gracePeriod: 0,
      setDeadline: T0 + 2 * MINUTE,
      now: T0 + 3 * SECOND,
    });
    expect(await broker.listGroups({ queue: "default" })).toEqual([]);
    expect(
      await broker.reclaimStaleAggregationSets({ queue: "default", now: T0 + 2 * MINUTE - 1 }),
    ).toBe(0);
    expect(
      await broker.reclaimStaleAggregationSets({ queue: "default", now: T0 + 2 * MINUTE }),
    ).toBe(1);
    expect(await broker.listGroups({ queue: "default" })).toEqual(["g"]);
    const page = await broker.listTasks({
      queue: "default",
      state: "aggregating",
      group: "g",
      offset: 0,
      limit: 10,
      now: T0,
    });
    expect(page.ok && page.tasks.map((task) => task.message.id)).toEqual(members);
    const read = await broker.readAggregationSet(set);
    expect(read).toEqual({ messages: [], deadline: 0 });
  });

  it("deleteQueue forgets tasks, locks, stats, groups and the pause flag", async () => {
    const unique = message({ queue: "q" });
    await broker.enqueue({
      message: unique,
      placement: { state: "pending" },
      unique: uniqueFor(unique, T0 + DAY),
      now: T0,
    });
    const done = await enqueuePending(broker, T0, { queue: "q" });
    await broker.deleteTask({ queue: "q", taskId: unique.id, now: T0 });
    const reenqueued = await broker.enqueue({
      message: unique,
      placement: { state: "pending" },
      unique: uniqueFor(unique, T0 + DAY),
      now: T0,
    });
    expect(reenqueued).toEqual({ ok: true });
    await dequeueFrom(broker, "q", T0);
    await dequeueFrom(broker, "q", T0);
    await broker.done({ queue: "q", taskId: done.id, uniqueKey: "", now: T0 });
    await broker.retry({
      message: { ...unique, retried: 1 },
      retryAt: T0 + MINUTE,
      isFailure: true,
      now: T0,
    });
    await broker.enqueue({
      message: message({ queue: "q", group: "g" }),
      placement: { state: "aggregating", group: "g" },
      now: T0,
    });
    await broker.pauseQueue({ queue: "q", now: T0 });

    expect(await broker.deleteQueue({ queue: "q", force: false, now: T0 })).toEqual({
      ok: false,
      reason: "not-empty",
    });
    expect(await broker.deleteQueue({ queue: "q", force: true, now: T0 })).toEqual({ ok: true });
    expect(await broker.listQueues()).toEqual([]);

    const back = message({ queue: "q", id: unique.id, payload: unique.payload });
    expect(
      await broker.enqueue({
        message: back,
        placement: { state: "pending" },
        unique: uniqueFor(back, T0 + DAY),
        now: T0,
      }),
    ).toEqual({ ok: true });
    const fresh = await stats("q", T0);
    expect(fresh).toMatchObject({
      pending: 1,
      retry: 0,
      aggregating: 0,
      groups: 0,
      processedTotal: 0,
      failedTotal: 0,
      paused: false,
    });
  });
});

describe("registry", () => {
  it("registers a queue on enqueue only, and lists queues sorted", async () => {
    await broker.pauseQueue({ queue: "paused-only", now: T0 });
    await enqueuePending(broker, T0, { queue: "zeta" });
    await enqueuePending(broker, T0, { queue: "alpha" });
    expect(await broker.listQueues()).toEqual(["alpha", "zeta"]);
    expect(await broker.queueStats({ queue: "paused-only", now: T0 })).toEqual({
      ok: false,
      reason: "queue-not-found",
    });
  });
});
