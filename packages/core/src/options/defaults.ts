import { DAY, MINUTE, SECOND } from "../time/durations.js";

/** Go asynq's defaults, kept so a Go peer sees the same tasks. */
export const DEFAULTS = {
  queue: "default",
  maxRetry: 25,
  /** Applied when a task has neither a timeout nor a deadline. */
  timeout: 30 * MINUTE,
  /** Smallest accepted timeout and unique TTL: Redis stores whole seconds. */
  minimumDuration: SECOND,
  lease: 30 * SECOND,
  leaseExtendInterval: 5 * SECOND,
  /** How long past its lease expiry an active task is left before the recoverer takes it. */
  recovererLeaseSkew: 30 * SECOND,
  archiveMaxSize: 10_000,
  archiveMaxAge: 90 * DAY,
  statsTtl: 90 * DAY,
  aggregationSetTtl: 2 * MINUTE,
  schedulerHistoryMax: 1_000,
  forwardBatchSize: 100,
  janitorBatchSize: 100,
} as const;

/** Largest int32: retry counts travel as int32 on the wire. */
export const MAX_INT32 = 2_147_483_647;
