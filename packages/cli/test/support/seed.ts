import { createRedisBroker, type RedisBroker } from "@asynq-ts/backend-redis";
import { Client, defaultArchiveTrim, Task, type TaskOptions } from "@asynq-ts/core";

/** IDs of the seeded tasks, by state. */
export const SEEDED = {
  pending: ["p1", "p2", "p3"],
  scheduled: "s1",
  low: "l1",
  active: "a1",
  retry: "r1",
  archived: "x1",
  completed: "c1",
  aggregating: ["g1", "g2"],
  group: "digest",
  server: { host: "worker-1", pid: 4242, id: "srv-1" },
  entry: "entry-1",
  entryTask: "evt-task-1",
} as const;

const MINUTE = 60_000;

/**
 * Writes a known data set with the default "asynq" prefix, as an application would:
 * queue "default" (3 pending, 1 scheduled), "critical" (one task in each of active, retry,
 * archived, completed, and 2 aggregating in group "digest"), "low" (1 pending), a live server
 * with one worker, and a scheduler entry with one enqueue event.
 */
export async function seed(url: string): Promise<void> {
  const broker = createRedisBroker({ url });
  try {
    await seedWith(broker);
  } finally {
    await broker.close();
  }
}

async function seedWith(broker: RedisBroker): Promise<void> {
  const client = new Client(broker);
  const email = (id: string, options: TaskOptions = {}) =>
    client.enqueue(Task.json("email:send", { to: `${id}@example.com` }), {
      taskId: id,
      ...options,
    });
  for (const id of SEEDED.pending) await email(id);
  await email(SEEDED.scheduled, { processIn: 60 * MINUTE });
  await email(SEEDED.low, { queue: "low" });

  const now = Date.now();
  const take = async (id: string, options: TaskOptions = {}) => {
    await client.enqueue(new Task("report:build", `report ${id}`), {
      taskId: id,
      queue: "critical",
      ...options,
    });
    const got = await broker.dequeue({ queues: ["critical"], leaseUntil: now + 30_000, now });
    if (got?.message.id !== id) throw new Error(`seed: dequeued ${got?.message.id}, wanted ${id}`);
    return got.message;
  };
  const retried = await take(SEEDED.retry);
  await broker.retry({
    message: { ...retried, retried: 1, lastError: "smtp timeout", lastFailedAt: now },
    retryAt: now + 10 * MINUTE,
    isFailure: true,
    now,
  });
  const archived = await take(SEEDED.archived, { maxRetry: 0 });
  await broker.archive({
    message: { ...archived, lastError: "boom", lastFailedAt: now },
    trim: defaultArchiveTrim(now),
    now,
  });
  const completed = await take(SEEDED.completed, { retention: 60 * MINUTE });
  await broker.writeResult({
    queue: "critical",
    taskId: SEEDED.completed,
    result: new TextEncoder().encode("ok"),
    now,
  });
  await broker.markComplete({
    message: { ...completed, completedAt: now },
    expiresAt: now + 60 * MINUTE,
    now,
  });
  const active = await take(SEEDED.active);
  for (const id of SEEDED.aggregating) {
    await client.enqueue(new Task("digest:add", id), {
      taskId: id,
      queue: "critical",
      group: SEEDED.group,
    });
  }

  const { host, pid, id: serverId } = SEEDED.server;
  await broker.writeServerState({
    server: {
      host,
      pid,
      serverId,
      concurrency: 10,
      queues: { critical: 6, default: 3, low: 1 },
      strictPriority: false,
      status: "active",
      startedAt: now - 5 * MINUTE,
      activeWorkerCount: 1,
    },
    workers: [
      {
        host,
        pid,
        serverId,
        taskId: active.id,
        taskType: active.type,
        taskPayload: active.payload,
        queue: "critical",
        startedAt: now,
        deadline: now + 30 * MINUTE,
      },
    ],
    ttl: 60 * MINUTE,
    now,
  });
  await broker.writeSchedulerEntries({
    schedulerId: "scheduler-1",
    entries: [
      {
        id: SEEDED.entry,
        spec: "@every 30s",
        taskType: "report:daily",
        taskPayload: new TextEncoder().encode("{}"),
        enqueueOptions: ['Queue("default")'],
        nextEnqueueAt: now + 30_000,
        prevEnqueueAt: now - 30_000,
      },
    ],
    ttl: 60 * MINUTE,
    now,
  });
  await broker.recordSchedulerEvent({
    entryId: SEEDED.entry,
    event: { taskId: SEEDED.entryTask, enqueuedAt: now - 30_000 },
    maxEvents: 1000,
    now,
  });
}
