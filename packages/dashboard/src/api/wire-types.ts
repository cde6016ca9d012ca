/**
 * The JSON the dashboard API answers with. Field names and envelopes are asynqmon's (snake_case),
 * so asynqmon's own UI bundle can be pointed at this API; fields asynqmon lacks are marked
 * "asynq-ts extension" and never replace one of its fields. Times are RFC 3339 strings, "" when
 * absent, except where a comment says otherwise.
 */

/** A queue's current state: sizes by task state and today's counters. */
export interface QueueJson {
  readonly queue: string;
  readonly paused: boolean;
  readonly size: number;
  readonly groups: number;
  readonly latency_msec: number;
  /** Latency in words, e.g. "1.2s" or "3m4s". */
  readonly display_latency: string;
  /** Approximate bytes in Redis; 0 when the backend cannot tell. */
  readonly memory_usage_bytes: number;
  readonly active: number;
  readonly pending: number;
  readonly aggregating: number;
  readonly scheduled: number;
  readonly retry: number;
  readonly archived: number;
  readonly completed: number;
  /** Processed today (succeeded + failed), UTC day. */
  readonly processed: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timestamp: string;
}

/** One UTC day of a queue's counters; `date` is "YYYY-MM-DD". */
export interface DailyStatJson {
  readonly queue: string;
  readonly date: string;
  readonly processed: number;
  readonly succeeded: number;
  readonly failed: number;
}

/** One task as list pages and the task page show it. */
export interface TaskJson {
  readonly id: string;
  readonly queue: string;
  readonly type: string;
  /** Payload as text (formatter output), cut to the configured cap. */
  readonly payload: string;
  readonly state: string;
  /** Active tasks: when the worker started it ("-" when unknown); "" otherwise. */
  readonly start_time: string;
  readonly max_retry: number;
  readonly retried: number;
  readonly last_failed_at: string;
  readonly error_message: string;
  readonly next_process_at: string;
  readonly timeout_seconds: number;
  readonly deadline: string;
  readonly group: string;
  readonly completed_at: string;
  /** Result as text (formatter output), cut to the configured cap; "" when none. */
  readonly result: string;
  /** Completed tasks: seconds until deletion; 0 otherwise. */
  readonly ttl_seconds: number;
  /** Active tasks whose lease expired (worker presumed gone). */
  readonly is_orphaned: boolean;
  /** asynq-ts extension: task headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** asynq-ts extension: true when `payload` was cut to the cap. */
  readonly payload_truncated: boolean;
  /** asynq-ts extension: true when `result` was cut to the cap. */
  readonly result_truncated: boolean;
}

/** An aggregation group and how many tasks wait in it. */
export interface GroupJson {
  readonly group: string;
  readonly size: number;
}

/** A task a server is running right now. */
export interface WorkerJson {
  readonly task_id: string;
  readonly queue: string;
  readonly task_type: string;
  readonly task_payload: string;
  readonly start_time: string;
}

/** A live server process. */
export interface ServerJson {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly concurrency: number;
  readonly queue_priorities: Readonly<Record<string, number>>;
  readonly strict_priority_enabled: boolean;
  readonly start_time: string;
  readonly status: string;
  readonly active_workers: readonly WorkerJson[];
}

/** A periodic task registered by a running scheduler. */
export interface SchedulerEntryJson {
  readonly id: string;
  readonly spec: string;
  readonly task_type: string;
  readonly task_payload: string;
  readonly options: readonly string[];
  readonly next_enqueue_at: string;
  /** Omitted when the entry never enqueued. */
  readonly prev_enqueue_at?: string;
}

/** One enqueue a scheduler entry made. */
export interface SchedulerEnqueueEventJson {
  readonly task_id: string;
  readonly enqueued_at: string;
}

/** Where a queue's keys live in a Redis Cluster. */
export interface QueueLocationJson {
  readonly queue: string;
  readonly keyslot: number;
  readonly nodes: readonly string[];
}

/** `GET /api/queues` */
export interface ListQueuesResponse {
  readonly queues: readonly QueueJson[];
}

/** `GET /api/queues/{q}`: the queue now and its last 10 days. */
export interface GetQueueResponse {
  readonly current: QueueJson;
  readonly history: readonly DailyStatJson[];
}

/** `GET /api/queue_stats`: 90 days per queue, oldest first. */
export interface ListQueueStatsResponse {
  readonly stats: Readonly<Record<string, readonly DailyStatJson[]>>;
}

/** `GET /api/queues/{q}/{state}_tasks?page=&size=` */
export interface ListTasksResponse {
  readonly tasks: readonly TaskJson[];
  readonly stats: QueueJson;
}

/** `GET /api/queues/{q}/groups/{g}/aggregating_tasks?page=&size=` */
export interface ListAggregatingTasksResponse extends ListTasksResponse {
  readonly groups: readonly GroupJson[];
}

/** `GET /api/queues/{q}/groups` */
export interface ListGroupsResponse {
  readonly stats: QueueJson;
  readonly groups: readonly GroupJson[];
}

/**
 * asynq-ts extension, `GET /api/queues/{q}/search?state=&type=&payload=&group=&page=&size=`:
 * a page of the tasks in one state matching every filter, from a bounded scan.
 */
export interface SearchTasksResponse extends ListTasksResponse {
  readonly scanned: number;
  /** True when the scan bound stopped it, so matches may be missing. */
  readonly truncated: boolean;
}

/** `GET /api/servers` */
export interface ListServersResponse {
  readonly servers: readonly ServerJson[];
}

/** `GET /api/scheduler_entries` */
export interface ListSchedulerEntriesResponse {
  readonly entries: readonly SchedulerEntryJson[];
}

/** `GET /api/scheduler_entries/{id}/enqueue_events` */
export interface ListSchedulerEnqueueEventsResponse {
  readonly events: readonly SchedulerEnqueueEventJson[];
}

/** `GET /api/redis_info`; 404 when the dashboard was given no Redis info source. */
export interface RedisInfoResponse {
  /** host:port only; never credentials. */
  readonly address: string;
  readonly info: Readonly<Record<string, string>>;
  readonly raw_info: string;
  readonly cluster: boolean;
  /** Cluster only ("" otherwise). */
  readonly raw_cluster_nodes: string;
  /** Cluster only (null otherwise). */
  readonly queue_locations: readonly QueueLocationJson[] | null;
}

/** `:batch_cancel` answer. */
export interface BatchCancelTasksResponse {
  readonly canceled_ids: readonly string[];
  readonly error_ids: readonly string[];
}

/** `:batch_delete` answer. */
export interface BatchDeleteTasksResponse {
  readonly deleted_ids: readonly string[];
  readonly failed_ids: readonly string[];
}

/** `:batch_run` answer. */
export interface BatchRunTasksResponse {
  readonly pending_ids: readonly string[];
  readonly error_ids: readonly string[];
}

/** `:batch_archive` answer. */
export interface BatchArchiveTasksResponse {
  readonly archived_ids: readonly string[];
  readonly error_ids: readonly string[];
}

/** `:delete_all` answer. */
export interface DeleteAllTasksResponse {
  readonly deleted: number;
}

/** `:archive_all` answer. */
export interface ArchiveAllTasksResponse {
  readonly archived: number;
}

/** `:run_all` answer. */
export interface RunAllTasksResponse {
  readonly scheduled: number;
}

/** Body of every `:batch_*` request. */
export interface BatchTasksRequest {
  readonly task_ids: readonly string[];
}

/** asynq-ts extension, `GET /api/config`: what the UI needs to know about this mount. */
export interface DashboardConfigResponse {
  readonly read_only: boolean;
  /** Where the dashboard is mounted, "" for the root, else "/path" without a trailing slash. */
  readonly base_path: string;
  readonly poll_interval_seconds: number;
  /** Whether `GET /api/redis_info` has a source. */
  readonly redis_info: boolean;
  readonly version: string;
}

/** Every error answer: `{ error: { code, message } }` with a stable code. */
export interface ErrorResponse {
  readonly error: {
    readonly code: string;
    readonly message: string;
  };
}
