/**
 * The stored form of a task: everything a broker persists besides its state and result.
 * Mirrors Go asynq's `TaskMessage` field for field, but in TypeScript units: durations in
 * milliseconds, instants in epoch milliseconds, 0 meaning "none". Brokers convert at their
 * boundary.
 */
export interface TaskMessage {
  readonly id: string;
  readonly type: string;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly queue: string;
  /** Retries allowed after the first attempt. */
  readonly maxRetry: number;
  /** Retries counted so far. */
  readonly retried: number;
  /** Text of the last error, "" if it never failed. */
  readonly lastError: string;
  /** When it last failed, 0 if never. */
  readonly lastFailedAt: number;
  /** Per-attempt timeout, 0 if none. */
  readonly timeout: number;
  /** Absolute deadline, 0 if none. */
  readonly deadline: number;
  /** How long to keep the task as completed after success, 0 to delete it. */
  readonly retention: number;
  /** When it completed, 0 if it has not. */
  readonly completedAt: number;
  /** Aggregation group name, "" if none. */
  readonly group: string;
  /**
   * Opaque identity of the unique lock the task holds, "" if none. Assigned by the broker at
   * enqueue (for Redis it is the lock key, as Go asynq stores it); core never interprets it.
   */
  readonly uniqueKey: string;
}
