import type { Placement, TaskMessage } from "@asynq-ts/core";
import {
  Client,
  DuplicateTaskError,
  HOUR,
  MINUTE,
  SECOND,
  Task,
  TaskIdConflictError,
} from "@asynq-ts/core";
import {
  activateTask,
  caught,
  countsOf,
  encode,
  failedAttempt,
  mustSucceed,
  recordOf,
  stateOf,
} from "./fixtures.js";
import {
  type ConformanceOptions,
  defaultTrim,
  enqueueRequest,
  type SuiteContext,
  withContext,
} from "./harness.js";

/** The task these tests make unique, unless a test overrides a field. */
const uniqueFields = (fields: Partial<TaskMessage>): Partial<TaskMessage> => ({
  queue: "q",
  type: "report",
  payload: encode("p"),
  ...fields,
});

/** Enqueues a unique task; returns the broker's result and the message it sent. */
async function enqueueUnique(
  ctx: SuiteContext,
  fields: Partial<TaskMessage>,
  ttl: number,
  placement?: Placement,
) {
  const message = ctx.message(uniqueFields(fields));
  const now = ctx.now();
  const extras = placement === undefined ? { uniqueTtl: ttl } : { uniqueTtl: ttl, placement };
  const result = await ctx.broker.enqueue({ ...enqueueRequest(message, now, extras), now });
  return { result, message };
}

/** The outcome of a unique enqueue: "ok" or the refusal reason. */
async function outcomeOf(ctx: SuiteContext, fields: Partial<TaskMessage> = {}, ttl = MINUTE) {
  const { result } = await enqueueUnique(ctx, fields, ttl);
  return result.ok ? "ok" : result.reason;
}

/** Enqueues a unique task and dequeues it; returns the dequeued message (with its uniqueKey). */
function activeUnique(
  ctx: SuiteContext,
  fields: Partial<TaskMessage> = {},
  ttl = MINUTE,
): Promise<TaskMessage> {
  return activateTask(ctx, uniqueFields(fields), { uniqueTtl: ttl });
}

/**
 * Conformance: unique locks on (queue, type, payload) — refusal within the TTL, release by
 * success only (and by Inspector deletes), expiry, scheduled locks, no lock left behind on an
 * ID conflict, and never releasing another task's lock (reference §8 items 4–7, 21, 23, 37, 65
 * with the fix of §7 defect 3).
 */
export function describeUniquenessConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("uniqueness", () => {
    withContext(options, (ctx) => {
      it("refuses a second unique task with the same queue, type and payload within the TTL", async () => {
        const { expect } = ctx();
        const first = await enqueueUnique(ctx(), {}, MINUTE);
        mustSucceed(first.result, "first unique enqueue");
        const second = await enqueueUnique(ctx(), {}, MINUTE);
        expect(second.result).toEqual({ ok: false, reason: "duplicate-task" });
        expect(await stateOf(ctx(), second.message.id, "q")).toBe("missing");
        expect((await countsOf(ctx(), "q")).pending).toBe(1);
        const stored = await recordOf(ctx(), first.message.id, "q");
        expect(stored.message.uniqueKey).not.toBe("");
      });

      it("accepts the same task in another queue, with another type or with another payload", async () => {
        const { expect } = ctx();
        expect(await outcomeOf(ctx())).toBe("ok");
        expect(await outcomeOf(ctx(), { queue: "other" })).toBe("ok");
        expect(await outcomeOf(ctx(), { type: "invoice" })).toBe("ok");
        expect(await outcomeOf(ctx(), { payload: encode("p2") })).toBe("ok");
        expect(await outcomeOf(ctx(), { payload: new Uint8Array(0) })).toBe("ok");
        expect(await outcomeOf(ctx(), { payload: new Uint8Array(0) })).toBe("duplicate-task");
      });

      it("takes the lock for scheduled and grouped placements too", async () => {
        const { expect } = ctx();
        const later: Placement = { state: "scheduled", processAt: ctx().now() + MINUTE };
        mustSucceed((await enqueueUnique(ctx(), { type: "a" }, MINUTE, later)).result, "scheduled");
        const grouped: Placement = { state: "aggregating", group: "g" };
        mustSucceed(
          (await enqueueUnique(ctx(), { type: "b", group: "g" }, MINUTE, grouped)).result,
          "grouped",
        );
        expect(await outcomeOf(ctx(), { type: "a" })).toBe("duplicate-task");
        expect(await outcomeOf(ctx(), { type: "b" })).toBe("duplicate-task");
      });

      it("releases the lock when the task is done, so the same task can be enqueued again", async () => {
        const { broker, expect } = ctx();
        const active = await activeUnique(ctx());
        expect(active.uniqueKey).not.toBe("");
        const { queue, id: taskId, uniqueKey } = active;
        mustSucceed(await broker.done({ queue, taskId, uniqueKey, now: ctx().now() }), "done");
        expect(await outcomeOf(ctx())).toBe("ok");
      });

      it("releases the lock when the task is marked complete", async () => {
        const { broker, expect } = ctx();
        const active = await activeUnique(ctx(), { retention: HOUR });
        const now = ctx().now();
        const message = { ...active, completedAt: now };
        mustSucceed(
          await broker.markComplete({ message, expiresAt: now + HOUR, now }),
          "markComplete",
        );
        expect(await outcomeOf(ctx())).toBe("ok");
      });

      it("keeps the lock through retry, archive and requeue", async () => {
        const { broker, expect } = ctx();
        const now = ctx().now();
        const retried = await activeUnique(ctx(), { queue: "retried" });
        const message = failedAttempt(retried, now);
        mustSucceed(
          await broker.retry({ message, retryAt: now + MINUTE, isFailure: true, now }),
          "retry",
        );
        const archived = await activeUnique(ctx(), { queue: "archived" });
        const failed = failedAttempt(archived, now);
        mustSucceed(
          await broker.archive({ message: failed, trim: defaultTrim(now), now }),
          "archive",
        );
        const requeued = await activeUnique(ctx(), { queue: "requeued" });
        mustSucceed(
          await broker.requeue({ queue: "requeued", taskId: requeued.id, now }),
          "requeue",
        );
        for (const queue of ["retried", "archived", "requeued"]) {
          expect({ queue, outcome: await outcomeOf(ctx(), { queue }) }).toEqual({
            queue,
            outcome: "duplicate-task",
          });
        }
      });

      it("lets the lock expire after its TTL", async () => {
        const { expect } = ctx();
        mustSucceed((await enqueueUnique(ctx(), {}, SECOND)).result, "unique enqueue");
        expect(await outcomeOf(ctx())).toBe("duplicate-task");
        await ctx().elapse(2 * SECOND);
        expect(await outcomeOf(ctx())).toBe("ok");
      });

      it("holds a scheduled task's lock until processAt plus the TTL", async () => {
        const { expect } = ctx();
        const processAt = ctx().now() + 2 * SECOND;
        const placement: Placement = { state: "scheduled", processAt };
        mustSucceed((await enqueueUnique(ctx(), {}, SECOND, placement)).result, "scheduled unique");
        await ctx().elapse(2 * SECOND);
        expect(await outcomeOf(ctx())).toBe("duplicate-task");
        await ctx().elapse(2 * SECOND);
        expect(await outcomeOf(ctx())).toBe("ok");
      });

      it("leaves no lock behind when a unique enqueue is refused for an ID conflict", async () => {
        const { expect } = ctx();
        const placements: readonly Placement[] = [
          { state: "pending" },
          { state: "scheduled", processAt: ctx().now() + MINUTE },
          { state: "aggregating", group: "g" },
        ];
        for (const [i, placement] of placements.entries()) {
          const queue = `q${i}`;
          const existing = await ctx().enqueue({ queue, type: "plain" });
          const group = placement.state === "aggregating" ? "g" : "";
          const clash = await enqueueUnique(
            ctx(),
            { queue, id: existing.id, group },
            MINUTE,
            placement,
          );
          expect(clash.result).toEqual({ ok: false, reason: "task-id-conflict" });
          expect(await outcomeOf(ctx(), { queue })).toBe("ok");
          expect((await recordOf(ctx(), existing.id, queue)).message.type).toBe("plain");
        }
      });

      it("never releases a lock that another task took over after the first one's lock expired", async () => {
        const { broker, expect } = ctx();
        const doneOld = await activeUnique(ctx(), { payload: encode("done") }, SECOND);
        const completeOld = await activeUnique(
          ctx(),
          { payload: encode("complete"), retention: HOUR },
          SECOND,
        );
        const deleteOld = await activeUnique(ctx(), { payload: encode("delete") }, SECOND);
        let now = ctx().now();
        const failed = failedAttempt(deleteOld, now);
        mustSucceed(
          await broker.archive({ message: failed, trim: defaultTrim(now), now }),
          "archive",
        );
        await ctx().elapse(2 * SECOND);
        for (const payload of ["done", "complete", "delete"]) {
          const { result } = await enqueueUnique(ctx(), { payload: encode(payload) }, MINUTE);
          mustSucceed(result, `new owner of ${payload}`);
        }
        now = ctx().now();
        const { queue, id: taskId, uniqueKey } = doneOld;
        mustSucceed(await broker.done({ queue, taskId, uniqueKey, now }), "done");
        const completed = { ...completeOld, completedAt: now };
        mustSucceed(
          await broker.markComplete({ message: completed, expiresAt: now + HOUR, now }),
          "markComplete",
        );
        mustSucceed(
          await broker.deleteTask({ queue: "q", taskId: deleteOld.id, now }),
          "deleteTask",
        );
        for (const payload of ["done", "complete", "delete"]) {
          expect({
            payload,
            outcome: await outcomeOf(ctx(), { payload: encode(payload) }),
          }).toEqual({
            payload,
            outcome: "duplicate-task",
          });
        }
      });

      it("releases the lock when the Inspector deletes the task or its whole container", async () => {
        const { broker, expect } = ctx();
        const later: Placement = { state: "scheduled", processAt: ctx().now() + MINUTE };
        const one = await enqueueUnique(ctx(), { type: "one" }, MINUTE, later);
        const all = await enqueueUnique(ctx(), { type: "all" }, MINUTE, later);
        mustSucceed(one.result, "enqueue");
        mustSucceed(all.result, "enqueue");
        const now = ctx().now();
        mustSucceed(
          await broker.deleteTask({ queue: "q", taskId: one.message.id, now }),
          "deleteTask",
        );
        expect(await outcomeOf(ctx(), { type: "one" })).toBe("ok");
        expect(await outcomeOf(ctx(), { type: "all" })).toBe("duplicate-task");
        mustSucceed(await broker.deleteAll({ queue: "q", state: "scheduled", now }), "deleteAll");
        expect(await outcomeOf(ctx(), { type: "all" })).toBe("ok");
      });

      it("makes the Client throw DuplicateTaskError and TaskIdConflictError with stable codes", async () => {
        const { expect } = ctx();
        const client = new Client(ctx().broker, { clock: ctx().clock });
        const report = new Task("report", "weekly", { unique: MINUTE });
        await client.enqueue(report);
        const duplicate = await caught(() => client.enqueue(report));
        expect(duplicate).toBeInstanceOf(DuplicateTaskError);
        expect((duplicate as DuplicateTaskError).code).toBe("DUPLICATE_TASK");
        await client.enqueue(new Task("plain"), { taskId: "fixed" });
        const conflict = await caught(() => client.enqueue(new Task("plain"), { taskId: "fixed" }));
        expect(conflict).toBeInstanceOf(TaskIdConflictError);
        expect((conflict as TaskIdConflictError).code).toBe("TASK_ID_CONFLICT");
        expect((await countsOf(ctx())).pending).toBe(2);
      });
    });
  });
}
