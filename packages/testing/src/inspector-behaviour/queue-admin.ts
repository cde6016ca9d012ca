import {
  DEFAULTS,
  MINUTE,
  QueueAlreadyPausedError,
  QueueNotEmptyError,
  QueueNotFoundError,
  QueueNotPausedError,
  TASK_STATES,
  Task,
} from "@asynq-ts/core";
import { type InspectorBehaviourOptions, rejection, withInspector } from "./harness.js";

/** Pausing and deleting queues. */
export function describeInspectorQueueAdmin(options: InspectorBehaviourOptions): void {
  const { it } = options.test;
  options.test.describe("queue administration", () => {
    withInspector(options, (ctx) => {
      it("pauseQueue stops dequeues until unpauseQueue", async () => {
        const { inspector, expect, place, broker, now } = ctx();
        await place("pending", { id: "p" });
        const dequeue = () =>
          broker.dequeue({ queues: ["default"], leaseUntil: now() + DEFAULTS.lease, now: now() });
        await inspector.pauseQueue("default");
        expect((await inspector.queueInfo("default")).paused).toBe(true);
        expect(await dequeue()).toBeNull();
        await inspector.unpauseQueue("default");
        expect((await inspector.queueInfo("default")).paused).toBe(false);
        expect((await dequeue())?.message.id).toBe("p");
      });

      it("pausing a paused queue and unpausing a running one throw coded errors", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending");
        const notPaused = await rejection(() => inspector.unpauseQueue("default"));
        expect(notPaused).toBeInstanceOf(QueueNotPausedError);
        expect(notPaused).toMatchObject({ code: "QUEUE_NOT_PAUSED" });
        await inspector.pauseQueue("default");
        const paused = await rejection(() => inspector.pauseQueue("default"));
        expect(paused).toBeInstanceOf(QueueAlreadyPausedError);
        expect(paused).toMatchObject({ code: "QUEUE_ALREADY_PAUSED" });
        expect((await inspector.queueInfo("default")).paused).toBe(true);
      });

      it("deleteQueue removes an empty queue", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending", { id: "p", queue: "q" });
        await place("pending", { queue: "other" });
        await inspector.deleteTask("q", "p");
        await inspector.deleteQueue("q");
        expect(await inspector.queues()).toEqual(["other"]);
        await expect(inspector.queueInfo("q")).rejects.toBeInstanceOf(QueueNotFoundError);
        await expect(inspector.deleteQueue("q")).rejects.toBeInstanceOf(QueueNotFoundError);
      });

      for (const state of TASK_STATES) {
        it(`deleteQueue without force refuses a queue holding a ${state} task`, async () => {
          const { inspector, expect, place } = ctx();
          await place(state, { id: "t" });
          const error = await rejection(() => inspector.deleteQueue("default"));
          expect(error).toBeInstanceOf(QueueNotEmptyError);
          expect(error).toMatchObject({ code: "QUEUE_NOT_EMPTY" });
          expect((await inspector.taskInfo("default", "t")).state).toBe(state);
        });
      }

      it("deleteQueue with force still refuses while a task is active", async () => {
        const { inspector, expect, place } = ctx();
        await place("active", { id: "a" });
        await place("pending", { id: "p" });
        const error = await rejection(() => inspector.deleteQueue("default", { force: true }));
        expect(error).toBeInstanceOf(QueueNotEmptyError);
        expect((error as Error).message).toContain("active");
        expect(await inspector.queues()).toEqual(["default"]);
        expect((await inspector.queueInfo("default")).size).toBe(2);
      });

      it("deleteQueue with force removes everything; the same IDs and unique payloads enqueue again", async () => {
        const { inspector, expect, place, client, broker, activate, now } = ctx();
        const unique = { unique: 10 * MINUTE };
        await place("retry", { id: "r", payload: "r", options: unique });
        await place("archived", { id: "x", payload: "x", options: unique });
        await place("completed", { id: "c" });
        const done = await place("pending", { id: "d" });
        await activate("default", done.id);
        await broker.done({ queue: "default", taskId: "d", uniqueKey: "", now: now() });
        await place("pending", { id: "p", payload: "p", options: unique });
        await place("scheduled", { id: "s", payload: "s", options: unique });
        await place("aggregating", { id: "g", payload: "g", options: { ...unique, group: "grp" } });
        await inspector.pauseQueue("default");
        await inspector.deleteQueue("default", { force: true });

        expect(await inspector.queues()).toEqual([]);
        await expect(inspector.queueInfo("default")).rejects.toBeInstanceOf(QueueNotFoundError);
        for (const id of ["r", "x", "c", "p", "s", "g"]) {
          const payload = id === "c" ? "again" : id;
          const info = await client.enqueue(new Task("email:send", payload), {
            taskId: id,
            ...unique,
          });
          expect(info.state).toBe("pending");
        }
        expect(await inspector.queueInfo("default")).toMatchObject({
          size: 6,
          pending: 6,
          groups: 0,
          paused: false,
          processed: 0,
          failed: 0,
          processedTotal: 0,
          failedTotal: 0,
        });
        expect(await inspector.groups("default")).toEqual([]);
      });

      it("refuses a non-boolean force and blank queue names", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending");
        const force = "yes" as unknown as boolean;
        await expect(inspector.deleteQueue("default", { force })).rejects.toMatchObject({
          code: "INVALID_ARGUMENT",
          field: "force",
        });
        for (const action of [
          () => inspector.pauseQueue(" "),
          () => inspector.unpauseQueue(""),
          () => inspector.deleteQueue(""),
          () => inspector.queueInfo(""),
          () => inspector.groups(" "),
        ]) {
          expect(await rejection(action)).toMatchObject({
            code: "INVALID_ARGUMENT",
            field: "queue",
          });
        }
        expect(await inspector.queues()).toEqual(["default"]);
      });
    });
  });
}
