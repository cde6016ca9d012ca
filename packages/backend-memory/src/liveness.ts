import type {
  ClearServerStateParams,
  ListSchedulerEventsParams,
  RecordSchedulerEventParams,
  SchedulerEnqueueEvent,
  SchedulerEntry,
  ServerInfo,
  ServerKey,
  WorkerInfo,
  WriteSchedulerEntriesParams,
  WriteServerStateParams,
} from "@asynq-ts/core";
import { copyBytes } from "./copy.js";

interface ServerRecord {
  readonly server: ServerInfo;
  readonly workers: readonly WorkerInfo[];
  readonly expiresAt: number;
}

interface SchedulerRecord {
  readonly entries: readonly SchedulerEntry[];
  readonly expiresAt: number;
}

function copyServer(server: ServerInfo): ServerInfo {
  return { ...server, queues: { ...server.queues } };
}

function copyWorker(worker: WorkerInfo): WorkerInfo {
  return { ...worker, taskPayload: copyBytes(worker.taskPayload) };
}

function copyEntry(entry: SchedulerEntry): SchedulerEntry {
  return {
    ...entry,
    taskPayload: copyBytes(entry.taskPayload),
    enqueueOptions: [...entry.enqueueOptions],
  };
}

// Unambiguous even when a host name contains the separator asynq uses.
function serverKey(key: ServerKey): string {
  return JSON.stringify([key.host, key.pid, key.serverId]);
}

/**
 * Servers' and schedulers' self-descriptions, which expire unless rewritten (judged against
 * the caller's `now`), plus each scheduler entry's enqueue history.
 */
export class LivenessRegistry {
  readonly #servers = new Map<string, ServerRecord>();
  readonly #schedulers = new Map<string, SchedulerRecord>();
  /** Per entry, newest first. */
  readonly #history = new Map<string, SchedulerEnqueueEvent[]>();

  writeServerState(params: WriteServerStateParams): void {
    this.#servers.set(serverKey(params.server), {
      server: copyServer(params.server),
      workers: params.workers.map(copyWorker),
      expiresAt: params.now + params.ttl,
    });
  }

  clearServerState(params: ClearServerStateParams): void {
    this.#servers.delete(serverKey(params));
  }

  listServers(now: number): ServerInfo[] {
    return this.#liveServers(now).map((record) => copyServer(record.server));
  }

  listWorkers(now: number): WorkerInfo[] {
    return this.#liveServers(now).flatMap((record) => record.workers.map(copyWorker));
  }

  writeSchedulerEntries(params: WriteSchedulerEntriesParams): void {
    this.#schedulers.set(params.schedulerId, {
      entries: params.entries.map(copyEntry),
      expiresAt: params.now + params.ttl,
    });
  }

  clearSchedulerEntries(schedulerId: string): void {
    this.#schedulers.delete(schedulerId);
  }

  listSchedulerEntries(now: number): SchedulerEntry[] {
    const entries: SchedulerEntry[] = [];
    for (const [id, record] of this.#schedulers) {
      if (record.expiresAt <= now) this.#schedulers.delete(id);
      else entries.push(...record.entries.map(copyEntry));
    }
    return entries;
  }

  recordSchedulerEvent(params: RecordSchedulerEventParams): void {
    const events = this.#history.get(params.entryId) ?? [];
    // Newest first; an event recorded later goes before older ones with the same time.
    const at = events.findIndex((event) => event.enqueuedAt <= params.event.enqueuedAt);
    events.splice(at === -1 ? events.length : at, 0, { ...params.event });
    events.length = Math.min(events.length, Math.max(0, params.maxEvents));
    if (events.length === 0) this.#history.delete(params.entryId);
    else this.#history.set(params.entryId, events);
  }

  listSchedulerEvents(params: ListSchedulerEventsParams): SchedulerEnqueueEvent[] {
    const events = this.#history.get(params.entryId) ?? [];
    return events.slice(params.offset, params.offset + params.limit).map((event) => ({ ...event }));
  }

  clearSchedulerHistory(entryId: string): void {
    this.#history.delete(entryId);
  }

  // Unexpired server records; expired ones are pruned as asynq's readers prune the index.
  #liveServers(now: number): ServerRecord[] {
    const live: ServerRecord[] = [];
    for (const [key, record] of this.#servers) {
      if (record.expiresAt <= now) this.#servers.delete(key);
      else live.push(record);
    }
    return live;
  }
}
