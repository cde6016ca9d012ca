import { Client, fireTaskId, Server, seededRandom, Task } from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SchedulerWorld, skewedClock } from "./support.js";

let world: SchedulerWorld;
let server: Server | undefined;
beforeEach(() => {
  world = new SchedulerWorld();
  server = undefined;
});
afterEach(async () => {
  if (server !== undefined) {
    const stopped = server.shutdown();
    await world.clock.tick(10_000);
    await stopped;
  }
  await world.dispose();
});

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

/** Starts a server that runs every task at once, counting runs per task ID. */
function startCountingServer(): Map<string, number> {
  const runs = new Map<string, number>();
  server = new Server(world.broker, {
    clock: world.clock,
    logger: world.logger,
    concurrency: 4,
    random: seededRandom(1),
    ids: { next: () => "server" },
  });
  server.start(async (_task, ctx) => {
    runs.set(ctx.taskId, (runs.get(ctx.taskId) ?? 0) + 1);
  });
  return runs;
}

describe("several instances running the same entries", () => {
  it("enqueues each of 1,000 fires exactly once with three skewed instances", async () => {
    world.clock.advance(5_000); // mid-period, so every instance agrees on the first fire
    const runs = startCountingServer();
    // Instances whose clocks run 400 ms behind, on time, and 900 ms ahead of the shared one.
    const schedulers = [-400, 0, 900].map((skew) =>
      world.scheduler({ clock: skewedClock(world.clock, skew), timers: world.clock }),
    );
    const entryIds = schedulers.map((s) => s.register("@every 10s", new Task("tick", "same")));
    expect(new Set(entryIds).size).toBe(1);
    for (const scheduler of schedulers) await scheduler.start();
    const fires = 1_000;
    for (let i = 0; i < fires; i++) await world.clock.tick(10_000);
    await world.clock.tick(2_000);

    const enqueuedPerFire = new Map<number, number>();
    const peersPerFire = new Map<number, number>();
    for (const { info, error, fire } of world.outcomes) {
      expect(error).toBeNull();
      const counts = info === null ? peersPerFire : enqueuedPerFire;
      counts.set(fire.fireAt, (counts.get(fire.fireAt) ?? 0) + 1);
    }
    expect(enqueuedPerFire.size).toBe(fires);
    expect([...enqueuedPerFire.values()].every((n) => n === 1)).toBe(true);
    expect([...peersPerFire.values()].every((n) => n === 2)).toBe(true);
    // Every fire ran once on the server, under its deterministic ID.
    expect(runs.size).toBe(fires);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    for (const fireAt of enqueuedPerFire.keys()) {
      expect(runs.get(fireTaskId(entryIds[0] ?? "", fireAt))).toBe(1);
    }
    const history = await world.broker.listSchedulerEvents({
      entryId: entryIds[0] ?? "",
      offset: 0,
      limit: 5_000,
    });
    expect(history).toHaveLength(fires);
  });

  it("without a dedupe window, a lagging instance re-enqueues fires a fast handler finished", async () => {
    const runs = startCountingServer();
    const schedulers = [0, -2_000].map((skew) =>
      world.scheduler({
        clock: skewedClock(world.clock, skew),
        timers: world.clock,
        dedupeWindow: 0,
      }),
    );
    for (const s of schedulers) s.register("@every 10s", new Task("tick"));
    for (const s of schedulers) await s.start();
    for (let i = 0; i < 20; i++) await world.clock.tick(10_000);
    expect([...runs.values()].some((n) => n > 1)).toBe(true);
  });

  it("dedupes the same entry even when one instance's client enqueues elsewhere first", async () => {
    const scheduler = world.scheduler();
    const entryId = scheduler.register("0 * * * *", new Task("t"));
    // Another instance already enqueued the 01:00 fire.
    await new Client(world.broker, { clock: world.clock }).enqueue(new Task("t"), {
      taskId: fireTaskId(entryId, at("2030-01-01T01:00:00Z")),
    });
    await scheduler.start();
    await world.clock.tick(HOUR);
    expect(world.outcomes.map((o) => o.fire.enqueuedByPeer)).toStrictEqual([true]);
    expect(world.logged("error", "")).toHaveLength(0);
  });
});

describe("restarts and missed fires", () => {
  /** Runs a scheduler over [now, until), then shuts it down. */
  async function runFor(untilIso: string, options = {}): Promise<string> {
    const scheduler = world.scheduler(options);
    const entryId = scheduler.register("0 * * * *", new Task("hourly"));
    await scheduler.start();
    await world.clock.tick(at(untilIso) - world.clock.now());
    await scheduler.shutdown();
    return entryId;
  }

  it("skips fires missed while no instance ran, by default", async () => {
    await runFor("2030-01-01T02:30:00Z");
    world.clock.advance(at("2030-01-01T05:30:00Z") - world.clock.now());
    await runFor("2030-01-01T06:30:00Z");
    expect(world.enqueuedFires()).toStrictEqual([
      "2030-01-01T01:00:00.000Z",
      "2030-01-01T02:00:00.000Z",
      "2030-01-01T06:00:00.000Z",
    ]);
  });

  it('with catchUp "last", enqueues the most recent missed fire at start, once', async () => {
    await runFor("2030-01-01T02:30:00Z");
    world.clock.advance(at("2030-01-01T05:30:00Z") - world.clock.now());
    // Three instances start together after the outage.
    const restarted = [0, 1, 2].map(() => world.scheduler({ catchUp: "last" }));
    for (const s of restarted) s.register("0 * * * *", new Task("hourly"));
    await Promise.all(restarted.map((s) => s.start()));
    await world.clock.tick(HOUR);
    expect(world.enqueuedFires()).toStrictEqual([
      "2030-01-01T01:00:00.000Z",
      "2030-01-01T02:00:00.000Z",
      "2030-01-01T05:00:00.000Z",
      "2030-01-01T06:00:00.000Z",
    ]);
    const late = world.outcomes.find(
      (o) => o.fire.fireAt === at("2030-01-01T05:00:00Z") && o.info !== null,
    );
    expect(late?.info?.id).toMatch(/:1893474000$/);
    expect(world.logged("info", "enqueuing a missed fire")).toHaveLength(3);
  });

  it('with catchUp "last", does nothing when the last fire was handled or never happened', async () => {
    await runFor("2030-01-01T01:30:00Z", { catchUp: "last" }); // no history yet: no catch-up
    await runFor("2030-01-01T02:30:00Z", { catchUp: "last" }); // 01:00 was handled
    expect(world.enqueuedFires()).toStrictEqual([
      "2030-01-01T01:00:00.000Z",
      "2030-01-01T02:00:00.000Z",
    ]);
  });
});
