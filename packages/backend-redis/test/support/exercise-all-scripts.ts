import type { Broker } from "@asynq-ts/core";
import { message, T0, uniqueFor } from "./messages.js";

const LEASE = 30_000;
const SMALL_ARCHIVE = { maxSize: 1, cutoff: 0 };

async function must(result: Promise<{ ok: boolean }>): Promise<void> {
  const outcome = await result;
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome)}`);
}

async function activate(broker: Broker, queue: string, id: string, now: number) {
  await must(
    broker.enqueue({ message: message(id, { queue }), placement: { state: "pending" }, now }),
  );
  const got = await broker.dequeue({ queues: [queue], leaseUntil: now + LEASE, now });
  if (got?.message.id !== id) throw new Error(`expected to dequeue ${id}`);
  return got.message;
}

/**
 * Drives a broker through every port method that runs a script, so tests can watch every
 * script run at least once (declared keys, slots). Uses queues "q1" and "q2".
 */
export async function exerciseAllScripts(broker: Broker): Promise<void> {
  const now = T0;
  const q = "q1";
  // Enqueue: pending (unique), scheduled (grouped, unique), aggregating (unique).
  const unique = message("u1", { queue: q });
  await must(
    broker.enqueue({
      message: unique,
      placement: { state: "pending" },
      unique: uniqueFor(unique, now, 60_000),
      now,
    }),
  );
  const scheduled = message("s1", { queue: q, group: "g" });
  await must(
    broker.enqueue({
      message: scheduled,
      placement: { state: "scheduled", processAt: now + 1_000 },
      unique: uniqueFor(scheduled, now + 1_000, 60_000),
      now,
    }),
  );
  for (const id of ["a1", "a2", "a3"]) {
    const grouped = message(id, { queue: q, group: "g" });
    await must(
      broker.enqueue({
        message: grouped,
        placement: { state: "aggregating", group: "g" },
        unique: uniqueFor(grouped, now, 60_000),
        now,
      }),
    );
  }
  // Worker edges.
  const u1 = await broker.dequeue({ queues: [q], leaseUntil: now + LEASE, now });
  if (u1 === null) throw new Error("nothing dequeued");
  await broker.extendLease({ queue: q, taskIds: [u1.message.id], leaseUntil: now + LEASE, now });
  await broker.writeResult({ queue: q, taskId: u1.message.id, result: new Uint8Array([1]), now });
  await must(
    broker.done({ queue: q, taskId: u1.message.id, uniqueKey: u1.message.uniqueKey, now }),
  );
  const c1 = await activate(broker, q, "c1", now);
  await must(broker.markComplete({ message: { ...c1, completedAt: now }, expiresAt: now, now }));
  const r1 = await activate(broker, q, "r1", now);
  await must(broker.requeue({ queue: q, taskId: r1.id, now }));
  const r2 = await broker.dequeue({ queues: [q], leaseUntil: now + LEASE, now });
  if (r2 === null) throw new Error("nothing dequeued");
  await must(
    broker.retry({ message: { ...r2.message, retried: 1 }, retryAt: now, isFailure: true, now }),
  );
  for (const id of ["x1", "x2"]) {
    const active = await activate(broker, q, id, now);
    await must(broker.archive({ message: active, trim: SMALL_ARCHIVE, now }));
  }
  // Maintenance.
  await broker.forwardDue({ queue: q, from: "retry", limit: 100, now: now + 1_000 });
  await broker.forwardDue({ queue: q, from: "scheduled", limit: 100, now: now + 1_000 });
  await broker.deleteExpiredCompleted({ queue: q, limit: 100, now: now + 1_000 });
  // Aggregation: one set deleted, one reclaimed.
  const later = now + 5_000;
  const check = (setId: string) =>
    broker.aggregationCheck({
      queue: q,
      group: "g",
      setId,
      maxSize: 2,
      maxDelay: 0,
      gracePeriod: 60_000,
      setDeadline: later,
      now: later,
    });
  await check("set-1");
  await broker.deleteAggregationSet({ queue: q, group: "g", setId: "set-1" });
  await check("set-2");
  await broker.reclaimStaleAggregationSets({ queue: q, now: later + 1_000 });
  // Inspector edges on single tasks.
  await must(broker.runTask({ queue: q, taskId: "x2", now }));
  await must(
    broker.enqueue({
      message: message("p1", { queue: q }),
      placement: { state: "scheduled", processAt: now + 60_000 },
      now,
    }),
  );
  await must(
    broker.updateTaskPayload({ queue: q, taskId: "p1", payload: new Uint8Array([7]), now }),
  );
  await must(broker.archiveTask({ queue: q, taskId: "p1", trim: SMALL_ARCHIVE, now }));
  await must(broker.deleteTask({ queue: q, taskId: "p1", now }));
  // Bulk edges.
  await broker.runAll({ queue: q, state: "aggregating", group: "g", now });
  await broker.archiveAll({ queue: q, state: "pending", trim: SMALL_ARCHIVE, now });
  await broker.deleteAll({ queue: q, state: "archived", now });
  await must(
    broker.enqueue({ message: message("d1", { queue: q }), placement: { state: "pending" }, now }),
  );
  await must(broker.deleteTask({ queue: q, taskId: "d1", now }));
  await must(broker.deleteQueue({ queue: q, force: true, now }));
  // Liveness.
  await broker.writeServerState({
    server: {
      host: "h",
      pid: 1,
      serverId: "s",
      concurrency: 1,
      queues: { q2: 1 },
      strictPriority: false,
      status: "active",
      startedAt: now,
      activeWorkerCount: 0,
    },
    workers: [],
    ttl: 10_000,
    now,
  });
  await broker.writeSchedulerEntries({ schedulerId: "sch", entries: [], ttl: 10_000, now });
  await broker.recordSchedulerEvent({
    entryId: "e",
    event: { taskId: "t", enqueuedAt: now },
    maxEvents: 10,
    now,
  });
}
