import type { TaskState } from "@asynq-ts/core";

/** The key prefix Go asynq uses; keep it to share data with Go peers. */
export const DEFAULT_PREFIX = "asynq";

/**
 * Keys of one queue. Every key carries the `{<queue>}` hash tag, so a queue lives in one
 * Cluster slot and every script over it is single-slot.
 */
export interface QueueKeys {
  readonly queue: string;
  /** `<prefix>:{<queue>}:`, the start of every key of the queue. */
  readonly base: string;
  readonly pending: string;
  readonly active: string;
  readonly lease: string;
  readonly scheduled: string;
  readonly retry: string;
  readonly archived: string;
  readonly completed: string;
  readonly paused: string;
  readonly groups: string;
  readonly aggregationSets: string;
  readonly processedTotal: string;
  readonly failedTotal: string;
  /** Pub/sub channel announcing that tasks may be processable (not a key; an asynq-ts addition). */
  readonly notifyChannel: string;
  task(taskId: string): string;
  processedOn(day: string): string;
  failedOn(day: string): string;
  /** `unique:<type>:<md5hex>`; the digest is "" for an empty payload, as in Go. */
  unique(taskType: string, digest: string): string;
  /** The zset of a group's waiting tasks. */
  group(name: string): string;
  /** The zset of one aggregation set of a group. */
  aggregationSet(group: string, setId: string): string;
  /** The container key of a state whose container is a list or zset (not aggregating). */
  container(state: Exclude<TaskState, "aggregating">): string;
}

/** Global (untagged) keys and per-queue key builders for one prefix. */
export interface KeySpace {
  readonly prefix: string;
  readonly queues: string;
  readonly servers: string;
  readonly workers: string;
  readonly schedulers: string;
  readonly cancelChannel: string;
  server(host: string, pid: number, serverId: string): string;
  workersOf(host: string, pid: number, serverId: string): string;
  schedulerEntries(schedulerId: string): string;
  schedulerHistory(entryId: string): string;
  queue(name: string): QueueKeys;
}

/** Builds Go asynq v0.26's key layout under `prefix`. */
export function createKeySpace(prefix: string = DEFAULT_PREFIX): KeySpace {
  const cache = new Map<string, QueueKeys>();
  return {
    prefix,
    queues: `${prefix}:queues`,
    servers: `${prefix}:servers`,
    workers: `${prefix}:workers`,
    schedulers: `${prefix}:schedulers`,
    cancelChannel: `${prefix}:cancel`,
    server: (host, pid, serverId) => `${prefix}:servers:{${host}:${pid}:${serverId}}`,
    workersOf: (host, pid, serverId) => `${prefix}:workers:{${host}:${pid}:${serverId}}`,
    schedulerEntries: (schedulerId) => `${prefix}:schedulers:{${schedulerId}}`,
    schedulerHistory: (entryId) => `${prefix}:scheduler_history:${entryId}`,
    queue(name) {
      let keys = cache.get(name);
      if (keys === undefined) {
        keys = queueKeys(prefix, name);
        cache.set(name, keys);
      }
      return keys;
    },
  };
}

function queueKeys(prefix: string, queue: string): QueueKeys {
  const base = `${prefix}:{${queue}}:`;
  const containers = {
    pending: `${base}pending`,
    active: `${base}active`,
    scheduled: `${base}scheduled`,
    retry: `${base}retry`,
    archived: `${base}archived`,
    completed: `${base}completed`,
  } as const;
  return {
    queue,
    base,
    ...containers,
    lease: `${base}lease`,
    paused: `${base}paused`,
    groups: `${base}groups`,
    aggregationSets: `${base}aggregation_sets`,
    processedTotal: `${base}processed`,
    failedTotal: `${base}failed`,
    notifyChannel: `${base}notify`,
    task: (taskId) => `${base}t:${taskId}`,
    processedOn: (day) => `${base}processed:${day}`,
    failedOn: (day) => `${base}failed:${day}`,
    unique: (taskType, digest) => `${base}unique:${taskType}:${digest}`,
    group: (name) => `${base}g:${name}`,
    aggregationSet: (group, setId) => `${base}g:${group}:${setId}`,
    container: (state) => containers[state],
  };
}

const DAY_MS = 86_400_000;
// utcDay runs for every acknowledgement: the last day is remembered.
let lastDayStart = Number.NaN;
let lastDay = "";

/** The UTC day of an instant as `YYYY-MM-DD`, the suffix of Go asynq's daily stats keys. */
export function utcDay(epochMs: number): string {
  const dayStart = Math.floor(epochMs / DAY_MS) * DAY_MS;
  if (dayStart !== lastDayStart) {
    lastDay = new Date(epochMs).toISOString().slice(0, 10);
    lastDayStart = dayStart;
  }
  return lastDay;
}

/**
 * The hash tag of a key as Redis Cluster sees it (the text inside the first `{…}` when not
 * empty), or the whole key. Two keys share a slot when their tags are equal.
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf("{");
  if (open === -1) return key;
  const close = key.indexOf("}", open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/** True when `key` lands in the queue's slot, so a script over the queue may declare it. */
export function belongsToQueue(key: string, keys: QueueKeys): boolean {
  return key !== "" && hashTagOf(key) === hashTagOf(keys.base);
}

/** Escapes glob metacharacters so `text` matches itself in a SCAN `MATCH` pattern. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
