import {
  type GroupAggregator,
  InvalidArgumentError,
  type ReceivedTask,
  Server,
  Task,
} from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Gate, gate, until, World } from "./support.js";

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

const SECOND = 1_000;

interface Batch {
  readonly type: string;
  readonly payload: string;
  readonly queue: string;
}

/** Starts a server that aggregates with `aggregate` and records what its handler runs. */
async function startAggregating(
  config: Parameters<World["start"]>[1] = {},
  aggregate: GroupAggregator = joinPayloads,
): Promise<{ ran: Batch[]; calls: { group: string; ids: string[] }[] }> {
  const ran: Batch[] = [];
  const calls: { group: string; ids: string[] }[] = [];
  await world.start(
    async (task, ctx) => {
      ran.push({ type: task.type, payload: task.text(), queue: ctx.queue });
    },
    {
      groupAggregator: (group, tasks) => {
        calls.push({ group, ids: tasks.map((t) => t.id) });
        return aggregate(group, tasks);
      },
      ...config,
    },
  );
  return { ran, calls };
}

function joinPayloads(group: string, tasks: readonly ReceivedTask[]): Task {
  return new Task("batch", `${group}:${tasks.map((t) => t.text()).join(",")}`);
}

async function addToGroup(taskId: string, group = "g", options = {}): Promise<void> {
  await world.client.enqueue(new Task("item", taskId), { taskId, group, ...options });
}

async function groups(queue = "default"): Promise<readonly string[]> {
  return world.broker.listGroups({ queue });
}

describe("aggregation triggers", () => {
  it("aggregates once the newest task has waited the grace period, then deletes the set", async () => {
    const { ran, calls } = await startAggregating({ groupGracePeriod: 10 * SECOND });
    await addToGroup("a");
    await world.clock.tick(5 * SECOND);
    await addToGroup("b");
    await addToGroup("c");
    // Passes run every min(7 s, grace) = 7 s: at 14 s the newest has waited only 9 s.
    await world.clock.tick(15 * SECOND);
    expect(calls).toHaveLength(0);
    await world.clock.tick(1 * SECOND);
    await until(() => ran.length === 1, "the aggregated task ran");
    expect(calls).toStrictEqual([{ group: "g", ids: ["a", "b", "c"] }]);
    expect(ran).toStrictEqual([{ type: "batch", payload: "g:a,b,c", queue: "default" }]);
    for (const id of ["a", "b", "c"]) expect(await world.task(id)).toBeUndefined();
    expect(await groups()).toStrictEqual([]);
  });

  it("aggregates full groups at once, set by set, and leaves the rest for later", async () => {
    const { ran, calls } = await startAggregating({ groupMaxSize: 3, groupGracePeriod: 60_000 });
    for (let i = 1; i <= 7; i++) await addToGroup(`t${i}`);
    await world.clock.tick(7 * SECOND);
    await until(() => ran.length === 2, "two full batches ran");
    expect(calls.map((c) => c.ids)).toStrictEqual([
      ["t1", "t2", "t3"],
      ["t4", "t5", "t6"],
    ]);
    expect((await world.task("t7"))?.state).toBe("aggregating");
    expect(await groups()).toStrictEqual(["g"]);
    await world.clock.tick(56 * SECOND);
    await until(() => ran.length === 3, "the last task ran after the grace period");
    expect(ran.map((b) => b.payload)).toStrictEqual(["g:t1,t2,t3", "g:t4,t5,t6", "g:t7"]);
  });

  it("aggregates once the oldest task has waited the max delay, however busy the group", async () => {
    const { calls } = await startAggregating({
      groupMaxDelay: 20 * SECOND,
      groupGracePeriod: 10 * SECOND,
    });
    await addToGroup("t0");
    for (let at = 5; at <= 20; at += 5) {
      await world.clock.tick(5 * SECOND);
      expect(calls).toHaveLength(0);
      await addToGroup(`t${at}`);
    }
    await world.clock.tick(1 * SECOND); // the pass at 21 s
    expect(calls).toStrictEqual([{ group: "g", ids: ["t0", "t5", "t10", "t15", "t20"] }]);
  });

  it("aggregates a grouped task enqueued for later once it is due, and only then", async () => {
    const { ran, calls } = await startAggregating({ groupGracePeriod: 10 * SECOND });
    await addToGroup("later", "g", { processIn: 30 * SECOND });
    await addToGroup("now");
    await world.clock.tick(29 * SECOND);
    expect((await world.task("later"))?.state).toBe("scheduled");
    expect(calls).toStrictEqual([{ group: "g", ids: ["now"] }]);
    await world.clock.tick(31 * SECOND);
    await until(() => ran.length === 2, "both batches ran");
    expect(calls.map((c) => c.ids)).toStrictEqual([["now"], ["later"]]);
    expect(ran.every((b) => b.type === "batch")).toBe(true);
  });

  it("enqueues the aggregated task in the group's queue, whatever queue it names", async () => {
    const { ran } = await startAggregating(
      { queues: { mail: 1 }, groupGracePeriod: SECOND },
      (group) => new Task("digest", group, { queue: "elsewhere" }),
    );
    await world.client.enqueue(new Task("item"), { queue: "mail", group: "g" });
    await world.clock.tick(2 * SECOND);
    await until(() => ran.length === 1, "the digest ran");
    expect(ran).toStrictEqual([{ type: "digest", payload: "g", queue: "mail" }]);
  });

  it("releases the unique locks of aggregated tasks", async () => {
    const { ran } = await startAggregating({ groupGracePeriod: SECOND });
    const unique = () =>
      world.client.enqueue(new Task("item", "same"), { group: "g", unique: 3_600_000 });
    await unique();
    await expect(unique()).rejects.toMatchObject({ code: "DUPLICATE_TASK" });
    await world.clock.tick(2 * SECOND);
    await until(() => ran.length === 1, "the batch ran");
    await expect(unique()).resolves.toMatchObject({ state: "aggregating" });
  });
});

describe("concurrency and shutdown", () => {
  it("runs at most three passes at once, skipping ticks with a warning", async () => {
    const gates: Gate[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const { ran } = await startAggregating({ groupGracePeriod: SECOND }, async (group, tasks) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      const held = gate();
      gates.push(held);
      await held.promise;
      running--;
      return joinPayloads(group, tasks);
    });
    for (const group of ["a", "b", "c", "d"]) await addToGroup(`${group}1`, group);
    await world.clock.tick(4 * SECOND);
    expect(gates).toHaveLength(3);
    expect(world.logged("warn", "max number of aggregation checks in flight")).toHaveLength(1);
    for (let i = 0; i < 10 && ran.length < 4; i++) {
      for (const held of gates) held.open();
      await world.clock.tick(SECOND);
    }
    expect(ran.map((b) => b.payload).sort()).toStrictEqual(["a:a1", "b:b1", "c:c1", "d:d1"]);
    expect(mostAtOnce).toBe(3);
  });

  it("shutdown waits for a pass under way", async () => {
    const held = gate();
    const server = world.server({
      groupGracePeriod: SECOND,
      groupAggregator: async (group, tasks) => {
        await held.promise;
        return joinPayloads(group, tasks);
      },
    });
    server.start(async () => {});
    await addToGroup("a");
    await world.clock.tick(SECOND);
    let closed = false;
    const shutdown = server.shutdown().then(() => {
      closed = true;
    });
    await world.clock.tick(10 * SECOND);
    expect(closed).toBe(false);
    held.open();
    await shutdown;
    expect(closed).toBe(true);
  });
});

describe("without an aggregator", () => {
  it("warns once, only when it sees groups in its queues", async () => {
    await world.start(async () => {}, { groupGracePeriod: 5 * SECOND });
    await world.clock.tick(30 * SECOND);
    const warnings = () => world.logged("warn", "no groupAggregator is configured");
    expect(warnings()).toHaveLength(0);
    await addToGroup("a", "first");
    await world.clock.tick(5 * SECOND);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.fields).toMatchObject({ queue: "default", groups: ["first"] });
    await addToGroup("b", "second");
    await world.clock.tick(60 * SECOND);
    expect(warnings()).toHaveLength(1);
    expect((await world.task("a"))?.state).toBe("aggregating");
  });
});

describe("configuration", () => {
  it.each([
    [{ groupGracePeriod: 500 }],
    [{ groupGracePeriod: 0 }],
    [{ groupMaxDelay: 999 }],
    [{ groupMaxDelay: -1 }],
    [{ groupMaxSize: -1 }],
    [{ groupMaxSize: 1.5 }],
    [{ groupAggregator: "join" }],
  ])("rejects %j", (config) => {
    expect(() => new Server(world.broker, config as never)).toThrow(InvalidArgumentError);
  });

  it("accepts the boundaries", () => {
    expect(
      () =>
        new Server(world.broker, {
          groupGracePeriod: SECOND,
          groupMaxDelay: 0,
          groupMaxSize: 0,
          groupAggregator: joinPayloads,
        }),
    ).not.toThrow();
  });
});
