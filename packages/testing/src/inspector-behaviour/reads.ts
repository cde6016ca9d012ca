import {
  DAY,
  DEFAULTS,
  InvalidArgumentError,
  MINUTE,
  QueueNotFoundError,
  SECOND,
  TaskNotFoundError,
} from "@asynq-ts/core";
import {
  bytes,
  comparable,
  type InspectorBehaviourOptions,
  rejection,
  withInspector,
} from "./harness.js";

/** Queue stats, history, groups and single-task reads. */
export function describeInspectorReads(options: InspectorBehaviourOptions): void {
  const { it } = options.test;
  options.test.describe("reads", () => {
    withInspector(options, (ctx) => {
      it("queues() lists every queue a task was enqueued to, sorted", async () => {
        const { inspector, expect, place } = ctx();
        expect(await inspector.queues()).toEqual([]);
        for (const queue of ["low", "critical", "default"]) await place("pending", { queue });
        expect(await inspector.queues()).toEqual(["critical", "default", "low"]);
      });

      it("queueInfo counts every state and sums them into size", async () => {
        const { inspector, expect, place, broker, now } = ctx();
        for (const state of ["active", "retry", "archived", "completed", "pending"] as const) {
          await place(state);
        }
        await place("scheduled");
        await place("aggregating", { options: { group: "g" } });
        await place("aggregating", { options: { group: "h" } });
        const info = await inspector.queueInfo("default");
        expect(info).toMatchObject({
          queue: "default",
          size: 8,
          pending: 1,
          active: 1,
          scheduled: 1,
          retry: 1,
          archived: 1,
          completed: 1,
          aggregating: 2,
          groups: 2,
          paused: false,
          latency: 0,
        });
        expect(info.timestamp).toEqual(new Date(now()));
        if (broker.capabilities.memoryUsage) expect(typeof info.memoryUsageBytes).toBe("number");
        else expect(info.memoryUsageBytes).toBeNull();
      });

      it("queueInfo reports how long the oldest pending task has waited", async () => {
        const { inspector, expect, place, clock } = ctx();
        await place("scheduled");
        expect((await inspector.queueInfo("default")).latency).toBe(0);
        await place("pending");
        clock.advance(5 * SECOND);
        await place("pending");
        expect((await inspector.queueInfo("default")).latency).toBe(5 * SECOND);
      });

      it("queueInfo counts today's and all-time processed and failed; history splits days", async () => {
        const { inspector, expect, place, broker, activate, clock, now } = ctx();
        await place("retry");
        await place("archived");
        await place("completed");
        const done = await place("pending");
        await activate("default", done.id);
        await broker.done({ queue: "default", taskId: done.id, uniqueKey: "", now: now() });
        const counters = { processed: 4, failed: 2, processedTotal: 4, failedTotal: 2 };
        expect(await inspector.queueInfo("default")).toMatchObject(counters);
        clock.advance(DAY);
        expect(await inspector.queueInfo("default")).toMatchObject({
          ...counters,
          processed: 0,
          failed: 0,
        });
        expect(await inspector.history("default", 2)).toEqual([
          { queue: "default", date: "2030-01-02", processed: 0, failed: 0 },
          { queue: "default", date: "2030-01-01", processed: 4, failed: 2 },
        ]);
      });

      it("history refuses fewer than one day and unknown queues", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending");
        for (const days of [0, -1, 1.5, Number.NaN]) {
          const error = await rejection(() => inspector.history("default", days));
          expect(error).toBeInstanceOf(InvalidArgumentError);
          expect(error).toMatchObject({ code: "INVALID_ARGUMENT", field: "days" });
        }
        await expect(inspector.history("ghost", 1)).rejects.toBeInstanceOf(QueueNotFoundError);
      });

      it("groups() lists each group with its size, by name", async () => {
        const { inspector, expect, place } = ctx();
        await place("aggregating", { options: { group: "h" } });
        await place("aggregating", { options: { group: "g" } });
        await place("aggregating", { options: { group: "g" } });
        expect(await inspector.groups("default")).toEqual([
          { group: "g", size: 2 },
          { group: "h", size: 1 },
        ]);
        await expect(inspector.groups("ghost")).rejects.toMatchObject({ code: "QUEUE_NOT_FOUND" });
      });

      it("taskInfo reports a scheduled task's fields with Dates", async () => {
        const { inspector, expect, place, now } = ctx();
        await place("scheduled", {
          id: "t1",
          type: "report:build",
          payload: "hello",
          options: { headers: { tenant: "acme" }, maxRetry: 3 },
        });
        expect(comparable(await inspector.taskInfo("default", "t1"))).toEqual(
          comparable({
            id: "t1",
            queue: "default",
            type: "report:build",
            payload: bytes("hello"),
            headers: { tenant: "acme" },
            state: "scheduled",
            maxRetry: 3,
            retried: 0,
            lastError: "",
            lastFailedAt: null,
            timeout: DEFAULTS.timeout,
            deadline: null,
            group: "",
            nextProcessAt: new Date(now() + MINUTE),
            isOrphaned: false,
            retention: 0,
            completedAt: null,
            result: null,
          }),
        );
      });

      it("taskInfo reports a retry task's failure and a completed task's result", async () => {
        const { inspector, expect, place, broker, activate, now } = ctx();
        await place("retry", { id: "r" });
        expect(await inspector.taskInfo("default", "r")).toMatchObject({
          state: "retry",
          retried: 1,
          lastError: "boom",
          lastFailedAt: new Date(now()),
          nextProcessAt: new Date(now() + MINUTE),
        });
        const sent = await place("pending", { id: "c", options: { retention: MINUTE } });
        const active = await activate("default", sent.id);
        await broker.writeResult({
          queue: "default",
          taskId: "c",
          result: bytes("ok"),
          now: now(),
        });
        const message = { ...active, completedAt: now() };
        await broker.markComplete({ message, expiresAt: now() + MINUTE, now: now() });
        expect(comparable(await inspector.taskInfo("default", "c"))).toMatchObject(
          comparable({
            state: "completed",
            completedAt: new Date(now()),
            result: bytes("ok"),
            retention: MINUTE,
          }),
        );
      });

      it("taskInfo marks an active task orphaned once its lease has expired", async () => {
        const { inspector, expect, place, clock } = ctx();
        await place("active", { id: "a" });
        expect(await inspector.taskInfo("default", "a")).toMatchObject({
          state: "active",
          isOrphaned: false,
        });
        clock.advance(DEFAULTS.lease + SECOND);
        expect((await inspector.taskInfo("default", "a")).isOrphaned).toBe(true);
        const [listed] = await inspector.listActiveTasks("default");
        expect(listed?.isOrphaned).toBe(true);
      });

      it("taskInfo throws TaskNotFoundError and QueueNotFoundError", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending");
        const missing = await rejection(() => inspector.taskInfo("default", "nope"));
        expect(missing).toBeInstanceOf(TaskNotFoundError);
        expect(missing).toMatchObject({ code: "TASK_NOT_FOUND" });
        const ghost = await rejection(() => inspector.taskInfo("ghost", "nope"));
        expect(ghost).toBeInstanceOf(QueueNotFoundError);
        expect(ghost).toMatchObject({ code: "QUEUE_NOT_FOUND" });
        await expect(inspector.queueInfo("ghost")).rejects.toBeInstanceOf(QueueNotFoundError);
      });
    });
  });
}
