import { DEFAULTS, HOUR, MINUTE, SECOND } from "@asynq-ts/core";
import {
  aOrAn,
  comparable,
  encode,
  groupsOf,
  INACTIVE_STATES,
  idsIn,
  idsInContainer,
  lookup,
  placeTask,
  recordOf,
  statsOf,
  tryUnique,
  UNIQUE_LOCKED_STATES,
} from "./fixtures.js";
import { type ConformanceOptions, defaultTrim, type SuiteContext, withContext } from "./harness.js";

/** Dequeues one task of the default queue and returns its ID, or null. */
async function dequeueId(ctx: SuiteContext): Promise<string | null> {
  const now = ctx.now();
  const got = await ctx.broker.dequeue({
    queues: ["default"],
    leaseUntil: now + DEFAULTS.lease,
    now,
  });
  return got === null ? null : got.message.id;
}

/**
 * Conformance: Inspector edges on one task — runTask, archiveTask, deleteTask and
 * updateTaskPayload, with their refusals (reference §8 59–67, with asynq-ts's fixes).
 */
export function describeInspectorMutationsConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("inspector mutations", () => {
    withContext(options, (ctx) => {
      for (const state of ["scheduled", "retry", "archived", "aggregating", "completed"] as const) {
        it(`runTask moves ${aOrAn(state)} task to pending, recording when it became pending`, async () => {
          const { broker, expect } = ctx();
          const task = await placeTask(ctx(), state);
          ctx().clock.advance(5 * SECOND);
          const now = ctx().now();
          expect(await broker.runTask({ queue: "default", taskId: task.id, now })).toEqual({
            ok: true,
          });
          expect((await recordOf(ctx(), task.id)).state).toBe("pending");
          expect(await idsInContainer(ctx(), state)).toEqual([]);
          expect(await idsIn(ctx(), "pending")).toEqual([task.id]);
          expect((await statsOf(ctx())).oldestPendingSince).toBe(now);
          expect(await dequeueId(ctx())).toBe(task.id);
        });
      }

      it("runTask refuses pending, active, missing and unknown-queue tasks and changes nothing", async () => {
        const { broker, expect } = ctx();
        const active = await placeTask(ctx(), "active");
        const pending = await placeTask(ctx(), "pending");
        const now = ctx().now();
        const run = (queue: string, taskId: string) => broker.runTask({ queue, taskId, now });
        expect(await run("default", pending.id)).toEqual({ ok: false, reason: "already-pending" });
        expect(await run("default", active.id)).toEqual({ ok: false, reason: "active" });
        expect(await run("default", "missing")).toEqual({ ok: false, reason: "not-found" });
        expect(await run("nowhere", pending.id)).toEqual({ ok: false, reason: "queue-not-found" });
        expect(await idsIn(ctx(), "pending")).toEqual([pending.id]);
        expect(await idsIn(ctx(), "active")).toEqual([active.id]);
      });

      it("runTask of the last task of a group removes the group", async () => {
        const { broker, expect } = ctx();
        const first = await placeTask(ctx(), "aggregating");
        const second = await placeTask(ctx(), "aggregating");
        const now = ctx().now();
        await broker.runTask({ queue: "default", taskId: first.id, now });
        expect(await groupsOf(ctx())).toEqual(["g"]);
        await broker.runTask({ queue: "default", taskId: second.id, now });
        expect(await groupsOf(ctx())).toEqual([]);
        expect((await statsOf(ctx())).groups).toBe(0);
      });

      for (const state of ["pending", "scheduled", "retry", "aggregating", "completed"] as const) {
        it(`archiveTask moves ${aOrAn(state)} task to the archive`, async () => {
          const { broker, expect } = ctx();
          const task = await placeTask(ctx(), state);
          ctx().clock.advance(5 * SECOND);
          const now = ctx().now();
          const archived = await broker.archiveTask({
            queue: "default",
            taskId: task.id,
            trim: defaultTrim(now),
            now,
          });
          expect(archived).toEqual({ ok: true });
          const record = await recordOf(ctx(), task.id);
          expect(record.state).toBe("archived");
          expect(record.message.id).toBe(task.id);
          expect(await idsIn(ctx(), "archived")).toEqual([task.id]);
          expect(await idsInContainer(ctx(), state)).toEqual([]);
          if (state === "aggregating") expect(await groupsOf(ctx())).toEqual([]);
        });
      }

      it("archiveTask refuses archived, active, missing and unknown-queue tasks", async () => {
        const { broker, expect } = ctx();
        const archived = await placeTask(ctx(), "archived");
        const active = await placeTask(ctx(), "active");
        const now = ctx().now();
        const archive = (queue: string, taskId: string) =>
          broker.archiveTask({ queue, taskId, trim: defaultTrim(now), now });
        expect(await archive("default", archived.id)).toEqual({
          ok: false,
          reason: "already-archived",
        });
        expect(await archive("default", active.id)).toEqual({ ok: false, reason: "active" });
        expect(await archive("default", "missing")).toEqual({ ok: false, reason: "not-found" });
        expect(await archive("nowhere", archived.id)).toEqual({
          ok: false,
          reason: "queue-not-found",
        });
        expect(await idsIn(ctx(), "active")).toEqual([active.id]);
        expect(await idsIn(ctx(), "archived")).toEqual([archived.id]);
      });

      it("archiveTask keeps at most trim.maxSize archived tasks and deletes the trimmed ones", async () => {
        const { broker, expect } = ctx();
        const ids = ["c-oldest", "b-middle", "a-newest"];
        for (const id of ids) await placeTask(ctx(), "pending", { id });
        for (const id of ids) {
          const now = ctx().now();
          const trim = { maxSize: 2, cutoff: now - DEFAULTS.archiveMaxAge };
          expect((await broker.archiveTask({ queue: "default", taskId: id, trim, now })).ok).toBe(
            true,
          );
          ctx().clock.advance(SECOND);
        }
        expect(await idsIn(ctx(), "archived")).toEqual(["b-middle", "a-newest"]);
        expect(await lookup(ctx(), "c-oldest")).toBe("not-found");
        expect((await statsOf(ctx())).archived).toBe(2);
      });

      it("archiveTask drops archived tasks older than the cutoff together with their data", async () => {
        const { broker, expect } = ctx();
        const old = await placeTask(ctx(), "archived");
        ctx().clock.advance(10 * SECOND);
        const recent = await placeTask(ctx(), "pending");
        const now = ctx().now();
        const trim = { maxSize: DEFAULTS.archiveMaxSize, cutoff: now - 5 * SECOND };
        expect(
          (await broker.archiveTask({ queue: "default", taskId: recent.id, trim, now })).ok,
        ).toBe(true);
        expect(await idsIn(ctx(), "archived")).toEqual([recent.id]);
        expect(await lookup(ctx(), old.id)).toBe("not-found");
      });

      for (const state of INACTIVE_STATES) {
        it(`deleteTask deletes ${aOrAn(state)} task`, async () => {
          const { broker, expect } = ctx();
          const task = await placeTask(ctx(), state);
          const now = ctx().now();
          expect(await broker.deleteTask({ queue: "default", taskId: task.id, now })).toEqual({
            ok: true,
          });
          expect(await lookup(ctx(), task.id)).toBe("not-found");
          expect(await idsInContainer(ctx(), state)).toEqual([]);
          expect((await statsOf(ctx()))[state]).toBe(0);
          if (state === "aggregating") expect(await groupsOf(ctx())).toEqual([]);
        });
      }

      it("deleteTask refuses active, missing and unknown-queue tasks", async () => {
        const { broker, expect } = ctx();
        const active = await placeTask(ctx(), "active");
        const now = ctx().now();
        const remove = (queue: string, taskId: string) => broker.deleteTask({ queue, taskId, now });
        expect(await remove("default", active.id)).toEqual({ ok: false, reason: "active" });
        expect(await remove("default", "missing")).toEqual({ ok: false, reason: "not-found" });
        expect(await remove("nowhere", active.id)).toEqual({
          ok: false,
          reason: "queue-not-found",
        });
        const record = await recordOf(ctx(), active.id);
        expect(record.state).toBe("active");
        expect(record.leaseExpiresAt).toBe(now + DEFAULTS.lease);
      });

      for (const state of UNIQUE_LOCKED_STATES) {
        it(`deleteTask of a unique ${state} task releases its lock`, async () => {
          const { broker, expect } = ctx();
          const payload = encode(`{"unique":"${state}"}`);
          const task = await placeTask(ctx(), state, { payload }, { uniqueTtl: HOUR });
          expect(await tryUnique(ctx(), payload)).toBe("duplicate-task");
          const now = ctx().now();
          expect((await broker.deleteTask({ queue: "default", taskId: task.id, now })).ok).toBe(
            true,
          );
          expect(await tryUnique(ctx(), payload)).toBe("ok");
        });
      }

      it("deleteTask leaves a unique lock that another task owns", async () => {
        const { broker, expect } = ctx();
        const payload = encode('{"unique":"shared"}');
        const expired = await placeTask(ctx(), "pending", { payload }, { uniqueTtl: SECOND });
        // The first lock expires, so a second task takes the lock for the same payload.
        await ctx().elapse(2 * SECOND);
        expect(await tryUnique(ctx(), payload)).toBe("ok");
        const now = ctx().now();
        expect((await broker.deleteTask({ queue: "default", taskId: expired.id, now })).ok).toBe(
          true,
        );
        expect(await tryUnique(ctx(), payload)).toBe("duplicate-task");
      });

      it("updateTaskPayload replaces a scheduled task's payload and keeps everything else", async () => {
        const { broker, expect } = ctx();
        const dueAt = ctx().now() + MINUTE;
        const task = await placeTask(ctx(), "scheduled", {
          headers: { trace: "t-1" },
          maxRetry: 3,
        });
        ctx().clock.advance(SECOND);
        const payload = encode('{"updated":true}');
        const now = ctx().now();
        const updated = await broker.updateTaskPayload({
          queue: "default",
          taskId: task.id,
          payload,
          now,
        });
        expect(updated).toEqual({ ok: true });
        const record = await recordOf(ctx(), task.id);
        expect(record.state).toBe("scheduled");
        expect(record.nextProcessAt).toBe(dueAt);
        expect(comparable(record.message)).toEqual(comparable({ ...task, payload }));
        expect(await idsIn(ctx(), "scheduled")).toEqual([task.id]);
      });

      it("updateTaskPayload refuses tasks that are not scheduled and leaves them unchanged", async () => {
        const { broker, expect } = ctx();
        const others = [
          await placeTask(ctx(), "retry"),
          await placeTask(ctx(), "archived"),
          await placeTask(ctx(), "pending"),
          await placeTask(ctx(), "aggregating"),
        ];
        const payload = encode('{"updated":true}');
        const now = ctx().now();
        for (const task of others) {
          const result = await broker.updateTaskPayload({
            queue: "default",
            taskId: task.id,
            payload,
            now,
          });
          expect(result).toEqual({ ok: false, reason: "not-scheduled" });
          expect(comparable((await recordOf(ctx(), task.id)).message)).toEqual(comparable(task));
        }
        const missing = await broker.updateTaskPayload({
          queue: "default",
          taskId: "missing",
          payload,
          now,
        });
        expect(missing).toEqual({ ok: false, reason: "not-found" });
        const unknown = await broker.updateTaskPayload({
          queue: "nowhere",
          taskId: "x",
          payload,
          now,
        });
        expect(unknown).toEqual({ ok: false, reason: "queue-not-found" });
      });
    });
  });
}
