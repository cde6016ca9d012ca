/** How a workload drives the systems. */
export type WorkloadKind = "enqueue-single" | "enqueue-bulk" | "process" | "latency";

/** One benchmark workload. */
export interface Workload {
  readonly name: string;
  readonly kind: WorkloadKind;
  readonly description: string;
  /** Tasks per run (before `--n` / `--scale`). */
  readonly count: number;
  /** Worker concurrency (process, latency). */
  readonly concurrency: number;
  /** Enqueues awaited at once (enqueue-single). */
  readonly inFlight: number;
  /** Tasks per bulk call (enqueue-bulk, and pre-enqueueing for process). */
  readonly batch: number;
  /** Enqueue rate (latency). */
  readonly perSecond: number;
  /** Approximate JSON payload size in bytes; 0 for a minimal payload (`{"i":n}`). */
  readonly payloadBytes: number;
  /** Keep completed tasks (asynq-ts retention 24 h; BullMQ and bee-queue keep them by default). */
  readonly retain: boolean;
}

const BASE = {
  concurrency: 10,
  inFlight: 64,
  batch: 1_000,
  perSecond: 500,
  payloadBytes: 0,
  retain: false,
} as const;

/** Every workload, in the order they run. */
export const WORKLOADS: readonly Workload[] = [
  {
    ...BASE,
    name: "enqueue-single",
    kind: "enqueue-single",
    description: "single enqueues, 64 awaited at once",
    count: 20_000,
  },
  {
    ...BASE,
    name: "enqueue-bulk",
    kind: "enqueue-bulk",
    description: "bulk API, batches of 1,000",
    count: 50_000,
  },
  {
    ...BASE,
    name: "process-c10",
    kind: "process",
    description: "pre-enqueued no-op tasks, fresh worker process, concurrency 10",
    count: 20_000,
    concurrency: 10,
  },
  {
    ...BASE,
    name: "process-c100",
    kind: "process",
    description: "pre-enqueued no-op tasks, fresh worker process, concurrency 100",
    count: 20_000,
    concurrency: 100,
  },
  {
    ...BASE,
    name: "process-c100-1k",
    kind: "process",
    description: "as process-c100 with a 1 KiB payload",
    count: 20_000,
    concurrency: 100,
    payloadBytes: 1_024,
  },
  {
    ...BASE,
    name: "process-c100-retain",
    kind: "process",
    description: "as process-c100, keeping completed tasks",
    count: 20_000,
    concurrency: 100,
    retain: true,
  },
  {
    ...BASE,
    name: "latency",
    kind: "latency",
    description: "idle worker at concurrency 10, tasks enqueued at a steady 500/s",
    count: 2_000,
  },
  {
    ...BASE,
    name: "latency-1k",
    kind: "latency",
    description: "as latency with a 1 KiB payload",
    count: 2_000,
    payloadBytes: 1_024,
  },
  {
    ...BASE,
    name: "latency-retain",
    kind: "latency",
    description: "as latency, keeping completed tasks",
    count: 2_000,
    retain: true,
  },
];
