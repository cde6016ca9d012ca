import type { Broker, TaskMessage } from "@asynq-ts/core";
import { HOUR, MINUTE, SECOND } from "@asynq-ts/core";
import {
  bytes,
  comparable,
  countsOf,
  encode,
  failedAttempt,
  INACTIVE_STATES,
  idsIn,
  mustSucceed,
  placeTask,
  recordOf,
  stateOf,
} from "./fixtures.js";
import { type ConformanceOptions, defaultTrim, ONE_DAY, withContext } from "./harness.js";

/** A worker edge out of active, applied to `message` at `now`. */
type FinishingEdge = (broker: Broker, message: TaskMessage, now: number) => Promise<unknown>;

const FINISHING_EDGES: readonly { readonly name: string; readonly apply: FinishingEdge }[] = [
  {
    name: "done",
    apply: (b, m, now) => b.done({ queue: m.queue, taskId: m.id, uniqueKey: m.uniqueKey, now }),
  },
  {
    name: "markComplete",
    apply: (b, m, now) =>
      b.markComplete({ message: { ...m, completedAt: now }, expiresAt: now + HOUR, now }),
  },
  {
    name: "retry",
    apply: (b, m, now) =>
      b.retry({ message: failedAttempt(m, now), retryAt: now + MINUTE, isFailure: true, now }),
  },
  {
    name: "archive",
    apply: (b, m, now) =>
      b.archive({ message: failedAttempt(m, now), trim: defaultTrim(now), now }),
  },
];

/**
 * Conformance: the worker edges out of active — done, markComplete, retry, archive — with
 * their guards, stats per UTC day, results and archive trimming (reference §8 items 19–20,
 * 23–24, 28–31).
 */
export function describeCompleteRetryArchiveConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("complete, retry and archive", () => {
    withContext(options, (ctx) => {
      for (const edge of FINISHING_EDGES) {
        it(`refuses ${edge.name} on a task that is not active in the queue and changes nothing`, async () => {
          const { broker, expect } = ctx();
          const stored: TaskMessage[] = [];
          for (const state of INACTIVE_STATES) {
            stored.push(await placeTask(ctx(), state, { queue: `q-${state}` }));
          }
          const activeHere = await placeTask(ctx(), "active", { queue: "q-active" });
          const strays = [
            ctx().message({ queue: "q-pending", id: "missing" }),
            { ...activeHere, queue: "q-pending" },
          ];
          const queues = [...stored.map((t) => t.queue), "q-active"];
          const snapshot = async () => ({
            counts: await Promise.all(queues.map((q) => countsOf(ctx(), q))),
            records: await Promise.all(
              stored.map(async (t) => {
                const record = await recordOf(ctx(), t.id, t.queue);
                return { ...record, message: comparable(record.message) };
              }),
            ),
          });
          const before = await snapshot();
          for (const target of [...stored, ...strays]) {
            const result = await edge.apply(broker, target, ctx().now());
            expect({ target: target.id, result }).toEqual({
              target: target.id,
              result: { ok: false, reason: "not-active" },
            });
          }
          expect(await snapshot()).toEqual(before);
          expect(await stateOf(ctx(), "missing", "q-pending")).toBe("missing");
          expect(await stateOf(ctx(), activeHere.id, "q-active")).toBe("active");
        });
      }

      it("done deletes the task and counts it processed today and in total", async () => {
        const { broker, expect } = ctx();
        const message = await ctx().activate({ queue: "q" });
        const now = ctx().now();
        mustSucceed(
          await broker.done({ queue: "q", taskId: message.id, uniqueKey: "", now }),
          "done",
        );
        expect(await stateOf(ctx(), message.id, "q")).toBe("missing");
        expect(await idsIn(ctx(), "active", "q")).toEqual([]);
        const c = await countsOf(ctx(), "q");
        expect([c.active, c.processed, c.failed, c.processedTotal, c.failedTotal]).toEqual([
          0, 1, 0, 1, 0,
        ]);
      });

      it("markComplete keeps the task as completed with its result and counts it processed", async () => {
        const { broker, expect } = ctx();
        const message = await ctx().activate({ queue: "q", retention: HOUR });
        const result = Uint8Array.from([0, 1, 2, 250, 255]);
        mustSucceed(
          await broker.writeResult({ queue: "q", taskId: message.id, result, now: ctx().now() }),
          "writeResult",
        );
        ctx().clock.advance(SECOND);
        const completed = { ...message, completedAt: ctx().now() };
        mustSucceed(
          await broker.markComplete({
            message: completed,
            expiresAt: ctx().now() + HOUR,
            now: ctx().now(),
          }),
          "markComplete",
        );
        const record = await recordOf(ctx(), message.id, "q");
        expect([record.state, record.nextProcessAt, record.leaseExpiresAt]).toEqual([
          "completed",
          0,
          0,
        ]);
        expect(comparable(record.message)).toEqual(comparable(completed));
        expect(bytes(record.result)).toEqual(bytes(result));
        expect(await idsIn(ctx(), "completed", "q")).toEqual([message.id]);
        const c = await countsOf(ctx(), "q");
        expect([c.active, c.completed, c.processed, c.failed, c.processedTotal]).toEqual([
          0, 1, 1, 0, 1,
        ]);
      });

      it("writeResult overwrites an earlier result and refuses a missing task with not-found", async () => {
        const { broker, expect } = ctx();
        const message = await ctx().activate({ queue: "q" });
        const now = ctx().now();
        const write = (taskId: string, text: string) =>
          broker.writeResult({ queue: "q", taskId, result: encode(text), now });
        mustSucceed(await write(message.id, "first"), "writeResult");
        mustSucceed(await write(message.id, "second"), "writeResult");
        const record = await recordOf(ctx(), message.id, "q");
        expect(new TextDecoder().decode(record.result!)).toBe("second");
        expect(await write("missing", "x")).toEqual({ ok: false, reason: "not-found" });
        expect(await stateOf(ctx(), "missing", "q")).toBe("missing");
        expect((await countsOf(ctx(), "q")).active).toBe(1);
      });

      it("retry as a failure stores the message, schedules it at retryAt and counts processed and failed", async () => {
        const { broker, expect } = ctx();
        const active = await ctx().activate({ queue: "q" });
        ctx().clock.advance(SECOND);
        const now = ctx().now();
        const message = failedAttempt(active, now, "smtp unavailable");
        const retryAt = now + 5 * MINUTE;
        mustSucceed(await broker.retry({ message, retryAt, isFailure: true, now }), "retry");
        const record = await recordOf(ctx(), active.id, "q");
        expect([record.state, record.nextProcessAt, record.leaseExpiresAt]).toEqual([
          "retry",
          retryAt,
          0,
        ]);
        expect(comparable(record.message)).toEqual(comparable(message));
        expect(record.message.retried).toBe(1);
        expect(await idsIn(ctx(), "retry", "q")).toEqual([active.id]);
        const c = await countsOf(ctx(), "q");
        expect([c.active, c.retry, c.processed, c.failed, c.processedTotal, c.failedTotal]).toEqual(
          [0, 1, 1, 1, 1, 1],
        );
      });

      it("retry that is not a failure stores the error but leaves the retry count and stats alone", async () => {
        const { broker, expect } = ctx();
        const active = await ctx().activate({ queue: "q" });
        const now = ctx().now();
        const message = { ...active, lastError: "rate limited", lastFailedAt: now };
        mustSucceed(
          await broker.retry({ message, retryAt: now + MINUTE, isFailure: false, now }),
          "retry",
        );
        const record = await recordOf(ctx(), active.id, "q");
        expect([record.state, record.message.retried, record.message.lastError]).toEqual([
          "retry",
          0,
          "rate limited",
        ]);
        expect(record.message.lastFailedAt).toBe(now);
        const c = await countsOf(ctx(), "q");
        expect([c.retry, c.processed, c.failed, c.processedTotal, c.failedTotal]).toEqual([
          1, 0, 0, 0, 0,
        ]);
      });

      it("archive stores the message as archived and counts processed and failed", async () => {
        const { broker, expect } = ctx();
        const active = await ctx().activate({ queue: "q" });
        const now = ctx().now();
        const message = { ...active, lastError: "bad payload", lastFailedAt: now };
        mustSucceed(await broker.archive({ message, trim: defaultTrim(now), now }), "archive");
        const record = await recordOf(ctx(), active.id, "q");
        expect([record.state, record.nextProcessAt, record.leaseExpiresAt]).toEqual([
          "archived",
          0,
          0,
        ]);
        expect(comparable(record.message)).toEqual(comparable(message));
        expect(await idsIn(ctx(), "archived", "q")).toEqual([active.id]);
        const c = await countsOf(ctx(), "q");
        expect([
          c.active,
          c.archived,
          c.processed,
          c.failed,
          c.processedTotal,
          c.failedTotal,
        ]).toEqual([0, 1, 1, 1, 1, 1]);
      });

      it("archive trims tasks archived at or before the cutoff, deleting them entirely", async () => {
        const { broker, expect } = ctx();
        const t0 = ctx().now();
        const ids: string[] = [];
        for (const cutoff of [t0 - ONE_DAY, t0 - ONE_DAY, t0 + SECOND]) {
          const active = await ctx().activate({ queue: "q" });
          const now = ctx().now();
          const trim = { ...defaultTrim(now), cutoff };
          mustSucceed(
            await broker.archive({ message: failedAttempt(active, now), trim, now }),
            "archive",
          );
          ids.push(active.id);
          ctx().clock.advance(SECOND);
        }
        expect(await stateOf(ctx(), ids[0]!, "q")).toBe("missing");
        expect(await stateOf(ctx(), ids[1]!, "q")).toBe("missing");
        expect(await idsIn(ctx(), "archived", "q")).toEqual([ids[2]]);
        expect((await countsOf(ctx(), "q")).archived).toBe(1);
      });

      it("archive keeps at most trim.maxSize tasks, deleting the oldest entirely", async () => {
        const { broker, expect } = ctx();
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const active = await ctx().activate({ queue: "q" });
          const now = ctx().now();
          const trim = { ...defaultTrim(now), maxSize: 3 };
          mustSucceed(
            await broker.archive({ message: failedAttempt(active, now), trim, now }),
            "archive",
          );
          ids.push(active.id);
          if (i === 2) expect(await idsIn(ctx(), "archived", "q")).toEqual(ids);
          ctx().clock.advance(SECOND);
        }
        expect(await idsIn(ctx(), "archived", "q")).toEqual(ids.slice(2));
        expect(await stateOf(ctx(), ids[0]!, "q")).toBe("missing");
        expect(await stateOf(ctx(), ids[1]!, "q")).toBe("missing");
        const c = await countsOf(ctx(), "q");
        expect([c.archived, c.processed, c.failed]).toEqual([3, 5, 5]);
      });

      it("counts stats per UTC day: today's counters restart after midnight and history keeps yesterday", async () => {
        const { broker, expect } = ctx();
        const day1 = new Date(ctx().now()).toISOString().slice(0, 10);
        const finish = async (fail: boolean) => {
          const active = await ctx().activate({ queue: "q" });
          const now = ctx().now();
          const edge = fail
            ? broker.archive({ message: failedAttempt(active, now), trim: defaultTrim(now), now })
            : broker.done({ queue: "q", taskId: active.id, uniqueKey: "", now });
          mustSucceed(await edge, "finishing edge");
        };
        await finish(false);
        await finish(false);
        await finish(true);
        ctx().clock.advance(ONE_DAY);
        const day2 = new Date(ctx().now()).toISOString().slice(0, 10);
        let c = await countsOf(ctx(), "q");
        expect([c.processed, c.failed, c.processedTotal, c.failedTotal]).toEqual([0, 0, 3, 1]);
        await finish(false);
        c = await countsOf(ctx(), "q");
        expect([c.processed, c.failed, c.processedTotal, c.failedTotal]).toEqual([1, 0, 4, 1]);
        const history = await broker.queueHistory({ queue: "q", days: 3, now: ctx().now() });
        if (!history.ok) throw new Error(`queueHistory refused: ${history.reason}`);
        expect(history.days.map((d) => [d.date, d.processed, d.failed])).toEqual([
          [day2, 1, 0],
          [day1, 3, 1],
          [new Date(ctx().now() - 2 * ONE_DAY).toISOString().slice(0, 10), 0, 0],
        ]);
      });
    });
  });
}
