import {
  type Broker,
  Client,
  defaultArchiveTrim,
  Task,
  type TaskMessage,
  type TaskOptions,
} from "@asynq-ts/core";

/** The HTML payload of one pending task: the UI must show it as text, never run it. */
export const XSS_PAYLOAD = `<script>window.__xss = 1</script><img src=x onerror="window.__xss=2">`;

/** IDs and names of everything {@link seedEveryState} wrote, by queue and state. */
export interface SeededData {
  /** Every seeded queue, sorted. */
  readonly queues: readonly string[];
  readonly default: {
    readonly pending: readonly string[];
    /** The pending task whose payload is {@link XSS_PAYLOAD}. */
    readonly xss: string;
    /** Active with a live lease, listed by the seeded server's worker. */
    readonly active: string;
    /** Active with an expired lease and no worker: orphaned. */
    readonly orphaned: string;
    readonly scheduled: readonly string[];
    readonly retry: readonly string[];
    readonly archived: readonly string[];
    readonly completed: readonly string[];
  };
  readonly critical: {
    readonly pending: readonly string[];
    readonly scheduled: readonly string[];
    readonly retry: readonly string[];
    readonly archived: readonly string[];
    /** Aggregating task IDs by group name. */
    readonly aggregating: Readonly<Record<string, readonly string[]>>;
  };
  readonly low: {
    readonly pending: readonly string[];
  };
  /** Error message stored on the retry and archived tasks. */
  readonly retryError: string;
  readonly archivedError: string;
  /** Result bytes (UTF-8) of the completed task. */
  readonly completedResult: string;
  readonly server: {
    readonly id: string;
    readonly host: string;
    readonly pid: number;
    /** The task its one worker runs (= default.active). */
    readonly workerTaskId: string;
  };
  readonly schedulerEntry: {
    readonly id: string;
    /** Task IDs of its enqueue events, newest first. */
    readonly eventTaskIds: readonly string[];
  };
}

/** Options of {@link seedEveryState}. */
export interface SeedOptions {
  /** The instant the data is written at (epoch ms). @default Date.now() */
  readonly now?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const encoder = new TextEncoder();

/**
 * Writes tasks in every state into "default", "critical" and "low", as an application and its
 * workers would leave them: pending, active (one leased by a live server's worker, one
 * orphaned), scheduled, retry and archived (with errors), completed (with a result and
 * retention), aggregating in two groups, one pending HTML payload, a live server and a
 * scheduler entry with enqueue events. The broker should hold no other data.
 */
export async function seedEveryState(
  broker: Broker,
  options: SeedOptions = {},
): Promise<SeededData> {
  const now = options.now ?? Date.now();
  const client = new Client(broker);
  const retryError = "smtp: connection timed out";
  const archivedError = "template not found: welcome.html";
  const completedResult = '{"sent":true}';

  const enqueue = (id: string, queue: string, type: string, payload: string, o?: TaskOptions) =>
    client.enqueue(new Task(type, payload), { taskId: id, queue, ...o });
  // Takes a task through a worker's dequeue: only tasks enqueued and taken one at a time, before
  // the queue's pending tasks are written, so the dequeue picks exactly this one.
  const take = async (id: string, queue: string, leaseUntil: number, o?: TaskOptions) => {
    await enqueue(id, queue, "email:send", JSON.stringify({ to: `${id}@example.com` }), o);
    const got = await broker.dequeue({ queues: [queue], leaseUntil, now });
    if (got?.message.id !== id) throw new Error(`seed: dequeued ${got?.message.id}, wanted ${id}`);
    return got.message;
  };
  const toRetry = async (id: string, queue: string) => {
    const m = await take(id, queue, now + 30_000, { maxRetry: 5 });
    const failed: TaskMessage = { ...m, retried: 1, lastError: retryError, lastFailedAt: now };
    await broker.retry({ message: failed, retryAt: now + 10 * MINUTE, isFailure: true, now });
  };
  const toArchive = async (id: string, queue: string) => {
    const m = await take(id, queue, now + 30_000, { maxRetry: 0 });
    const failed: TaskMessage = { ...m, lastError: archivedError, lastFailedAt: now };
    await broker.archive({ message: failed, trim: defaultArchiveTrim(now), now });
  };

  // ---- default ----
  const active = await take("d-active", "default", now + 30 * MINUTE, { timeout: 30 * MINUTE });
  await take("d-orphaned", "default", now - MINUTE);
  await toRetry("d-retry-1", "default");
  await toRetry("d-retry-2", "default");
  await toArchive("d-archived-1", "default");
  const completed = await take("d-completed-1", "default", now + 30_000, { retention: 2 * HOUR });
  await broker.writeResult({
    queue: "default",
    taskId: completed.id,
    result: encoder.encode(completedResult),
    now,
  });
  await broker.markComplete({
    message: { ...completed, completedAt: now },
    expiresAt: now + 2 * HOUR,
    now,
  });
  const defaultPending = ["d-pending-1", "d-pending-2", "d-pending-3"];
  for (const id of defaultPending) {
    await enqueue(id, "default", "email:send", JSON.stringify({ to: `${id}@example.com` }));
  }
  await enqueue("d-xss", "default", "html:render", XSS_PAYLOAD);
  await enqueue("d-scheduled-1", "default", "report:build", "weekly", { processIn: HOUR });

  // ---- critical ----
  await toRetry("c-retry-1", "critical");
  await toArchive("c-archived-1", "critical");
  await toArchive("c-archived-2", "critical");
  await enqueue("c-pending-1", "critical", "payment:charge", JSON.stringify({ amount: 42 }));
  await enqueue("c-scheduled-1", "critical", "payment:settle", "batch-7", { processIn: 2 * HOUR });
  const aggregating = { digest: ["c-agg-1", "c-agg-2"], invoices: ["c-agg-3"] };
  for (const [group, ids] of Object.entries(aggregating)) {
    for (const id of ids) await enqueue(id, "critical", "digest:add", `item ${id}`, { group });
  }

  // ---- low ----
  await enqueue("l-pending-1", "low", "cleanup:tmp", "/tmp/x");

  // ---- a live server running the default queue's active task ----
  const server = { id: "server-1", host: "worker-host-1", pid: 4242 };
  await broker.writeServerState({
    server: {
      host: server.host,
      pid: server.pid,
      serverId: server.id,
      concurrency: 10,
      queues: { critical: 6, default: 3, low: 1 },
      strictPriority: false,
      status: "active",
      startedAt: now - 5 * MINUTE,
      activeWorkerCount: 1,
    },
    workers: [
      {
        host: server.host,
        pid: server.pid,
        serverId: server.id,
        taskId: active.id,
        taskType: active.type,
        taskPayload: active.payload,
        queue: "default",
        startedAt: now - MINUTE,
        deadline: now + 29 * MINUTE,
      },
    ],
    ttl: 2 * HOUR,
    now,
  });

  // ---- a scheduler entry with two enqueue events ----
  const entryId = "entry-daily-report";
  await broker.writeSchedulerEntries({
    schedulerId: "scheduler-1",
    entries: [
      {
        id: entryId,
        spec: "@every 30s",
        taskType: "report:daily",
        taskPayload: encoder.encode('{"kind":"daily"}'),
        enqueueOptions: ['Queue("default")', "MaxRetry(3)"],
        nextEnqueueAt: now + 30_000,
        prevEnqueueAt: now - 30_000,
      },
    ],
    ttl: 2 * HOUR,
    now,
  });
  const eventTaskIds = ["sched-task-2", "sched-task-1"];
  for (const [i, taskId] of [...eventTaskIds].reverse().entries()) {
    await broker.recordSchedulerEvent({
      entryId,
      event: { taskId, enqueuedAt: now - (2 - i) * 30_000 },
      maxEvents: 1000,
      now,
    });
  }

  return {
    queues: ["critical", "default", "low"],
    default: {
      pending: [...defaultPending, "d-xss"],
      xss: "d-xss",
      active: "d-active",
      orphaned: "d-orphaned",
      scheduled: ["d-scheduled-1"],
      retry: ["d-retry-1", "d-retry-2"],
      archived: ["d-archived-1"],
      completed: ["d-completed-1"],
    },
    critical: {
      pending: ["c-pending-1"],
      scheduled: ["c-scheduled-1"],
      retry: ["c-retry-1"],
      archived: ["c-archived-1", "c-archived-2"],
      aggregating,
    },
    low: { pending: ["l-pending-1"] },
    retryError,
    archivedError,
    completedResult,
    server: { ...server, workerTaskId: active.id },
    schedulerEntry: { id: entryId, eventTaskIds },
  };
}
