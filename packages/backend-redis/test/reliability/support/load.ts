import { type Broker, Client, type Logger, Server, type ServerConfig, Task } from "@asynq-ts/core";

// Producers and a server running against a broker while the backend is being hurt, with the
// bookkeeping the outage tests assert on: which enqueues were acknowledged, which tasks the
// handler ran (and whether two runs of one task ever overlapped), and when things happened.

/** Resolves after `ms` of real time. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

/**
 * Waits until nothing is pending and the active count stopped changing for a second (tasks
 * left active then belong to no server: orphans of lost replies); false on timeout.
 */
export async function drained(broker: Broker, queue: string, timeoutMs: number): Promise<boolean> {
  let last = { active: -1, since: Date.now() };
  return eventually(async () => {
    const stats = await broker.queueStats({ queue, now: Date.now() }).catch(() => undefined);
    if (!stats?.ok || stats.stats.pending > 0) {
      last = { active: -1, since: Date.now() };
      return false;
    }
    if (stats.stats.active !== last.active)
      last = { active: stats.stats.active, since: Date.now() };
    return stats.stats.active === 0 || Date.now() - last.since >= 1_000;
  }, timeoutMs);
}

/** A logger that counts instead of printing (the outage makes servers log a lot). */
export function countingLogger(): Logger & { readonly counts: Record<string, number> } {
  const counts: Record<string, number> = { debug: 0, info: 0, warn: 0, error: 0 };
  const count = (level: string) => () => {
    counts[level] = (counts[level] ?? 0) + 1;
  };
  return {
    counts,
    debug: count("debug"),
    info: count("info"),
    warn: count("warn"),
    error: count("error"),
  };
}

/** Enqueue loops acknowledging what they stored. */
export class Producers {
  /** Task ID → when its enqueue resolved (ms). */
  readonly acknowledged = new Map<string, number>();
  /** Enqueues that rejected: the task may or may not be stored. */
  failures = 0;
  readonly failureCodes = new Map<string, number>();
  #stopped = false;
  readonly #loops: Promise<void>[] = [];

  constructor(
    private readonly broker: Broker,
    private readonly queue: string,
  ) {}

  /** Starts `count` loops, each enqueueing one task then pausing `pauseMs`. */
  start(count: number, pauseMs: number, maxPerLoop = 50_000): void {
    const client = new Client(this.broker);
    for (let i = 0; i < count; i++) {
      this.#loops.push(
        (async () => {
          for (let n = 0; n < maxPerLoop && !this.#stopped; n++) {
            try {
              const info = await client.enqueue(new Task("load", `payload-${i}-${n}`), {
                queue: this.queue,
              });
              this.acknowledged.set(info.id, Date.now());
            } catch (error) {
              this.failures += 1;
              const code = String(Reflect.get(Object(error), "code") ?? "crash");
              this.failureCodes.set(code, (this.failureCodes.get(code) ?? 0) + 1);
              await sleep(20);
            }
            await sleep(pauseMs);
          }
        })(),
      );
    }
  }

  /** First acknowledgement at or after `since`, if any. */
  firstAckAfter(since: number): number | undefined {
    let first: number | undefined;
    for (const at of this.acknowledged.values()) {
      if (at >= since && (first === undefined || at < first)) first = at;
    }
    return first;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#loops);
  }
}

/** A server whose handler records every run, and overlapping runs of one task. */
export class RecordingServer {
  /** Task ID → how many runs completed. */
  readonly runs = new Map<string, number>();
  /** Task IDs that had two runs at once (what must never happen). */
  readonly overlapping = new Set<string>();
  /** When each run completed (ms), in order. */
  readonly completions: number[] = [];
  readonly logger = countingLogger();
  readonly server: Server;
  readonly #running = new Set<string>();

  constructor(broker: Broker, queue: string, config: ServerConfig = {}) {
    this.server = new Server(broker, {
      concurrency: 4,
      queues: { [queue]: 1 },
      logger: this.logger,
      shutdownTimeout: 2_000,
      delayedTaskCheckInterval: 1_000,
      ...config,
    });
  }

  start(): void {
    this.server.start(async (task, ctx) => {
      if (this.#running.has(ctx.taskId)) this.overlapping.add(ctx.taskId);
      this.#running.add(ctx.taskId);
      try {
        await sleep(2);
        if (task.type !== "load") throw new Error(`unexpected task type ${task.type}`);
      } finally {
        this.#running.delete(ctx.taskId);
      }
      this.runs.set(ctx.taskId, (this.runs.get(ctx.taskId) ?? 0) + 1);
      this.completions.push(Date.now());
    });
  }

  /** First completed run at or after `since`, if any. */
  firstCompletionAfter(since: number): number | undefined {
    return this.completions.find((at) => at >= since);
  }

  /** Tasks run more than once (sequentially: at-least-once delivery after a failure). */
  get rerun(): number {
    return [...this.runs.values()].filter((n) => n > 1).length;
  }

  shutdown(): Promise<void> {
    return this.server.shutdown();
  }
}
