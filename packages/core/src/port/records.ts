import type { TaskMessage } from "../task/task-message.js";
import type { TaskState } from "../task/task-state.js";

/** A stored task as a broker reports it. Instants are epoch ms, 0 meaning none. */
export interface TaskRecord {
  readonly message: TaskMessage;
  readonly state: TaskState;
  /** now for pending, the score for scheduled/retry, 0 otherwise. */
  readonly nextProcessAt: number;
  /** Lease expiry for active tasks, 0 otherwise. */
  readonly leaseExpiresAt: number;
  /** Bytes written by the handler, or null. */
  readonly result: Uint8Array | null;
}

/** Counters and sizes of one queue at one instant. */
export interface QueueStats {
  readonly queue: string;
  readonly pending: number;
  readonly active: number;
  readonly scheduled: number;
  readonly retry: number;
  readonly archived: number;
  readonly completed: number;
  readonly aggregating: number;
  /** Number of groups with tasks waiting. */
  readonly groups: number;
  /** Processed today (UTC day of `now`): successes plus failures. */
  readonly processed: number;
  /** Failed today (UTC day of `now`). */
  readonly failed: number;
  readonly processedTotal: number;
  readonly failedTotal: number;
  readonly paused: boolean;
  /** When the oldest pending task became pending, 0 if none is pending or it is unknown. */
  readonly oldestPendingSince: number;
  /** Approximate bytes used, or null when the backend cannot tell. */
  readonly memoryUsageBytes: number | null;
}

/** One UTC day of a queue's counters. */
export interface DailyStats {
  readonly queue: string;
  /** The UTC day, `YYYY-MM-DD`. */
  readonly date: string;
  readonly processed: number;
  readonly failed: number;
}

/** A server process, as its heartbeat describes it. */
export interface ServerInfo {
  readonly host: string;
  readonly pid: number;
  readonly serverId: string;
  readonly concurrency: number;
  /** Configured queue priorities. */
  readonly queues: Readonly<Record<string, number>>;
  readonly strictPriority: boolean;
  /** "active" or "stopped" (Go asynq's strings). */
  readonly status: string;
  readonly startedAt: number;
  readonly activeWorkerCount: number;
}

/** A task being processed by a server. */
export interface WorkerInfo {
  readonly host: string;
  readonly pid: number;
  readonly serverId: string;
  readonly taskId: string;
  readonly taskType: string;
  readonly taskPayload: Uint8Array;
  readonly queue: string;
  readonly startedAt: number;
  /** When the attempt's context ends (timeout or deadline). */
  readonly deadline: number;
}

/** Identity of a server's liveness records. */
export interface ServerKey {
  readonly host: string;
  readonly pid: number;
  readonly serverId: string;
}

/** A periodic task registration, as a scheduler publishes it. */
export interface SchedulerEntry {
  readonly id: string;
  readonly spec: string;
  readonly taskType: string;
  readonly taskPayload: Uint8Array;
  /** Enqueue options in Go asynq's `Name(value)` string form. */
  readonly enqueueOptions: readonly string[];
  readonly nextEnqueueAt: number;
  /** 0 if never enqueued. */
  readonly prevEnqueueAt: number;
}

/** One enqueue performed by a scheduler entry. */
export interface SchedulerEnqueueEvent {
  readonly taskId: string;
  readonly enqueuedAt: number;
}

/** Where a queue lives in a clustered backend. */
export interface QueueLocation {
  readonly keySlot: number;
  readonly nodes: readonly { readonly id: string; readonly address: string }[];
}
