import type { Broker, DequeuedTask } from "@asynq-ts/core";
import { MINUTE, SECOND } from "@asynq-ts/core";
import { comparable, countsOf, idsIn, recordOf } from "./fixtures.js";
import { type ConformanceOptions, type SuiteContext, withContext } from "./harness.js";

type BatchBroker = Broker & Required<Pick<Broker, "dequeueBatch">>;

/** The broker when it offers `dequeueBatch`, else undefined (the test then has nothing to check). */
function batching(ctx: SuiteContext): BatchBroker | undefined {
  const { broker } = ctx;
  return broker.capabilities.batchDequeue === true && broker.dequeueBatch !== undefined
    ? (broker as BatchBroker)
    : undefined;
}

/** Takes up to `max` tasks from `queues` with a lease until `leaseUntil` (default: a minute on). */
async function takeMany(
  ctx: SuiteContext,
  broker: BatchBroker,
  queues: readonly string[],
  max: number,
  leaseUntil?: number,
): Promise<readonly DequeuedTask[]> {
  const now = ctx.now();
  return broker.dequeueBatch({ queues, max, leaseUntil: leaseUntil ?? now + MINUTE, now });
}

const idsOf = (tasks: readonly DequeuedTask[]) => tasks.map((t) => t.message.id);

/**
 * Conformance of the optional `dequeueBatch` (`capabilities.batchDequeue`): several tasks per
 * call, oldest first, from one queue at a time, each handed out once.
 */
export function describeDequeueBatchConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("batch dequeue", () => {
    withContext(options, (ctx) => {
      it("offers dequeueBatch exactly when capabilities.batchDequeue says so", () => {
        const { broker, expect } = ctx();
        const flag = broker.capabilities.batchDequeue ?? false;
        expect(typeof flag).toBe("boolean");
        if (flag) expect(typeof broker.dequeueBatch).toBe("function");
      });

      it("takes up to max tasks, oldest first, active with the requested lease", async () => {
        const broker = batching(ctx());
        if (broker === undefined) return;
        const { expect } = ctx();
        const enqueued = [];
        for (let i = 0; i < 5; i++) {
          enqueued.push(await ctx().enqueue({ queue: "q" }));
          ctx().clock.advance(SECOND);
        }
        const leaseUntil = ctx().now() + 30 * SECOND;
        const first = await takeMany(ctx(), broker, ["q"], 3, leaseUntil);
        // A broker may hand out fewer than max, but at least one while tasks are pending.
        expect(first.length).toBeGreaterThanOrEqual(1);
        expect(first.length).toBeLessThanOrEqual(3);
        expect(idsOf(first)).toEqual(enqueued.slice(0, first.length).map((m) => m.id));
        expect(first.every((t) => t.leaseUntil === leaseUntil)).toBe(true);
        expect(comparable(first[0]!.message)).toEqual(comparable(enqueued[0]!));
        const record = await recordOf(ctx(), enqueued[0]!.id, "q");
        expect([record.state, record.leaseExpiresAt]).toEqual(["active", leaseUntil]);
        const counts = await countsOf(ctx(), "q");
        expect([counts.pending, counts.active]).toEqual([5 - first.length, first.length]);
        const all = idsOf(first);
        for (let round = 0; round < 5 && all.length < 5; round++) {
          const batch = await takeMany(ctx(), broker, ["q"], 2);
          expect(batch.length).toBeLessThanOrEqual(2);
          all.push(...idsOf(batch));
        }
        expect(all).toEqual(enqueued.map((m) => m.id));
        expect(await takeMany(ctx(), broker, ["q"], 10)).toEqual([]);
      });

      it("takes from the first non-empty queue in the order given, never from two", async () => {
        const broker = batching(ctx());
        if (broker === undefined) return;
        const { expect } = ctx();
        const inB = await ctx().enqueue({ queue: "b" });
        const inC = [await ctx().enqueue({ queue: "c" }), await ctx().enqueue({ queue: "c" })];
        expect(idsOf(await takeMany(ctx(), broker, ["a", "b", "c"], 10))).toEqual([inB.id]);
        const fromC: string[] = [];
        for (let round = 0; round < 5 && fromC.length < 2; round++) {
          fromC.push(...idsOf(await takeMany(ctx(), broker, ["a", "b", "c"], 10)));
        }
        expect(fromC).toEqual(inC.map((m) => m.id));
        expect(await takeMany(ctx(), broker, ["a", "b", "c"], 10)).toEqual([]);
      });

      it("skips paused queues", async () => {
        const broker = batching(ctx());
        if (broker === undefined) return;
        const { expect } = ctx();
        const paused = await ctx().enqueue({ queue: "p" });
        const open = await ctx().enqueue({ queue: "o" });
        await broker.pauseQueue({ queue: "p", now: ctx().now() });
        expect(idsOf(await takeMany(ctx(), broker, ["p", "o"], 10))).toEqual([open.id]);
        expect(await takeMany(ctx(), broker, ["p", "o"], 10)).toEqual([]);
        expect(await idsIn(ctx(), "pending", "p")).toEqual([paused.id]);
      });

      it("hands every task to exactly one of several concurrent callers", async () => {
        const broker = batching(ctx());
        if (broker === undefined) return;
        const { expect } = ctx();
        const ids: string[] = [];
        for (let i = 0; i < 24; i++) ids.push((await ctx().enqueue({ queue: "q" })).id);
        const worker = async () => {
          const got: string[] = [];
          for (;;) {
            const batch = await takeMany(ctx(), broker, ["q"], 5);
            if (batch.length === 0) return got;
            got.push(...idsOf(batch));
          }
        };
        const taken = (await Promise.all([worker(), worker(), worker(), worker()])).flat();
        expect([...taken].sort()).toEqual([...ids].sort());
        expect(await idsIn(ctx(), "active", "q")).toHaveLength(24);
      });

      it("also rejects with BROKER_CLOSED after close", async () => {
        const broker = batching(ctx());
        if (broker === undefined) return;
        const { expect } = ctx();
        await broker.close();
        await expect(takeMany(ctx(), broker, ["q"], 2)).rejects.toMatchObject({
          code: "BROKER_CLOSED",
        });
      });
    });
  });
}
