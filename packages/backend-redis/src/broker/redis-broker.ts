import {
  AsynqError,
  BackendError,
  type Broker,
  type BrokerCapabilities,
  BrokerClosedError,
  type DequeueBatchParams,
  type DequeuedTask,
  type QueueLocation,
  type QueueParams,
} from "@asynq-ts/core";
import type { RedisConnection } from "../connection/connection.js";
import type { KeySpace } from "../keys.js";
import * as acks from "./acknowledgements.js";
import * as aggregation from "./aggregation.js";
import * as cancellation from "./cancellation.js";
import { type BrokerContext, createContext } from "./context.js";
import { dequeue, dequeueBatch } from "./dequeue.js";
import * as bulk from "./inspection-bulk.js";
import * as reads from "./inspection-reads.js";
import * as taskEdges from "./inspection-task.js";
import * as liveness from "./liveness.js";
import * as maintenance from "./maintenance.js";
import * as producer from "./producer.js";
import { PubSubHub } from "./pubsub-hub.js";
import * as admin from "./queue-admin.js";
import { waitForTasks } from "./wake-ups.js";
import * as worker from "./worker.js";

type PortMethod = Exclude<keyof Broker, "capabilities" | "queueLocation" | "dequeueBatch">;
/** The params object of a port method. */
type In<K extends PortMethod> = Parameters<Broker[K]>[0];
/** The promise a port method returns. */
type Out<K extends PortMethod> = ReturnType<Broker[K]>;

/**
 * The Broker port on Redis with Go asynq v0.26's layout. Each method delegates to its port
 * area; this class adds the closed check and turns client failures into `BackendError`.
 */
export class RedisBroker implements Broker {
  readonly capabilities: BrokerCapabilities;
  readonly #connection: RedisConnection;
  readonly #ctx: BrokerContext;
  readonly #hub: PubSubHub;
  readonly #closing = new AbortController();
  /**
   * The last dequeue, when it found nothing: its queues and the pub/sub mark taken before it
   * read them. The wait that follows needs no check for waiting tasks while nothing was
   * published since. Used once.
   */
  #lastMiss: { readonly queues: readonly string[]; readonly mark: number | undefined } | undefined;
  #closed: Promise<void> | undefined;

  constructor(connection: RedisConnection, keys: KeySpace, notifications: boolean) {
    this.#connection = connection;
    this.#ctx = createContext(connection, keys, notifications);
    this.#hub = new PubSubHub(connection);
    this.capabilities = {
      blockingDequeue: notifications,
      crossProcessCancellation: !connection.inProcess,
      serverSideTtl: true,
      memoryUsage: connection.supportsMemoryUsage,
      queueLocation: connection.topology === "cluster",
      batchDequeue: true,
      timePrecision: 1000,
    };
  }

  /** The key prefix this broker writes under. */
  get prefix(): string {
    return this.#ctx.keys.prefix;
  }

  enqueue(p: In<"enqueue">): Out<"enqueue"> {
    return this.#op((c) => producer.enqueue(c, p));
  }
  enqueueBulk(p: In<"enqueueBulk">): Out<"enqueueBulk"> {
    return this.#op((c) => producer.enqueueBulk(c, p));
  }

  async dequeue(p: In<"dequeue">): Out<"dequeue"> {
    const mark = this.#markQueues(p.queues);
    const task = await this.#op((c) => dequeue(c, p));
    this.#lastMiss = task === null ? { queues: p.queues, mark } : undefined;
    return task;
  }
  async dequeueBatch(p: Readonly<DequeueBatchParams>): Promise<readonly DequeuedTask[]> {
    const mark = this.#markQueues(p.queues);
    const tasks = await this.#op((c) => dequeueBatch(c, p));
    this.#lastMiss = tasks.length === 0 ? { queues: p.queues, mark } : undefined;
    return tasks;
  }
  async waitForTasks(p: In<"waitForTasks">): Out<"waitForTasks"> {
    this.#assertOpen();
    const miss = this.#lastMiss;
    this.#lastMiss = undefined;
    const knownEmpty =
      miss !== undefined &&
      this.#hub.quietSince(miss.mark) &&
      p.queues.every((queue) => miss.queues.includes(queue));
    await waitForTasks(this.#ctx, this.#hub, p, this.#closing.signal, knownEmpty);
  }

  /** The pub/sub mark of the queues' notify channels, taken before a dequeue reads them. */
  #markQueues(queues: readonly string[]): number | undefined {
    if (!this.#ctx.notify) return undefined;
    return this.#hub.mark(queues.map((queue) => this.#ctx.keys.queue(queue).notifyChannel));
  }
  extendLease(p: In<"extendLease">): Out<"extendLease"> {
    return this.#op((c) => worker.extendLease(c, p));
  }
  listLeaseExpired(p: In<"listLeaseExpired">): Out<"listLeaseExpired"> {
    return this.#op((c) => worker.listLeaseExpired(c, p));
  }
  done(p: In<"done">): Out<"done"> {
    return this.#op((c) => acks.done(c, p));
  }
  markComplete(p: In<"markComplete">): Out<"markComplete"> {
    return this.#op((c) => acks.markComplete(c, p));
  }
  requeue(p: In<"requeue">): Out<"requeue"> {
    return this.#op((c) => worker.requeue(c, p));
  }
  retry(p: In<"retry">): Out<"retry"> {
    return this.#op((c) => worker.retry(c, p));
  }
  archive(p: In<"archive">): Out<"archive"> {
    return this.#op((c) => worker.archive(c, p));
  }
  writeResult(p: In<"writeResult">): Out<"writeResult"> {
    return this.#op((c) => worker.writeResult(c, p));
  }

  forwardDue(p: In<"forwardDue">): Out<"forwardDue"> {
    return this.#op((c) => maintenance.forwardDue(c, p));
  }
  deleteExpiredCompleted(p: In<"deleteExpiredCompleted">): Out<"deleteExpiredCompleted"> {
    return this.#op((c) => maintenance.deleteExpiredCompleted(c, p));
  }

  listGroups(p: In<"listGroups">): Out<"listGroups"> {
    return this.#op((c) => aggregation.listGroups(c, p));
  }
  aggregationCheck(p: In<"aggregationCheck">): Out<"aggregationCheck"> {
    return this.#op((c) => aggregation.aggregationCheck(c, p));
  }
  readAggregationSet(p: In<"readAggregationSet">): Out<"readAggregationSet"> {
    return this.#op((c) => aggregation.readAggregationSet(c, p));
  }
  deleteAggregationSet(p: In<"deleteAggregationSet">): Out<"deleteAggregationSet"> {
    return this.#op((c) => aggregation.deleteAggregationSet(c, p));
  }
  reclaimStaleAggregationSets(
    p: In<"reclaimStaleAggregationSets">,
  ): Out<"reclaimStaleAggregationSets"> {
    return this.#op((c) => aggregation.reclaimStaleAggregationSets(c, p));
  }

  listQueues(): Promise<readonly string[]> {
    return this.#op((c) => reads.listQueues(c));
  }
  queueStats(p: In<"queueStats">): Out<"queueStats"> {
    return this.#op((c) => reads.queueStats(c, p));
  }
  queueHistory(p: In<"queueHistory">): Out<"queueHistory"> {
    return this.#op((c) => reads.queueHistory(c, p));
  }
  groupStats(p: In<"groupStats">): Out<"groupStats"> {
    return this.#op((c) => reads.groupStats(c, p));
  }
  getTask(p: In<"getTask">): Out<"getTask"> {
    return this.#op((c) => reads.getTask(c, p));
  }
  listTasks(p: In<"listTasks">): Out<"listTasks"> {
    return this.#op((c) => reads.listTasks(c, p));
  }
  runTask(p: In<"runTask">): Out<"runTask"> {
    return this.#op((c) => taskEdges.runTask(c, p));
  }
  archiveTask(p: In<"archiveTask">): Out<"archiveTask"> {
    return this.#op((c) => taskEdges.archiveTask(c, p));
  }
  deleteTask(p: In<"deleteTask">): Out<"deleteTask"> {
    return this.#op((c) => taskEdges.deleteTask(c, p));
  }
  runAll(p: In<"runAll">): Out<"runAll"> {
    return this.#op((c) => bulk.runAll(c, p));
  }
  archiveAll(p: In<"archiveAll">): Out<"archiveAll"> {
    return this.#op((c) => bulk.archiveAll(c, p));
  }
  deleteAll(p: In<"deleteAll">): Out<"deleteAll"> {
    return this.#op((c) => bulk.deleteAll(c, p));
  }
  updateTaskPayload(p: In<"updateTaskPayload">): Out<"updateTaskPayload"> {
    return this.#op((c) => taskEdges.updateTaskPayload(c, p));
  }
  pauseQueue(p: In<"pauseQueue">): Out<"pauseQueue"> {
    return this.#op((c) => admin.pauseQueue(c, p));
  }
  unpauseQueue(p: In<"unpauseQueue">): Out<"unpauseQueue"> {
    return this.#op((c) => admin.unpauseQueue(c, p));
  }
  deleteQueue(p: In<"deleteQueue">): Out<"deleteQueue"> {
    return this.#op((c) => admin.deleteQueue(c, p));
  }
  /** Only with `capabilities.queueLocation` (Cluster); throws `NotSupportedError` otherwise. */
  queueLocation(p: Readonly<QueueParams>): Promise<QueueLocation> {
    return this.#op((c) => admin.queueLocation(c, p));
  }

  writeServerState(p: In<"writeServerState">): Out<"writeServerState"> {
    return this.#op((c) => liveness.writeServerState(c, p));
  }
  clearServerState(p: In<"clearServerState">): Out<"clearServerState"> {
    return this.#op((c) => liveness.clearServerState(c, p));
  }
  listServers(p: In<"listServers">): Out<"listServers"> {
    return this.#op((c) => liveness.listServers(c, p));
  }
  listWorkers(p: In<"listWorkers">): Out<"listWorkers"> {
    return this.#op((c) => liveness.listWorkers(c, p));
  }
  writeSchedulerEntries(p: In<"writeSchedulerEntries">): Out<"writeSchedulerEntries"> {
    return this.#op((c) => liveness.writeSchedulerEntries(c, p));
  }
  clearSchedulerEntries(p: In<"clearSchedulerEntries">): Out<"clearSchedulerEntries"> {
    return this.#op((c) => liveness.clearSchedulerEntries(c, p));
  }
  listSchedulerEntries(p: In<"listSchedulerEntries">): Out<"listSchedulerEntries"> {
    return this.#op((c) => liveness.listSchedulerEntries(c, p));
  }
  recordSchedulerEvent(p: In<"recordSchedulerEvent">): Out<"recordSchedulerEvent"> {
    return this.#op((c) => liveness.recordSchedulerEvent(c, p));
  }
  listSchedulerEvents(p: In<"listSchedulerEvents">): Out<"listSchedulerEvents"> {
    return this.#op((c) => liveness.listSchedulerEvents(c, p));
  }
  clearSchedulerHistory(p: In<"clearSchedulerHistory">): Out<"clearSchedulerHistory"> {
    return this.#op((c) => liveness.clearSchedulerHistory(c, p));
  }

  publishCancellation(p: In<"publishCancellation">): Out<"publishCancellation"> {
    return this.#op((c) => cancellation.publishCancellation(c, p));
  }
  subscribeCancellations(onTaskId: (taskId: string) => void): Out<"subscribeCancellations"> {
    return this.#op((c) => cancellation.subscribeCancellations(c, this.#hub, onTaskId));
  }

  async ping(): Promise<void> {
    await this.#op((c) => c.send("PING", []));
  }

  /** Closes the subscriber connection and a client created from a URL; idempotent. */
  close(): Promise<void> {
    if (this.#closed === undefined) {
      this.#closing.abort();
      this.#closed = (async () => {
        await this.#hub.close();
        await this.#connection.close();
      })();
    }
    return this.#closed;
  }

  #assertOpen(): void {
    if (this.#closed !== undefined) throw new BrokerClosedError();
  }

  async #op<T>(body: (ctx: BrokerContext) => Promise<T>): Promise<T> {
    this.#assertOpen();
    try {
      return await body(this.#ctx);
    } catch (error) {
      if (AsynqError.isInstance(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new BackendError(`Redis: ${message}`, { cause: error });
    }
  }
}
