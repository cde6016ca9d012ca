import {
  entryIdentity,
  goOptionStrings,
  InvalidArgumentError,
  type PeriodicTaskConfig,
  PeriodicTaskManager,
  type PeriodicTaskManagerOptions,
  Task,
} from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SchedulerWorld } from "./support.js";

let world: SchedulerWorld;
let managers: PeriodicTaskManager[];
beforeEach(() => {
  world = new SchedulerWorld();
  managers = [];
});
afterEach(async () => {
  for (const manager of managers) await manager.shutdown();
  await world.dispose();
});

const MINUTE = 60_000;

/** A provider whose configs the test swaps; counts reads; may be told to fail. */
function provider(initial: unknown[]) {
  const state = { configs: initial, reads: 0, fail: false };
  return {
    state,
    getConfigs: async () => {
      state.reads++;
      if (state.fail) throw new Error("config store unavailable");
      return state.configs as PeriodicTaskConfig[];
    },
  };
}

function manager(
  source: ReturnType<typeof provider>,
  options: Partial<PeriodicTaskManagerOptions> = {},
): PeriodicTaskManager {
  const created = new PeriodicTaskManager(world.broker, {
    provider: source,
    clock: world.clock,
    logger: world.logger,
    ids: { next: () => "m" },
    postEnqueue: (info, error, fire) => {
      world.outcomes.push({ info, error, fire, scheduler: 0 });
    },
    ...options,
  });
  managers.push(created);
  return created;
}

const ids = (m: PeriodicTaskManager) =>
  m.scheduler
    .entries()
    .map((e) => e.id)
    .sort();

const identity = (config: PeriodicTaskConfig) =>
  entryIdentity({
    spec: config.cronspec,
    location: "UTC",
    type: config.task.type,
    payload: config.task.payload,
    optionStrings: [
      ...goOptionStrings(config.task.options),
      ...goOptionStrings(config.options ?? {}),
    ],
  });

const daily: PeriodicTaskConfig = { cronspec: "@daily", task: new Task("daily", "d") };
const hourly: PeriodicTaskConfig = {
  cronspec: "0 * * * *",
  task: new Task("hourly"),
  options: { queue: "low" },
};
const minutely: PeriodicTaskConfig = { cronspec: "* * * * *", task: new Task("minutely") };

describe("PeriodicTaskManager", () => {
  it("registers the provider's configs at start, identified by their hash", async () => {
    const m = manager(provider([daily, hourly]));
    await m.start();
    expect(ids(m)).toStrictEqual([identity(daily), identity(hourly)].sort());
    expect(m.scheduler.state).toBe("active");
    await world.clock.tick(MINUTE * 60);
    expect(world.outcomes.map((o) => o.info?.type)).toStrictEqual(["hourly"]);
  });

  it("syncs every 3 min by default: adds new, removes gone, keeps unchanged entries", async () => {
    const source = provider([daily, hourly]);
    const m = manager(source);
    await m.start();
    const keptBefore = m.scheduler.entries().find((e) => e.id === identity(daily));
    source.state.configs = [
      { cronspec: "@daily", task: new Task("daily", "d") }, // same identity, new object
      minutely,
    ];
    await world.clock.tick(3 * MINUTE - 1);
    expect(source.state.reads).toBe(1);
    expect(ids(m)).toStrictEqual([identity(daily), identity(hourly)].sort());
    await world.clock.tick(1);
    expect(source.state.reads).toBe(2);
    expect(ids(m)).toStrictEqual([identity(daily), identity(minutely)].sort());
    expect(m.scheduler.entries().find((e) => e.id === identity(daily))).toStrictEqual(keptBefore);
    const registered = world.logger.entries.filter(
      (e) => e.message === "registered a periodic task",
    );
    expect(registered).toHaveLength(3);
    expect(world.logged("info", "unregistered a periodic task")).toHaveLength(1);
    await world.clock.tick(MINUTE);
    expect(world.outcomes.map((o) => o.info?.type)).toStrictEqual(["minutely"]);
  });

  it("treats a changed option or payload as a different entry", async () => {
    const source = provider([hourly]);
    const m = manager(source, { syncInterval: MINUTE });
    await m.start();
    const changed = { ...hourly, options: { queue: "high" } };
    source.state.configs = [changed];
    await world.clock.tick(MINUTE);
    expect(ids(m)).toStrictEqual([identity(changed)]);
    expect(identity(changed)).not.toBe(identity(hourly));
  });

  it.each([
    ["a blank cronspec", { cronspec: " ", task: new Task("t") }],
    ["a bad cronspec", { cronspec: "99 * * * *", task: new Task("t") }],
    ["a missing task", { cronspec: "* * * * *" }],
    ["a bad option", { cronspec: "* * * * *", task: new Task("t"), options: { timeout: 10 } }],
    ["a null config", null],
  ])("fails the initial start on %s, starting nothing", async (_, bad) => {
    const m = manager(provider([daily, bad]));
    await expect(m.start()).rejects.toThrow(InvalidArgumentError);
    expect(m.scheduler.state).toBe("new");
    expect(m.scheduler.entries()).toHaveLength(0);
  });

  it("fails the initial start when the provider fails", async () => {
    const source = provider([daily]);
    source.state.fail = true;
    await expect(manager(source).start()).rejects.toThrow("config store unavailable");
  });

  it("skips a periodic sync with an invalid config or a failing provider, logging why", async () => {
    const source = provider([daily]);
    const m = manager(source, { syncInterval: MINUTE });
    await m.start();
    source.state.configs = [minutely, { cronspec: "nope", task: new Task("t") }];
    await world.clock.tick(MINUTE);
    expect(ids(m)).toStrictEqual([identity(daily)]);
    const [skipped] = world.logged("error", "skipping a periodic task sync");
    expect(String(skipped?.fields?.error)).toContain("configs[1]");
    source.state.fail = true;
    await world.clock.tick(MINUTE);
    expect(world.logged("error", "skipping a periodic task sync")).toHaveLength(2);
    source.state.fail = false;
    source.state.configs = [minutely];
    await world.clock.tick(MINUTE);
    expect(ids(m)).toStrictEqual([identity(minutely)]);
  });

  it("collapses identical configs into one entry", async () => {
    const m = manager(provider([daily, { ...daily }]));
    await m.start();
    expect(ids(m)).toStrictEqual([identity(daily)]);
  });

  it("validates its own options", () => {
    expect(() => manager({} as never)).toThrow(InvalidArgumentError);
    expect(() => manager(provider([]), { syncInterval: 0 })).toThrow(InvalidArgumentError);
  });
});
