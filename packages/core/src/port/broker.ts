import type { TaskMessage } from "../task/task-message.js";
import type { BrokerCapabilities } from "./capabilities.js";
import type {
  AggregationCheckParams,
  AggregationSetParams,
  ArchiveAllParams,
  ArchiveParams,
  ArchiveTaskParams,
  ClearSchedulerEntriesParams,
  ClearServerStateParams,
  DeleteAllParams,
  DeleteExpiredCompletedParams,
  DeleteQueueParams,
  DeleteTaskParams,
  DequeueBatchParams,
  DequeueParams,
  DoneParams,
  EnqueueBulkParams,
  EnqueueParams,
  ExtendLeaseParams,
  ForwardDueParams,
  GetTaskParams,
  HistoryParams,
  ListLeaseExpiredParams,
  ListSchedulerEventsParams,
  ListTasksParams,
  MarkCompleteParams,
  PauseParams,
  PublishCancellationParams,
  QueueAtTimeParams,
  QueueParams,
  RecordSchedulerEventParams,
  RequeueParams,
  RetryParams,
  RunAllParams,
  RunTaskParams,
  UpdatePayloadParams,
  WaitForTasksParams,
  WriteResultParams,
  WriteSchedulerEntriesParams,
  WriteServerStateParams,
} from "./params.js";
import type {
  DailyStats,
  QueueLocation,
  QueueStats,
  SchedulerEnqueueEvent,
  SchedulerEntry,
  ServerInfo,
  TaskRecord,
  WorkerInfo,
} from "./records.js";
import type { Result } from "./results.js";

/** Why a new task was not stored. */
export type EnqueueRefusal = "task-id-conflict" | "duplicate-task";

/** A task handed to a worker, with the lease it holds. */
export interface DequeuedTask {
  readonly message: TaskMessage;
  readonly leaseUntil: number;
}

/** Creating tasks: the ∅ → pending / scheduled / aggregating edges. */
export interface ProducerPort {
  /**
   * Stores a new task in the placement core chose and registers its queue. Atomic: either the
   * task (and its unique lock, if requested) is stored, or nothing changes. Refuses an ID that
   * exists in the queue in any state, and a unique lock that is held; on an ID conflict a lock
   * taken for this request is not left behind. A grouped task that is scheduled keeps its group
   * so it aggregates once due.
   */
  enqueue(params: Readonly<EnqueueParams>): Promise<Result<EnqueueRefusal>>;

  /**
   * Stores many tasks in as few round trips as the backend allows. Each request is applied on
   * its own (partial success is possible) and results are aligned with `requests`.
   */
  enqueueBulk(params: Readonly<EnqueueBulkParams>): Promise<readonly Result<EnqueueRefusal>[]>;
}

/** Taking and finishing work: pending → active → done / completed / retry / archived / pending. */
export interface WorkerPort {
  /**
   * Moves the oldest pending task of the first non-paused, non-empty queue (in the order
   * given) to active with a lease until `leaseUntil`, and returns it; null when no queue has a
   * processable task. Never hands the same task to two callers.
   */
  dequeue(params: Readonly<DequeueParams>): Promise<DequeuedTask | null>;

  /**
   * Like `dequeue`, for up to `max` tasks in one call: takes them, oldest first, from the first
   * non-paused, non-empty queue in the order given (never from several queues at once), each
   * with a lease until `leaseUntil`, and returns them in dequeue order. May return fewer than
   * `max` while more are pending, but never none while that queue has a pending task; empty
   * when no queue has a processable task. Only with `capabilities.batchDequeue`.
   */
  dequeueBatch?(params: Readonly<DequeueBatchParams>): Promise<readonly DequeuedTask[]>;

  /**
   * Resolves when one of the queues may have a processable task, when `timeout` ms pass, or
   * when `signal` aborts — whichever comes first. Never throws on abort. With
   * `capabilities.blockingDequeue` false it may simply wait out the timeout.
   */
  waitForTasks(params: Readonly<WaitForTasksParams>): Promise<void>;

  /** Sets the lease of those listed tasks that are still active to `leaseUntil`; returns their IDs. */
  extendLease(params: Readonly<ExtendLeaseParams>): Promise<readonly string[]>;

  /** Messages of active tasks in the queues whose lease expired at or before `cutoff`. */
  listLeaseExpired(params: Readonly<ListLeaseExpiredParams>): Promise<readonly TaskMessage[]>;

  /**
   * active → deleted. Removes the task and its lease, counts it processed for the UTC day of
   * `now` and in the total, and releases `uniqueKey` if this task still owns it. Refused with
   * "not-active" when the task is not active in the queue.
   */
  done(params: Readonly<DoneParams>): Promise<Result<"not-active">>;

  /**
   * active → completed. Stores `message` (with `completedAt`), keeps any written result,
   * counts it processed, releases the owned unique lock; the janitor deletes it after
   * `expiresAt`. Refused with "not-active".
   */
  markComplete(params: Readonly<MarkCompleteParams>): Promise<Result<"not-active">>;

  /**
   * active → pending, at the front of the line (it is dequeued next). Stats and retry count
   * unchanged. Refused with "not-active".
   */
  requeue(params: Readonly<RequeueParams>): Promise<Result<"not-active">>;

  /**
   * active → retry until `retryAt`, storing `message`. When `isFailure`, counts one processed
   * and one failed (day and total). The unique lock is kept. Refused with "not-active".
   */
  retry(params: Readonly<RetryParams>): Promise<Result<"not-active">>;

  /**
   * active → archived at `now`, storing `message`, counting processed and failed, then applies
   * `trim` (deleting trimmed tasks entirely). Unique lock kept. Refused with "not-active".
   */
  archive(params: Readonly<ArchiveParams>): Promise<Result<"not-active">>;

  /** Stores the handler's result on an existing task (overwriting). Refused with "not-found". */
  writeResult(params: Readonly<WriteResultParams>): Promise<Result<"not-found">>;
}

/** Periodic maintenance: forwarding due tasks and deleting expired completed ones. */
export interface MaintenancePort {
  /**
   * Moves up to `limit` tasks of `from` whose time is ≤ now to pending (writing when they
   * became pending), or into their group (re-registering the group) when they carry one.
   * Returns how many moved; callers repeat while it equals `limit`.
   */
  forwardDue(params: Readonly<ForwardDueParams>): Promise<number>;

  /** Deletes up to `limit` completed tasks whose retention ended at or before now; returns the count. */
  deleteExpiredCompleted(params: Readonly<DeleteExpiredCompletedParams>): Promise<number>;
}

/** Aggregation groups: aggregating → aggregation set → deleted (or reclaimed). */
export interface AggregationPort {
  /** Names of the queue's groups that have tasks waiting. */
  listGroups(params: Readonly<QueueParams>): Promise<readonly string[]>;

  /**
   * Atomically moves tasks of a group into a new aggregation set when one condition holds:
   * size ≥ maxSize (moves the maxSize oldest), oldest older than maxDelay, or newest older than
   * gracePeriod (moves up to maxSize, all when 0). Removes the group name when it empties.
   * Returns whether a set was created under `setId`.
   */
  aggregationCheck(params: Readonly<AggregationCheckParams>): Promise<boolean>;

  /** Members of an aggregation set in the order they joined, and the set's deadline. */
  readAggregationSet(
    params: Readonly<AggregationSetParams>,
  ): Promise<{ readonly messages: readonly TaskMessage[]; readonly deadline: number }>;

  /** Deletes a set with its member tasks, releasing unique locks they own. */
  deleteAggregationSet(params: Readonly<AggregationSetParams>): Promise<void>;

  /**
   * Returns the members of every set whose deadline passed to their group (with their original
   * join times) and re-registers the group. Returns how many sets were reclaimed.
   */
  reclaimStaleAggregationSets(params: Readonly<QueueAtTimeParams>): Promise<number>;
}

/** Reads and administrative edges used by the Inspector. */
export interface InspectionPort {
  /** Names of every queue registered by an enqueue (sorted). */
  listQueues(): Promise<readonly string[]>;

  /** Counts, counters and pause state of a registered queue. */
  queueStats(
    params: Readonly<QueueAtTimeParams>,
  ): Promise<Result<"queue-not-found", { stats: QueueStats }>>;

  /** The last `days` UTC days (today first) of processed/failed counters; zeros where missing. */
  queueHistory(
    params: Readonly<HistoryParams>,
  ): Promise<Result<"queue-not-found", { days: readonly DailyStats[] }>>;

  /** Group names of a queue with their sizes. */
  groupStats(
    params: Readonly<QueueParams>,
  ): Promise<
    Result<
      "queue-not-found",
      { groups: readonly { readonly group: string; readonly size: number }[] }
    >
  >;

  /** One task. */
  getTask(
    params: Readonly<GetTaskParams>,
  ): Promise<Result<"queue-not-found" | "not-found", { task: TaskRecord }>>;

  /**
   * A page of one container: pending/active in dequeue order (next first), zsets ascending by
   * score, aggregating per group by join time.
   */
  listTasks(
    params: ListTasksParams,
  ): Promise<Result<"queue-not-found", { tasks: readonly TaskRecord[] }>>;

  /** scheduled / retry / archived / completed / aggregating → pending (writing pending-since). */
  runTask(
    params: Readonly<RunTaskParams>,
  ): Promise<Result<"queue-not-found" | "not-found" | "already-pending" | "active">>;

  /** pending / scheduled / retry / completed / aggregating → archived at now, then trim. */
  archiveTask(
    params: Readonly<ArchiveTaskParams>,
  ): Promise<Result<"queue-not-found" | "not-found" | "already-archived" | "active">>;

  /** Deletes a non-active task, releasing a unique lock it owns. */
  deleteTask(
    params: Readonly<DeleteTaskParams>,
  ): Promise<Result<"queue-not-found" | "not-found" | "active">>;

  /** Moves a whole container to pending; returns the count. */
  runAll(params: RunAllParams): Promise<Result<"queue-not-found", { count: number }>>;

  /** Moves a whole container to archived, then trims; returns the count. */
  archiveAll(params: ArchiveAllParams): Promise<Result<"queue-not-found", { count: number }>>;

  /** Deletes a whole container, releasing unique locks its tasks own; returns the count. */
  deleteAll(params: DeleteAllParams): Promise<Result<"queue-not-found", { count: number }>>;

  /** Replaces the payload of a scheduled task, keeping everything else. */
  updateTaskPayload(
    params: Readonly<UpdatePayloadParams>,
  ): Promise<Result<"queue-not-found" | "not-found" | "not-scheduled">>;

  /** Stops dequeues from the queue (enqueue, forwarding and recovery go on). */
  pauseQueue(params: Readonly<PauseParams>): Promise<Result<"already-paused">>;

  /** Resumes dequeues from the queue. */
  unpauseQueue(params: Readonly<PauseParams>): Promise<Result<"not-paused">>;

  /**
   * Unregisters a queue and deletes everything it stored (tasks in every state, groups,
   * stats, pause flag, unique locks). Without `force` refused while any task exists; with
   * `force` refused only while a task is active.
   */
  deleteQueue(
    params: Readonly<DeleteQueueParams>,
  ): Promise<Result<"queue-not-found" | "not-empty" | "has-active">>;

  /** Cluster slot and nodes of a queue; only with `capabilities.queueLocation`. */
  queueLocation?(params: Readonly<QueueParams>): Promise<QueueLocation>;
}

/** Liveness records of servers and schedulers, which expire unless rewritten. */
export interface LivenessPort {
  /** Replaces a server's record and its workers, expiring `ttl` after now. */
  writeServerState(params: Readonly<WriteServerStateParams>): Promise<void>;
  /** Removes a server's records at once. */
  clearServerState(params: Readonly<ClearServerStateParams>): Promise<void>;
  /** Unexpired servers; stale index entries are pruned. */
  listServers(params: Readonly<{ now: number }>): Promise<readonly ServerInfo[]>;
  /** Workers of unexpired servers. */
  listWorkers(params: Readonly<{ now: number }>): Promise<readonly WorkerInfo[]>;
  /** Replaces a scheduler's entries, expiring `ttl` after now. */
  writeSchedulerEntries(params: Readonly<WriteSchedulerEntriesParams>): Promise<void>;
  /** Removes a scheduler's entries at once. */
  clearSchedulerEntries(params: Readonly<ClearSchedulerEntriesParams>): Promise<void>;
  /** Entries of unexpired schedulers. */
  listSchedulerEntries(params: Readonly<{ now: number }>): Promise<readonly SchedulerEntry[]>;
  /** Appends an enqueue event to an entry's history, keeping the newest `maxEvents`. */
  recordSchedulerEvent(params: Readonly<RecordSchedulerEventParams>): Promise<void>;
  /** An entry's history, newest first. */
  listSchedulerEvents(
    params: Readonly<ListSchedulerEventsParams>,
  ): Promise<readonly SchedulerEnqueueEvent[]>;
  /** Deletes an entry's history. */
  clearSchedulerHistory(params: Readonly<{ entryId: string }>): Promise<void>;
}

/** A live subscription; `close` stops delivery. */
export interface Subscription {
  close(): Promise<void>;
}

/** Best-effort cancellation of running tasks across servers. */
export interface CancellationPort {
  /** Announces that the task should be cancelled wherever it runs. Nothing is persisted. */
  publishCancellation(params: Readonly<PublishCancellationParams>): Promise<void>;
  /** Delivers each announced task ID to `onTaskId` until the subscription is closed. */
  subscribeCancellations(onTaskId: (taskId: string) => void): Promise<Subscription>;
}

/**
 * The port every storage backend implements. Every method is atomic and guarded: a refused
 * call (`{ ok: false }`) changes nothing. Core validates and normalises all parameters and
 * supplies `now` from its clock; a broker translates them and never decides policy. After
 * `close()` every method rejects with `BrokerClosedError`.
 */
export interface Broker
  extends ProducerPort,
    WorkerPort,
    MaintenancePort,
    AggregationPort,
    InspectionPort,
    LivenessPort,
    CancellationPort {
  readonly capabilities: BrokerCapabilities;
  /** Checks the backend is reachable. */
  ping(): Promise<void>;
  /** Releases what the broker opened; a client passed in by the user is left open. Idempotent. */
  close(): Promise<void>;
}
