/**
 * What a broker can do beyond the required port. Core and the conformance suite branch on
 * these; a broker never pretends to support what it lacks.
 */
export interface BrokerCapabilities {
  /** `waitForTasks` wakes on enqueue instead of merely sleeping out its timeout. */
  readonly blockingDequeue: boolean;
  /** Cancellations published by one process reach subscribers in other processes. */
  readonly crossProcessCancellation: boolean;
  /** Entries expire by themselves (server TTLs) rather than only when read with a later `now`. */
  readonly serverSideTtl: boolean;
  /** `queueStats` reports `memoryUsageBytes`. */
  readonly memoryUsage: boolean;
  /** `queueLocation` is available (clustered backends). */
  readonly queueLocation: boolean;
  /** `dequeueBatch` is available: one call hands out several tasks. Absent means false. */
  readonly batchDequeue?: boolean;
  /** Smallest time unit the backend stores, in ms (Redis: 1000). */
  readonly timePrecision: number;
}
