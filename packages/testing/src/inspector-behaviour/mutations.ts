import {
  DuplicateTaskError,
  FailedPreconditionError,
  MINUTE,
  QueueNotFoundError,
  SECOND,
  Task,
  TaskNotFoundError,
  type TaskState,
} from "@asynq-ts/core";
import {
  bytes,
  comparable,
  type InspectorBehaviourOptions,
  idsOf,
  rejection,
  withInspector,
} from "./harness.js";

const INACTIVE: readonly Exclude<TaskState, "active">[] = [
  "pending",
  "scheduled",
  "retry",
  "archived",
  "completed",
  "aggregating",
];

/** Single-task delete, run, archive and payload update, with their refusals. */
export function describeInspectorMutations(options: InspectorBehaviourOptions): void {
  const { it } = options.test;
  options.test.describe("single-task mutations", () => {
    withInspector(options, (ctx) => {
      it("deleteTask deletes a task in any state but active", async () => {
        const { inspector, expect, place } = ctx();
        for (const state of INACTIVE) {
          const queue = `q-${state}`;
          await place(state, { id: "t", queue });
          await inspector.deleteTask(queue, "t");
          await expect(inspector.taskInfo(queue, "t")).rejects.toBeInstanceOf(TaskNotFoundError);
          expect((await inspector.queueInfo(queue)).size).toBe(0);
        }
      });

      it("deleteTask, runTask and archiveTask refuse an active task, pointing to cancelProcessing", async () => {
        const { inspector, expect, place } = ctx();
        await place("active", { id: "a" });
        for (const action of [
          () => inspector.deleteTask("default", "a"),
          () => inspector.runTask("default", "a"),
          () => inspector.archiveTask("default", "a"),
        ]) {
          const error = await rejection(action);
          expect(error).toBeInstanceOf(FailedPreconditionError);
          expect(error).toMatchObject({ code: "FAILED_PRECONDITION" });
          expect((error as Error).message).toContain("cancelProcessing");
        }
        expect((await inspector.taskInfo("default", "a")).state).toBe("active");
      });

      it("deleting a unique task releases its lock", async () => {
        const { inspector, expect, place, client } = ctx();
        await place("pending", { id: "u1", payload: "same", options: { unique: MINUTE } });
        const again = () => client.enqueue(new Task("email:send", "same"), { unique: MINUTE });
        await expect(again()).rejects.toBeInstanceOf(DuplicateTaskError);
        await inspector.deleteTask("default", "u1");
        expect((await again()).state).toBe("pending");
      });

      it("runTask moves scheduled, retry, archived, completed and aggregating tasks to pending", async () => {
        const { inspector, expect, place, now } = ctx();
        for (const state of INACTIVE.filter((s) => s !== "pending")) {
          const queue = `q-${state}`;
          await place(state, { id: "t", queue });
          await inspector.runTask(queue, "t");
          expect(await inspector.taskInfo(queue, "t")).toMatchObject({
            state: "pending",
            nextProcessAt: new Date(now()),
          });
          expect(idsOf(await inspector.listPendingTasks(queue))).toEqual(["t"]);
        }
      });

      it("a task run by hand counts its wait from the run (latency)", async () => {
        const { inspector, expect, place, clock } = ctx();
        await place("archived", { id: "t" });
        clock.advance(10 * SECOND);
        await inspector.runTask("default", "t");
        clock.advance(3 * SECOND);
        expect((await inspector.queueInfo("default")).latency).toBe(3 * SECOND);
      });

      it("runTask refuses a pending task and reports missing tasks and queues", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending", { id: "p" });
        const pending = await rejection(() => inspector.runTask("default", "p"));
        expect(pending).toBeInstanceOf(FailedPreconditionError);
        expect((pending as Error).message).toContain("already pending");
        await expect(inspector.runTask("default", "nope")).rejects.toMatchObject({
          code: "TASK_NOT_FOUND",
        });
        await expect(inspector.runTask("ghost", "p")).rejects.toBeInstanceOf(QueueNotFoundError);
      });

      it("archiveTask archives pending, scheduled, retry, completed and aggregating tasks", async () => {
        const { inspector, expect, place } = ctx();
        for (const state of INACTIVE.filter((s) => s !== "archived")) {
          const queue = `q-${state}`;
          await place(state, { id: "t", queue });
          await inspector.archiveTask(queue, "t");
          expect((await inspector.taskInfo(queue, "t")).state).toBe("archived");
          expect(idsOf(await inspector.listArchivedTasks(queue))).toEqual(["t"]);
        }
      });

      it("archiveTask refuses an archived task and reports missing tasks and queues", async () => {
        const { inspector, expect, place } = ctx();
        await place("archived", { id: "x" });
        const error = await rejection(() => inspector.archiveTask("default", "x"));
        expect(error).toBeInstanceOf(FailedPreconditionError);
        expect((error as Error).message).toContain("already archived");
        await expect(inspector.archiveTask("default", "nope")).rejects.toBeInstanceOf(
          TaskNotFoundError,
        );
        await expect(inspector.archiveTask("ghost", "x")).rejects.toMatchObject({
          code: "QUEUE_NOT_FOUND",
        });
      });

      it("updateTaskPayload replaces a scheduled task's payload, as text or bytes", async () => {
        const { inspector, expect, place } = ctx();
        await place("scheduled", { id: "s", payload: "old", options: { maxRetry: 2 } });
        const before = await inspector.taskInfo("default", "s");
        await inspector.updateTaskPayload("default", "s", "new");
        expect(comparable(await inspector.taskInfo("default", "s"))).toEqual(
          comparable({ ...before, payload: bytes("new") }),
        );
        await inspector.updateTaskPayload("default", "s", new Uint8Array([1, 2, 3]));
        expect(comparable((await inspector.taskInfo("default", "s")).payload)).toEqual(
          comparable(new Uint8Array([1, 2, 3])),
        );
      });

      it("updateTaskPayload refuses tasks that are not scheduled", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending", { id: "p" });
        const error = await rejection(() => inspector.updateTaskPayload("default", "p", "x"));
        expect(error).toBeInstanceOf(FailedPreconditionError);
        expect((error as Error).message).toContain("only scheduled tasks");
        await expect(inspector.updateTaskPayload("default", "nope", "x")).rejects.toMatchObject({
          code: "TASK_NOT_FOUND",
        });
        const bad = 42 as unknown as string;
        await expect(inspector.updateTaskPayload("default", "p", bad)).rejects.toMatchObject({
          code: "INVALID_ARGUMENT",
          field: "payload",
        });
      });

      it("refuses blank queue names and task IDs", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending", { id: "p" });
        const calls = {
          taskInfo: (q: string, id: string) => inspector.taskInfo(q, id),
          deleteTask: (q: string, id: string) => inspector.deleteTask(q, id),
          runTask: (q: string, id: string) => inspector.runTask(q, id),
          archiveTask: (q: string, id: string) => inspector.archiveTask(q, id),
          updateTaskPayload: (q: string, id: string) => inspector.updateTaskPayload(q, id, "x"),
        };
        for (const call of Object.values(calls)) {
          await expect(call("", "p")).rejects.toMatchObject({
            code: "INVALID_ARGUMENT",
            field: "queue",
          });
          await expect(call("default", " ")).rejects.toMatchObject({
            code: "INVALID_ARGUMENT",
            field: "taskId",
          });
        }
        expect((await inspector.taskInfo("default", "p")).state).toBe("pending");
      });
    });
  });
}
