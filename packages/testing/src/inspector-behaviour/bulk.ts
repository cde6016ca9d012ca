import {
  type ArchivableState,
  type DeletableState,
  type Inspector,
  MINUTE,
  QueueNotFoundError,
  type RunnableState,
  Task,
  type TaskState,
} from "@asynq-ts/core";
import {
  type InspectorBehaviourOptions,
  type InspectorContext,
  rejection,
  withInspector,
} from "./harness.js";

type Named = (inspector: Inspector, queue: string) => Promise<number>;

const DELETE_ALL: Record<DeletableState, Named> = {
  pending: (i, q) => i.deleteAllPendingTasks(q),
  scheduled: (i, q) => i.deleteAllScheduledTasks(q),
  retry: (i, q) => i.deleteAllRetryTasks(q),
  archived: (i, q) => i.deleteAllArchivedTasks(q),
  completed: (i, q) => i.deleteAllCompletedTasks(q),
  aggregating: (i, q) => i.deleteAllAggregatingTasks(q, "g"),
};

const RUN_ALL: Record<RunnableState, Named> = {
  scheduled: (i, q) => i.runAllScheduledTasks(q),
  retry: (i, q) => i.runAllRetryTasks(q),
  archived: (i, q) => i.runAllArchivedTasks(q),
  aggregating: (i, q) => i.runAllAggregatingTasks(q, "g"),
};

const ARCHIVE_ALL: Record<ArchivableState, Named> = {
  pending: (i, q) => i.archiveAllPendingTasks(q),
  scheduled: (i, q) => i.archiveAllScheduledTasks(q),
  retry: (i, q) => i.archiveAllRetryTasks(q),
  aggregating: (i, q) => i.archiveAllAggregatingTasks(q, "g"),
};

/**
 * Puts two tasks in `state` into queue `q-<state>` (aggregating ones in group "g", plus one in
 * group "h" that bulk calls on "g" must leave alone).
 */
async function seedTwo(ctx: InspectorContext, state: TaskState): Promise<string> {
  const queue = `q-${state}`;
  await ctx.place(state, { queue, id: "t1" });
  await ctx.place(state, { queue, id: "t2" });
  if (state === "aggregating") await ctx.place(state, { queue, id: "h1", options: { group: "h" } });
  return queue;
}

/** Group "g" of aggregating tasks, the whole state otherwise. */
function countIn(state: TaskState, info: Record<string, unknown>): unknown {
  return state === "aggregating" ? Number(info.aggregating) - 1 : info[state];
}

/** Whole-state delete, run and archive, by state name and by asynq's method names. */
export function describeInspectorBulkMutations(options: InspectorBehaviourOptions): void {
  const { it } = options.test;
  options.test.describe("bulk mutations", () => {
    withInspector(options, (ctx) => {
      for (const [state, call] of Object.entries(DELETE_ALL) as [DeletableState, Named][]) {
        it(`deletes every ${state} task and returns the count`, async () => {
          const { inspector, expect } = ctx();
          const queue = await seedTwo(ctx(), state);
          expect(await call(inspector, queue)).toBe(2);
          const info = await inspector.queueInfo(queue);
          expect(countIn(state, { ...info })).toBe(0);
          expect(info.size).toBe(state === "aggregating" ? 1 : 0);
          expect(await call(inspector, queue)).toBe(0);
        });
      }

      for (const [state, call] of Object.entries(RUN_ALL) as [RunnableState, Named][]) {
        it(`runs every ${state} task and returns the count`, async () => {
          const { inspector, expect } = ctx();
          const queue = await seedTwo(ctx(), state);
          expect(await call(inspector, queue)).toBe(2);
          const info = await inspector.queueInfo(queue);
          expect(countIn(state, { ...info })).toBe(0);
          expect(info.pending).toBe(2);
        });
      }

      for (const [state, call] of Object.entries(ARCHIVE_ALL) as [ArchivableState, Named][]) {
        it(`archives every ${state} task and returns the count`, async () => {
          const { inspector, expect } = ctx();
          const queue = await seedTwo(ctx(), state);
          expect(await call(inspector, queue)).toBe(2);
          const info = await inspector.queueInfo(queue);
          expect(countIn(state, { ...info })).toBe(0);
          expect(info.archived).toBe(2);
        });
      }

      it("takes the state as an argument in deleteAll, runAll and archiveAll", async () => {
        const { inspector, expect, place } = ctx();
        await place("scheduled", { id: "s" });
        await place("aggregating", { id: "a", options: { group: "g" } });
        expect(await inspector.runAll("default", "scheduled")).toBe(1);
        expect(await inspector.archiveAll("default", "aggregating", { group: "g" })).toBe(1);
        expect(await inspector.deleteAll("default", "archived")).toBe(1);
        expect(await inspector.deleteAll("default", "pending")).toBe(1);
        expect((await inspector.queueInfo("default")).size).toBe(0);
      });

      it("releases unique locks of the tasks it deletes", async () => {
        const { inspector, expect, place, client } = ctx();
        await place("pending", { payload: "p", options: { unique: MINUTE } });
        await place("aggregating", { payload: "a", options: { unique: MINUTE, group: "g" } });
        expect(await inspector.deleteAllPendingTasks("default")).toBe(1);
        expect(await inspector.deleteAllAggregatingTasks("default", "g")).toBe(1);
        for (const payload of ["p", "a"]) {
          const info = await client.enqueue(new Task("email:send", payload), { unique: MINUTE });
          expect(info.state).toBe("pending");
        }
      });

      it("refuses states an operation does not take, and a missing or stray group", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending");
        const cases: [() => Promise<number>, string][] = [
          [() => inspector.runAll("default", "pending" as RunnableState), "state"],
          [() => inspector.runAll("default", "completed" as RunnableState), "state"],
          [() => inspector.archiveAll("default", "archived" as ArchivableState), "state"],
          [() => inspector.deleteAll("default", "active" as DeletableState), "state"],
          [() => inspector.deleteAll("default", "aggregating"), "group"],
          [() => inspector.runAll("default", "scheduled", { group: "g" }), "group"],
          [() => inspector.archiveAllAggregatingTasks("default", ""), "group"],
        ];
        for (const [action, field] of cases) {
          expect(await rejection(action)).toMatchObject({ code: "INVALID_ARGUMENT", field });
        }
        expect((await inspector.queueInfo("default")).pending).toBe(1);
      });

      it("reports unknown queues", async () => {
        const { inspector, expect } = ctx();
        for (const action of [
          () => inspector.deleteAllPendingTasks("ghost"),
          () => inspector.runAllRetryTasks("ghost"),
          () => inspector.archiveAllScheduledTasks("ghost"),
        ]) {
          expect(await rejection(action)).toBeInstanceOf(QueueNotFoundError);
        }
      });
    });
  });
}
