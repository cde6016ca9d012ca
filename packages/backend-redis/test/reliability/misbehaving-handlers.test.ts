import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { Server as AsynqServer, Client, type Server, Task, type TaskRecord } from "@asynq-ts/core";
import { FakeClock } from "@asynq-ts/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Behaviour,
  behaviourArbitrary,
  MisbehavingHandler,
  recordingLogger,
} from "./support/misbehaviour.js";

// Slow and stuck handlers on the memory broker, driven by a fake clock: handlers that throw
// non-Error values, ignore their AbortSignal, never settle, or settle long after their
// deadline. The server must stay within its concurrency, decide each task exactly once, log
// handlers that outlive their signal, and shut down within its shutdown timeout.

const SOAK = process.env.SOAK === "1";
const RUNS = SOAK ? 5_000 : 200;
const SEED = Number(process.env.SOAK_SEED ?? (SOAK ? Date.now() % 2 ** 31 : 20_261_125));
const TIMEOUT = 2_000;
const TICK = 250;

interface Scenario {
  readonly concurrency: number;
  readonly shutdownTimeout: number;
  readonly tasks: readonly { readonly behaviour: Behaviour; readonly maxRetry: 0 | 1 }[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  concurrency: fc.integer({ min: 1, max: 4 }),
  shutdownTimeout: fc.constantFrom(0, 1_000, 3_000),
  tasks: fc.array(
    fc.record({ behaviour: behaviourArbitrary(TIMEOUT), maxRetry: fc.constantFrom(0, 1) }),
    { minLength: 1, maxLength: 10 },
  ),
});

/** Shuts `server` down, stepping the fake clock; returns the fake ms it took. */
async function shutdownOnClock(server: Server, clock: FakeClock, bound: number): Promise<number> {
  const startedAt = clock.now();
  let done = false;
  const shutdown = server.shutdown().then(() => {
    done = true;
  });
  await clock.flush();
  for (let i = 0; i * TICK <= bound && !done; i++) await clock.tick(TICK);
  expect(done).toBe(true);
  await shutdown;
  return clock.now() - startedAt;
}

async function runScenario({ concurrency, shutdownTimeout, tasks }: Scenario): Promise<void> {
  const clock = new FakeClock();
  const broker = createMemoryBroker();
  const logger = recordingLogger();
  const handler = new MisbehavingHandler(clock);
  const reported: { id: string; error: unknown }[] = [];
  const server = new AsynqServer(broker, {
    clock,
    concurrency,
    shutdownTimeout,
    logger,
    logLevel: "debug",
    // Failed tasks come back only after the run: every task is attempted at most once.
    retryDelay: () => 3_600_000,
    errorHandler: (error, _task, info) => void reported.push({ id: info.id, error }),
  });
  try {
    const client = new Client(broker, { clock });
    for (const [i, { behaviour, maxRetry }] of tasks.entries()) {
      handler.behaviours.set(`t${i}`, behaviour);
      await client.enqueue(new Task("misbehaving"), {
        taskId: `t${i}`,
        maxRetry,
        timeout: TIMEOUT,
      });
    }
    server.start(handler.handler);
    for (let i = 0; i < 40; i++) {
      await clock.tick(TICK);
      expect(handler.running).toBeLessThanOrEqual(concurrency);
    }
    const shutdownTook = await shutdownOnClock(server, clock, shutdownTimeout + 10 * TICK);

    // Within its concurrency all along; shut down within its timeout (one clock step of slack).
    expect(handler.maxRunning).toBeLessThanOrEqual(concurrency);
    expect(shutdownTook).toBeLessThanOrEqual(shutdownTimeout + TICK);

    const now = clock.now();
    const records = new Map<string, TaskRecord | undefined>();
    for (const i of tasks.keys()) {
      const found = await broker.getTask({ queue: "default", taskId: `t${i}`, now });
      records.set(`t${i}`, found.ok ? found.task : undefined);
    }
    const stats = await broker.queueStats({ queue: "default", now });
    if (!stats.ok) throw new Error("queue vanished");

    // Each task was decided once: counters agree with where the tasks ended up.
    const failed = [...records.values()].filter(
      (r) => r?.state === "retry" || r?.state === "archived",
    );
    const gone = [...records.values()].filter((r) => r === undefined);
    expect(stats.stats.failedTotal).toBe(failed.length);
    expect(stats.stats.processedTotal).toBe(failed.length + gone.length);
    expect(stats.stats.active).toBe(0);

    for (const [i, { behaviour, maxRetry }] of tasks.entries()) {
      const id = `t${i}`;
      const record = records.get(id);
      const started = handler.started.includes(id);
      if (!started) {
        // Never started (slots held by stuck handlers): still pending, untouched.
        expect(record?.state).toBe("pending");
        expect(record?.message.retried).toBe(0);
        continue;
      }
      if (handler.succeeded.has(id)) {
        expect(record).toBeUndefined();
        continue;
      }
      if (record?.state === "pending") {
        // Interrupted by the shutdown before its outcome was known: requeued, nothing counted.
        expect(record.message.retried).toBe(0);
        continue;
      }
      expect(record?.state).toBe(maxRetry === 0 ? "archived" : "retry");
      expect(typeof record?.message.lastError).toBe("string");
      expect(record?.message.retried).toBe(maxRetry === 0 ? 0 : 1);
      const errors = reported.filter((r) => r.id === id);
      expect(errors).toHaveLength(1);
      if (
        behaviour.kind === "throw" ||
        (behaviour.kind === "lateReject" && behaviour.afterMs < TIMEOUT)
      ) {
        expect(Object.is(errors[0]?.error, behaviour.thrown.value)).toBe(true);
      }
    }

    // A handler still running a second after its signal aborted is named in a warning.
    const warned = logger.entries
      .filter((e) => e.level === "warn")
      .map((e) => `${e.message} ${JSON.stringify(e.fields ?? {})}`)
      .join("\n");
    for (const [i, { behaviour }] of tasks.entries()) {
      const id = `t${i}`;
      if (behaviour.kind === "hang" && handler.started.includes(id)) expect(warned).toContain(id);
    }
  } finally {
    // Also on failure: no server may keep polling after its scenario.
    await shutdownOnClock(server, clock, 60_000).catch(() => undefined);
    await broker.close();
  }
}

describe("misbehaving handlers on the memory broker", () => {
  it(`${RUNS} random mixes: within concurrency, one decision per task, shutdown in time (seed ${SEED})`, async () => {
    await fc.assert(fc.asyncProperty(scenario, runScenario), { numRuns: RUNS, seed: SEED });
  }, 120_000);
});
