import { MINUTE, QueueNotFoundError, Task, type TaskSearchOptions } from "@asynq-ts/core";
import { type InspectorBehaviourOptions, idsOf, rejection, withInspector } from "./harness.js";

/** Bounded, paginated task search. */
export function describeInspectorSearch(options: InspectorBehaviourOptions): void {
  const { it } = options.test;
  options.test.describe("search", () => {
    withInspector(options, (ctx) => {
      /** Enqueues `count` pending tasks t00, t01, …; every third (t00, t03, …) has type "hit". */
      async function seedHits(count: number): Promise<void> {
        const items = Array.from({ length: count }, (_, i) => ({
          task: new Task(i % 3 === 0 ? "hit" : "miss"),
          options: { taskId: `t${String(i).padStart(3, "0")}` },
        }));
        const results = await ctx().client.enqueueBulk(items);
        if (results.some((r) => !r.ok)) throw new Error("seedHits: an enqueue was refused");
      }

      it("finds tasks of exactly one type", async () => {
        const { inspector, expect, place } = ctx();
        for (const [id, type] of [
          ["a1", "a"],
          ["b1", "b"],
          ["a2", "a"],
          ["ab", "a:b"],
        ] as const) {
          await place("pending", { id, type });
        }
        const found = await inspector.searchTasks("default", "pending", { type: "a" });
        expect(idsOf(found.tasks)).toEqual(["a1", "a2"]);
        expect(found).toMatchObject({ scanned: 4, truncated: false });
      });

      it("finds payloads containing a UTF-8 string or raw bytes", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending", { id: "alice", payload: '{"to":"alice"}' });
        await place("pending", { id: "bob", payload: '{"to":"bob"}' });
        await place("pending", { id: "alicia", payload: '{"to":"alice.b"}' });
        await place("pending", { id: "bin1", payload: new Uint8Array([0, 255, 7, 1]) });
        await place("pending", { id: "bin2", payload: new Uint8Array([255, 1, 7]) });
        await place("pending", { id: "bin3", payload: new Uint8Array([9, 255, 7]) });
        const text = await inspector.searchTasks("default", "pending", {
          payloadContains: '"alice',
        });
        expect(idsOf(text.tasks)).toEqual(["alice", "alicia"]);
        const raw = await inspector.searchTasks("default", "pending", {
          payloadContains: new Uint8Array([255, 7]),
        });
        expect(idsOf(raw.tasks)).toEqual(["bin1", "bin3"]);
        const none = await inspector.searchTasks("default", "pending", {
          payloadContains: "carol",
        });
        expect(none).toEqual({ tasks: [], scanned: 6, truncated: false });
      });

      it("combines filters, filters other states by group, and scans one aggregation group", async () => {
        const { inspector, expect, place } = ctx();
        await place("scheduled", { id: "s1", type: "a", payload: "x", options: { group: "g" } });
        await place("scheduled", { id: "s2", type: "a", payload: "x" });
        await place("scheduled", { id: "s3", type: "b", payload: "x", options: { group: "g" } });
        await place("scheduled", { id: "s4", type: "a", payload: "y", options: { group: "g" } });
        const scheduled = await inspector.searchTasks("default", "scheduled", {
          type: "a",
          payloadContains: "x",
          group: "g",
        });
        expect(idsOf(scheduled.tasks)).toEqual(["s1"]);
        await place("aggregating", { id: "g1", type: "a", options: { group: "g" } });
        await place("aggregating", { id: "h1", type: "a", options: { group: "h" } });
        const grouped = await inspector.searchTasks("default", "aggregating", {
          type: "a",
          group: "h",
        });
        expect(idsOf(grouped.tasks)).toEqual(["h1"]);
        expect(grouped.scanned).toBe(1);
      });

      it("stops at scanLimit and says the scan was truncated", async () => {
        const { inspector, expect } = ctx();
        await seedHits(12);
        const search = (extra: TaskSearchOptions) =>
          inspector.searchTasks("default", "pending", { type: "hit", ...extra });
        const bounded = await search({ scanLimit: 5 });
        expect(idsOf(bounded.tasks)).toEqual(["t000", "t003"]);
        expect(bounded).toMatchObject({ scanned: 5, truncated: true });
        const oneShort = await search({ scanLimit: 11 });
        expect(idsOf(oneShort.tasks)).toEqual(["t000", "t003", "t006", "t009"]);
        expect(oneShort).toMatchObject({ scanned: 11, truncated: true });
        const exact = await search({ scanLimit: 12 });
        expect(exact).toMatchObject({ scanned: 12, truncated: false });
        expect(idsOf(exact.tasks)).toEqual(["t000", "t003", "t006", "t009"]);
      });

      it("pages through the matches and stops scanning once the page is full", async () => {
        const { inspector, expect } = ctx();
        await seedHits(12);
        const page2 = await inspector.searchTasks("default", "pending", {
          type: "hit",
          page: 2,
          pageSize: 2,
        });
        expect(idsOf(page2.tasks)).toEqual(["t006", "t009"]);
        expect(page2).toMatchObject({ scanned: 10, truncated: false });
        const first = await inspector.searchTasks("default", "pending", {
          type: "hit",
          pageSize: 1,
        });
        expect(idsOf(first.tasks)).toEqual(["t000"]);
        expect(first).toMatchObject({ scanned: 1, truncated: false });
        const past = await inspector.searchTasks("default", "pending", {
          type: "hit",
          page: 3,
          pageSize: 2,
        });
        expect(past).toEqual({ tasks: [], scanned: 12, truncated: false });
      });

      it("scans across several broker reads (more than 500 tasks)", async () => {
        const { inspector, expect } = ctx();
        await seedHits(520);
        // Matches 168 and 169 (0-based) sit past the first 500-task read.
        const deep = await inspector.searchTasks("default", "pending", {
          type: "hit",
          page: 85,
          pageSize: 2,
        });
        expect(idsOf(deep.tasks)).toEqual(["t504", "t507"]);
        expect(deep).toMatchObject({ scanned: 508, truncated: false });
        const tail = await inspector.searchTasks("default", "pending", {
          type: "hit",
          pageSize: 1_000,
        });
        expect(tail.tasks).toHaveLength(174);
        expect(tail).toMatchObject({ scanned: 520, truncated: false });
        const bounded = await inspector.searchTasks("default", "pending", {
          type: "hit",
          pageSize: 1_000,
          scanLimit: 505,
        });
        expect(bounded.tasks).toHaveLength(169);
        expect(bounded.tasks.at(-1)?.id).toBe("t504");
        expect(bounded).toMatchObject({ scanned: 505, truncated: true });
      });

      it("refuses bad search options before reading", async () => {
        const { inspector, expect, place } = ctx();
        await place("pending");
        for (const [bad, field] of [
          [{ scanLimit: 0 }, "scanLimit"],
          [{ scanLimit: 1.5 }, "scanLimit"],
          [{ payloadContains: 42 }, "payloadContains"],
          [{ type: " " }, "type"],
          [{ pageSize: 2.5 }, "pageSize"],
        ] as const) {
          const options = bad as unknown as TaskSearchOptions;
          const error = await rejection(() => inspector.searchTasks("default", "pending", options));
          expect(error).toMatchObject({ code: "INVALID_ARGUMENT", field });
        }
        const noGroup = await rejection(() => inspector.searchTasks("default", "aggregating"));
        expect(noGroup).toMatchObject({ code: "INVALID_ARGUMENT", field: "group" });
        await expect(inspector.searchTasks("ghost", "pending")).rejects.toBeInstanceOf(
          QueueNotFoundError,
        );
        // A search reads no further than the state it names.
        await place("scheduled", { id: "later", options: { processIn: MINUTE } });
        const pending = await inspector.searchTasks("default", "pending", { type: "email:send" });
        expect(idsOf(pending.tasks)).not.toContain("later");
      });
    });
  });
}
