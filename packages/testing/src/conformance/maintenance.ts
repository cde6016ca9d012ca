import type { TaskMessage } from "@asynq-ts/core";
import { DEFAULTS, HOUR, MINUTE, SECOND } from "@asynq-ts/core";
import {
  countsOf,
  failedAttempt,
  idsIn,
  idsInGroup,
  mustSucceed,
  recordOf,
  stateOf,
} from "./fixtures.js";
import { type ConformanceOptions, defaultTrim, type SuiteContext, withContext } from "./harness.js";

const BATCH = DEFAULTS.forwardBatchSize;

/** Schedules a task in `queue` due at `processAt`. */
function schedule(ctx: SuiteContext, queue: string, processAt: number, fields = {}) {
  return ctx.enqueue({ queue, ...fields }, { placement: { state: "scheduled", processAt } });
}

/** Activates a task and retries it at `retryAt` as a failure; returns the stored message. */
async function inRetry(ctx: SuiteContext, queue: string, retryAt: number): Promise<TaskMessage> {
  const active = await ctx.activate({ queue });
  const now = ctx.now();
  const message = failedAttempt(active, now);
  mustSucceed(await ctx.broker.retry({ message, retryAt, isFailure: true, now }), "retry");
  return message;
}

/** Activates a task with `retention` and marks it complete now. */
async function completed(ctx: SuiteContext, queue: string, retention: number) {
  const active = await ctx.activate({ queue, retention });
  const now = ctx.now();
  const message = { ...active, completedAt: now };
  mustSucceed(
    await ctx.broker.markComplete({ message, expiresAt: now + retention, now }),
    "markComplete",
  );
  return message;
}

/**
 * Conformance: periodic maintenance — forwarding due scheduled and retry tasks (into their
 * group when they carry one, re-registering it), deleting expired completed tasks in batches,
 * and recovering tasks whose lease expired (reference §8 items 38–43, §7 defects 1, 2, 7).
 */
export function describeMaintenanceConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("maintenance", () => {
    withContext(options, (ctx) => {
      it("forwards due scheduled tasks to pending and leaves future ones scheduled", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        const due = await schedule(ctx(), "q", t0 + 10 * SECOND);
        const future = await schedule(ctx(), "q", t0 + MINUTE);
        ctx().clock.advance(10 * SECOND);
        const now = ctx().now();
        expect(await broker.forwardDue({ queue: "q", from: "scheduled", limit: BATCH, now })).toBe(
          1,
        );
        const record = await recordOf(ctx(), due.id, "q");
        expect([record.state, record.nextProcessAt]).toEqual(["pending", now]);
        expect(await stateOf(ctx(), future.id, "q")).toBe("scheduled");
        const c = await countsOf(ctx(), "q");
        expect([c.pending, c.scheduled, c.oldestPendingSince]).toEqual([1, 1, now]);
        const got = await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now });
        expect(got?.message.id).toBe(due.id);
      });

      it("forwards due retry tasks to pending, keeping their retry count and error", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        const due = await inRetry(ctx(), "q", t0 + 30 * SECOND);
        const future = await inRetry(ctx(), "q", t0 + HOUR);
        ctx().clock.advance(30 * SECOND);
        const now = ctx().now();
        expect(await broker.forwardDue({ queue: "q", from: "retry", limit: BATCH, now })).toBe(1);
        const record = await recordOf(ctx(), due.id, "q");
        expect([record.state, record.message.retried, record.message.lastError]).toEqual([
          "pending",
          1,
          due.lastError,
        ]);
        expect(await stateOf(ctx(), future.id, "q")).toBe("retry");
        expect((await countsOf(ctx(), "q")).oldestPendingSince).toBe(now);
      });

      it("forwards only from the container it is asked about", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        const retrying = await inRetry(ctx(), "q", t0 + SECOND);
        const scheduled = await schedule(ctx(), "q", t0 + SECOND);
        ctx().clock.advance(MINUTE);
        const now = ctx().now();
        expect(await broker.forwardDue({ queue: "q", from: "retry", limit: BATCH, now })).toBe(1);
        expect(await stateOf(ctx(), retrying.id, "q")).toBe("pending");
        expect(await stateOf(ctx(), scheduled.id, "q")).toBe("scheduled");
      });

      it("forwards at most limit tasks per call, earliest due first, until none remain due", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        const ids: string[] = [];
        for (let i = 5; i >= 1; i--) ids.unshift((await schedule(ctx(), "q", t0 + i * SECOND)).id);
        const later = await schedule(ctx(), "q", t0 + HOUR);
        ctx().clock.advance(10 * SECOND);
        const now = ctx().now();
        const forward = () => broker.forwardDue({ queue: "q", from: "scheduled", limit: 2, now });
        expect(await forward()).toBe(2);
        const states = async () => Promise.all(ids.map((id) => stateOf(ctx(), id, "q")));
        expect(await states()).toEqual([
          "pending",
          "pending",
          "scheduled",
          "scheduled",
          "scheduled",
        ]);
        expect([await forward(), await forward(), await forward()]).toEqual([2, 1, 0]);
        expect(await states()).toEqual(Array(5).fill("pending"));
        expect(await idsIn(ctx(), "scheduled", "q")).toEqual([later.id]);
      });

      it("forwards a due scheduled task that has a group into its group", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        const grouped = await schedule(ctx(), "q", t0 + 10 * SECOND, { group: "digest" });
        ctx().clock.advance(10 * SECOND);
        const now = ctx().now();
        expect(await broker.forwardDue({ queue: "q", from: "scheduled", limit: BATCH, now })).toBe(
          1,
        );
        const record = await recordOf(ctx(), grouped.id, "q");
        expect([record.state, record.message.group, record.nextProcessAt]).toEqual([
          "aggregating",
          "digest",
          0,
        ]);
        expect(await idsInGroup(ctx(), "digest", "q")).toEqual([grouped.id]);
        expect(await broker.listGroups({ queue: "q" })).toEqual(["digest"]);
        const c = await countsOf(ctx(), "q");
        expect([c.pending, c.scheduled, c.aggregating, c.groups]).toEqual([0, 0, 1, 1]);
        expect(await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now })).toBeNull();
      });

      it("re-registers a group that had emptied when a grouped task is forwarded into it", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        await ctx().enqueue(
          { queue: "q", group: "digest" },
          { placement: { state: "aggregating", group: "digest" } },
        );
        const grouped = await schedule(ctx(), "q", t0 + 10 * SECOND, { group: "digest" });
        const created = await broker.aggregationCheck({
          queue: "q",
          group: "digest",
          setId: "set-1",
          maxSize: 1,
          maxDelay: 0,
          gracePeriod: MINUTE,
          setDeadline: t0 + 2 * MINUTE,
          now: t0,
        });
        expect(created).toBe(true);
        expect(await broker.listGroups({ queue: "q" })).toEqual([]);
        ctx().clock.advance(10 * SECOND);
        const now = ctx().now();
        expect(await broker.forwardDue({ queue: "q", from: "scheduled", limit: BATCH, now })).toBe(
          1,
        );
        expect(await broker.listGroups({ queue: "q" })).toEqual(["digest"]);
        const groups = await broker.groupStats({ queue: "q" });
        expect(groups).toEqual({ ok: true, groups: [{ group: "digest", size: 1 }] });
        expect(await idsInGroup(ctx(), "digest", "q")).toEqual([grouped.id]);
      });

      it("forwards the tasks of a paused queue, which only stops dequeues", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        const due = await schedule(ctx(), "q", t0 + SECOND);
        mustSucceed(await broker.pauseQueue({ queue: "q", now: t0 }), "pause");
        ctx().clock.advance(SECOND);
        const now = ctx().now();
        expect(await broker.forwardDue({ queue: "q", from: "scheduled", limit: BATCH, now })).toBe(
          1,
        );
        expect(await stateOf(ctx(), due.id, "q")).toBe("pending");
        expect(await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now })).toBeNull();
      });

      it("deletes completed tasks whose retention ended at or before now, and only those", async () => {
        const { broker, expect } = ctx();
        const short = await completed(ctx(), "q", 10 * SECOND);
        const long = await completed(ctx(), "q", MINUTE);
        ctx().clock.advance(10 * SECOND);
        const now = ctx().now();
        expect(await broker.deleteExpiredCompleted({ queue: "q", limit: BATCH, now })).toBe(1);
        expect(await stateOf(ctx(), short.id, "q")).toBe("missing");
        expect(await stateOf(ctx(), long.id, "q")).toBe("completed");
        expect(await broker.deleteExpiredCompleted({ queue: "q", limit: BATCH, now })).toBe(0);
        expect((await countsOf(ctx(), "q")).completed).toBe(1);
      });

      it("deletes at most limit expired completed tasks per call", async () => {
        const { broker, expect } = ctx();
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await completed(ctx(), "q", 10 * SECOND)).id);
        ctx().clock.advance(MINUTE);
        const now = ctx().now();
        const sweep = () => broker.deleteExpiredCompleted({ queue: "q", limit: 2, now });
        expect(await sweep()).toBe(2);
        expect((await countsOf(ctx(), "q")).completed).toBe(3);
        expect([await sweep(), await sweep()]).toEqual([2, 1]);
        const states = await Promise.all(ids.map((id) => stateOf(ctx(), id, "q")));
        expect(states).toEqual(Array(5).fill("missing"));
      });

      it("recovers an active task whose lease expired past the skew by retrying it", async () => {
        const { broker, expect } = ctx();
        const lost = await ctx().activate({ queue: "q", maxRetry: 3 });
        ctx().clock.advance(DEFAULTS.lease - 10 * SECOND);
        const healthy = await ctx().activate({ queue: "q" });
        ctx().clock.advance(10 * SECOND + DEFAULTS.recovererLeaseSkew);
        const now = ctx().now();
        const cutoff = now - DEFAULTS.recovererLeaseSkew;
        const expired = await broker.listLeaseExpired({ queues: ["q"], cutoff, now });
        expect(expired.map((m) => m.id)).toEqual([lost.id]);
        const message = failedAttempt(expired[0]!, now, "task lease expired");
        mustSucceed(
          await broker.retry({ message, retryAt: now + MINUTE, isFailure: true, now }),
          "retry",
        );
        const record = await recordOf(ctx(), lost.id, "q");
        expect([record.state, record.message.retried, record.message.lastError]).toEqual([
          "retry",
          1,
          "task lease expired",
        ]);
        expect(await stateOf(ctx(), healthy.id, "q")).toBe("active");
        expect(await broker.listLeaseExpired({ queues: ["q"], cutoff, now })).toEqual([]);
      });

      it("recovers a lease-expired task with no retries left by archiving it", async () => {
        const { broker, expect } = ctx();
        const lost = await ctx().activate({ queue: "q", maxRetry: 0 });
        ctx().clock.advance(DEFAULTS.lease + DEFAULTS.recovererLeaseSkew);
        const now = ctx().now();
        const cutoff = now - DEFAULTS.recovererLeaseSkew;
        const [expired] = await broker.listLeaseExpired({ queues: ["q"], cutoff, now });
        expect(expired?.id).toBe(lost.id);
        const message = { ...expired!, lastError: "task lease expired", lastFailedAt: now };
        mustSucceed(await broker.archive({ message, trim: defaultTrim(now), now }), "archive");
        expect(await stateOf(ctx(), lost.id, "q")).toBe("archived");
        const c = await countsOf(ctx(), "q");
        expect([c.active, c.archived, c.failed]).toEqual([0, 1, 1]);
      });
    });
  });
}
