import type { TaskMessage } from "@asynq-ts/core";
import { MINUTE, SECOND } from "@asynq-ts/core";
import {
  comparable,
  countsOf,
  idsIn,
  mustSucceed,
  placeTask,
  recordOf,
  stateOf,
} from "./fixtures.js";
import { type ConformanceOptions, type SuiteContext, withContext } from "./harness.js";

// Real waits only for the blocking wake-up tests; far above any legitimate wake-up, so a
// broker that does not wake shows up as a test timeout instead.
const LONG_WAIT = 60_000;
const WAKE_TEST_TIMEOUT = 10_000;

/** Dequeues from `queues` with a lease until `leaseUntil` (default: a minute from now). */
async function take(ctx: SuiteContext, queues: readonly string[], leaseUntil?: number) {
  const now = ctx.now();
  return ctx.broker.dequeue({ queues, leaseUntil: leaseUntil ?? now + MINUTE, now });
}

/** Enqueues a task into `queue` and dequeues it with the given lease expiry. */
async function activeUntil(ctx: SuiteContext, queue: string, leaseUntil: number) {
  const message = await ctx.enqueue({ queue });
  const got = await take(ctx, [queue], leaseUntil);
  if (got?.message.id !== message.id) throw new Error("activeUntil: dequeued another task");
  return got.message;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Conformance: handing tasks to workers — FIFO dequeue across queues in order, paused queues,
 * requeue, lease extension and expiry listing, and waiting for work (reference §8 items 15–17,
 * 25–27).
 */
export function describeDequeueLeaseConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("dequeue and lease", () => {
    withContext(options, (ctx) => {
      it("dequeues the oldest pending task first", async () => {
        const { expect } = ctx();
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          ids.push((await ctx().enqueue({ queue: "q" })).id);
          ctx().clock.advance(SECOND);
        }
        const order: (string | undefined)[] = [];
        for (let i = 0; i < 3; i++) order.push((await take(ctx(), ["q"]))?.message.id);
        expect(order).toEqual(ids);
      });

      it("marks the dequeued task active with the requested lease and returns its message", async () => {
        const { expect } = ctx();
        const message = await ctx().enqueue({ queue: "q", headers: { trace: "t-1" } });
        const leaseUntil = ctx().now() + 30 * SECOND;
        const got = await take(ctx(), ["q"], leaseUntil);
        expect(got?.leaseUntil).toBe(leaseUntil);
        expect(comparable(got!.message)).toEqual(comparable(message));
        const record = await recordOf(ctx(), message.id, "q");
        expect([record.state, record.leaseExpiresAt, record.nextProcessAt]).toEqual([
          "active",
          leaseUntil,
          0,
        ]);
        expect(await idsIn(ctx(), "active", "q")).toEqual([message.id]);
        const counts = await countsOf(ctx(), "q");
        expect([counts.pending, counts.active, counts.oldestPendingSince]).toEqual([0, 1, 0]);
      });

      it("takes from the first non-empty queue in the order given", async () => {
        const { expect } = ctx();
        const inB = await ctx().enqueue({ queue: "b" });
        const inC = await ctx().enqueue({ queue: "c" });
        expect((await take(ctx(), ["a", "b", "c"]))?.message.id).toBe(inB.id);
        expect((await take(ctx(), ["a", "b", "c"]))?.message.id).toBe(inC.id);
        expect(await take(ctx(), ["a", "b", "c"])).toBeNull();
      });

      it("returns null over empty or unknown queues and changes nothing", async () => {
        const { broker, expect } = ctx();
        const scheduled = await placeTask(ctx(), "scheduled", { queue: "q" });
        const before = await countsOf(ctx(), "q");
        expect(await take(ctx(), ["q", "never-used"])).toBeNull();
        expect(await countsOf(ctx(), "q")).toEqual(before);
        expect(await stateOf(ctx(), scheduled.id, "q")).toBe("scheduled");
        expect(await broker.listQueues()).toEqual(["q"]);
      });

      it("skips a paused queue with pending tasks until it is unpaused", async () => {
        const { broker, expect } = ctx();
        const paused = await ctx().enqueue({ queue: "paused" });
        const open = await ctx().enqueue({ queue: "open" });
        mustSucceed(await broker.pauseQueue({ queue: "paused", now: ctx().now() }), "pause");
        expect((await take(ctx(), ["paused", "open"]))?.message.id).toBe(open.id);
        expect(await take(ctx(), ["paused"])).toBeNull();
        expect(await stateOf(ctx(), paused.id, "paused")).toBe("pending");
        expect((await countsOf(ctx(), "paused")).paused).toBe(true);
        mustSucceed(await broker.unpauseQueue({ queue: "paused", now: ctx().now() }), "unpause");
        expect((await take(ctx(), ["paused"]))?.message.id).toBe(paused.id);
      });

      it("never hands the same task to two concurrent dequeues", async () => {
        const { expect } = ctx();
        const only = await ctx().enqueue({ queue: "q" });
        const results = await Promise.all([take(ctx(), ["q"]), take(ctx(), ["q"])]);
        expect(results.filter((r) => r !== null).map((r) => r?.message.id)).toEqual([only.id]);
        for (let i = 0; i < 4; i++) await ctx().enqueue({ queue: "q" });
        const batch = await Promise.all([1, 2, 3, 4].map(() => take(ctx(), ["q"])));
        expect(new Set(batch.map((r) => r?.message.id)).size).toBe(4);
        expect(batch.every((r) => r !== null)).toBe(true);
      });

      it("requeues an active task as pending since now, keeping its retries and the stats", async () => {
        const { broker, expect } = ctx();
        const message = await ctx().activate({ queue: "q", retried: 2, maxRetry: 5 });
        ctx().clock.advance(10 * SECOND);
        const requeuedAt = ctx().now();
        mustSucceed(
          await broker.requeue({ queue: "q", taskId: message.id, now: requeuedAt }),
          "requeue",
        );
        const record = await recordOf(ctx(), message.id, "q");
        expect([record.state, record.leaseExpiresAt, record.message.retried]).toEqual([
          "pending",
          0,
          2,
        ]);
        const counts = await countsOf(ctx(), "q");
        expect([counts.pending, counts.active, counts.processed, counts.failed]).toEqual([
          1, 0, 0, 0,
        ]);
        expect([counts.processedTotal, counts.failedTotal]).toEqual([0, 0]);
        expect(counts.oldestPendingSince).toBe(requeuedAt);
      });

      it("puts a requeued task at the front of the line, ahead of tasks already waiting", async () => {
        const { broker, expect } = ctx();
        const first = await ctx().activate({ queue: "q" });
        const waiting = await ctx().enqueue({ queue: "q" });
        ctx().clock.advance(SECOND);
        mustSucceed(
          await broker.requeue({ queue: "q", taskId: first.id, now: ctx().now() }),
          "requeue",
        );
        expect((await take(ctx(), ["q"]))?.message.id).toBe(first.id);
        expect((await take(ctx(), ["q"]))?.message.id).toBe(waiting.id);
      });

      it("refuses to requeue a task that is not active and changes nothing", async () => {
        const { broker, expect } = ctx();
        const pending = await placeTask(ctx(), "pending", { queue: "q" });
        const scheduled = await placeTask(ctx(), "scheduled", { queue: "q" });
        const before = await countsOf(ctx(), "q");
        for (const taskId of [pending.id, scheduled.id, "missing"]) {
          const result = await broker.requeue({ queue: "q", taskId, now: ctx().now() });
          expect(result).toEqual({ ok: false, reason: "not-active" });
        }
        expect(await countsOf(ctx(), "q")).toEqual(before);
        expect(await stateOf(ctx(), scheduled.id, "q")).toBe("scheduled");
        expect(await stateOf(ctx(), "missing", "q")).toBe("missing");
      });

      it("extends the lease of listed tasks that are still active in the queue, returning their IDs", async () => {
        const { broker, expect } = ctx();
        const start = ctx().now();
        const running = await activeUntil(ctx(), "q", start + 30 * SECOND);
        const finished = await activeUntil(ctx(), "q", start + 30 * SECOND);
        const pending = await ctx().enqueue({ queue: "q" });
        const elsewhere = await activeUntil(ctx(), "other", start + 30 * SECOND);
        mustSucceed(
          await broker.done({ queue: "q", taskId: finished.id, uniqueKey: "", now: start }),
          "done",
        );
        ctx().clock.advance(10 * SECOND);
        const leaseUntil = ctx().now() + 30 * SECOND;
        const taskIds = [running.id, finished.id, pending.id, elsewhere.id, "missing"];
        const extended = await broker.extendLease({
          queue: "q",
          taskIds,
          leaseUntil,
          now: ctx().now(),
        });
        expect([...extended]).toEqual([running.id]);
        expect((await recordOf(ctx(), running.id, "q")).leaseExpiresAt).toBe(leaseUntil);
        const stillPending = await recordOf(ctx(), pending.id, "q");
        expect([stillPending.state, stillPending.leaseExpiresAt]).toEqual(["pending", 0]);
        expect((await recordOf(ctx(), elsewhere.id, "other")).leaseExpiresAt).toBe(
          start + 30 * SECOND,
        );
        expect(await stateOf(ctx(), finished.id, "q")).toBe("missing");
      });

      it("lists exactly the active tasks of the given queues whose lease expired at or before the cutoff", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        const expiredA = await activeUntil(ctx(), "a", t0 + 10 * SECOND);
        const validA = await activeUntil(ctx(), "a", t0 + 11 * SECOND);
        const expiredB = await activeUntil(ctx(), "b", t0 + 5 * SECOND);
        await activeUntil(ctx(), "not-asked", t0 + SECOND);
        ctx().clock.advance(MINUTE);
        const now = ctx().now();
        const listed = await broker.listLeaseExpired({
          queues: ["a", "b"],
          cutoff: t0 + 10 * SECOND,
          now,
        });
        const ids = listed.map((m: TaskMessage) => m.id).sort();
        expect(ids).toEqual([expiredA.id, expiredB.id].sort());
        const byId = new Map(listed.map((m) => [m.id, m]));
        expect(comparable(byId.get(expiredA.id)!)).toEqual(comparable(expiredA));
        expect(
          await broker.listLeaseExpired({ queues: ["a", "b"], cutoff: t0 + 4 * SECOND, now }),
        ).toEqual([]);
        expect(await stateOf(ctx(), validA.id, "a")).toBe("active");
      });

      it("resolves waitForTasks once its timeout passes", async () => {
        const { broker, expect } = ctx();
        await expect(broker.waitForTasks({ queues: ["q"], timeout: 20 })).resolves.toBeUndefined();
      });

      it(
        "resolves waitForTasks without throwing when its signal aborts",
        async () => {
          const { broker, expect } = ctx();
          await expect(
            broker.waitForTasks({ queues: ["q"], timeout: LONG_WAIT, signal: AbortSignal.abort() }),
          ).resolves.toBeUndefined();
          const controller = new AbortController();
          const waiting = broker.waitForTasks({
            queues: ["q"],
            timeout: LONG_WAIT,
            signal: controller.signal,
          });
          await sleep(20);
          controller.abort();
          await expect(waiting).resolves.toBeUndefined();
        },
        WAKE_TEST_TIMEOUT,
      );

      it(
        "wakes waitForTasks when a task is enqueued to a waited-on queue (blocking dequeue)",
        async () => {
          const { broker, expect } = ctx();
          const blocking = broker.capabilities.blockingDequeue;
          const controller = new AbortController();
          let woke = false;
          const waiting = broker
            .waitForTasks({
              queues: ["idle", "q"],
              timeout: blocking ? LONG_WAIT : 20,
              signal: controller.signal,
            })
            .then(() => {
              woke = true;
            });
          try {
            await sleep(20);
            const message = await ctx().enqueue({ queue: "q" });
            await waiting;
            expect(woke).toBe(true);
            expect((await take(ctx(), ["idle", "q"]))?.message.id).toBe(message.id);
          } finally {
            controller.abort();
          }
        },
        WAKE_TEST_TIMEOUT,
      );
    });
  });
}
