import { type Broker, Client, DEFAULTS, Task } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBroker } from "../../src/index.js";
import { drained, eventually, Producers, RecordingServer, sleep } from "./support/load.js";

// Redis with an fsync-always append-only file is restarted (SIGTERM, and SIGKILL) while three
// producers enqueue and a Server processes. Afterwards every acknowledged task has run or is
// still stored, none is left active beyond its lease, and producers and server carried on by
// themselves. The gaps are printed, not asserted (timings depend on the machine).

const QUEUE = "restart";
/** Restarts per signal: one in `npm test`, more in the soak. */
const CYCLES = process.env.SOAK === "1" ? 5 : 1;
const DOWNTIME_MS = 1_000;

let redis: RedisServerHandle;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ args: ["--appendonly", "yes", "--appendfsync", "always"] });
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis?.stop();
});

/** A broker on its own connection, as a separate process would have. */
function brokerFor(prefix: string): Broker {
  const client = new Redis(redis.url);
  client.on("error", () => {}); // connection errors during the outage are expected
  clients.push(client);
  return createRedisBroker({ client, prefix });
}

describe.each(["SIGTERM", "SIGKILL"] as const)("a Redis restart by %s under load", (signal) => {
  it("loses no acknowledged task and leaves none active past its lease", async () => {
    const prefix = `restart-${signal}`;
    const producerBroker = brokerFor(prefix);
    const serverBroker = brokerFor(prefix);
    const producers = new Producers(producerBroker, QUEUE);
    const worker = new RecordingServer(serverBroker, QUEUE);
    try {
      // A dequeue whose reply never arrived, as a restart can swallow one: an orphan for sure.
      const orphan = await new Client(producerBroker).enqueue(new Task("load", "orphan"), {
        queue: QUEUE,
      });
      const taken = await producerBroker.dequeue({
        queues: [QUEUE],
        leaseUntil: Date.now() + DEFAULTS.lease,
        now: Date.now(),
      });
      expect(taken?.message.id).toBe(orphan.id);
      producers.acknowledged.set(orphan.id, Date.now());

      worker.start();
      producers.start(3, 2);
      expect(await eventually(() => worker.runs.size >= 20, 20_000)).toBe(true);

      // Each cycle: kill, stay down, restart, and wait until both sides resumed by themselves.
      const gaps: { enqueue: number; process: number }[] = [];
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const killedAt = Date.now();
        await redis.kill(signal);
        await sleep(DOWNTIME_MS);
        await redis.restart();
        const upAt = Date.now();
        const resumed = () =>
          producers.firstAckAfter(upAt) !== undefined &&
          worker.firstCompletionAfter(upAt) !== undefined;
        expect(await eventually(resumed, 30_000)).toBe(true);
        gaps.push({
          enqueue: (producers.firstAckAfter(upAt) ?? Number.NaN) - killedAt,
          process: (worker.firstCompletionAfter(upAt) ?? Number.NaN) - killedAt,
        });
        await sleep(300);
      }
      await sleep(500);
      await producers.stop();
      // Let the server drain what is pending (orphaned active tasks stay until recovered).
      await drained(serverBroker, QUEUE, 20_000);
      await worker.shutdown();

      const seconds = (ms: number[]) => ms.map((v) => (v / 1000).toFixed(2)).join("/");

      // Every acknowledged task ran, or is still stored; an active one is an orphan of a lost
      // reply and must be due for recovery once its lease passes.
      const now = Date.now();
      let lost = 0;
      let stillQueued = 0;
      const orphans: string[] = [];
      for (const taskId of producers.acknowledged.keys()) {
        const found = await producerBroker.getTask({ queue: QUEUE, taskId, now });
        if (!found.ok) {
          if (!worker.runs.has(taskId)) lost += 1;
        } else if (found.task.state === "active") {
          orphans.push(taskId);
          expect(found.task.leaseExpiresAt).toBeLessThanOrEqual(now + DEFAULTS.lease + 1_000);
        } else {
          stillQueued += 1;
        }
      }
      const recoverable = await producerBroker.listLeaseExpired({
        queues: [QUEUE],
        cutoff: now + DEFAULTS.lease + 1_000,
        now,
      });
      for (const id of orphans) expect(recoverable.map((m) => m.id)).toContain(id);

      // A server that comes later (its clock two minutes on, past every lease) recovers the
      // orphans with its recoverer and runs them: nothing acknowledged stays unrun.
      const laterBroker = brokerFor(prefix);
      const later = new RecordingServer(laterBroker, QUEUE, {
        clock: { now: () => Date.now() + 2 * 60_000 },
        retryDelay: () => 0,
      });
      later.start();
      const recovered = await eventually(() => orphans.every((id) => later.runs.has(id)), 20_000);
      await later.shutdown();
      await laterBroker.close();
      expect(recovered).toBe(true);

      console.log(
        `restart by ${signal}: ${producers.acknowledged.size} enqueues acknowledged, ` +
          `${producers.failures} failed (${JSON.stringify(Object.fromEntries(producers.failureCodes))}), ` +
          `${worker.runs.size} tasks run, ${worker.rerun} run twice, ${lost} lost, ` +
          `${stillQueued} still queued, ${orphans.length} orphaned active (recovered later); ` +
          `${CYCLES} restart(s) survived; enqueue resumed ${seconds(gaps.map((g) => g.enqueue))} s ` +
          `and processing ${seconds(gaps.map((g) => g.process))} s after each kill ` +
          `(${DOWNTIME_MS / 1000} s down); ` +
          `server log: ${JSON.stringify(worker.logger.counts)}`,
      );
      expect(lost).toBe(0);
      expect(worker.overlapping.size).toBe(0);
    } finally {
      await producers.stop();
      await worker.shutdown();
      await Promise.allSettled([producerBroker.close(), serverBroker.close()]);
    }
  }, 120_000);
});
