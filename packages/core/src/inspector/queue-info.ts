import type { QueueStats } from "../port/records.js";

/**
 * A queue's sizes, counters and state at one instant (Go asynq's `QueueInfo`): the broker's
 * `QueueStats` with the oldest pending instant turned into a latency, plus the total size.
 */
export interface QueueInfo extends Omit<QueueStats, "oldestPendingSince"> {
  /** Tasks in every state, aggregating and completed included. */
  readonly size: number;
  /** How long the oldest pending task has waited, in ms; 0 when nothing is pending. */
  readonly latency: number;
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
  const { oldestPendingSince, ...counters } = stats;
  return {
    ...counters,
    size:
      stats.pending +
      stats.active +
      stats.scheduled +
      stats.retry +
      stats.archived +
      stats.completed +
      stats.aggregating,
    // A clock behind the writer's would make this negative; waiting never is.
    latency: oldestPendingSince > 0 ? Math.max(0, now - oldestPendingSince) : 0,
    timestamp: new Date(now),
  };
}
