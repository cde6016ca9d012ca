import type { TaskMessage, TaskState } from "@asynq-ts/core";
import { DEFAULTS, HOUR, SECOND } from "@asynq-ts/core";
import {
  containerOf,
  encode,
  groupsOf,
  INACTIVE_STATES,
  idsIn,
  idsInContainer,
  idsInGroup,
  lookup,
  placeTask,
  recordOf,
  statsOf,
  tryUnique,
  UNIQUE_LOCKED_STATES,
} from "./fixtures.js";
import { type ConformanceOptions, defaultTrim, type SuiteContext, withContext } from "./harness.js";

/** Places two tasks in `state` (group "g" for aggregating ones). */
async function placeTwo(ctx: SuiteContext, state: TaskState): Promise<TaskMessage[]> {
  const first = await placeTask(ctx, state);
  ctx.clock.advance(SECOND);
  const second = await placeTask(ctx, state);
  return [first, second];
}

const sortedIds = (tasks: readonly TaskMessage[]): string[] => tasks.map((t) => t.id).sort();

/**
 * Conformance: Inspector edges on whole containers — runAll, archiveAll and deleteAll
 * (reference §8 61, 63, 65, 66, with asynq-ts's fixes).
 */
export function describeInspectorBulkMutationsConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("inspector bulk mutations", () => {
    withContext(options, (ctx) => {
      for (const state of ["scheduled", "retry", "archived", "aggregating"] as const) {
        it(`runAll moves every ${state} task to pending and returns the count`, async () => {
          const { broker, expect } = ctx();
          const tasks = await placeTwo(ctx(), state);
          ctx().clock.advance(5 * SECOND);
          const now = ctx().now();
          const params = { queue: "default", now, ...containerOf(state) };
          expect(await broker.runAll(params)).toEqual({ ok: true, count: 2 });
          expect(await idsInContainer(ctx(), state)).toEqual([]);
          expect((await idsIn(ctx(), "pending")).sort()).toEqual(sortedIds(tasks));
          expect((await recordOf(ctx(), tasks[0]!.id)).state).toBe("pending");
          expect((await statsOf(ctx())).oldestPendingSince).toBe(now);
          if (state === "aggregating") expect(await groupsOf(ctx())).toEqual([]);
        });
      }

      it("runAll of a group leaves the other groups alone", async () => {
        const { broker, expect } = ctx();
        await placeTwo(ctx(), "aggregating");
        const other = await placeTask(ctx(), "aggregating", { group: "other" });
        const now = ctx().now();
        const result = await broker.runAll({
          queue: "default",
          state: "aggregating",
          group: "g",
          now,
        });
        expect(result).toEqual({ ok: true, count: 2 });
        expect(await groupsOf(ctx())).toEqual(["other"]);
        expect(await idsInGroup(ctx(), "other")).toEqual([other.id]);
      });

      for (const state of ["pending", "scheduled", "retry", "aggregating"] as const) {
        it(`archiveAll moves every ${state} task to the archive and returns the count`, async () => {
          const { broker, expect } = ctx();
          const tasks = await placeTwo(ctx(), state);
          const now = ctx().now();
          const params = { queue: "default", now, trim: defaultTrim(now), ...containerOf(state) };
          expect(await broker.archiveAll(params)).toEqual({ ok: true, count: 2 });
          expect(await idsInContainer(ctx(), state)).toEqual([]);
          expect((await idsIn(ctx(), "archived")).sort()).toEqual(sortedIds(tasks));
          expect((await recordOf(ctx(), tasks[1]!.id)).state).toBe("archived");
          if (state === "aggregating") expect(await groupsOf(ctx())).toEqual([]);
        });
      }

      it("archiveAll trims the archive and deletes the trimmed tasks", async () => {
        const { broker, expect } = ctx();
        const old = await placeTask(ctx(), "archived");
        ctx().clock.advance(SECOND);
        const tasks = await placeTwo(ctx(), "pending");
        const now = ctx().now();
        const trim = { maxSize: 2, cutoff: now - DEFAULTS.archiveMaxAge };
        const result = await broker.archiveAll({ queue: "default", state: "pending", trim, now });
        expect(result).toEqual({ ok: true, count: 2 });
        expect((await idsIn(ctx(), "archived")).sort()).toEqual(sortedIds(tasks));
        expect(await lookup(ctx(), old.id)).toBe("not-found");
      });

      for (const state of INACTIVE_STATES) {
        it(`deleteAll deletes every ${state} task and leaves other containers alone`, async () => {
          const { broker, expect } = ctx();
          const bystander = await placeTask(ctx(), state === "archived" ? "retry" : "archived");
          const tasks = await placeTwo(ctx(), state);
          const now = ctx().now();
          const params = { queue: "default", now, ...containerOf(state) };
          expect(await broker.deleteAll(params)).toEqual({ ok: true, count: 2 });
          expect(await idsInContainer(ctx(), state)).toEqual([]);
          for (const task of tasks) expect(await lookup(ctx(), task.id)).toBe("not-found");
          expect(await lookup(ctx(), bystander.id)).toBe("found");
          expect((await statsOf(ctx()))[state]).toBe(0);
          if (state === "aggregating") expect(await groupsOf(ctx())).toEqual([]);
        });
      }

      for (const state of UNIQUE_LOCKED_STATES) {
        it(`deleteAll of ${state} tasks releases the unique locks they own`, async () => {
          const { broker, expect } = ctx();
          const payload = encode(`{"bulk":"${state}"}`);
          await placeTask(ctx(), state, { payload }, { uniqueTtl: HOUR });
          expect(await tryUnique(ctx(), payload)).toBe("duplicate-task");
          const now = ctx().now();
          const params = { queue: "default", now, ...containerOf(state) };
          expect(await broker.deleteAll(params)).toEqual({ ok: true, count: 1 });
          expect(await tryUnique(ctx(), payload)).toBe("ok");
        });
      }

      it("deleteAll leaves a unique lock that a task outside the container owns", async () => {
        const { broker, expect } = ctx();
        const payload = encode('{"bulk":"shared"}');
        await placeTask(ctx(), "pending", { payload }, { uniqueTtl: SECOND });
        // The first lock expires, so a scheduled task takes the lock for the same payload.
        await ctx().elapse(2 * SECOND);
        await placeTask(ctx(), "scheduled", { payload }, { uniqueTtl: HOUR });
        const now = ctx().now();
        const result = await broker.deleteAll({ queue: "default", state: "pending", now });
        expect(result).toEqual({ ok: true, count: 1 });
        expect(await tryUnique(ctx(), payload)).toBe("duplicate-task");
      });

      it("bulk calls on an empty container return 0", async () => {
        const { broker, expect } = ctx();
        await placeTask(ctx(), "pending");
        const now = ctx().now();
        const zero = { ok: true, count: 0 };
        expect(await broker.runAll({ queue: "default", state: "retry", now })).toEqual(zero);
        expect(
          await broker.runAll({ queue: "default", state: "aggregating", group: "none", now }),
        ).toEqual(zero);
        const trim = defaultTrim(now);
        expect(
          await broker.archiveAll({ queue: "default", state: "scheduled", trim, now }),
        ).toEqual(zero);
        expect(await broker.deleteAll({ queue: "default", state: "completed", now })).toEqual(zero);
        expect(await idsIn(ctx(), "pending")).toHaveLength(1);
      });

      it("bulk calls on an unknown queue are refused with queue-not-found", async () => {
        const { broker, expect } = ctx();
        await placeTask(ctx(), "pending");
        const now = ctx().now();
        const queue = "nowhere";
        const refused = { ok: false, reason: "queue-not-found" };
        expect(await broker.runAll({ queue, state: "scheduled", now })).toEqual(refused);
        const trim = defaultTrim(now);
        expect(await broker.archiveAll({ queue, state: "pending", trim, now })).toEqual(refused);
        expect(await broker.deleteAll({ queue, state: "pending", now })).toEqual(refused);
      });
    });
  });
}
