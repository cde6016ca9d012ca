// Failures during aggregation leave the aggregation set; the recoverer returns its tasks to
// their group after the set's 2-minute deadline and registers the group again.
import { type GroupAggregator, Task } from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gate, until, World } from "./support.js";

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

const SECOND = 1_000;

async function start(aggregate: GroupAggregator): Promise<string[]> {
  const ran: string[] = [];
  await world.start(async (task) => void ran.push(task.text()), {
    groupGracePeriod: 10 * SECOND,
    groupAggregator: aggregate,
  });
  return ran;
}

const join: GroupAggregator = (_group, tasks) =>
  new Task("batch", tasks.map((t) => t.text()).join(","));

async function addToGroup(taskId: string): Promise<void> {
  await world.client.enqueue(new Task("item", taskId), { taskId, group: "g" });
}

const groups = () => world.broker.listGroups({ queue: "default" });

describe("aggregation failures", () => {
  it("an aggregator that throws leaves the set; after 2 min the group is back and retried", async () => {
    let calls = 0;
    const ran = await start((group, tasks) => {
      calls++;
      if (calls === 1) throw new Error("aggregator down");
      return join(group, tasks);
    });
    await addToGroup("a");
    await addToGroup("b");
    await world.clock.tick(14 * SECOND); // the pass at 14 s takes the set, then fails
    expect(calls).toBe(1);
    expect(world.logged("error", "aggregation failed")).toHaveLength(1);
    expect((await world.task("a"))?.state).toBe("aggregating");
    expect(await groups()).toStrictEqual([]);
    // The set's deadline is 134 s; the recoverer runs every minute: at 180 s it reclaims.
    await world.clock.tick(165 * SECOND);
    expect(calls).toBe(1);
    expect(await groups()).toStrictEqual([]);
    await world.clock.tick(1 * SECOND);
    expect(await groups()).toStrictEqual(["g"]);
    expect(world.logged("info", "reclaimed stale aggregation sets")).toHaveLength(1);
    await world.clock.tick(10 * SECOND);
    await until(() => ran.length === 1, "the retried batch ran");
    expect(calls).toBe(2);
    expect(ran).toStrictEqual(["a,b"]);
    expect(await world.task("a")).toBeUndefined();
  });

  it("a failed enqueue of the aggregated task leaves the set and its tasks for the recoverer", async () => {
    await world.client.enqueue(new Task("other"), { taskId: "taken", processIn: 3_600_000 });
    let calls = 0;
    await start((group, tasks) => {
      calls++;
      return calls === 1 ? new Task("batch", "x", { taskId: "taken" }) : join(group, tasks);
    });
    await addToGroup("a");
    await world.clock.tick(14 * SECOND);
    expect(calls).toBe(1);
    const [failure] = world.logged("error", "aggregation failed");
    expect(String(failure?.fields?.error)).toContain("taken");
    expect((await world.task("a"))?.state).toBe("aggregating");
    await world.clock.tick(166 * SECOND);
    expect(await groups()).toStrictEqual(["g"]);
    await world.clock.tick(10 * SECOND);
    await world.untilState("a", "deleted");
    expect(calls).toBe(2);
  });

  it("an aggregator slower than the set's deadline does not enqueue, so nothing runs twice", async () => {
    const slow = gate();
    let calls = 0;
    const ran = await start(async (group, tasks) => {
      calls++;
      if (calls === 1) await slow.promise;
      return join(group, tasks);
    });
    await addToGroup("a");
    await world.clock.tick(14 * SECOND);
    await world.clock.tick(166 * SECOND); // reclaimed at 180 s while the first call hangs
    expect(await groups()).toStrictEqual(["g"]);
    await world.clock.tick(10 * SECOND); // another pass aggregates the reclaimed task
    await until(() => ran.length === 1, "the second aggregation ran");
    slow.open();
    await world.clock.tick(30 * SECOND);
    expect(world.logged("warn", "aggregation set expired")).toHaveLength(1);
    expect(ran).toStrictEqual(["a"]);
  });
});
