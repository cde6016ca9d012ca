import { DEFAULTS, HOUR, MINUTE, SECOND } from "@asynq-ts/core";
import {
  bytes,
  comparable,
  idsIn,
  idsInGroup,
  idsOf,
  listed,
  lookup,
  mustSucceed,
  placeTask,
  processTask,
  recordOf,
  statsOf,
} from "./fixtures.js";
import { type ConformanceOptions, defaultTrim, ONE_DAY, withContext } from "./harness.js";

/** Conformance: Inspector reads — stats, history, task lookups and listings (reference §8 52–58). */
export function describeInspectorReadsConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("inspector reads", () => {
    withContext(options, (ctx) => {
      it("queueStats counts tasks per state and today's processed and failed", async () => {
        const { broker, expect } = ctx();
        await placeTask(ctx(), "active");
        await placeTask(ctx(), "retry");
        await placeTask(ctx(), "archived");
        await placeTask(ctx(), "completed");
        await placeTask(ctx(), "pending");
        await placeTask(ctx(), "pending");
        await placeTask(ctx(), "scheduled");
        await placeTask(ctx(), "aggregating", { group: "g" });
        await placeTask(ctx(), "aggregating", { group: "g" });
        const stats = await statsOf(ctx());
        expect({ ...stats, memoryUsageBytes: null }).toEqual({
          queue: "default",
          pending: 2,
          active: 1,
          scheduled: 1,
          retry: 1,
          archived: 1,
          completed: 1,
          aggregating: 2,
          groups: 1,
          processed: 3,
          failed: 2,
          processedTotal: 3,
          failedTotal: 2,
          paused: false,
          oldestPendingSince: ctx().now(),
          memoryUsageBytes: null,
        });
        if (broker.capabilities.memoryUsage) expect(typeof stats.memoryUsageBytes).toBe("number");
        else expect(stats.memoryUsageBytes).toBeNull();
      });

      it("queueStats separates today's counters from the totals", async () => {
        const { broker, expect } = ctx();
        const first = await ctx().activate();
        const done = await broker.done({
          queue: "default",
          taskId: first.id,
          uniqueKey: "",
          now: ctx().now(),
        });
        expect(done.ok).toBe(true);
        ctx().clock.advance(ONE_DAY);
        await placeTask(ctx(), "retry");
        const stats = await statsOf(ctx());
        expect([stats.processed, stats.failed]).toEqual([1, 1]);
        expect([stats.processedTotal, stats.failedTotal]).toEqual([2, 1]);
      });

      it("queueStats reports a paused queue", async () => {
        const { broker, expect } = ctx();
        await placeTask(ctx(), "pending");
        expect((await statsOf(ctx())).paused).toBe(false);
        mustSucceed(await broker.pauseQueue({ queue: "default", now: ctx().now() }), "pauseQueue");
        expect((await statsOf(ctx())).paused).toBe(true);
      });

      it("oldestPendingSince is when the oldest pending task became pending", async () => {
        const { broker, expect } = ctx();
        const firstAt = ctx().now();
        await placeTask(ctx(), "pending");
        ctx().clock.advance(5 * SECOND);
        const secondAt = ctx().now();
        await placeTask(ctx(), "pending");
        ctx().clock.advance(5 * SECOND);
        expect((await statsOf(ctx())).oldestPendingSince).toBe(firstAt);
        const lease = ctx().now() + DEFAULTS.lease;
        await broker.dequeue({ queues: ["default"], leaseUntil: lease, now: ctx().now() });
        expect((await statsOf(ctx())).oldestPendingSince).toBe(secondAt);
        await broker.dequeue({ queues: ["default"], leaseUntil: lease, now: ctx().now() });
        expect((await statsOf(ctx())).oldestPendingSince).toBe(0);
      });

      it("reads of a queue that was never registered are refused with queue-not-found", async () => {
        const { broker, expect } = ctx();
        await placeTask(ctx(), "pending");
        const queue = "never-used";
        const now = ctx().now();
        const refused = { ok: false, reason: "queue-not-found" };
        expect(await broker.queueStats({ queue, now })).toEqual(refused);
        expect(await broker.queueHistory({ queue, days: 3, now })).toEqual(refused);
        expect(await broker.groupStats({ queue })).toEqual(refused);
        expect(await broker.getTask({ queue, taskId: "x", now })).toEqual(refused);
        const listing = await broker.listTasks({
          queue,
          state: "pending",
          offset: 0,
          limit: 10,
          now,
        });
        expect(listing).toEqual(refused);
        expect(await broker.listQueues()).toEqual(["default"]);
      });

      it("listQueues returns every registered queue, sorted", async () => {
        const { broker, expect } = ctx();
        for (const queue of ["mail", "critical", "low"])
          await placeTask(ctx(), "pending", { queue });
        await placeTask(ctx(), "scheduled", { queue: "batch" });
        expect(await broker.listQueues()).toEqual(["batch", "critical", "low", "mail"]);
      });

      it("queueHistory returns the requested days, today first, with zeros for days without work", async () => {
        const { broker, expect } = ctx();
        await processTask(ctx());
        ctx().clock.advance(2 * ONE_DAY);
        await placeTask(ctx(), "archived");
        await placeTask(ctx(), "retry");
        const history = mustSucceed(
          await broker.queueHistory({ queue: "default", days: 4, now: ctx().now() }),
          "queueHistory",
        );
        // The clock starts at 2030-01-01T00:00:00Z.
        expect(history.days).toEqual([
          { queue: "default", date: "2030-01-03", processed: 2, failed: 2 },
          { queue: "default", date: "2030-01-02", processed: 0, failed: 0 },
          { queue: "default", date: "2030-01-01", processed: 1, failed: 0 },
          { queue: "default", date: "2029-12-31", processed: 0, failed: 0 },
        ]);
      });

      it("getTask reports a pending task with nextProcessAt now and no lease or result", async () => {
        const { expect } = ctx();
        const sent = await placeTask(ctx(), "pending", { headers: { trace: "abc" } });
        ctx().clock.advance(7 * SECOND);
        const record = await recordOf(ctx(), sent.id);
        expect(comparable(record.message)).toEqual(comparable(sent));
        expect(record.state).toBe("pending");
        expect(record.nextProcessAt).toBe(ctx().now());
        expect(record.leaseExpiresAt).toBe(0);
        expect(record.result).toBeNull();
      });

      it("getTask reports the score of scheduled and retry tasks as nextProcessAt", async () => {
        const { expect } = ctx();
        const dueAt = ctx().now() + MINUTE;
        const retrying = await placeTask(ctx(), "retry");
        const scheduled = await placeTask(ctx(), "scheduled");
        ctx().clock.advance(5 * SECOND);
        const retryRecord = await recordOf(ctx(), retrying.id);
        expect(retryRecord.state).toBe("retry");
        expect(retryRecord.nextProcessAt).toBe(dueAt);
        expect(comparable(retryRecord.message)).toEqual(comparable(retrying));
        const scheduledRecord = await recordOf(ctx(), scheduled.id);
        expect(scheduledRecord.state).toBe("scheduled");
        expect(scheduledRecord.nextProcessAt).toBe(dueAt);
      });

      it("getTask reports nextProcessAt 0 for active, archived, completed and aggregating tasks", async () => {
        const { expect } = ctx();
        const archived = await placeTask(ctx(), "archived");
        const completed = await placeTask(ctx(), "completed");
        const aggregating = await placeTask(ctx(), "aggregating");
        const active = await placeTask(ctx(), "active");
        for (const [message, state] of [
          [archived, "archived"],
          [completed, "completed"],
          [aggregating, "aggregating"],
          [active, "active"],
        ] as const) {
          const record = await recordOf(ctx(), message.id);
          expect(record.state).toBe(state);
          expect(record.nextProcessAt).toBe(0);
          expect(comparable(record.message)).toEqual(comparable(message));
        }
      });

      it("getTask reports an active task's lease and a completed task's result", async () => {
        const { broker, expect } = ctx();
        const active = await ctx().activate({ retention: HOUR });
        const leaseUntil = ctx().now() + DEFAULTS.lease;
        expect((await recordOf(ctx(), active.id)).leaseExpiresAt).toBe(leaseUntil);
        const result = new Uint8Array([0, 1, 2, 255]);
        const now = ctx().now();
        mustSucceed(
          await broker.writeResult({ queue: "default", taskId: active.id, result, now }),
          "writeResult",
        );
        expect(bytes((await recordOf(ctx(), active.id)).result)).toEqual([0, 1, 2, 255]);
        const message = { ...active, completedAt: now };
        mustSucceed(
          await broker.markComplete({ message, expiresAt: now + HOUR, now }),
          "markComplete",
        );
        const record = await recordOf(ctx(), active.id);
        expect(record.state).toBe("completed");
        expect(record.message.completedAt).toBe(now);
        expect(bytes(record.result)).toEqual([0, 1, 2, 255]);
      });

      it("getTask of a missing ID is refused with not-found", async () => {
        const { expect } = ctx();
        await placeTask(ctx(), "pending", { id: "here" });
        await placeTask(ctx(), "pending", { id: "elsewhere", queue: "other" });
        expect(await lookup(ctx(), "missing")).toBe("not-found");
        expect(await lookup(ctx(), "elsewhere")).toBe("not-found");
        expect(await lookup(ctx(), "here")).toBe("found");
      });

      it("listTasks pages pending tasks in dequeue order, next first", async () => {
        const { expect } = ctx();
        for (const id of ["c-first", "b-second", "a-third"]) {
          await placeTask(ctx(), "pending", { id });
          ctx().clock.advance(SECOND);
        }
        expect(await idsIn(ctx(), "pending")).toEqual(["c-first", "b-second", "a-third"]);
        const page = async (offset: number, limit: number) =>
          idsOf(await listed(ctx(), { state: "pending", offset, limit }));
        expect(await page(1, 1)).toEqual(["b-second"]);
        expect(await page(1, 5)).toEqual(["b-second", "a-third"]);
        expect(await page(3, 5)).toEqual([]);
        const [first] = await listed(ctx(), { state: "pending", offset: 0, limit: 1 });
        expect(first?.state).toBe("pending");
        expect(first?.nextProcessAt).toBe(ctx().now());
      });

      it("listTasks lists active tasks in dequeue order with their lease expiry", async () => {
        const { expect } = ctx();
        const firstLease = ctx().now() + DEFAULTS.lease;
        await ctx().activate({ id: "b-first" });
        ctx().clock.advance(10 * SECOND);
        await ctx().activate({ id: "a-second" });
        ctx().clock.advance(DEFAULTS.lease - 5 * SECOND);
        const active = await listed(ctx(), { state: "active", offset: 0, limit: 10 });
        expect(idsOf(active)).toEqual(["b-first", "a-second"]);
        expect(active.map((t) => t.leaseExpiresAt)).toEqual([firstLease, firstLease + 10 * SECOND]);
        // The first lease has run out by now, which core reports as an orphaned task.
        expect(active[0]?.leaseExpiresAt).toBeLessThanOrEqual(ctx().now());
        expect(active[1]?.leaseExpiresAt).toBeGreaterThan(ctx().now());
      });

      it("listTasks pages scheduled tasks by ascending processAt", async () => {
        const { expect } = ctx();
        const base = ctx().now();
        for (const [id, inSeconds] of [
          ["a-late", 30],
          ["c-early", 10],
          ["b-middle", 20],
        ] as const) {
          await ctx().enqueue(
            { id },
            { placement: { state: "scheduled", processAt: base + inSeconds * SECOND } },
          );
        }
        expect(await idsIn(ctx(), "scheduled")).toEqual(["c-early", "b-middle", "a-late"]);
        const page = await listed(ctx(), { state: "scheduled", offset: 1, limit: 2 });
        expect(idsOf(page)).toEqual(["b-middle", "a-late"]);
        expect(page.map((t) => t.nextProcessAt)).toEqual([base + 20 * SECOND, base + 30 * SECOND]);
      });

      it("listTasks lists retry, archived and completed tasks by ascending score", async () => {
        const { broker, expect } = ctx();
        const now = ctx().now();
        const late = await ctx().activate({ id: "a-late", retention: HOUR });
        const early = await ctx().activate({ id: "b-early", retention: HOUR });
        await broker.retry({ message: late, retryAt: now + 2 * MINUTE, isFailure: true, now });
        await broker.retry({ message: early, retryAt: now + MINUTE, isFailure: true, now });
        expect(await idsIn(ctx(), "retry")).toEqual(["b-early", "a-late"]);

        const archivedFirst = await ctx().activate({ id: "d-archived-first" });
        await broker.archive({ message: archivedFirst, trim: defaultTrim(now), now });
        ctx().clock.advance(SECOND);
        const archivedSecond = await ctx().activate({ id: "c-archived-second" });
        const later = ctx().now();
        await broker.archive({ message: archivedSecond, trim: defaultTrim(later), now: later });
        expect(await idsIn(ctx(), "archived")).toEqual(["d-archived-first", "c-archived-second"]);

        const keptLong = await ctx().activate({ id: "e-kept-long", retention: 2 * HOUR });
        const keptShort = await ctx().activate({ id: "f-kept-short", retention: HOUR });
        for (const message of [keptLong, keptShort]) {
          await broker.markComplete({
            message: { ...message, completedAt: later },
            expiresAt: later + message.retention,
            now: later,
          });
        }
        expect(await idsIn(ctx(), "completed")).toEqual(["f-kept-short", "e-kept-long"]);
      });

      it("listTasks lists aggregating tasks per group in join order", async () => {
        const { expect } = ctx();
        await placeTask(ctx(), "aggregating", { id: "c-1", group: "g1" });
        ctx().clock.advance(SECOND);
        await placeTask(ctx(), "aggregating", { id: "b-2", group: "g2" });
        ctx().clock.advance(SECOND);
        await placeTask(ctx(), "aggregating", { id: "a-3", group: "g1" });
        expect(await idsInGroup(ctx(), "g1")).toEqual(["c-1", "a-3"]);
        expect(await idsInGroup(ctx(), "g2")).toEqual(["b-2"]);
        expect(await idsInGroup(ctx(), "g3")).toEqual([]);
        const page = await listed(ctx(), {
          state: "aggregating",
          group: "g1",
          offset: 1,
          limit: 5,
        });
        expect(idsOf(page)).toEqual(["a-3"]);
        expect(page[0]?.state).toBe("aggregating");
        expect(page[0]?.nextProcessAt).toBe(0);
      });

      it("listTasks of an empty container of a registered queue is an empty page", async () => {
        const { expect } = ctx();
        await placeTask(ctx(), "pending");
        for (const state of ["active", "scheduled", "retry", "archived", "completed"] as const) {
          expect(await idsIn(ctx(), state)).toEqual([]);
        }
      });

      it("groupStats lists each group with its size", async () => {
        const { broker, expect } = ctx();
        await placeTask(ctx(), "pending");
        expect(
          mustSucceed(await broker.groupStats({ queue: "default" }), "groupStats").groups,
        ).toEqual([]);
        for (const group of ["beta", "alpha", "beta", "beta"])
          await placeTask(ctx(), "aggregating", { group });
        const groups = [
          ...mustSucceed(await broker.groupStats({ queue: "default" }), "groupStats").groups,
        ];
        groups.sort((a, b) => a.group.localeCompare(b.group));
        expect(groups).toEqual([
          { group: "alpha", size: 1 },
          { group: "beta", size: 3 },
        ]);
      });
    });
  });
}
