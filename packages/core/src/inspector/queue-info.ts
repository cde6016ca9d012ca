import type { QueueStats } from "../port/records.js";

/** A queue's sizes, counters and state at one instant (Go asynq's `QueueInfo`). */
export interface QueueInfo {
  readonly queue: string;
  /** Tasks in every state, aggregating and completed included. */
  readonly size: number;
  readonly pending: number;
  readonly active: number;
  readonly scheduled: number;
  readonly retry: number;
  readonly archived: number;
  readonly completed: number;
  readonly aggregating: number;
  /** Number of groups with tasks waiting. */
  readonly groups: number;
  /** Processed today (UTC): successes plus failures. */
  readonly processed: number;
  /** Failed today (UTC). */
  readonly failed: number;
  readonly processedTotal: number;
  readonly failedTotal: number;
  readonly paused: boolean;
  /** How long the oldest pending task has waited, in ms; 0 when nothing is pending. */
  readonly latency: number;
  /** Approximate bytes the queue uses, or null when the broker cannot tell. */
  readonly memoryUsageBytes: number | null;
  /** When the figures were read. */
  readonly timestamp: Date;
}

/** A group of aggregating tasks and how many tasks wait in it. */
export interface GroupInfo {
  readonly group: string;
  readonly size: number;
}

/** The public view of a broker's queue stats read at `now`. */
export function toQueueInfo(stats: QueueStats, now: number): QueueInfo {
  return {
    queue: stats.queue,
    size:
      stats.pending +
      stats.active +
      stats.scheduled +
      stats.retry +
      stats.archived +
      stats.completed +
      stats.aggregating,
    pending: stats.pending,
    active: stats.active,
    scheduled: stats.scheduled,
    retry: stats.retry,
    archived: stats.archived,
    completed: stats.completed,
    aggregating: stats.aggregating,
    groups: stats.groups,
    processed: stats.processed,
    failed: stats.failed,
    processedTotal: stats.processedTotal,
    failedTotal: stats.failedTotal,
    paused: stats.paused,
    // A clock behind the writer's would make this negative; waiting never is.
    latency: stats.oldestPendingSince > 0 ? Math.max(0, now - stats.oldestPendingSince) : 0,
    memoryUsageBytes: stats.memoryUsageBytes,
    timestamp: new Date(now),
  };
}
