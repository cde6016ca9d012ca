import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { Client, type Handler, type Logger, Server, Task } from "@asynq-ts/core";
import { FakeClock } from "@asynq-ts/testing";
import { describe, expect, it } from "vitest";
import { nastyThrowables, recordingLogger } from "./support/misbehaviour.js";

// Deterministic cases around stuck and hostile handlers on the memory broker and fake clocks.

/** Shuts a server down on its own fake clock, stepping it; returns the fake ms it took. */
async function shutdownOn(server: Server, clock: FakeClock): Promise<number> {
  const from = clock.now();
  let done = false;
  const shutdown = server.shutdown().then(() => {
    done = true;
  });
  for (let i = 0; i < 120 && !done; i++) await clock.tick(250);
  expect(done).toBe(true);
  await shutdown;
  return clock.now() - from;
}

function serverOn(
  broker: ReturnType<typeof createMemoryBroker>,
  clock: FakeClock,
  logger: Logger,
  id: string,
) {
  return new Server(broker, {
    clock,
    logger,
    logLevel: "debug",
    concurrency: 1,
    shutdownTimeout: 3_000,
    retryDelay: () => 0,
    ids: { next: () => id },
  });
}

describe("a server that dies while its handler is stuck", () => {
  it("loses the task to another server's recoverer once the lease expires; it runs once more", async () => {
    const broker = createMemoryBroker();
    // Two processes, two clocks: A's stops when A "dies" (a crash, or an event loop blocked).
    const clockA = new FakeClock();
    const clockB = new FakeClock();
    const logA = recordingLogger();
    const logB = recordingLogger();
    const runs: string[] = [];
    const stuck: Handler = (_task, ctx) => {
      runs.push(`A:${ctx.taskId}`);
      return new Promise<void>(() => {}); // never settles, ignores its signal
    };
    const healthy: Handler = async (_task, ctx) => {
      runs.push(`B:${ctx.taskId}`);
    };
    await new Client(broker, { clock: clockA }).enqueue(new Task("stuck"), {
      taskId: "t1",
      timeout: 3_600_000,
    });
    const a = serverOn(broker, clockA, logA, "server-a");
    const b = serverOn(broker, clockB, logB, "server-b");
    try {
      a.start(stuck);
      await clockA.tick(1_000);
      expect(runs).toEqual(["A:t1"]);

      // A dies here. B starts later and its recoverer (every minute) finds the lease expired.
      await clockB.tick(clockA.now() - clockB.now());
      b.start(healthy);
      for (let i = 0; i < 12 && !runs.includes("B:t1"); i++) await clockB.tick(15_000);
      expect(runs).toEqual(["A:t1", "B:t1"]);
      const gone = await broker.getTask({ queue: "default", taskId: "t1", now: clockB.now() });
      expect(gone).toEqual({ ok: false, reason: "not-found" });
      expect(
        logB.entries.some((e) => e.message.includes("recovering a task whose lease expired")),
      ).toBe(true);

      // A comes back only to shut down: it finds the lease lost, writes nothing, and is done
      // within its shutdown timeout although its handler never returns.
      const took = await shutdownOn(a, clockA);
      expect(took).toBeLessThanOrEqual(3_000 + 250);
      const stats = await broker.queueStats({ queue: "default", now: clockB.now() });
      expect(stats.ok && stats.stats).toMatchObject({
        pending: 0,
        active: 0,
        retry: 0,
        archived: 0,
        processedTotal: 2, // the lease expiry (a failure) and B's success
        failedTotal: 1,
      });
      expect(logA.entries.filter((e) => e.level === "warn").length).toBeGreaterThan(0);
    } finally {
      // Also on failure: no server may keep polling after the test.
      await shutdownOn(a, clockA).catch(() => undefined);
      await shutdownOn(b, clockB).catch(() => undefined);
      await broker.close();
    }
  });
});

describe("a handler throwing a value that is not an Error", () => {
  it.each(nastyThrowables())(
    "($label) fails the task at once with a text error",
    async (thrown) => {
      const clock = new FakeClock();
      const broker = createMemoryBroker();
      const logger = recordingLogger();
      const reported: unknown[] = [];
      const server = new Server(broker, {
        clock,
        logger,
        concurrency: 1,
        retryDelay: () => 60_000,
        errorHandler: (error) => void reported.push(error),
      });
      await new Client(broker, { clock }).enqueue(new Task("throws"), {
        taskId: "t1",
        maxRetry: 3,
      });
      try {
        server.start(async () => {
          throw thrown.value;
        });
        await clock.tick(1_000);
        const found = await broker.getTask({ queue: "default", taskId: "t1", now: clock.now() });
        expect(found.ok && found.task.state).toBe("retry");
        expect(found.ok && typeof found.task.message.lastError).toBe("string");
        expect(found.ok && found.task.message.retried).toBe(1);
        expect(reported).toHaveLength(1);
        expect(Object.is(reported[0], thrown.value)).toBe(true);
        expect(logger.entries.filter((e) => e.level === "error")).toEqual([]);
      } finally {
        await shutdownOn(server, clock).catch(() => undefined);
        await broker.close();
      }
    },
  );
});
