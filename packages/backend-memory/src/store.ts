import type { ArchiveTrim, TaskMessage, TaskState } from "@asynq-ts/core";
import { QueueCounters } from "./counters.js";
import { IdList } from "./id-list.js";
import { type ScoredEntry, ScoredSet } from "./scored-set.js";

/** States whose tasks live in a sorted set scored by time. */
export type ScoredState = "scheduled" | "retry" | "archived" | "completed";

/** One stored task: asynq's task hash. */
export interface StoredTask {
  message: TaskMessage;
  state: TaskState;
  /** When it last became pending (epoch ms), 0 while not pending. */
  pendingSince: number;
  result: Uint8Array | null;
  /**
   * The group it aggregates in once due, "" for none. Like asynq's hash field it outlives the
   * aggregation, so a grouped task that is retried aggregates again.
   */
  readonly group: string;
  /** The lock this task took at enqueue, "" for none. */
  readonly uniqueKey: string;
  /** The aggregation set holding it, "" while it waits in its group (or is not aggregating). */
  setId: string;
}

/** Tasks of a group moved aside for one aggregation, with their join times. */
export interface AggregationSet {
  readonly group: string;
  readonly members: ScoredSet;
  readonly deadline: number;
}

/** One container of a queue: a state, or one group's waiting tasks for "aggregating". */
export type ContainerRef =
  | { readonly state: Exclude<TaskState, "aggregating"> }
  | { readonly state: "aggregating"; readonly group: string };

/** A unique lock: held by `owner` until `expiresAt`. */
export interface UniqueLock {
  readonly owner: string;
  readonly expiresAt: number;
}

const MIN_LOCK_SWEEP = 64;

/** Everything one queue stores: asynq's per-queue keys. */
export class QueueData {
  readonly name: string;
  /** Listed by `listQueues`; set by the first enqueue (pausing alone does not register). */
  registered = false;
  paused = false;
  readonly tasks = new Map<string, StoredTask>();
  /** Front = next to dequeue. */
  readonly pending = new IdList();
  /** In dequeue order, earliest first. */
  readonly active = new IdList();
  readonly leases = new Map<string, number>();
  readonly scored: Readonly<Record<ScoredState, ScoredSet>> = {
    scheduled: new ScoredSet(),
    retry: new ScoredSet(),
    archived: new ScoredSet(),
    completed: new ScoredSet(),
  };
  /** Groups with tasks waiting; a group is dropped as soon as it empties. */
  readonly groups = new Map<string, ScoredSet>();
  readonly aggregationSets = new Map<string, AggregationSet>();
  readonly locks = new Map<string, UniqueLock>();
  readonly counters = new QueueCounters();
  readonly #onPending: (queue: string) => void;
  #lockSweepAt = MIN_LOCK_SWEEP;

  constructor(name: string, onPending: (queue: string) => void) {
    this.name = name;
    this.#onPending = onPending;
  }

  /** Announces that pending tasks may be dequeued (no-op while paused). */
  notifyPending(): void {
    if (!this.paused && this.pending.size > 0) this.#onPending(this.name);
  }

  /** IDs of one container in listing order: next to run first, else ascending by score. */
  containerIds(container: ContainerRef): string[] {
    switch (container.state) {
      case "pending":
        return this.pending.toArray();
      case "active":
        return this.active.toArray();
      case "aggregating":
        return (this.groups.get(container.group)?.entries() ?? []).map((entry) => entry.id);
      default:
        return this.scored[container.state].entries().map((entry) => entry.id);
    }
  }

  /** Tasks of one container in listing order. */
  containerTasks(container: ContainerRef): StoredTask[] {
    const tasks: StoredTask[] = [];
    for (const id of this.containerIds(container)) {
      const task = this.tasks.get(id);
      if (task !== undefined) tasks.push(task);
    }
    return tasks;
  }

  /** Takes the task out of whatever container holds it; the task itself stays stored. */
  detach(task: StoredTask): void {
    const id = task.message.id;
    switch (task.state) {
      case "pending":
        this.pending.delete(id);
        task.pendingSince = 0;
        return;
      case "active":
        this.active.delete(id);
        this.leases.delete(id);
        return;
      case "aggregating":
        this.#detachAggregating(task);
        return;
      default:
        this.scored[task.state].delete(id);
    }
  }

  /** Detaches and deletes the task; with `releaseLock` also frees a unique lock it owns. */
  remove(task: StoredTask, releaseLock: boolean): void {
    this.detach(task);
    this.tasks.delete(task.message.id);
    if (releaseLock) this.releaseLock(task.uniqueKey, task.message.id);
  }

  /** Moves a detached (or new) task to pending, at the back of the line or the front. */
  makePending(task: StoredTask, now: number, at: "back" | "front" = "back"): void {
    task.state = "pending";
    task.pendingSince = now;
    task.setId = "";
    if (at === "front") this.pending.pushFront(task.message.id);
    else this.pending.pushBack(task.message.id);
    this.notifyPending();
  }

  /** Moves a detached (or new) task into a scored container. */
  makeScored(task: StoredTask, state: ScoredState, score: number): void {
    task.state = state;
    task.setId = "";
    this.scored[state].add(task.message.id, score);
  }

  /** Moves a detached (or new) task into its group, joining at `joinedAt`. */
  joinGroup(task: StoredTask, joinedAt: number | ScoredEntry): void {
    task.state = "aggregating";
    task.setId = "";
    const group = this.#groupSet(task.group);
    if (typeof joinedAt === "number") group.add(task.message.id, joinedAt);
    else group.insert(joinedAt);
  }

  /** Drops archived tasks archived at or before the cutoff, then all but the newest maxSize. */
  trimArchive(trim: ArchiveTrim): void {
    const archived = this.scored.archived;
    const trimmed = archived.takeUpTo(trim.cutoff);
    trimmed.push(...archived.takeFirst(archived.size - trim.maxSize));
    // Trimmed tasks vanish entirely (asynq's inspector paths left their hashes behind).
    for (const entry of trimmed) this.tasks.delete(entry.id);
  }

  /** True while a live lock under `key` exists. */
  lockHeld(key: string, now: number): boolean {
    const lock = this.locks.get(key);
    return lock !== undefined && lock.expiresAt > now;
  }

  /** Takes the lock under `key` for `owner` (callers check `lockHeld` first). */
  takeLock(key: string, owner: string, expiresAt: number, now: number): void {
    // Expired locks are only dropped here, often enough to keep the map proportional to live ones.
    if (this.locks.size >= this.#lockSweepAt) {
      for (const [k, lock] of this.locks) if (lock.expiresAt <= now) this.locks.delete(k);
      this.#lockSweepAt = Math.max(MIN_LOCK_SWEEP, this.locks.size * 2);
    }
    this.locks.set(key, { owner, expiresAt });
  }

  /** Frees the lock under `key` only if `owner` still holds it. */
  releaseLock(key: string, owner: string): void {
    if (key !== "" && this.locks.get(key)?.owner === owner) this.locks.delete(key);
  }

  #groupSet(group: string): ScoredSet {
    let set = this.groups.get(group);
    if (set === undefined) {
      set = new ScoredSet();
      this.groups.set(group, set);
    }
    return set;
  }

  #detachAggregating(task: StoredTask): void {
    const id = task.message.id;
    if (task.setId !== "") {
      this.aggregationSets.get(task.setId)?.members.delete(id);
      task.setId = "";
      return;
    }
    const group = this.groups.get(task.group);
    group?.delete(id);
    if (group?.size === 0) this.groups.delete(task.group);
  }
}

/** Every queue of one memory broker. */
export class MemoryStore {
  readonly #queues = new Map<string, QueueData>();
  readonly #onPending: (queue: string) => void;

  constructor(onPending: (queue: string) => void) {
    this.#onPending = onPending;
  }

  /** The queue's data if anything was ever stored for it. */
  peek(name: string): QueueData | undefined {
    return this.#queues.get(name);
  }

  /** The queue's data if the queue is registered. */
  registered(name: string): QueueData | undefined {
    const queue = this.#queues.get(name);
    return queue?.registered ? queue : undefined;
  }

  /** The queue's data, created empty (and unregistered) if missing. */
  open(name: string): QueueData {
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      queue = new QueueData(name, this.#onPending);
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /** Forgets the queue and everything it stored. */
  drop(name: string): void {
    this.#queues.delete(name);
  }

  /** Registered queue names, sorted. */
  registeredNames(): string[] {
    return [...this.#queues.values()]
      .filter((queue) => queue.registered)
      .map((queue) => queue.name)
      .sort();
  }

  /** The task and its queue, if the task exists. */
  find(queue: string, taskId: string): { queue: QueueData; task: StoredTask } | undefined {
    const data = this.#queues.get(queue);
    const task = data?.tasks.get(taskId);
    return data === undefined || task === undefined ? undefined : { queue: data, task };
  }
}
