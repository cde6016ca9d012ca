import type {
  SchedulerEnqueueEvent,
  SchedulerEntry,
  ServerInfo,
  WorkerInfo,
} from "../port/records.js";

const dateOrNull = (ms: number): Date | null => (ms > 0 ? new Date(ms) : null);

/** A task a server is processing right now. */
export interface ActiveWorker {
  readonly taskId: string;
  readonly taskType: string;
  readonly taskPayload: Uint8Array;
  readonly queue: string;
  /** When the attempt started. */
  readonly startedAt: Date;
  /** When the attempt's timeout or deadline ends it, null if unknown. */
  readonly deadline: Date | null;
}

/** A live server as its heartbeat describes it, with the tasks it is processing. */
export interface ServerDetails {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly concurrency: number;
  /** Configured queue priorities. */
  readonly queues: Readonly<Record<string, number>>;
  readonly strictPriority: boolean;
  /** "active" or "stopped" (Go asynq's strings). */
  readonly status: string;
  readonly startedAt: Date;
  readonly activeWorkers: readonly ActiveWorker[];
}

/** A periodic task registration published by a live scheduler. */
export interface SchedulerEntryInfo {
  readonly id: string;
  /** The cron spec or `@every` expression. */
  readonly spec: string;
  readonly taskType: string;
  readonly taskPayload: Uint8Array;
  /** Enqueue options in Go asynq's `Name(value)` string form, as the scheduler wrote them. */
  readonly enqueueOptions: readonly string[];
  readonly nextEnqueueAt: Date;
  /** Null if the entry never enqueued. */
  readonly prevEnqueueAt: Date | null;
}

/** One enqueue performed by a scheduler entry. */
export interface SchedulerEnqueueEventInfo {
  readonly taskId: string;
  readonly enqueuedAt: Date;
}

// Unambiguous even when a host name contains a separator character.
const keyOf = (r: { host: string; pid: number; serverId: string }): string =>
  JSON.stringify([r.host, r.pid, r.serverId]);

function toActiveWorker(worker: WorkerInfo): ActiveWorker {
  return {
    taskId: worker.taskId,
    taskType: worker.taskType,
    taskPayload: worker.taskPayload,
    queue: worker.queue,
    startedAt: new Date(worker.startedAt),
    deadline: dateOrNull(worker.deadline),
  };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Servers with the workers that report the same host, pid and server ID, sorted by host,
 * pid and ID (workers by start time, then task ID) so repeated reads compare equal. Workers
 * of a server that is not listed are dropped: their server's record has expired.
 */
export function joinServersWithWorkers(
  servers: readonly ServerInfo[],
  workers: readonly WorkerInfo[],
): ServerDetails[] {
  const workersByServer = new Map<string, WorkerInfo[]>();
  for (const worker of workers) {
    const key = keyOf(worker);
    const list = workersByServer.get(key);
    if (list === undefined) workersByServer.set(key, [worker]);
    else list.push(worker);
  }
  return [...servers]
    .sort((a, b) => byText(a.host, b.host) || a.pid - b.pid || byText(a.serverId, b.serverId))
    .map((server) => ({
      id: server.serverId,
      host: server.host,
      pid: server.pid,
      concurrency: server.concurrency,
      queues: server.queues,
      strictPriority: server.strictPriority,
      status: server.status,
      startedAt: new Date(server.startedAt),
      activeWorkers: (workersByServer.get(keyOf(server)) ?? [])
        .sort((a, b) => a.startedAt - b.startedAt || byText(a.taskId, b.taskId))
        .map(toActiveWorker),
    }));
}

/** The public view of a scheduler entry record. */
export function toSchedulerEntryInfo(entry: SchedulerEntry): SchedulerEntryInfo {
  return {
    id: entry.id,
    spec: entry.spec,
    taskType: entry.taskType,
    taskPayload: entry.taskPayload,
    enqueueOptions: entry.enqueueOptions,
    nextEnqueueAt: new Date(entry.nextEnqueueAt),
    prevEnqueueAt: dateOrNull(entry.prevEnqueueAt),
  };
}

/** The public view of a scheduler enqueue event record. */
export function toSchedulerEnqueueEventInfo(
  event: SchedulerEnqueueEvent,
): SchedulerEnqueueEventInfo {
  return { taskId: event.taskId, enqueuedAt: new Date(event.enqueuedAt) };
}
