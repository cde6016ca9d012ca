// Public API of @asynq-ts/core: the domain, the Broker port, Client and ServeMux.

export * from "./client/client.js";
export * from "./errors.js";
export * from "./handler/handler.js";
export * from "./handler/serve-mux.js";
export * from "./ids.js";
export {
  ARCHIVABLE_STATES,
  type ArchivableState,
  DELETABLE_STATES,
  type DeletableState,
  type GroupOption,
  RUNNABLE_STATES,
  type RunnableState,
} from "./inspector/containers.js";
export { Inspector } from "./inspector/inspector.js";
export {
  type ClusterNode,
  type DeleteQueueOptions,
  InspectorBase,
  type InspectorOptions,
  type ListTasksOptions,
} from "./inspector/inspector-base.js";
export type {
  ActiveWorker,
  SchedulerEnqueueEventInfo,
  SchedulerEntryInfo,
  ServerDetails,
} from "./inspector/liveness-views.js";
export { DEFAULT_PAGE_SIZE, type PageOptions } from "./inspector/pagination.js";
export type { GroupInfo, QueueInfo } from "./inspector/queue-info.js";
export { QueueAlreadyPausedError, QueueNotPausedError } from "./inspector/queue-pause-errors.js";
export {
  DEFAULT_SEARCH_SCAN_LIMIT,
  type TaskSearchOptions,
  type TaskSearchResult,
} from "./inspector/task-search.js";
export * from "./options/archive-trim.js";
export * from "./options/defaults.js";
export * from "./options/resolve-options.js";
export * from "./options/task-options.js";
export type * from "./port/broker.js";
export type * from "./port/capabilities.js";
export type * from "./port/params.js";
export type * from "./port/records.js";
export type * from "./port/results.js";
export * from "./queues/queue-selection.js";
export * from "./retry/retry-delay.js";
export * from "./scheduler/cron.js";
export { entryIdentity, fireTaskId } from "./scheduler/entry.js";
export * from "./scheduler/go-format.js";
export * from "./scheduler/periodic-task-manager.js";
export * from "./scheduler/scheduler.js";
export * from "./scheduler/scheduler-options.js";
export * from "./server/abort-reasons.js";
export * from "./server/aggregator.js";
export * from "./server/config.js";
export * from "./server/logger.js";
export * from "./server/received-task.js";
export * from "./server/server.js";
export * from "./state-machine/outcome.js";
export * from "./state-machine/transitions.js";
export * from "./task/task.js";
export * from "./task/task-definition.js";
export * from "./task/task-info.js";
export * from "./task/task-message.js";
export * from "./task/task-state.js";
export * from "./task/to-task-info.js";
export * from "./time/clock.js";
export * from "./time/durations.js";
export * from "./time/timers.js";
export * from "./uniqueness/unique-digest.js";
