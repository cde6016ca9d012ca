// What the multi-process scheduler test and its child processes share: the one periodic
// registration every process makes, and the record each process writes per fire attempt.
import { Task, type TaskOptions } from "@asynq-ts/core";

/** The spec every scheduler process registers. */
export const PERIODIC_SPEC = "@every 1s";

/** The processes' heartbeat: short, so published records are fresh while the test reads them. */
export const SCHEDULER_HEARTBEAT_MS = 1_000;

/** The queue the periodic task goes to. */
export const PERIODIC_QUEUE = "periodic";

/** The registration's options (the Go strings below are what the scheduler must publish). */
export const PERIODIC_OPTIONS: TaskOptions = {
  queue: PERIODIC_QUEUE,
  maxRetry: 2,
  timeout: 90_000,
  retention: 2 * 3_600_000,
};

/** `PERIODIC_OPTIONS` as Go asynq's option `String()`s, in registration order. */
export const PERIODIC_GO_OPTIONS = [
  'Queue("periodic")',
  "MaxRetry(2)",
  "Timeout(1m30s)",
  "Retention(2h0m0s)",
] as const;

/** The task every scheduler process registers (a fresh instance each call). */
export function periodicTask(): Task {
  return new Task("cron:tick", JSON.stringify({ source: "scheduler-process" }));
}

/** What one process saw for one fire: it enqueued it, a peer had, or the enqueue failed. */
export interface FireRecord {
  readonly pid: number;
  /** The fire time, epoch ms. */
  readonly fireAt: number;
  readonly outcome: "enqueued" | "peer" | "error";
  /** The enqueued task's ID (outcome "enqueued" only). */
  readonly taskId: string | null;
  readonly error: string | null;
}

/** The Redis list the processes append their `FireRecord`s to (JSON, one per element). */
export function fireRecordsKey(prefix: string): string {
  return `${prefix}-test:fires`;
}
