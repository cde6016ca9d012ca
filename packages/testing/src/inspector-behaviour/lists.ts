import {
  InvalidArgumentError,
  MINUTE,
  QueueNotFoundError,
  TASK_STATES,
  Task,
} from "@asynq-ts/core";
import { type InspectorBehaviourOptions, idsOf, rejection, withInspector } from "./harness.js";

/** Listing tasks per state, ordering and pagination. */
export function describeInspectorLists(options: InspectorBehaviourOptions): void {
  const { it } = options.test;
  options.test.describe("listing", () => {
    withInspector(options, (ctx) => {
      it("lists each state's tasks through listTasks and the named methods", async () => {
        const { inspector, expect, place } = ctx();
        for (const state of ["active", "retry", "archived", "completed"] as const) {
          await place(state, { id: state });
        }
        for (const state of ["pending", "scheduled"] as const) await place(state, { id: state });
        await place("aggregating", { id: "aggregating", options: { group: "g" } });
        const named = {
          pending: inspector.listPendingTasks("default"),
          active: inspector.listActiveTasks("default"),
          scheduled: inspector.listScheduledTasks("default"),
          retry: inspector.listRetryTasks("default"),
          archived: inspector.listArchivedTasks("default"),
          completed: inspector.listCompletedTasks("default"),
          aggregating: inspector.listAggregatingTasks("default", "g"),
        };
        for (const state of TASK_STATES) {
          const listed = await named[state];
          expect(idsOf(listed)).toEqual([state]);
          expect(listed[0]?.state).toBe(state);
          const group = state === "aggregating" ? { group: "g" } : {};
          expect(idsOf(await inspector.listTasks("default", state, group))).toEqual([state]);
        }
      });

      it("lists pending tasks in dequeue order and scheduled tasks by due time", async () => {
        const { inspector, expect, place } = ctx();
        for (const id of ["p1", "p2", "p3"]) await place("pending", { id });
        for (const [id, processIn] of [
          ["s3", 3 * MINUTE],
          ["s1", MINUTE],
          ["s2", 2 * MINUTE],
        ] as const) {
          await place("scheduled", { id, options: { processIn } });
        }
        expect(idsOf(await inspector.listPendingTasks("default"))).toEqual(["p1", "p2", "p3"]);
        expect(idsOf(await inspector.listScheduledTasks("default"))).toEqual(["s1", "s2", "s3"]);
      });

      it("pages with page and pageSize, reading an empty page past the end", async () => {
        const { inspector, expect, client } = ctx();
        const ids = Array.from({ length: 7 }, (_, i) => `t${i}`);
        await client.enqueueBulk(
          ids.map((taskId) => ({ task: new Task("x"), options: { taskId } })),
        );
        const page = (n: number) => inspector.listPendingTasks("default", { page: n, pageSize: 3 });
        expect(idsOf(await page(1))).toEqual(["t0", "t1", "t2"]);
        expect(idsOf(await page(2))).toEqual(["t3", "t4", "t5"]);
        expect(idsOf(await page(3))).toEqual(["t6"]);
        expect(await page(4)).toEqual([]);
      });

      it("defaults to page 1 of 30; page < 1 reads page 1, a negative size an empty page", async () => {
        const { inspector, expect, client } = ctx();
        const ids = Array.from({ length: 35 }, (_, i) => `t${String(i).padStart(2, "0")}`);
        await client.enqueueBulk(
          ids.map((taskId) => ({ task: new Task("x"), options: { taskId } })),
        );
        expect(idsOf(await inspector.listPendingTasks("default"))).toEqual(ids.slice(0, 30));
        expect(idsOf(await inspector.listPendingTasks("default", { page: 2 }))).toEqual(
          ids.slice(30),
        );
        for (const page of [0, -3]) {
          const listed = await inspector.listPendingTasks("default", { page, pageSize: 2 });
          expect(idsOf(listed)).toEqual(["t00", "t01"]);
        }
        expect(await inspector.listPendingTasks("default", { pageSize: -1 })).toEqual([]);
        expect(await inspector.listPendingTasks("default", { pageSize: 0 })).toEqual([]);
        for (const bad of [{ page: 1.5 }, { pageSize: Number.NaN }]) {
          const error = await rejection(() => inspector.listPendingTasks("default", bad));
          expect(error).toBeInstanceOf(InvalidArgumentError);
        }
      });

      it("lists aggregating tasks of one group only, and requires that group", async () => {
        const { inspector, expect, place } = ctx();
        await place("aggregating", { id: "g1", options: { group: "g" } });
        await place("aggregating", { id: "h1", options: { group: "h" } });
        await place("aggregating", { id: "g2", options: { group: "g" } });
        expect(idsOf(await inspector.listAggregatingTasks("default", "g"))).toEqual(["g1", "g2"]);
        const noGroup = await rejection(() => inspector.listTasks("default", "aggregating"));
        expect(noGroup).toMatchObject({ code: "INVALID_ARGUMENT", field: "group" });
        const strayGroup = await rejection(() =>
          inspector.listTasks("default", "pending", { group: "g" }),
        );
        expect(strayGroup).toMatchObject({ code: "INVALID_ARGUMENT", field: "group" });
        const blank = await rejection(() => inspector.listAggregatingTasks("default", " "));
        expect(blank).toMatchObject({ code: "INVALID_ARGUMENT", field: "group" });
      });

      it("refuses unknown states and queues", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending");
        const state = "running" as unknown as "pending";
        const error = await rejection(() => inspector.listTasks("default", state));
        expect(error).toMatchObject({ code: "INVALID_ARGUMENT", field: "state" });
        await expect(inspector.listPendingTasks("ghost")).rejects.toBeInstanceOf(
          QueueNotFoundError,
        );
      });
    });
  });
}
