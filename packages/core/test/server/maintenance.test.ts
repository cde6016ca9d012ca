import { Task } from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gate, RETRY_DELAY, until, World } from "./support.js";

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

const now = () => world.clock.now();

/** Simulates a worker that crashed: takes the task straight from the broker and never finishes. */
async function crashWorkerWith(taskId: string, maxRetry = 5): Promise<number> {
  await world.client.enqueue(new Task("orphan"), { taskId, maxRetry });
  const leaseUntil = now() + 30_000;
  const taken = await world.broker.dequeue({ queues: ["default"], leaseUntil, now: now() });
  expect(taken?.message.id).toBe(taskId);
  return leaseUntil;
}

describe("recoverer", () => {
  it("retries a task whose worker vanished, once its lease is 30 s past expiry", async () => {
    const leaseUntil = await crashWorkerWith("t1");
    await world.start(async () => {}, { retryDelay: () => 3_600_000 });
    await world.clock.tick(59_999);
    expect((await world.task("t1"))?.state).toBe("active");
    await world.clock.tick(1);
    await world.untilState("t1", "retry");
    const record = await world.task("t1");
    expect(now()).toBeGreaterThanOrEqual(leaseUntil + 30_000);
    expect(record?.message).toMatchObject({ retried: 1, lastError: "task lease expired" });
    expect(record?.nextProcessAt).toBe(now() + 3_600_000);
  });

  it("archives a recovered task whose retries are used up", async () => {
    await crashWorkerWith("t1", 0);
    await world.start(async () => {});
    await world.clock.tick(60_000);
    await world.untilState("t1", "archived");
  });

  it("recovers at start-up what expired long ago", async () => {
    await crashWorkerWith("t1");
    world.clock.advance(120_000);
    await world.start(async () => {}, { retryDelay: () => 3_600_000 });
    await world.untilState("t1", "retry");
  });
});

describe("forwarder", () => {
  it("moves a scheduled task to pending when it is due, and the server runs it", async () => {
    const ran: number[] = [];
    await world.start(async () => void ran.push(now()));
    const due = now() + 12_000;
    await world.client.enqueue(new Task("later"), { taskId: "t1", processAt: due });
    await world.clock.tick(11_999);
    expect(ran).toHaveLength(0);
    expect((await world.task("t1"))?.state).toBe("scheduled");
    await world.clock.tick(3_001);
    await world.untilState("t1", "deleted");
    expect(ran).toStrictEqual([due + 3_000]);
  });

  it("forwards more tasks than one batch holds", async () => {
    let ran = 0;
    const items = Array.from({ length: 250 }, () => new Task("later"));
    await world.client.enqueueBulk(items, { processIn: 1_000 });
    await world.start(
      async () => {
        ran++;
      },
      { concurrency: 10 },
    );
    await world.clock.tick(5_000);
    await until(() => ran === 250, "every forwarded task");
  });
});

describe("janitor", () => {
  it("deletes completed tasks once their retention ends", async () => {
    await world.start(async () => {});
    await world.client.enqueue(new Task("kept"), { taskId: "t1", retention: 20_000 });
    await world.untilState("t1", "completed");
    await world.clock.tick(16_000);
    expect((await world.task("t1"))?.state).toBe("completed");
    // Retention ends at 20 s; the janitor runs every 8 s, so at 24 s.
    await world.clock.tick(8_000);
    expect(await world.task("t1")).toBeUndefined();
  });

  it("deletes more completed tasks than one batch holds", async () => {
    await world.start(async () => {}, { janitorBatchSize: 3, concurrency: 5 });
    for (let i = 0; i < 10; i++) {
      await world.client.enqueue(new Task("kept"), { taskId: `t${i}`, retention: 1_000 });
    }
    await until(async () => {
      const stats = await world.broker.queueStats({ queue: "default", now: now() });
      return stats.ok && stats.stats.completed === 10;
    }, "every task completed");
    await world.clock.tick(8_000);
    const stats = await world.broker.queueStats({ queue: "default", now: now() });
    expect(stats.ok && stats.stats.completed).toBe(0);
  });
});

describe("heartbeater", () => {
  it("publishes the server and its running tasks, reports stop, and clears them at shutdown", async () => {
    const handlerGate = gate();
    const started: string[] = [];
    const server = await world.start(
      async (_task, ctx) => {
        started.push(ctx.taskId);
        await handlerGate.promise;
      },
      { concurrency: 2, queues: { default: 2, low: 1 } },
    );
    await world.client.enqueue(new Task("work", "payload"), { taskId: "t1", timeout: 60_000 });
    await until(() => started.length === 1, "the handler to start");
    const startedAt = now();
    await world.clock.tick(5_000);

    const [info, ...others] = await world.broker.listServers({ now: now() });
    expect(others).toHaveLength(0);
    expect(server.identity.serverId).toBe("server-1");
    expect(info).toMatchObject({
      ...server.identity,
      concurrency: 2,
      queues: { default: 2, low: 1 },
      strictPriority: false,
      status: "active",
      activeWorkerCount: 1,
    });
    const workers = await world.broker.listWorkers({ now: now() });
    expect(workers).toHaveLength(1);
    expect(workers[0]).toMatchObject({
      serverId: "server-1",
      taskId: "t1",
      taskType: "work",
      queue: "default",
      startedAt,
      deadline: startedAt + 60_000,
    });

    await server.stop();
    await world.clock.tick(5_000);
    const [stopped] = await world.broker.listServers({ now: now() });
    expect(stopped?.status).toBe("stopped");

    handlerGate.open();
    await server.shutdown();
    expect(await world.broker.listServers({ now: now() })).toHaveLength(0);
  });

  it("keeps extending the lease of a long-running task", async () => {
    const handlerGate = gate();
    const signals: AbortSignal[] = [];
    await world.start(async (_task, ctx) => {
      signals.push(ctx.signal);
      await handlerGate.promise;
    });
    await world.client.enqueue(new Task("long"), { taskId: "t1" });
    await until(() => signals.length === 1, "the handler to start");
    await world.clock.tick(180_000);
    const record = await world.task("t1");
    expect(record?.state).toBe("active");
    expect(record?.leaseExpiresAt).toBeGreaterThan(now() + 20_000);
    expect(signals[0]!.aborted).toBe(false);
    handlerGate.open();
    await world.untilState("t1", "deleted");
  });
});

describe("health checker", () => {
  it("reports each ping's outcome every interval", async () => {
    const reports: unknown[] = [];
    let failPing = false;
    const broker = new Proxy(world.broker, {
      get(target, property, receiver) {
        if (property === "ping" && failPing) {
          return async () => {
            throw new Error("unreachable");
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    world.server({ healthCheck: (e) => void reports.push(e) }, broker).start(async () => {});
    await world.clock.tick(14_999);
    expect(reports).toHaveLength(0);
    await world.clock.tick(1);
    expect(reports).toStrictEqual([undefined]);
    failPing = true;
    await world.clock.tick(15_000);
    expect(reports).toHaveLength(2);
    expect((reports[1] as Error).message).toBe("unreachable");
  });
});

describe("syncer", () => {
  function flakyDone(failures: number) {
    let left = failures;
    return new Proxy(world.broker, {
      get(target, property, receiver) {
        if (property === "done") {
          return async (params: Parameters<typeof target.done>[0]) => {
            if (left-- > 0) throw new Error("connection reset");
            return target.done(params);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  it("retries an acknowledgement that failed, every 5 s", async () => {
    world.server({}, flakyDone(2)).start(async () => {});
    await world.client.enqueue(new Task("x"), { taskId: "t1" });
    await until(() => world.logged("warn", "failed; retrying").length === 1, "the failed write");
    expect((await world.task("t1"))?.state).toBe("active");
    await world.clock.tick(5_000);
    expect((await world.task("t1"))?.state).toBe("active");
    await world.clock.tick(5_000);
    expect(await world.task("t1")).toBeUndefined();
  });

  it("gives up once the lease ends, leaving the task to the recoverer", async () => {
    world.server({}, flakyDone(1_000)).start(async () => {});
    await world.client.enqueue(new Task("x"), { taskId: "t1" });
    await until(() => world.logged("warn", "failed; retrying").length === 1, "the failed write");
    await world.clock.tick(35_000);
    expect(world.logged("warn", "lease ended before")).toHaveLength(1);
    // The recoverer then retries it as a task whose worker vanished.
    await world.clock.tick(30_000);
    await world.untilState("t1", "retry");
    expect((await world.task("t1"))?.message.lastError).toBe("task lease expired");
  });
});

it("schedules retries RETRY_DELAY after the failure", async () => {
  await world.start(async () => {
    throw new Error("x");
  });
  await world.client.enqueue(new Task("x"), { taskId: "t1" });
  await world.untilState("t1", "retry");
  expect((await world.task("t1"))?.nextProcessAt).toBe(now() + RETRY_DELAY);
});
