import { DEFAULTS, MINUTE, SECOND, TASK_STATES } from "@asynq-ts/core";
import {
  bytes,
  comparable,
  countsOf,
  encode,
  headerEntries,
  idsIn,
  idsInGroup,
  placeTask,
  recordOf,
  stateOf,
} from "./fixtures.js";
import { type ConformanceOptions, defaultTrim, enqueueRequest, withContext } from "./harness.js";

/**
 * Conformance: storing new tasks at the port — pending, scheduled and grouped placement, ID
 * conflicts in every state, bulk enqueue, and byte-exact payloads and headers (reference §8
 * items 1–3, 8, 9, 12–14).
 */
export function describeEnqueueConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("enqueue", () => {
    withContext(options, (ctx) => {
      it("stores a pending task, registers its queue and reports it due now", async () => {
        const { broker, expect } = ctx();
        const message = ctx().message({ queue: "critical" });
        const result = await broker.enqueue({
          message,
          placement: { state: "pending" },
          now: ctx().now(),
        });
        expect(result.ok).toBe(true);
        expect(await broker.listQueues()).toEqual(["critical"]);
        ctx().clock.advance(5 * SECOND);
        const record = await recordOf(ctx(), message.id, "critical");
        expect(record.state).toBe("pending");
        expect(comparable(record.message)).toEqual(comparable(message));
        expect(record.nextProcessAt).toBe(ctx().now());
        expect(record.leaseExpiresAt).toBe(0);
        expect(record.result).toBeNull();
        expect(await idsIn(ctx(), "pending", "critical")).toEqual([message.id]);
        const counts = await countsOf(ctx(), "critical");
        expect([counts.pending, counts.scheduled, counts.aggregating]).toEqual([1, 0, 0]);
      });

      for (const state of TASK_STATES) {
        it(`refuses an ID that is ${state} in the queue with task-id-conflict and changes nothing`, async () => {
          const { broker, expect } = ctx();
          const existing = await placeTask(ctx(), state, { queue: "q" });
          const before = await recordOf(ctx(), existing.id, "q");
          const countsBefore = await countsOf(ctx(), "q");
          for (const placement of [
            { state: "pending" },
            { state: "scheduled", processAt: ctx().now() + MINUTE },
          ] as const) {
            const intruder = ctx().message({ id: existing.id, queue: "q", type: "other:type" });
            const result = await broker.enqueue({ message: intruder, placement, now: ctx().now() });
            expect(result).toEqual({ ok: false, reason: "task-id-conflict" });
          }
          const grouped = ctx().message({ id: existing.id, queue: "q", group: "h" });
          const result = await broker.enqueue({
            message: grouped,
            placement: { state: "aggregating", group: "h" },
            now: ctx().now(),
          });
          expect(result).toEqual({ ok: false, reason: "task-id-conflict" });
          const after = await recordOf(ctx(), existing.id, "q");
          expect({ ...after, message: comparable(after.message) }).toEqual({
            ...before,
            message: comparable(before.message),
          });
          expect(await countsOf(ctx(), "q")).toEqual(countsBefore);
          expect(await broker.listGroups({ queue: "q" })).not.toContain("h");
        });
      }

      it("lets the same task ID exist independently in two queues", async () => {
        const { broker, expect } = ctx();
        const first = await ctx().enqueue({ id: "shared", queue: "a", type: "first" });
        const second = await ctx().enqueue({ id: "shared", queue: "b", type: "second" });
        const now = ctx().now();
        const fromB = await broker.dequeue({ queues: ["b"], leaseUntil: now + MINUTE, now });
        expect(fromB?.message.type).toBe(second.type);
        expect(await stateOf(ctx(), first.id, "a")).toBe("pending");
        expect(await stateOf(ctx(), second.id, "b")).toBe("active");
        expect((await recordOf(ctx(), "shared", "a")).message.type).toBe("first");
      });

      it("schedules a task with a future processAt, scored by that instant", async () => {
        const { broker, expect } = ctx();
        const processAt = ctx().now() + 10 * MINUTE;
        const message = await ctx().enqueue(
          { queue: "q" },
          { placement: { state: "scheduled", processAt } },
        );
        const record = await recordOf(ctx(), message.id, "q");
        expect(record.state).toBe("scheduled");
        expect(record.nextProcessAt).toBe(processAt);
        expect(comparable(record.message)).toEqual(comparable(message));
        expect(await idsIn(ctx(), "scheduled", "q")).toEqual([message.id]);
        expect(await broker.listQueues()).toEqual(["q"]);
        const now = ctx().now();
        expect(await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now })).toBeNull();
        const counts = await countsOf(ctx(), "q");
        expect([counts.pending, counts.scheduled]).toEqual([0, 1]);
      });

      it("adds a grouped task to its group as aggregating and lists the group with its size", async () => {
        const { broker, expect } = ctx();
        const placement = { state: "aggregating", group: "digest" } as const;
        const first = await ctx().enqueue({ queue: "q", group: "digest" }, { placement });
        const second = await ctx().enqueue({ queue: "q", group: "digest" }, { placement });
        const record = await recordOf(ctx(), first.id, "q");
        expect(record.state).toBe("aggregating");
        expect(record.message.group).toBe("digest");
        expect(record.nextProcessAt).toBe(0);
        expect(await broker.listGroups({ queue: "q" })).toEqual(["digest"]);
        const groups = await broker.groupStats({ queue: "q" });
        expect(groups).toEqual({ ok: true, groups: [{ group: "digest", size: 2 }] });
        expect(await idsInGroup(ctx(), "digest", "q")).toEqual([first.id, second.id]);
        const counts = await countsOf(ctx(), "q");
        expect([counts.pending, counts.aggregating, counts.groups]).toEqual([0, 2, 1]);
        const now = ctx().now();
        expect(await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now })).toBeNull();
      });

      it("stores each bulk item on its own and aligns results with the requests", async () => {
        const { broker, expect } = ctx();
        const existing = await ctx().enqueue({ queue: "q", type: "original" });
        const now = ctx().now();
        const pending = ctx().message({ queue: "q" });
        const scheduled = ctx().message({ queue: "q" });
        const grouped = ctx().message({ queue: "q", group: "g" });
        const unique = ctx().message({ queue: "q", type: "unique:one" });
        const conflicting = ctx().message({ queue: "q", id: existing.id, type: "intruder" });
        const results = await broker.enqueueBulk({
          now,
          requests: [
            enqueueRequest(pending, now),
            enqueueRequest(scheduled, now, {
              placement: { state: "scheduled", processAt: now + MINUTE },
            }),
            enqueueRequest(grouped, now, { placement: { state: "aggregating", group: "g" } }),
            enqueueRequest(unique, now, { uniqueTtl: MINUTE }),
            enqueueRequest(conflicting, now),
          ],
        });
        expect(results.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
          "ok",
          "ok",
          "ok",
          "ok",
          "task-id-conflict",
        ]);
        expect(await stateOf(ctx(), pending.id, "q")).toBe("pending");
        expect(await stateOf(ctx(), scheduled.id, "q")).toBe("scheduled");
        expect((await recordOf(ctx(), scheduled.id, "q")).nextProcessAt).toBe(now + MINUTE);
        expect(await stateOf(ctx(), grouped.id, "q")).toBe("aggregating");
        expect(await broker.listGroups({ queue: "q" })).toEqual(["g"]);
        expect((await recordOf(ctx(), unique.id, "q")).message.uniqueKey).not.toBe("");
        expect((await recordOf(ctx(), existing.id, "q")).message.type).toBe("original");
        const counts = await countsOf(ctx(), "q");
        expect([counts.pending, counts.scheduled, counts.aggregating]).toEqual([3, 1, 1]);
      });

      it("keeps the order of a bulk: pending items are listed and dequeued as given", async () => {
        const { broker, expect } = ctx();
        const now = ctx().now();
        const messages = Array.from({ length: 12 }, () => ctx().message({ queue: "q" }));
        const results = await broker.enqueueBulk({
          now,
          requests: messages.map((message) => enqueueRequest(message, now)),
        });
        expect(results.every((r) => r.ok)).toBe(true);
        const given = messages.map((m) => m.id);
        expect(await idsIn(ctx(), "pending", "q")).toEqual(given);
        const dequeued: string[] = [];
        for (let i = 0; i < messages.length; i++) {
          const leased = await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now });
          if (leased !== null) dequeued.push(leased.message.id);
        }
        expect(dequeued).toEqual(given);
      });

      it("refuses a bulk item whose unique lock an earlier item took, storing the others", async () => {
        const { broker, expect } = ctx();
        const now = ctx().now();
        const payload = encode("same");
        const first = ctx().message({ queue: "q", type: "report", payload });
        const second = ctx().message({ queue: "q", type: "report", payload });
        const plain = ctx().message({ queue: "q" });
        const results = await broker.enqueueBulk({
          now,
          requests: [
            enqueueRequest(first, now, { uniqueTtl: MINUTE }),
            enqueueRequest(second, now, { uniqueTtl: MINUTE }),
            enqueueRequest(plain, now),
          ],
        });
        expect(results.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
          "ok",
          "duplicate-task",
          "ok",
        ]);
        expect(await stateOf(ctx(), first.id, "q")).toBe("pending");
        expect(await stateOf(ctx(), second.id, "q")).toBe("missing");
        expect(await stateOf(ctx(), plain.id, "q")).toBe("pending");
      });

      it("returns no results for an empty bulk and registers nothing", async () => {
        const { broker, expect } = ctx();
        expect(await broker.enqueueBulk({ requests: [], now: ctx().now() })).toEqual([]);
        expect(await broker.listQueues()).toEqual([]);
      });

      it("round-trips binary payloads and unusual headers byte for byte through every edge", async () => {
        const { broker, expect } = ctx();
        const payload = Uint8Array.from({ length: 256 }, (_, i) => (i * 7 + 3) % 256);
        const headers = JSON.parse(
          '{"__proto__":"proto","constructor":"ctor","x-ünïcødé":"日本語 🎉","empty":"","a\\u0000b":"nul\\u0000byte"}',
        ) as Record<string, string>;
        const expectSame = (message: { payload: Uint8Array; headers: object }) => {
          expect(message.payload).toBeInstanceOf(Uint8Array);
          expect(bytes(message.payload)).toEqual(bytes(payload));
          expect(headerEntries(message.headers as Record<string, string>)).toEqual(
            headerEntries(headers),
          );
        };
        const message = await ctx().enqueue({ queue: "q", payload, headers });
        expectSame((await recordOf(ctx(), message.id, "q")).message);
        let now = ctx().now();
        const first = await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now });
        expectSame(first!.message);
        const failed = { ...first!.message, retried: 1, lastError: "boom", lastFailedAt: now };
        await broker.retry({ message: failed, retryAt: now + MINUTE, isFailure: true, now });
        expectSame((await recordOf(ctx(), message.id, "q")).message);
        ctx().clock.advance(MINUTE);
        now = ctx().now();
        await broker.forwardDue({
          queue: "q",
          from: "retry",
          limit: DEFAULTS.forwardBatchSize,
          now,
        });
        const second = await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now });
        expectSame(second!.message);
        expect(second!.message.retried).toBe(1);
        await broker.archive({ message: second!.message, trim: defaultTrim(now), now });
        const archived = await recordOf(ctx(), message.id, "q");
        expect(archived.state).toBe("archived");
        expectSame(archived.message);
      });

      it("round-trips an empty payload as zero bytes", async () => {
        const { broker, expect } = ctx();
        const message = await ctx().enqueue({ queue: "q", payload: new Uint8Array(0) });
        expect(bytes((await recordOf(ctx(), message.id, "q")).message.payload)).toEqual([]);
        const now = ctx().now();
        const got = await broker.dequeue({ queues: ["q"], leaseUntil: now + MINUTE, now });
        expect(got?.message.payload).toBeInstanceOf(Uint8Array);
        expect(bytes(got!.message.payload)).toEqual([]);
      });
    });
  });
}
