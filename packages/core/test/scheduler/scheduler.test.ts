import {
  BrokerClosedError,
  entryIdentity,
  FailedPreconditionError,
  fireTaskId,
  InvalidArgumentError,
  Scheduler,
  Task,
  type TaskOptions,
} from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SchedulerWorld } from "./support.js";

let world: SchedulerWorld;
beforeEach(() => {
  world = new SchedulerWorld();
});
afterEach(async () => {
  await world.dispose();
});

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

describe("firing", () => {
  it("enqueues the task at every fire time with a task ID derived from entry and time", async () => {
    const scheduler = world.scheduler();
    const entryId = scheduler.register("*/5 * * * *", new Task("report", "p"), { queue: "low" });
    await scheduler.start();
    await world.clock.tick(15 * MINUTE);
    expect(world.enqueuedFires()).toStrictEqual([
      "2030-01-01T00:05:00.000Z",
      "2030-01-01T00:10:00.000Z",
      "2030-01-01T00:15:00.000Z",
    ]);
    const tasks = await world.tasks("pending", "low");
    expect(tasks.map((t) => t.message.id).sort()).toStrictEqual(
      [5, 10, 15].map((m) => fireTaskId(entryId, at("2030-01-01T00:00:00Z") + m * MINUTE)).sort(),
    );
    expect(fireTaskId(entryId, at("2030-01-01T00:05:00Z"))).toBe(`cron:${entryId}:1893456300`);
    expect(tasks.every((t) => t.message.type === "report" && t.message.queue === "low")).toBe(true);
  });

  it("raises the retention to the dedupe window but keeps a longer one", async () => {
    const scheduler = world.scheduler({ dedupeWindow: 90_000 });
    scheduler.register("* * * * *", new Task("short"));
    scheduler.register("* * * * *", new Task("long"), { retention: 3_600_000 });
    await scheduler.start();
    await world.clock.tick(MINUTE);
    const byType = Object.fromEntries(
      (await world.tasks()).map((t) => [t.message.type, t.message.retention]),
    );
    expect(byType).toStrictEqual({ short: 90_000, long: 3_600_000 });
  });

  it("does not fire before start, nor after shutdown", async () => {
    const scheduler = world.scheduler();
    scheduler.register("* * * * *", new Task("t"));
    await world.clock.tick(5 * MINUTE);
    expect(world.outcomes).toHaveLength(0);
    await scheduler.start();
    await world.clock.tick(MINUTE);
    await scheduler.shutdown();
    await world.clock.tick(5 * MINUTE);
    expect(world.enqueuedFires()).toStrictEqual(["2030-01-01T00:06:00.000Z"]);
    expect(world.clock.pendingTimers).toBe(0);
  });

  it("registers while running and stops firing an unregistered entry", async () => {
    const scheduler = world.scheduler();
    await scheduler.start();
    const id = scheduler.register("* * * * *", new Task("t"));
    await world.clock.tick(2 * MINUTE);
    scheduler.unregister(id);
    await world.clock.tick(2 * MINUTE);
    expect(world.enqueuedFires()).toHaveLength(2);
    expect(() => scheduler.unregister(id)).toThrow(InvalidArgumentError);
  });

  it.each([
    [
      "spring forward",
      "2030-03-30T00:00:00Z",
      "2030-04-01T12:00:00Z",
      // 02:30 does not exist on the 31st: right after the gap, at 03:00 CEST.
      ["2030-03-30T01:30:00.000Z", "2030-03-31T01:00:00.000Z", "2030-04-01T00:30:00.000Z"],
    ],
    [
      "fall back",
      "2030-10-26T00:00:00Z",
      "2030-10-28T12:00:00Z",
      // 02:30 happens twice on the 27th: only the first time.
      ["2030-10-26T00:30:00.000Z", "2030-10-27T00:30:00.000Z", "2030-10-28T01:30:00.000Z"],
    ],
  ])("fires a Europe/Berlin nightly spec once per day across %s", async (_, from, to, fires) => {
    world = new SchedulerWorld(at(from));
    const scheduler = world.scheduler({ location: "Europe/Berlin", heartbeatInterval: 3_600_000 });
    scheduler.register("30 2 * * *", new Task("nightly"));
    scheduler.register("0 * * * *", new Task("hourly"));
    await scheduler.start();
    await world.clock.tick(at(to) - world.clock.now());
    const nightly = world.outcomes.filter((o) => o.info?.type === "nightly");
    expect(nightly.map((o) => new Date(o.fire.fireAt).toISOString())).toStrictEqual(fires);
    const hourly = world.outcomes
      .filter((o) => o.info?.type === "hourly")
      .map((o) => o.fire.fireAt);
    expect(hourly).toHaveLength((at(to) - at(from)) / 3_600_000);
    expect(hourly.slice(1).map((t, i) => t - (hourly[i] ?? 0))).toStrictEqual(
      Array(hourly.length - 1).fill(3_600_000),
    );
  });

  it("aligns @every to epoch multiples, so instances started apart share fire times", async () => {
    world.clock.advance(10_000);
    const first = world.scheduler();
    first.register("@every 1m30s", new Task("t"));
    await first.start();
    await world.clock.tick(40_000);
    const second = world.scheduler();
    second.register("@every 1m30s", new Task("t"));
    await second.start();
    await world.clock.tick(3 * MINUTE);
    expect(
      world.outcomes.map((o) => [o.scheduler, new Date(o.fire.fireAt).toISOString()]),
    ).toStrictEqual([
      [0, "2030-01-01T00:01:30.000Z"],
      [1, "2030-01-01T00:01:30.000Z"],
      [0, "2030-01-01T00:03:00.000Z"],
      [1, "2030-01-01T00:03:00.000Z"],
    ]);
    expect(world.enqueuedFires()).toHaveLength(2);
  });
});

describe("hooks", () => {
  it("calls preEnqueue with the task and options, then postEnqueue with the info", async () => {
    const calls: string[] = [];
    let seen: TaskOptions | undefined;
    const task = new Task("t", "x", { maxRetry: 3 });
    const scheduler = world.scheduler({
      preEnqueue: (t, options) => {
        calls.push(`pre:${t.type}`);
        seen = options;
      },
      postEnqueue: (info, error, fire) => {
        calls.push(`post:${info?.id}:${error}:${fire.enqueuedByPeer}`);
      },
    });
    const entryId = scheduler.register("* * * * *", task, { queue: "q" });
    await scheduler.start();
    await world.clock.tick(MINUTE);
    const taskId = fireTaskId(entryId, world.clock.now());
    expect(calls).toStrictEqual(["pre:t", `post:${taskId}:null:false`]);
    expect(seen).toStrictEqual({ queue: "q", taskId, retention: MINUTE });
  });

  it("passes the error when the enqueue fails, and logs it", async () => {
    const scheduler = world.scheduler();
    scheduler.register("* * * * *", new Task("t"), { unique: 3_600_000 });
    await scheduler.start();
    await world.clock.tick(2 * MINUTE);
    const [first, second] = world.outcomes;
    expect(first?.info?.type).toBe("t");
    expect(second?.info).toBeNull();
    expect(second?.error).toMatchObject({ code: "DUPLICATE_TASK" });
    expect(world.logged("error", "could not enqueue")).toHaveLength(1);
  });

  it("treats a conflict on a user-chosen task ID as an error: deduplication is the user's", async () => {
    const scheduler = world.scheduler();
    scheduler.register("* * * * *", new Task("t"), { taskId: "mine", retention: 3_600_000 });
    await scheduler.start();
    await world.clock.tick(2 * MINUTE);
    expect(
      world.outcomes.map((o) => [o.info?.id ?? null, o.error?.constructor.name ?? null]),
    ).toStrictEqual([
      ["mine", null],
      [null, "TaskIdConflictError"],
    ]);
  });

  it("keeps going when a hook throws", async () => {
    const scheduler = world.scheduler({
      preEnqueue: () => {
        throw new Error("pre boom");
      },
      postEnqueue: async () => {
        throw new Error("post boom");
      },
    });
    scheduler.register("* * * * *", new Task("t"));
    await scheduler.start();
    await world.clock.tick(2 * MINUTE);
    expect(await world.tasks()).toHaveLength(2);
    expect(world.logged("error", "preEnqueue hook failed")).toHaveLength(2);
    expect(world.logged("error", "postEnqueue hook failed")).toHaveLength(2);
  });
});

describe("published entries and history", () => {
  it("writes its entries in asynq's format every heartbeat, with a 20 s TTL", async () => {
    const writes: { ttl: number; now: number }[] = [];
    const broker = new Proxy(world.broker, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key === "writeSchedulerEntries") {
          return (params: { ttl: number; now: number }) => {
            writes.push({ ttl: params.ttl, now: params.now });
            return target.writeSchedulerEntries(params as never);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const scheduler = world.scheduler({}, broker);
    const task = new Task("email:digest", "payload", { maxRetry: 5 });
    const entryId = scheduler.register("0 * * * *", task, {
      queue: "critical",
      timeout: 90_000,
      unique: 3_600_000,
    });
    await scheduler.start();
    const started = world.clock.now();
    await world.clock.tick(25_000);
    expect(writes.map((w) => [w.now - started, w.ttl])).toStrictEqual([
      [0, 20_000],
      [10_000, 20_000],
      [20_000, 20_000],
    ]);
    const [entry, ...others] = await world.broker.listSchedulerEntries({ now: world.clock.now() });
    expect(others).toHaveLength(0);
    expect(entry).toMatchObject({
      id: entryId,
      spec: "0 * * * *",
      taskType: "email:digest",
      enqueueOptions: ["MaxRetry(5)", 'Queue("critical")', "Timeout(1m30s)", "Unique(1h0m0s)"],
      nextEnqueueAt: at("2030-01-01T01:00:00Z"),
      prevEnqueueAt: 0,
    });
    expect(new TextDecoder().decode(entry?.taskPayload)).toBe("payload");
    expect(entryId).toBe(
      entryIdentity({
        spec: "0 * * * *",
        location: "UTC",
        type: "email:digest",
        payload: task.payload,
        optionStrings: entry?.enqueueOptions ?? [],
      }),
    );
  });

  it("records each enqueue in the entry's history and publishes the previous fire", async () => {
    const scheduler = world.scheduler();
    const entryId = scheduler.register("*/10 * * * *", new Task("t"));
    await scheduler.start();
    await world.clock.tick(25 * MINUTE);
    const events = await world.broker.listSchedulerEvents({ entryId, offset: 0, limit: 10 });
    expect(events).toStrictEqual(
      [20, 10].map((m) => {
        const fireAt = at("2030-01-01T00:00:00Z") + m * MINUTE;
        return { taskId: fireTaskId(entryId, fireAt), enqueuedAt: fireAt };
      }),
    );
    const [entry] = await world.broker.listSchedulerEntries({ now: world.clock.now() });
    expect(entry?.prevEnqueueAt).toBe(at("2030-01-01T00:20:00Z"));
    expect(entry?.nextEnqueueAt).toBe(at("2030-01-01T00:30:00Z"));
  });

  it("removes its entries at shutdown and keeps the shared history unless told", async () => {
    const keeper = world.scheduler();
    const kept = keeper.register("* * * * *", new Task("kept"));
    const clearer = world.scheduler({ clearHistoryOnShutdown: true });
    const cleared = clearer.register("* * * * *", new Task("cleared"));
    await keeper.start();
    await clearer.start();
    await world.clock.tick(MINUTE);
    expect(await world.broker.listSchedulerEntries({ now: world.clock.now() })).toHaveLength(2);
    await keeper.shutdown();
    await clearer.shutdown();
    expect(await world.broker.listSchedulerEntries({ now: world.clock.now() })).toHaveLength(0);
    const history = async (entryId: string) =>
      world.broker.listSchedulerEvents({ entryId, offset: 0, limit: 10 });
    expect(await history(kept)).toHaveLength(1);
    expect(await history(cleared)).toHaveLength(0);
  });
});

describe("validation and lifecycle", () => {
  it("rejects bad specs, tasks and options with InvalidArgumentError", () => {
    const scheduler = world.scheduler();
    const task = new Task("t");
    expect(() => scheduler.register("61 * * * *", task)).toThrow(InvalidArgumentError);
    expect(() => scheduler.register("@every 10ms", task)).toThrow(InvalidArgumentError);
    expect(() => scheduler.register("* * * * *", task, { timeout: 500 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => scheduler.register("* * * * *", task, { bogus: 1 } as never)).toThrow(
      InvalidArgumentError,
    );
    expect(() => scheduler.register("* * * * *", {} as Task)).toThrow(InvalidArgumentError);
    expect(() => world.scheduler({ location: "Nowhere/Land" })).toThrow(InvalidArgumentError);
    expect(() => world.scheduler({ dedupeWindow: 500 })).toThrow(InvalidArgumentError);
    expect(() => world.scheduler({ catchUp: "all" as never })).toThrow(InvalidArgumentError);
  });

  it("refuses an identical entry twice, but takes the same task on another spec", () => {
    const scheduler = world.scheduler();
    scheduler.register("* * * * *", new Task("t", "p"), { queue: "q" });
    expect(() => scheduler.register("* * * * *", new Task("t", "p"), { queue: "q" })).toThrow(
      FailedPreconditionError,
    );
    expect(scheduler.register("*/2 * * * *", new Task("t", "p"), { queue: "q" })).toMatch(
      /^[0-9a-f]{32}$/,
    );
  });

  it("starts once, and refuses to start or register after shutdown", async () => {
    const scheduler = world.scheduler();
    expect(scheduler.id).toMatch(/:s\d+-1$/);
    await scheduler.start();
    await expect(scheduler.start()).rejects.toThrow(FailedPreconditionError);
    await scheduler.shutdown();
    expect(scheduler.state).toBe("closed");
    await expect(scheduler.start()).rejects.toThrow(BrokerClosedError);
    expect(() => scheduler.register("* * * * *", new Task("t"))).toThrow(BrokerClosedError);
  });

  it("rejects a non-broker", () => {
    expect(() => new Scheduler({} as never)).toThrow(InvalidArgumentError);
  });
});
