import type { TaskMessage } from "@asynq-ts/core";
import { HOUR, MINUTE, SECOND } from "@asynq-ts/core";
import {
  comparable,
  encode,
  groupsOf,
  idsInGroup,
  idsOf,
  lookup,
  recordOf,
  statsOf,
  tryUnique,
} from "./fixtures.js";
import { type ConformanceOptions, type SuiteContext, withContext } from "./harness.js";

/** Deadline the aggregator gives a set (Go asynq: now + 2 minutes). */
const SET_TTL = 2 * MINUTE;

/**
 * Adds tasks with the given IDs to `group`, one second apart, so join order is unambiguous
 * (IDs are chosen by the tests to sort differently from join order).
 */
async function joinGroup(
  ctx: SuiteContext,
  group: string,
  ids: readonly string[],
  queue = "default",
): Promise<TaskMessage[]> {
  const joined: TaskMessage[] = [];
  for (const id of ids) {
    joined.push(
      await ctx.enqueue({ id, queue, group }, { placement: { state: "aggregating", group } }),
    );
    ctx.clock.advance(SECOND);
  }
  return joined;
}

interface CheckOptions {
  readonly group?: string;
  readonly queue?: string;
  readonly setId?: string;
  readonly maxSize?: number;
  readonly maxDelay?: number;
  readonly gracePeriod?: number;
}

/** Runs an aggregation check with no size or delay limit and a one-hour grace period by default. */
function check(ctx: SuiteContext, options: CheckOptions = {}): Promise<boolean> {
  return ctx.broker.aggregationCheck({
    queue: options.queue ?? "default",
    group: options.group ?? "g",
    setId: options.setId ?? "set-1",
    maxSize: options.maxSize ?? 0,
    maxDelay: options.maxDelay ?? 0,
    gracePeriod: options.gracePeriod ?? HOUR,
    setDeadline: ctx.now() + SET_TTL,
    now: ctx.now(),
  });
}

/** IDs of an aggregation set's members, in join order. */
async function setMembers(ctx: SuiteContext, setId = "set-1", group = "g"): Promise<string[]> {
  const set = await ctx.broker.readAggregationSet({ queue: "default", group, setId });
  return idsOf(set.messages);
}

/** Conformance: aggregation groups, checks, aggregation sets and their recovery (reference §8 44–51). */
export function describeAggregationGroupsConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("aggregation-groups", () => {
    withContext(options, (ctx) => {
      it("a check with maxSize moves exactly the maxSize oldest tasks and keeps the group", async () => {
        const { expect } = ctx();
        await joinGroup(ctx(), "g", ["z-first", "m-second", "a-third"]);
        expect(await check(ctx(), { maxSize: 2 })).toBe(true);
        expect(await setMembers(ctx())).toEqual(["z-first", "m-second"]);
        expect(await idsInGroup(ctx(), "g")).toEqual(["a-third"]);
        expect(await groupsOf(ctx())).toEqual(["g"]);
        const stats = await ctx().broker.groupStats({ queue: "default" });
        expect(stats).toEqual({ ok: true, groups: [{ group: "g", size: 1 }] });
        expect((await recordOf(ctx(), "z-first")).state).toBe("aggregating");
      });

      it("a check that empties the group removes the group name", async () => {
        const { expect } = ctx();
        await joinGroup(ctx(), "g", ["b-1", "a-2"]);
        expect(await check(ctx(), { maxSize: 2 })).toBe(true);
        expect(await setMembers(ctx())).toEqual(["b-1", "a-2"]);
        expect(await groupsOf(ctx())).toEqual([]);
        expect(await idsInGroup(ctx(), "g")).toEqual([]);
      });

      it("a check with maxDelay moves the group once its oldest task is older than maxDelay", async () => {
        const { expect } = ctx();
        await joinGroup(ctx(), "g", ["b-1", "a-2"]);
        expect(await check(ctx(), { maxDelay: 10 * SECOND })).toBe(false);
        ctx().clock.advance(20 * SECOND);
        expect(await check(ctx(), { maxDelay: 10 * SECOND })).toBe(true);
        expect(await setMembers(ctx())).toEqual(["b-1", "a-2"]);
        expect(await groupsOf(ctx())).toEqual([]);
      });

      it("a check moves the group once its newest task is older than the grace period", async () => {
        const { expect } = ctx();
        await joinGroup(ctx(), "g", ["b-1", "a-2"]);
        expect(await check(ctx(), { gracePeriod: 5 * SECOND })).toBe(false);
        ctx().clock.advance(10 * SECOND);
        expect(await check(ctx(), { gracePeriod: 5 * SECOND })).toBe(true);
        expect(await setMembers(ctx())).toEqual(["b-1", "a-2"]);
        expect(await groupsOf(ctx())).toEqual([]);
      });

      it("a check returns false and changes nothing when no condition holds", async () => {
        const { broker, expect } = ctx();
        await joinGroup(ctx(), "g", ["b-1", "a-2"]);
        const limits = { maxSize: 3, maxDelay: MINUTE, gracePeriod: MINUTE };
        expect(await check(ctx(), limits)).toBe(false);
        expect(await idsInGroup(ctx(), "g")).toEqual(["b-1", "a-2"]);
        expect(await groupsOf(ctx())).toEqual(["g"]);
        ctx().clock.advance(HOUR);
        expect(
          await broker.reclaimStaleAggregationSets({ queue: "default", now: ctx().now() }),
        ).toBe(0);
        expect(await idsInGroup(ctx(), "g")).toEqual(["b-1", "a-2"]);
      });

      it("a check returns false for an unknown group and for a group already emptied", async () => {
        const { expect } = ctx();
        await joinGroup(ctx(), "g", ["a-1"]);
        expect(await check(ctx(), { group: "unknown", gracePeriod: 0 })).toBe(false);
        expect(await idsInGroup(ctx(), "g")).toEqual(["a-1"]);
        expect(await check(ctx(), { gracePeriod: 0 })).toBe(true);
        expect(await check(ctx(), { setId: "set-2", gracePeriod: 0 })).toBe(false);
        expect(await setMembers(ctx())).toEqual(["a-1"]);
      });

      it("maxSize 0 and maxDelay 0 mean no limit; the grace period then moves every task", async () => {
        const { expect } = ctx();
        await joinGroup(ctx(), "g", ["c-1", "b-2", "a-3"]);
        ctx().clock.advance(HOUR);
        const limits = { maxSize: 0, maxDelay: 0, gracePeriod: 2 * HOUR };
        expect(await check(ctx(), limits)).toBe(false);
        expect(await idsInGroup(ctx(), "g")).toEqual(["c-1", "b-2", "a-3"]);
        ctx().clock.advance(2 * HOUR);
        expect(await check(ctx(), limits)).toBe(true);
        expect(await setMembers(ctx())).toEqual(["c-1", "b-2", "a-3"]);
      });

      it("a check touches only the named group", async () => {
        const { expect } = ctx();
        await joinGroup(ctx(), "g1", ["d-1", "c-2"]);
        await joinGroup(ctx(), "g2", ["b-3", "a-4"]);
        expect(await check(ctx(), { group: "g1", maxSize: 1 })).toBe(true);
        expect(await setMembers(ctx(), "set-1", "g1")).toEqual(["d-1"]);
        expect(await idsInGroup(ctx(), "g1")).toEqual(["c-2"]);
        expect(await idsInGroup(ctx(), "g2")).toEqual(["b-3", "a-4"]);
        expect(await groupsOf(ctx())).toEqual(["g1", "g2"]);
      });

      it("groups of the same name in different queues are separate", async () => {
        const { expect } = ctx();
        await joinGroup(ctx(), "g", ["a-1"], "q1");
        await joinGroup(ctx(), "g", ["b-2"], "q2");
        expect(await check(ctx(), { queue: "q1", gracePeriod: 0 })).toBe(true);
        expect(await groupsOf(ctx(), "q1")).toEqual([]);
        expect(await groupsOf(ctx(), "q2")).toEqual(["g"]);
        expect(await idsInGroup(ctx(), "g", "q2")).toEqual(["b-2"]);
      });

      it("readAggregationSet returns the member messages in join order and the set's deadline", async () => {
        const { broker, expect } = ctx();
        const joined = await joinGroup(ctx(), "g", ["z-first", "m-second", "a-third"]);
        const deadline = ctx().now() + SET_TTL;
        expect(await check(ctx(), { gracePeriod: 0 })).toBe(true);
        const set = await broker.readAggregationSet({
          queue: "default",
          group: "g",
          setId: "set-1",
        });
        expect(set.deadline).toBe(deadline);
        expect(set.messages.map(comparable)).toEqual(joined.map(comparable));
      });

      it("deleteAggregationSet deletes the member tasks and the set", async () => {
        const { broker, expect } = ctx();
        await joinGroup(ctx(), "g", ["b-1", "a-2"]);
        expect(await check(ctx(), { gracePeriod: 0 })).toBe(true);
        await broker.deleteAggregationSet({ queue: "default", group: "g", setId: "set-1" });
        expect(await lookup(ctx(), "b-1")).toBe("not-found");
        expect(await lookup(ctx(), "a-2")).toBe("not-found");
        ctx().clock.advance(SET_TTL + MINUTE);
        expect(
          await broker.reclaimStaleAggregationSets({ queue: "default", now: ctx().now() }),
        ).toBe(0);
        expect(await groupsOf(ctx())).toEqual([]);
        expect((await statsOf(ctx())).aggregating).toBe(0);
      });

      it("deleteAggregationSet releases the unique locks its members own", async () => {
        const { broker, expect } = ctx();
        const payload = encode('{"digest":"daily"}');
        await ctx().enqueue(
          { id: "unique-1", group: "g", payload },
          { placement: { state: "aggregating", group: "g" }, uniqueTtl: HOUR },
        );
        expect(await check(ctx(), { gracePeriod: 0 })).toBe(true);
        expect(await tryUnique(ctx(), payload)).toBe("duplicate-task");
        await broker.deleteAggregationSet({ queue: "default", group: "g", setId: "set-1" });
        expect(await tryUnique(ctx(), payload)).toBe("ok");
      });

      it("reclaiming an expired set returns its members to the group and re-registers the group", async () => {
        const { broker, expect } = ctx();
        await joinGroup(ctx(), "g", ["b-1", "a-2"]);
        expect(await check(ctx(), { gracePeriod: 0 })).toBe(true);
        expect(await groupsOf(ctx())).toEqual([]);
        ctx().clock.advance(SET_TTL + SECOND);
        expect(
          await broker.reclaimStaleAggregationSets({ queue: "default", now: ctx().now() }),
        ).toBe(1);
        expect(await groupsOf(ctx())).toEqual(["g"]);
        expect(await idsInGroup(ctx(), "g")).toEqual(["b-1", "a-2"]);
        expect((await recordOf(ctx(), "b-1")).state).toBe("aggregating");
        expect(await check(ctx(), { setId: "set-2", gracePeriod: 0 })).toBe(true);
        expect(await setMembers(ctx(), "set-2")).toEqual(["b-1", "a-2"]);
      });

      it("reclaimed members keep their original join times", async () => {
        const { broker, expect } = ctx();
        await joinGroup(ctx(), "g", ["c-1", "b-2"]);
        expect(await check(ctx(), { gracePeriod: 0 })).toBe(true);
        await joinGroup(ctx(), "g", ["a-3"]);
        ctx().clock.advance(SET_TTL + SECOND);
        expect(
          await broker.reclaimStaleAggregationSets({ queue: "default", now: ctx().now() }),
        ).toBe(1);
        expect(await idsInGroup(ctx(), "g")).toEqual(["c-1", "b-2", "a-3"]);
        expect(await check(ctx(), { setId: "set-2", maxSize: 2 })).toBe(true);
        expect(await setMembers(ctx(), "set-2")).toEqual(["c-1", "b-2"]);
      });

      it("reclaiming leaves sets whose deadline is still ahead", async () => {
        const { broker, expect } = ctx();
        await joinGroup(ctx(), "g", ["b-1", "a-2"]);
        expect(await check(ctx(), { gracePeriod: 0 })).toBe(true);
        ctx().clock.advance(SET_TTL / 2);
        expect(
          await broker.reclaimStaleAggregationSets({ queue: "default", now: ctx().now() }),
        ).toBe(0);
        expect(await setMembers(ctx())).toEqual(["b-1", "a-2"]);
        expect(await groupsOf(ctx())).toEqual([]);
        ctx().clock.advance(SET_TTL);
        expect(
          await broker.reclaimStaleAggregationSets({ queue: "default", now: ctx().now() }),
        ).toBe(1);
      });

      it("reclaiming counts every expired set of the queue", async () => {
        const { broker, expect } = ctx();
        await joinGroup(ctx(), "g1", ["b-1"]);
        await joinGroup(ctx(), "g2", ["a-2"]);
        expect(await check(ctx(), { group: "g1", setId: "set-1", gracePeriod: 0 })).toBe(true);
        expect(await check(ctx(), { group: "g2", setId: "set-2", gracePeriod: 0 })).toBe(true);
        ctx().clock.advance(SET_TTL + SECOND);
        expect(
          await broker.reclaimStaleAggregationSets({ queue: "default", now: ctx().now() }),
        ).toBe(2);
        expect(await groupsOf(ctx())).toEqual(["g1", "g2"]);
      });

      it("queueStats and groupStats count the tasks waiting in groups", async () => {
        const { broker, expect } = ctx();
        await joinGroup(ctx(), "g1", ["c-1", "b-2"]);
        await joinGroup(ctx(), "g2", ["a-3"]);
        const stats = await statsOf(ctx());
        expect(stats.aggregating).toBe(3);
        expect(stats.groups).toBe(2);
        expect(stats.pending).toBe(0);
        const result = await broker.groupStats({ queue: "default" });
        if (!result.ok) throw new Error(result.reason);
        const sizes = [...result.groups].sort((a, b) => a.group.localeCompare(b.group));
        expect(sizes).toEqual([
          { group: "g1", size: 2 },
          { group: "g2", size: 1 },
        ]);
      });
    });
  });
}
