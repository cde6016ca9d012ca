import type { TaskState } from "./task-state.js";

/** What the library reports about a stored task. Instants are `Date`s; durations are ms. */
export interface TaskInfo {
  readonly id: string;
  readonly queue: string;
  readonly type: string;
  readonly payload: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly state: TaskState;
  readonly maxRetry: number;
  readonly retried: number;
  /** Last error text, "" if it never failed. */
  readonly lastError: string;
  readonly lastFailedAt: Date | null;
  /** Per-attempt timeout in ms, 0 if none. */
  readonly timeout: number;
  readonly deadline: Date | null;
  /** Group name, "" if none. */
  readonly group: string;
  /** When it runs next: now for pending, the score for scheduled/retry, null otherwise. */
  readonly nextProcessAt: Date | null;
  /** True for an active task whose lease has expired (its worker is presumed gone). */
  readonly isOrphaned: boolean;
  /** Retention in ms after completion. */
  readonly retention: number;
  readonly completedAt: Date | null;
  /** Bytes written by the handler, or null. */
  readonly result: Uint8Array | null;
}
