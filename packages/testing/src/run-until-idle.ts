import {
  type AfterAttempt,
  type Broker,
  type Clock,
  DEFAULTS,
  decideAfterAttempt,
  defaultArchiveTrim,
  type Handler,
  type HandlerContext,
  type RetryDelayFn,
  ServeMux,
  Task,
  type TaskMessage,
} from "@asynq-ts/core";

/** What one handler attempt led to. */
export interface AttemptRecord {
  readonly taskId: string;
  readonly queue: string;
  readonly type: string;
  /** The edge applied: done, complete, retry or archive. */
  readonly action: AfterAttempt["action"];
  /** The error the handler threw, if any. */
  readonly error?: unknown;
  /** Clock reading when the attempt ran. */
  readonly at: number;
}

/** Options of `runUntilIdle`. */
export interface RunUntilIdleOptions {
  readonly broker: Broker;
  readonly clock: Clock & { set(instant: number): void };
  readonly handler: Handler | ServeMux;
  readonly retryDelay: RetryDelayFn;
  readonly isFailure?: (error: unknown) => boolean;
  /** Stop with an error after this many attempts (a handler that always fails with many retries). */
  readonly maxAttempts?: number;
}

const forwardLimit = DEFAULTS.forwardBatchSize;

async function forwardAll(broker: Broker, queues: readonly string[], now: number): Promise<void> {
  for (const queue of queues) {
    for (const from of ["scheduled", "retry"] as const) {
      while (
        (await broker.forwardDue({ queue, from, now, limit: forwardLimit })) === forwardLimit
      ) {}
    }
  }
}

async function nextDueTime(
  broker: Broker,
  queues: readonly string[],
  now: number,
): Promise<number | null> {
  let next: number | null = null;
  for (const queue of queues) {
    for (const state of ["scheduled", "retry"] as const) {
      const page = await broker.listTasks({ queue, state, offset: 0, limit: 1, now });
      const first = page.ok ? page.tasks[0] : undefined;
      if (first !== undefined && (next === null || first.nextProcessAt < next))
        next = first.nextProcessAt;
    }
  }
  return next;
}

function toHandler(handler: Handler | ServeMux): Handler {
  return handler instanceof ServeMux ? handler.process : handler;
}

/**
 * Processes tasks one at a time until none is pending, scheduled or in retry, jumping the clock
 * to each next scheduled or retry time instead of waiting. Deterministic: the same enqueues and
 * handler give the same attempts. Timeouts are not enforced (the handler's signal never aborts).
 */
export async function runUntilIdle(options: RunUntilIdleOptions): Promise<AttemptRecord[]> {
  const { broker, clock } = options;
  const handler = toHandler(options.handler);
  const maxAttempts = options.maxAttempts ?? 10_000;
  const attempts: AttemptRecord[] = [];

  for (;;) {
    const queues = await broker.listQueues();
    await forwardAll(broker, queues, clock.now());
    const now = clock.now();
    const dequeued =
      queues.length === 0
        ? null
        : await broker.dequeue({ queues, leaseUntil: now + DEFAULTS.lease, now });
    if (dequeued === null) {
      const next = await nextDueTime(broker, queues, now);
      if (next === null) return attempts;
      clock.set(Math.max(next, now));
      continue;
    }
    if (attempts.length >= maxAttempts)
      throw new Error(`runUntilIdle: more than ${maxAttempts} attempts`);
    attempts.push(await attempt(options, handler, dequeued.message));
  }
}

async function attempt(
  options: RunUntilIdleOptions,
  handler: Handler,
  message: TaskMessage,
): Promise<AttemptRecord> {
  const { broker, clock } = options;
  const task = new Task(message.type, message.payload, { headers: message.headers });
  const ctx: HandlerContext = {
    signal: new AbortController().signal,
    taskId: message.id,
    queue: message.queue,
    retryCount: message.retried,
    maxRetry: message.maxRetry,
    async writeResult(result) {
      await broker.writeResult({
        queue: message.queue,
        taskId: message.id,
        result,
        now: clock.now(),
      });
    },
  };
  let error: unknown;
  let failed = false;
  try {
    await handler(task, ctx);
  } catch (e) {
    failed = true;
    error = e;
  }
  const now = clock.now();
  const decision = decideAfterAttempt({
    message,
    outcome: failed ? { kind: "error", error } : { kind: "success" },
    now,
    retryDelay: (e) => options.retryDelay(message.retried, e, task),
    isFailure: options.isFailure ?? (() => true),
  });
  const ref = { queue: message.queue, taskId: message.id, now };
  switch (decision.action) {
    case "done":
      await broker.done({ ...ref, uniqueKey: message.uniqueKey });
      break;
    case "complete":
      await broker.markComplete({ message: decision.message, expiresAt: decision.expiresAt, now });
      break;
    case "retry":
      await broker.retry({
        message: decision.message,
        retryAt: decision.retryAt,
        isFailure: decision.isFailure,
        now,
      });
      break;
    case "archive":
      await broker.archive({ message: decision.message, trim: defaultArchiveTrim(now), now });
      break;
  }
  const record = {
    taskId: message.id,
    queue: message.queue,
    type: message.type,
    action: decision.action,
    at: now,
  };
  return failed ? { ...record, error } : record;
}
