import {
  type Clock,
  hasErrorCode,
  type InspectorBase,
  type QueueInfo,
  systemClock,
} from "@asynq-ts/core";
import { Counter, Gauge, type Registry, register } from "prom-client";
import { TtlCache } from "./ttl-cache.js";

/** Options of `QueueMetricsCollector`. */
export interface QueueMetricsCollectorOptions {
  /** Where the metrics are registered. @default prom-client's global `register` */
  readonly registry?: Registry;
  /** How long one read of the queues serves scrapes, in ms (0: read on every scrape). @default 5000 */
  readonly cacheTtl?: number;
  /** Told when reading the queues fails; that scrape then has no queue series. @default console.warn */
  readonly onError?: (error: unknown) => void;
  /** @default the system clock */
  readonly clock?: Clock;
}

/** The default `cacheTtl`: scrapes within 5 s share one read. */
export const DEFAULT_QUEUE_METRICS_CACHE_TTL = 5_000;

const NO_QUEUES: readonly QueueInfo[] = Object.freeze([]);

/** The states `asynq_tasks_enqueued_total` reports, as Go asynq does (aggregating is not). */
const STATES = ["active", "pending", "scheduled", "retry", "archived", "completed"] as const;

/**
 * Go asynq's queue metrics (x/metrics `QueueMetricsCollector`), same names, types and labels,
 * read through the Inspector when Prometheus scrapes:
 * `asynq_tasks_enqueued_total{queue,state}` (gauge), `asynq_queue_size{queue}`,
 * `asynq_queue_latency_seconds{queue}`, `asynq_queue_memory_usage_approx_bytes{queue}` (absent
 * when the broker cannot tell), `asynq_tasks_processed_total{queue}` and
 * `asynq_tasks_failed_total{queue}` (counters), `asynq_queue_paused_total{queue}` (1 or 0).
 *
 * Reading every queue's stats is costly (Redis samples memory usage), so one read serves all
 * scrapes for `cacheTtl` ms; concurrent scrapes share a read in flight.
 */
export class QueueMetricsCollector {
  readonly #cache: TtlCache<readonly QueueInfo[]>;

  constructor(inspector: InspectorBase, options: QueueMetricsCollectorOptions = {}) {
    const onError =
      options.onError ??
      ((error: unknown) => console.warn("asynq-ts metrics: could not read the queues", error));
    // A failure is reported once here; every metric of the scrape then sees the same rejection.
    const read = async (): Promise<readonly QueueInfo[]> => {
      try {
        return await readQueues(inspector);
      } catch (error) {
        onError(error);
        throw error;
      }
    };
    const ttl = options.cacheTtl ?? DEFAULT_QUEUE_METRICS_CACHE_TTL;
    this.#cache = new TtlCache(read, ttl, options.clock ?? systemClock);
    this.#register(options.registry ?? register);
  }

  /** The queues' figures as the next scrape sees them (cached for `cacheTtl`); none when reading fails. */
  async snapshot(): Promise<readonly QueueInfo[]> {
    return this.#cache.get().catch(() => NO_QUEUES);
  }

  #register(registry: Registry): void {
    const registers = [registry];
    const perQueue = (
      name: string,
      help: string,
      value: (info: QueueInfo) => number | null,
      type: "gauge" | "counter" = "gauge",
    ) => {
      const collect = async () => {
        const queues = await this.snapshot();
        metric.reset();
        for (const info of queues) {
          const v = value(info);
          // A counter only moves up; reset() above lets it carry the broker's running total.
          if (v !== null) metric.inc({ queue: info.queue }, v);
        }
      };
      const config = { name, help, labelNames: ["queue"] as const, registers, collect };
      const metric: Gauge<"queue"> | Counter<"queue"> =
        type === "gauge" ? new Gauge(config) : new Counter(config);
    };
    const enqueued = new Gauge({
      name: "asynq_tasks_enqueued_total",
      help: "Number of tasks enqueued; broken down by queue and state.",
      labelNames: ["queue", "state"],
      registers,
      collect: async () => {
        const queues = await this.snapshot();
        enqueued.reset();
        for (const info of queues) {
          for (const state of STATES) enqueued.set({ queue: info.queue, state }, info[state]);
        }
      },
    });
    perQueue("asynq_queue_size", "Number of tasks in a queue", (q) => q.size);
    perQueue(
      "asynq_queue_latency_seconds",
      "Number of seconds the oldest pending task is waiting in pending state to be processed.",
      (q) => q.latency / 1000,
    );
    perQueue(
      "asynq_queue_memory_usage_approx_bytes",
      "Number of memory used by a given queue (approximated number by sampling).",
      (q) => q.memoryUsageBytes,
    );
    perQueue(
      "asynq_tasks_processed_total",
      "Number of tasks processed (both succeeded and failed); broken down by queue",
      (q) => q.processedTotal,
      "counter",
    );
    perQueue(
      "asynq_tasks_failed_total",
      "Number of tasks failed; broken down by queue",
      (q) => q.failedTotal,
      "counter",
    );
    perQueue("asynq_queue_paused_total", "Number of queues paused", (q) => (q.paused ? 1 : 0));
  }
}

/** Every queue's info; a queue deleted between the listing and its read is left out. */
async function readQueues(inspector: InspectorBase): Promise<QueueInfo[]> {
  const names = await inspector.queues();
  const infos = await Promise.all(
    names.map((name) =>
      inspector.queueInfo(name).catch((error: unknown) => {
        if (hasErrorCode(error, "QUEUE_NOT_FOUND")) return undefined;
        throw error;
      }),
    ),
  );
  return infos.filter((info): info is QueueInfo => info !== undefined);
}
