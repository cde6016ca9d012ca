import { DEFAULTS, HOUR, MINUTE, SECOND, TASK_STATES } from "@asynq-ts/core";
import {
  aOrAn,
  encode,
  groupsOf,
  idsIn,
  lookup,
  mustSucceed,
  placeTask,
  processTask,
  statsOf,
  tryUnique,
} from "./fixtures.js";
import { type ConformanceOptions, withContext } from "./harness.js";

/**
 * Conformance: pausing and deleting queues (reference §8 17–18, 68–69, with asynq-ts's fix of
 * asynq's incomplete queue deletion).
 */
export function describeInspectorQueueAdminConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("inspector queue admin", () => {
    withContext(options, (ctx) => {
      it("pauseQueue stops dequeues until unpauseQueue; repeating either is refused", async () => {
        const { broker, expect } = ctx();
        const task = await placeTask(ctx(), "pending");
        const now = ctx().now();
        const dequeue = () =>
          broker.dequeue({ queues: ["default"], leaseUntil: now + DEFAULTS.lease, now });
        expect(await broker.pauseQueue({ queue: "default", now })).toEqual({ ok: true });
        expect(await broker.pauseQueue({ queue: "default", now })).toEqual({
          ok: false,
          reason: "already-paused",
        });
        expect(await dequeue()).toBeNull();
        await placeTask(ctx(), "pending");
        expect((await statsOf(ctx())).pending).toBe(2);
        expect(await broker.unpauseQueue({ queue: "default", now })).toEqual({ ok: true });
        expect(await broker.unpauseQueue({ queue: "default", now })).toEqual({
          ok: false,
          reason: "not-paused",
        });
        expect((await dequeue())?.message.id).toBe(task.id);
        expect((await statsOf(ctx())).paused).toBe(false);
      });

      for (const state of TASK_STATES) {
        it(`deleteQueue without force is refused while ${aOrAn(state)} task exists`, async () => {
          const { broker, expect } = ctx();
          const task = await placeTask(ctx(), state);
          const result = await broker.deleteQueue({
            queue: "default",
            force: false,
            now: ctx().now(),
          });
          expect(result).toEqual({ ok: false, reason: "not-empty" });
          expect(await broker.listQueues()).toEqual(["default"]);
          expect(await lookup(ctx(), task.id)).toBe("found");
        });
      }

      it("deleteQueue with force is refused while a task is active", async () => {
        const { broker, expect } = ctx();
        const active = await placeTask(ctx(), "active");
        const pending = await placeTask(ctx(), "pending");
        const result = await broker.deleteQueue({
          queue: "default",
          force: true,
          now: ctx().now(),
        });
        expect(result).toEqual({ ok: false, reason: "has-active" });
        expect(await broker.listQueues()).toEqual(["default"]);
        expect(await idsIn(ctx(), "active")).toEqual([active.id]);
        expect(await idsIn(ctx(), "pending")).toEqual([pending.id]);
      });

      it("deleteQueue without force removes a queue that holds no tasks", async () => {
        const { broker, expect } = ctx();
        await processTask(ctx());
        await placeTask(ctx(), "pending", { queue: "other" });
        const result = await broker.deleteQueue({
          queue: "default",
          force: false,
          now: ctx().now(),
        });
        expect(result).toEqual({ ok: true });
        expect(await broker.listQueues()).toEqual(["other"]);
        const stats = await broker.queueStats({ queue: "default", now: ctx().now() });
        expect(stats).toEqual({ ok: false, reason: "queue-not-found" });
      });

      it("deleteQueue with force deletes every task, group, lock, counter and the pause flag", async () => {
        const { broker, expect } = ctx();
        const payload = encode('{"unique":"queue"}');
        await processTask(ctx());
        const placed = [
          await placeTask(ctx(), "retry"),
          await placeTask(ctx(), "archived"),
          await placeTask(ctx(), "completed"),
          await placeTask(ctx(), "pending", { id: "unique-task", payload }, { uniqueTtl: HOUR }),
          await placeTask(ctx(), "scheduled"),
          await placeTask(ctx(), "aggregating", { group: "g1" }),
          await placeTask(ctx(), "aggregating", { group: "g2" }),
        ];
        // One group becomes an aggregation set, which must go too.
        const setDeadline = ctx().now() + 2 * MINUTE;
        const check = { queue: "default", group: "g2", setId: "set-1", maxSize: 0, maxDelay: 0 };
        expect(
          await broker.aggregationCheck({
            ...check,
            gracePeriod: 0,
            setDeadline,
            now: ctx().now(),
          }),
        ).toBe(true);
        mustSucceed(await broker.pauseQueue({ queue: "default", now: ctx().now() }), "pauseQueue");
        await placeTask(ctx(), "pending", { queue: "other" });

        const result = await broker.deleteQueue({
          queue: "default",
          force: true,
          now: ctx().now(),
        });
        expect(result).toEqual({ ok: true });
        expect(await broker.listQueues()).toEqual(["other"]);
        expect(await lookup(ctx(), placed[0]!.id)).toBe("queue-not-found");

        // Every ID and the unique payload can be used again, and the queue starts from zero.
        ctx().clock.advance(3 * MINUTE);
        for (const task of placed)
          await placeTask(ctx(), "pending", { id: task.id, payload: task.payload });
        expect(await tryUnique(ctx(), payload)).toBe("ok");
        const stats = await statsOf(ctx());
        expect(stats).toMatchObject({
          pending: placed.length + 1,
          active: 0,
          scheduled: 0,
          retry: 0,
          archived: 0,
          completed: 0,
          aggregating: 0,
          groups: 0,
          processed: 0,
          failed: 0,
          processedTotal: 0,
          failedTotal: 0,
          paused: false,
        });
        expect(await groupsOf(ctx())).toEqual([]);
        const now = ctx().now();
        expect(await broker.reclaimStaleAggregationSets({ queue: "default", now })).toBe(0);
        expect(await groupsOf(ctx())).toEqual([]);
        const history = mustSucceed(
          await broker.queueHistory({ queue: "default", days: 1, now }),
          "queueHistory",
        );
        expect(history.days.map((d) => [d.processed, d.failed])).toEqual([[0, 0]]);
      });

      it("deleteQueue leaves other queues alone", async () => {
        const { broker, expect } = ctx();
        await placeTask(ctx(), "pending", { queue: "doomed" });
        const kept = await placeTask(ctx(), "scheduled", { queue: "kept" });
        mustSucceed(
          await broker.deleteQueue({ queue: "doomed", force: true, now: ctx().now() }),
          "deleteQueue",
        );
        expect(await broker.listQueues()).toEqual(["kept"]);
        expect(await lookup(ctx(), kept.id, "kept")).toBe("found");
        expect((await statsOf(ctx(), "kept")).scheduled).toBe(1);
      });

      it("deleteQueue of an unknown queue is refused with queue-not-found", async () => {
        const { broker, expect } = ctx();
        for (const force of [false, true]) {
          const result = await broker.deleteQueue({ queue: "nowhere", force, now: ctx().now() });
          expect(result).toEqual({ ok: false, reason: "queue-not-found" });
        }
      });

      it("a deleted queue can be used again from scratch", async () => {
        const { broker, expect } = ctx();
        await placeTask(ctx(), "archived", { id: "again" });
        mustSucceed(
          await broker.deleteQueue({ queue: "default", force: true, now: ctx().now() }),
          "deleteQueue",
        );
        ctx().clock.advance(SECOND);
        await placeTask(ctx(), "archived", { id: "again" });
        expect(await broker.listQueues()).toEqual(["default"]);
        expect(await idsIn(ctx(), "archived")).toEqual(["again"]);
        const stats = await statsOf(ctx());
        expect([stats.processedTotal, stats.failedTotal, stats.archived]).toEqual([1, 1, 1]);
      });
    });
  });
}
