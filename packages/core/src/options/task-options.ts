/**
 * Options a task can carry, given on the `Task` and/or at enqueue time. Durations are
 * milliseconds; instants are `Date` or epoch milliseconds.
 */
export interface TaskOptions {
  /** Retries allowed after the first attempt. @default 25; negative becomes 0 */
  readonly maxRetry?: number;
  /** Queue name. @default "default" */
  readonly queue?: string;
  /** Task ID, unique within its queue. @default a UUID v4 */
  readonly taskId?: string;
  /** Per-attempt timeout in ms (≥ 1000, 0 = none). @default 1_800_000 when no deadline is set */
  readonly timeout?: number;
  /** Absolute deadline for every attempt. */
  readonly deadline?: Date | number;
  /** Hold a lock on (queue, type, payload) for this many ms (≥ 1000); a second enqueue fails. */
  readonly unique?: number;
  /** Process no earlier than this instant. Overrides an earlier `processIn`. */
  readonly processAt?: Date | number;
  /** Process no earlier than this many ms from now. Overrides an earlier `processAt`. */
  readonly processIn?: number;
  /** Keep the task as completed for this many ms after success (0 = delete at once). */
  readonly retention?: number;
  /** Aggregation group. */
  readonly group?: string;
  /** Headers merged into the task's own headers (enqueue-time values win). */
  readonly headers?: Readonly<Record<string, string>>;
}
