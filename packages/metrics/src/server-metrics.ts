import { type Clock, type EnqueueInterceptor, type Middleware, systemClock } from "@asynq-ts/core";
import { Counter, Gauge, Histogram, type Registry, register } from "prom-client";
import { classifyAttempt, settle } from "./attempt-outcome.js";
import { enqueueTimeInterceptor, readyAt } from "./enqueue-time.js";

/** Options of `ServerMetrics`. */
export interface ServerMetricsOptions {
  /** Where the metrics are registered. @default prom-client's global `register` */
  readonly registry?: Registry;
  /** The server's concurrency, exported as `asynq_server_concurrency` when given. */
  readonly concurrency?: number;
  /** Bucket upper bounds of `asynq_task_duration_seconds`, in seconds. */
  readonly durationBuckets?: readonly number[];
  /** Bucket upper bounds of `asynq_task_queue_wait_seconds`, in seconds. */
  readonly queueWaitBuckets?: readonly number[];
  /** Clock the queue wait is measured on; use the one the producers' clients use. @default the system clock */
  readonly clock?: Clock;
}

/** Default duration buckets: 5 ms to 30 min, the default task timeout. */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800,
]);

/** Default queue wait buckets: 1 ms to 1 h. */
export const DEFAULT_QUEUE_WAIT_BUCKETS: readonly number[] = Object.freeze([
  0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600,
]);

type TaskLabels = "queue" | "type";

/**
 * In-process server metrics Go asynq lacks, recorded by a `ServeMux` middleware:
 *
 * - `asynq_task_duration_seconds{queue,type}` — handler run time (histogram);
 * - `asynq_task_queue_wait_seconds{queue,type}` — from enqueue (or the scheduled time) to the
 *   first attempt's start (histogram); needs `enqueueTimeInterceptor()` on the producing
 *   clients, so tasks from Go producers are not observed;
 * - `asynq_task_outcomes_total{queue,type,outcome}` — one per attempt: succeeded, retried,
 *   archived, revoked, requeued, lease_lost;
 * - `asynq_task_failures_total{queue,type,reason}` — one per failed (retried or archived)
 *   attempt: error, timed_out, cancelled;
 * - `asynq_server_active_workers{queue}` — handlers running now;
 * - `asynq_server_concurrency` — the configured concurrency, when given.
 *
 * An attempt whose deadline passed before it started fails without running its handler, so no
 * middleware sees it.
 */
export class ServerMetrics {
  readonly #clock: Clock;
  readonly #duration: Histogram<TaskLabels>;
  readonly #queueWait: Histogram<TaskLabels>;
  readonly #outcomes: Counter<TaskLabels | "outcome">;
  readonly #failures: Counter<TaskLabels | "reason">;
  readonly #active: Gauge<"queue">;

  constructor(options: ServerMetricsOptions = {}) {
    const registers = [options.registry ?? register];
    this.#clock = options.clock ?? systemClock;
    this.#duration = new Histogram({
      name: "asynq_task_duration_seconds",
      help: "How long task handlers ran, in seconds.",
      labelNames: ["queue", "type"],
      buckets: [...(options.durationBuckets ?? DEFAULT_DURATION_BUCKETS)],
      registers,
    });
    this.#queueWait = new Histogram({
      name: "asynq_task_queue_wait_seconds",
      help: "How long tasks waited between becoming ready and their first attempt, in seconds.",
      labelNames: ["queue", "type"],
      buckets: [...(options.queueWaitBuckets ?? DEFAULT_QUEUE_WAIT_BUCKETS)],
      registers,
    });
    this.#outcomes = new Counter({
      name: "asynq_task_outcomes_total",
      help: "Task attempts by what became of the task: succeeded, retried, archived, revoked, requeued, lease_lost.",
      labelNames: ["queue", "type", "outcome"],
      registers,
    });
    this.#failures = new Counter({
      name: "asynq_task_failures_total",
      help: "Failed task attempts by reason: error, timed_out, cancelled.",
      labelNames: ["queue", "type", "reason"],
      registers,
    });
    this.#active = new Gauge({
      name: "asynq_server_active_workers",
      help: "Task handlers running now.",
      labelNames: ["queue"],
      registers,
    });
    if (options.concurrency !== undefined) {
      new Gauge({
        name: "asynq_server_concurrency",
        help: "Most task handlers the server runs at once.",
        registers,
      }).set(options.concurrency);
    }
  }

  /** The `ServeMux` middleware that records the metrics; register it once per mux. */
  middleware(): Middleware {
    return (next) => (task, ctx) => {
      const queue = ctx.queue;
      const type = task.type;
      if (ctx.retryCount === 0) this.#observeQueueWait(queue, type, task.headers);
      this.#active.inc({ queue });
      const startedAt = performance.now();
      return settle(() => next(task, ctx)).then((settled) => {
        this.#duration.observe({ queue, type }, (performance.now() - startedAt) / 1000);
        this.#active.dec({ queue });
        const { outcome, reason } = classifyAttempt(ctx, settled);
        this.#outcomes.inc({ queue, type, outcome });
        if (reason !== undefined) this.#failures.inc({ queue, type, reason });
        if (!settled.ok) throw settled.error;
      });
    };
  }

  /** The client interceptor producers need for the queue wait (same as `enqueueTimeInterceptor()`). */
  interceptor(): EnqueueInterceptor {
    return enqueueTimeInterceptor();
  }

  #observeQueueWait(queue: string, type: string, headers: Readonly<Record<string, string>>) {
    const ready = readyAt(headers);
    if (ready === undefined) return;
    this.#queueWait.observe({ queue, type }, Math.max(0, this.#clock.now() - ready) / 1000);
  }
}
