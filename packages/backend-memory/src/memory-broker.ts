import {
  type AggregationCheckParams,
  type AggregationSetParams,
  type ArchiveAllParams,
  type ArchiveParams,
  type ArchiveTaskParams,
  type Broker,
  type BrokerCapabilities,
  BrokerClosedError,
  type ClearSchedulerEntriesParams,
  type ClearServerStateParams,
  type DailyStats,
  type DeleteAllParams,
  type DeleteExpiredCompletedParams,
  type DeleteQueueParams,
  type DeleteTaskParams,
  type DequeueBatchParams,
  type DequeuedTask,
  type DequeueParams,
  type DoneParams,
  type EnqueueBulkParams,
  type EnqueueParams,
  type EnqueueRefusal,
  type ExtendLeaseParams,
  type ForwardDueParams,
  type GetTaskParams,
  type HistoryParams,
  type ListLeaseExpiredParams,
  type ListSchedulerEventsParams,
  type ListTasksParams,
  type MarkCompleteParams,
  type PauseParams,
  type PublishCancellationParams,
  type QueueAtTimeParams,
  type QueueParams,
  type QueueStats,
  type RecordSchedulerEventParams,
  type RequeueParams,
  type Result,
  type RetryParams,
  type RunAllParams,
  type RunTaskParams,
  type SchedulerEnqueueEvent,
  type SchedulerEntry,
  type ServerInfo,
  type Subscription,
  type TaskMessage,
  type TaskRecord,
  type UpdatePayloadParams,
  type WaitForTasksParams,
  type WorkerInfo,
  type WriteResultParams,
  type WriteSchedulerEntriesParams,
  type WriteServerStateParams,
} from "@asynq-ts/core";
import {
  checkAggregation,
  deleteSet,
  groupNames,
  readSet,
  reclaimStaleSets,
} from "./aggregation.js";
import { CancellationHub } from "./cancellation.js";
import {
  archiveContainer,
  archiveOne,
  deleteContainer,
  deleteOne,
  deleteQueue,
  pause,
  runContainer,
  runOne,
  unpause,
  updatePayload,
} from "./inspection-mutations.js";
import { groupSizes, historyOf, statsOf, taskOf, taskPage } from "./inspection-reads.js";
import { LivenessRegistry } from "./liveness.js";
import { deleteExpiredCompletedTasks, forwardDueTasks } from "./maintenance.js";
import { enqueueTask } from "./producer.js";
import { MemoryStore } from "./store.js";
import { TaskWaiters } from "./task-waiters.js";
import {
  archiveTask,
  completeTask,
  dequeueTask,
  dequeueTasks,
  extendLeases,
  finishTask,
  leaseExpired,
  requeueTask,
  retryTask,
  writeTaskResult,
} from "./worker.js";

/** Options of `createMemoryBroker`. */
export interface MemoryBrokerOptions {
  /** Names the broker in `BrokerClosedError` messages, to tell brokers apart in tests. @default "memory broker" */
  readonly name?: string;
}

/** What the memory broker can do. */
export const MEMORY_BROKER_CAPABILITIES: BrokerCapabilities = Object.freeze({
  blockingDequeue: true,
  crossProcessCancellation: false,
  serverSideTtl: false,
  memoryUsage: false,
  queueLocation: false,
  batchDequeue: true,
  timePrecision: 1,
});

/**
 * The in-memory broker: the reference implementation of the `Broker` port and the fake that
 * application tests run on. Deterministic: every time-dependent decision uses the `now` the
 * caller passes, so a fake clock drives it completely; only `waitForTasks` waits in real time.
 * State lives in this object and is lost with it.
 */
export class MemoryBroker implements Broker, AsyncDisposable {
  readonly capabilities: BrokerCapabilities = MEMORY_BROKER_CAPABILITIES;
  readonly #name: string;
  readonly #waiters = new TaskWaiters();
  readonly #store = new MemoryStore((queue) => this.#waiters.notify(queue));
  readonly #liveness = new LivenessRegistry();
  readonly #cancellations = new CancellationHub();
  #closed = false;

  constructor(options: MemoryBrokerOptions = {}) {
    this.#name = options.name ?? "memory broker";
  }

  // ---- producer ----

  async enqueue(params: Readonly<EnqueueParams>): Promise<Result<EnqueueRefusal>> {
    this.#assertOpen();
    return enqueueTask(this.#store, params, params.now);
  }

  async enqueueBulk(params: Readonly<EnqueueBulkParams>): Promise<Result<EnqueueRefusal>[]> {
    this.#assertOpen();
    return params.requests.map((request) => enqueueTask(this.#store, request, params.now));
  }

  // ---- worker ----

  async dequeue(params: Readonly<DequeueParams>): Promise<DequeuedTask | null> {
    this.#assertOpen();
    return dequeueTask(this.#store, params);
  }

  async dequeueBatch(params: Readonly<DequeueBatchParams>): Promise<DequeuedTask[]> {
    this.#assertOpen();
    return dequeueTasks(this.#store, params);
  }

  async waitForTasks(params: Readonly<WaitForTasksParams>): Promise<void> {
    this.#assertOpen();
    const ready = (): boolean =>
      params.queues.some((name) => {
        const queue = this.#store.peek(name);
        return queue !== undefined && !queue.paused && queue.pending.size > 0;
      });
    return this.#waiters.wait(params.queues, params.timeout, params.signal, ready);
  }

  async extendLease(params: Readonly<ExtendLeaseParams>): Promise<string[]> {
    this.#assertOpen();
    return extendLeases(this.#store, params);
  }

  async listLeaseExpired(params: Readonly<ListLeaseExpiredParams>): Promise<TaskMessage[]> {
    this.#assertOpen();
    return leaseExpired(this.#store, params);
  }

  async done(params: Readonly<DoneParams>): Promise<Result<"not-active">> {
    this.#assertOpen();
    return finishTask(this.#store, params);
  }

  async markComplete(params: Readonly<MarkCompleteParams>): Promise<Result<"not-active">> {
    this.#assertOpen();
    return completeTask(this.#store, params);
  }

  async requeue(params: Readonly<RequeueParams>): Promise<Result<"not-active">> {
    this.#assertOpen();
    return requeueTask(this.#store, params);
  }

  async retry(params: Readonly<RetryParams>): Promise<Result<"not-active">> {
    this.#assertOpen();
    return retryTask(this.#store, params);
  }

  async archive(params: Readonly<ArchiveParams>): Promise<Result<"not-active">> {
    this.#assertOpen();
    return archiveTask(this.#store, params);
  }

  async writeResult(params: Readonly<WriteResultParams>): Promise<Result<"not-found">> {
    this.#assertOpen();
    return writeTaskResult(this.#store, params);
  }

  // ---- maintenance ----

  async forwardDue(params: Readonly<ForwardDueParams>): Promise<number> {
    this.#assertOpen();
    return forwardDueTasks(this.#store, params);
  }

  async deleteExpiredCompleted(params: Readonly<DeleteExpiredCompletedParams>): Promise<number> {
    this.#assertOpen();
    return deleteExpiredCompletedTasks(this.#store, params);
  }

  // ---- aggregation ----

  async listGroups(params: Readonly<QueueParams>): Promise<string[]> {
    this.#assertOpen();
    return groupNames(this.#store, params.queue);
  }

  async aggregationCheck(params: Readonly<AggregationCheckParams>): Promise<boolean> {
    this.#assertOpen();
    return checkAggregation(this.#store, params);
  }

  async readAggregationSet(
    params: Readonly<AggregationSetParams>,
  ): Promise<{ messages: TaskMessage[]; deadline: number }> {
    this.#assertOpen();
    return readSet(this.#store, params);
  }

  async deleteAggregationSet(params: Readonly<AggregationSetParams>): Promise<void> {
    this.#assertOpen();
    deleteSet(this.#store, params);
  }

  async reclaimStaleAggregationSets(params: Readonly<QueueAtTimeParams>): Promise<number> {
    this.#assertOpen();
    return reclaimStaleSets(this.#store, params);
  }

  // ---- inspection ----

  async listQueues(): Promise<string[]> {
    this.#assertOpen();
    return this.#store.registeredNames();
  }

  async queueStats(
    params: Readonly<QueueAtTimeParams>,
  ): Promise<Result<"queue-not-found", { stats: QueueStats }>> {
    this.#assertOpen();
    return statsOf(this.#store, params);
  }

  async queueHistory(
    params: Readonly<HistoryParams>,
  ): Promise<Result<"queue-not-found", { days: readonly DailyStats[] }>> {
    this.#assertOpen();
    return historyOf(this.#store, params);
  }

  async groupStats(
    params: Readonly<QueueParams>,
  ): Promise<Result<"queue-not-found", { groups: { group: string; size: number }[] }>> {
    this.#assertOpen();
    return groupSizes(this.#store, params.queue);
  }

  async getTask(
    params: Readonly<GetTaskParams>,
  ): Promise<Result<"queue-not-found" | "not-found", { task: TaskRecord }>> {
    this.#assertOpen();
    return taskOf(this.#store, params);
  }

  async listTasks(
    params: ListTasksParams,
  ): Promise<Result<"queue-not-found", { tasks: readonly TaskRecord[] }>> {
    this.#assertOpen();
    return taskPage(this.#store, params);
  }

  async runTask(
    params: Readonly<RunTaskParams>,
  ): Promise<Result<"queue-not-found" | "not-found" | "already-pending" | "active">> {
    this.#assertOpen();
    return runOne(this.#store, params);
  }

  async archiveTask(
    params: Readonly<ArchiveTaskParams>,
  ): Promise<Result<"queue-not-found" | "not-found" | "already-archived" | "active">> {
    this.#assertOpen();
    return archiveOne(this.#store, params);
  }

  async deleteTask(
    params: Readonly<DeleteTaskParams>,
  ): Promise<Result<"queue-not-found" | "not-found" | "active">> {
    this.#assertOpen();
    return deleteOne(this.#store, params);
  }

  async runAll(params: RunAllParams): Promise<Result<"queue-not-found", { count: number }>> {
    this.#assertOpen();
    return runContainer(this.#store, params);
  }

  async archiveAll(
    params: ArchiveAllParams,
  ): Promise<Result<"queue-not-found", { count: number }>> {
    this.#assertOpen();
    return archiveContainer(this.#store, params);
  }

  async deleteAll(params: DeleteAllParams): Promise<Result<"queue-not-found", { count: number }>> {
    this.#assertOpen();
    return deleteContainer(this.#store, params);
  }

  async updateTaskPayload(
    params: Readonly<UpdatePayloadParams>,
  ): Promise<Result<"queue-not-found" | "not-found" | "not-scheduled">> {
    this.#assertOpen();
    return updatePayload(this.#store, params);
  }

  async pauseQueue(params: Readonly<PauseParams>): Promise<Result<"already-paused">> {
    this.#assertOpen();
    return pause(this.#store, params);
  }

  async unpauseQueue(params: Readonly<PauseParams>): Promise<Result<"not-paused">> {
    this.#assertOpen();
    return unpause(this.#store, params);
  }

  async deleteQueue(
    params: Readonly<DeleteQueueParams>,
  ): Promise<Result<"queue-not-found" | "not-empty" | "has-active">> {
    this.#assertOpen();
    return deleteQueue(this.#store, params);
  }

  // ---- liveness ----

  async writeServerState(params: Readonly<WriteServerStateParams>): Promise<void> {
    this.#assertOpen();
    this.#liveness.writeServerState(params);
  }

  async clearServerState(params: Readonly<ClearServerStateParams>): Promise<void> {
    this.#assertOpen();
    this.#liveness.clearServerState(params);
  }

  async listServers(params: Readonly<{ now: number }>): Promise<ServerInfo[]> {
    this.#assertOpen();
    return this.#liveness.listServers(params.now);
  }

  async listWorkers(params: Readonly<{ now: number }>): Promise<WorkerInfo[]> {
    this.#assertOpen();
    return this.#liveness.listWorkers(params.now);
  }

  async writeSchedulerEntries(params: Readonly<WriteSchedulerEntriesParams>): Promise<void> {
    this.#assertOpen();
    this.#liveness.writeSchedulerEntries(params);
  }

  async clearSchedulerEntries(params: Readonly<ClearSchedulerEntriesParams>): Promise<void> {
    this.#assertOpen();
    this.#liveness.clearSchedulerEntries(params.schedulerId);
  }

  async listSchedulerEntries(params: Readonly<{ now: number }>): Promise<SchedulerEntry[]> {
    this.#assertOpen();
    return this.#liveness.listSchedulerEntries(params.now);
  }

  async recordSchedulerEvent(params: Readonly<RecordSchedulerEventParams>): Promise<void> {
    this.#assertOpen();
    this.#liveness.recordSchedulerEvent(params);
  }

  async listSchedulerEvents(
    params: Readonly<ListSchedulerEventsParams>,
  ): Promise<SchedulerEnqueueEvent[]> {
    this.#assertOpen();
    return this.#liveness.listSchedulerEvents(params);
  }

  async clearSchedulerHistory(params: Readonly<{ entryId: string }>): Promise<void> {
    this.#assertOpen();
    this.#liveness.clearSchedulerHistory(params.entryId);
  }

  // ---- cancellation ----

  async publishCancellation(params: Readonly<PublishCancellationParams>): Promise<void> {
    this.#assertOpen();
    this.#cancellations.publish(params.taskId);
  }

  async subscribeCancellations(onTaskId: (taskId: string) => void): Promise<Subscription> {
    this.#assertOpen();
    return this.#cancellations.subscribe(onTaskId);
  }

  // ---- lifecycle ----

  async ping(): Promise<void> {
    this.#assertOpen();
  }

  /** Ends subscriptions and releases pending `waitForTasks` calls. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiters.releaseAll();
    this.#cancellations.closeAll();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new BrokerClosedError(this.#name);
  }
}

/** Creates an empty in-memory broker. */
export function createMemoryBroker(options: MemoryBrokerOptions = {}): MemoryBroker {
  return new MemoryBroker(options);
}
