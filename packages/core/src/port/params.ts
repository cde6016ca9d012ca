import type { Placement } from "../options/resolve-options.js";
import type { TaskMessage } from "../task/task-message.js";
import type { TaskState } from "../task/task-state.js";
import type {
  SchedulerEnqueueEvent,
  SchedulerEntry,
  ServerInfo,
  ServerKey,
  WorkerInfo,
} from "./records.js";

/** Every mutating or time-dependent call carries the caller's clock reading (epoch ms). */
export interface AtTime {
  readonly now: number;
}

/** Identifies one task. */
export interface TaskRef {
  readonly queue: string;
  readonly taskId: string;
}

/** A unique lock to take with a new task. */
export interface UniqueLockRequest {
  /** md5 hex of the payload (see `uniqueDigest`); the lock covers (queue, type, digest). */
  readonly digest: string;
  /** When the lock expires, epoch ms. */
  readonly expiresAt: number;
}

/** Archive bounds applied by every write into the archive. */
export interface ArchiveTrim {
  /** Keep at most this many archived tasks; the oldest go first, hashes included. */
  readonly maxSize: number;
  /** Drop archived tasks archived at or before this instant, hashes included. */
  readonly cutoff: number;
}

/** One new task to store. */
export interface EnqueueRequest {
  /** The message to store; `uniqueKey` is ignored and assigned by the broker. */
  readonly message: TaskMessage;
  readonly placement: Placement;
  readonly unique?: UniqueLockRequest;
}

export interface EnqueueParams extends EnqueueRequest, AtTime {}

export interface EnqueueBulkParams extends AtTime {
  readonly requests: readonly EnqueueRequest[];
}

export interface DequeueParams extends AtTime {
  /** Queues in the order to try them. */
  readonly queues: readonly string[];
  /** Lease expiry to record for the dequeued task. */
  readonly leaseUntil: number;
}

/** Params of `dequeueBatch`. */
export interface DequeueBatchParams extends DequeueParams {
  /** The most tasks to take (≥ 1). */
  readonly max: number;
}

export interface WaitForTasksParams {
  readonly queues: readonly string[];
  /** Give up after this many ms. */
  readonly timeout: number;
  readonly signal?: AbortSignal;
}

export interface ExtendLeaseParams extends AtTime {
  readonly queue: string;
  readonly taskIds: readonly string[];
  readonly leaseUntil: number;
}

export interface ListLeaseExpiredParams extends AtTime {
  readonly queues: readonly string[];
  /** Return tasks whose lease expired at or before this instant. */
  readonly cutoff: number;
}

export interface DoneParams extends TaskRef, AtTime {
  /** The owned unique lock to release, "" for none (from the dequeued message). */
  readonly uniqueKey: string;
}

export interface MarkCompleteParams extends AtTime {
  /** The dequeued message with `completedAt` set. */
  readonly message: TaskMessage;
  /** When the completed task is deleted (completedAt + retention). */
  readonly expiresAt: number;
}

export interface RequeueParams extends TaskRef, AtTime {}

export interface RetryParams extends AtTime {
  /** The message as it should be stored (error text, last-failure time, retry count). */
  readonly message: TaskMessage;
  readonly retryAt: number;
  /** Count the failure in the stats. */
  readonly isFailure: boolean;
}

export interface ArchiveParams extends AtTime {
  /** The message as it should be stored (error text and last-failure time set). */
  readonly message: TaskMessage;
  readonly trim: ArchiveTrim;
}

export interface WriteResultParams extends TaskRef, AtTime {
  readonly result: Uint8Array;
}

export interface ForwardDueParams extends AtTime {
  readonly queue: string;
  readonly from: "scheduled" | "retry";
  /** Move at most this many tasks in this call. */
  readonly limit: number;
}

export interface QueueParams {
  readonly queue: string;
}

export interface AggregationCheckParams extends AtTime {
  readonly queue: string;
  readonly group: string;
  /** ID for the set to create. */
  readonly setId: string;
  /** 0 = no size limit. */
  readonly maxSize: number;
  /** 0 = no delay limit. */
  readonly maxDelay: number;
  readonly gracePeriod: number;
  /** When the set counts as stale and may be reclaimed. */
  readonly setDeadline: number;
}

export interface AggregationSetParams {
  readonly queue: string;
  readonly group: string;
  readonly setId: string;
}

export interface DeleteExpiredCompletedParams extends AtTime {
  readonly queue: string;
  readonly limit: number;
}

export interface QueueAtTimeParams extends AtTime {
  readonly queue: string;
}

export interface HistoryParams extends AtTime {
  readonly queue: string;
  readonly days: number;
}

export interface GetTaskParams extends TaskRef, AtTime {}

/** States that can be listed; aggregating needs a group. */
export type ListTasksParams = AtTime & {
  readonly queue: string;
  readonly offset: number;
  readonly limit: number;
} & (
    | { readonly state: Exclude<TaskState, "aggregating"> }
    | { readonly state: "aggregating"; readonly group: string }
  );

export interface RunTaskParams extends TaskRef, AtTime {}

export interface ArchiveTaskParams extends TaskRef, AtTime {
  readonly trim: ArchiveTrim;
}

export interface DeleteTaskParams extends TaskRef, AtTime {}

/** A whole container: one state of a queue, or one group's aggregating tasks. */
export type Container<S extends TaskState> =
  | { readonly state: Exclude<S, "aggregating"> }
  | ("aggregating" extends S ? { readonly state: "aggregating"; readonly group: string } : never);

export type RunAllParams = AtTime & { readonly queue: string } & Container<
    "scheduled" | "retry" | "archived" | "aggregating"
  >;

export type ArchiveAllParams = AtTime & {
  readonly queue: string;
  readonly trim: ArchiveTrim;
} & Container<"pending" | "scheduled" | "retry" | "aggregating">;

export type DeleteAllParams = AtTime & { readonly queue: string } & Container<
    "pending" | "scheduled" | "retry" | "archived" | "completed" | "aggregating"
  >;

export interface UpdatePayloadParams extends TaskRef, AtTime {
  readonly payload: Uint8Array;
}

export interface PauseParams extends AtTime {
  readonly queue: string;
}

export interface DeleteQueueParams extends AtTime {
  readonly queue: string;
  /** Delete tasks too; still refused while tasks are active. */
  readonly force: boolean;
}

export interface WriteServerStateParams extends AtTime {
  readonly server: ServerInfo;
  readonly workers: readonly WorkerInfo[];
  /** The records vanish this long after `now` unless written again. */
  readonly ttl: number;
}

export interface ClearServerStateParams extends ServerKey {}

export interface WriteSchedulerEntriesParams extends AtTime {
  readonly schedulerId: string;
  readonly entries: readonly SchedulerEntry[];
  readonly ttl: number;
}

export interface ClearSchedulerEntriesParams {
  readonly schedulerId: string;
}

export interface RecordSchedulerEventParams extends AtTime {
  readonly entryId: string;
  readonly event: SchedulerEnqueueEvent;
  /** Keep at most this many events for the entry (newest win). */
  readonly maxEvents: number;
}

export interface ListSchedulerEventsParams {
  readonly entryId: string;
  readonly offset: number;
  readonly limit: number;
}

export interface PublishCancellationParams {
  readonly taskId: string;
}
