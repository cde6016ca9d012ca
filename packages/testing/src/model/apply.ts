import {
  type Broker,
  DAY,
  DEFAULTS,
  type DequeuedTask,
  type EnqueueRequest,
  type Placement,
  type TaskMessage,
  uniqueDigest,
} from "@asynq-ts/core";
import { messageView } from "./normalize.js";
import type { Operation, TaskSpec } from "./operations.js";
import { named, namedGroup } from "./resolve.js";

const SECOND = 1_000;
/** Unique locks outlive any run: Redis expires them in real time, the memory broker by `now`. */
export const UNIQUE_TTL = 30 * DAY;
/** The retry delay the recoverer step uses. */
export const RECOVERY_DELAY = 5 * SECOND;

const encoder = new TextEncoder();

/** State every broker of a run shares: the clock and the aggregation sets created so far. */
export interface World {
  now: number;
  /** Every queue of the universe, which `maintain` works through. */
  readonly queues: readonly string[];
  nextSetId: number;
  readonly sets: { readonly queue: string; readonly group: string; readonly setId: string }[];
}

/** One broker of a run, with the messages it handed out (each keeps its own unique keys). */
export interface Lane {
  readonly name: string;
  readonly broker: Broker;
  readonly known: Map<string, TaskMessage>;
}

/** The message a TaskSpec describes, and how to enqueue it at `now`. */
export function requestOf(spec: TaskSpec, now: number): EnqueueRequest {
  const payload = encoder.encode(spec.payload);
  const placementSpec = spec.placement;
  const group =
    placementSpec.state === "aggregating" || placementSpec.state === "scheduledGroup"
      ? placementSpec.group
      : "";
  const placement: Placement =
    placementSpec.state === "pending"
      ? { state: "pending" }
      : placementSpec.state === "aggregating"
        ? { state: "aggregating", group: placementSpec.group }
        : { state: "scheduled", processAt: now + placementSpec.inSeconds * SECOND };
  const message: TaskMessage = {
    id: spec.id,
    type: spec.type,
    payload,
    headers: { origin: "model" },
    queue: spec.queue,
    maxRetry: spec.maxRetry,
    retried: 0,
    lastError: "",
    lastFailedAt: 0,
    timeout: DEFAULTS.timeout,
    deadline: 0,
    retention: 0,
    completedAt: 0,
    group,
    uniqueKey: "",
  };
  if (!spec.unique) return { message, placement };
  const base = placement.state === "scheduled" ? placement.processAt : now;
  return {
    message,
    placement,
    unique: { digest: uniqueDigest(payload), expiresAt: base + UNIQUE_TTL },
  };
}

function keyOf(queue: string, id: string): string {
  return `${queue}\u0000${id}`;
}

/** The message the lane last received for the task, or a stand-in for a task it never saw. */
function knownMessage(lane: Lane, queue: string, id: string): TaskMessage {
  return (
    lane.known.get(keyOf(queue, id)) ?? {
      ...requestOf(
        {
          queue,
          id,
          type: "unseen",
          payload: "",
          placement: { state: "pending" },
          unique: false,
          maxRetry: 0,
        },
        0,
      ).message,
    }
  );
}

function remember(lane: Lane, message: TaskMessage): void {
  lane.known.set(keyOf(message.queue, message.id), message);
}

function trim(world: World, maxSize: number, maxAgeSeconds: number) {
  return { maxSize, cutoff: world.now - maxAgeSeconds * SECOND };
}

/**
 * Applies one operation to one broker and returns its answer in comparable form. `setId` is
 * the ID an aggregation check would create (chosen once per step for every lane).
 */
export async function applyOperation(
  lane: Lane,
  operation: Operation,
  world: World,
  setId: string,
): Promise<unknown> {
  const { broker } = lane;
  const now = world.now;
  const o = operation;
  switch (o.op) {
    case "enqueue":
      return broker.enqueue({ ...requestOf(o, now), now });
    case "enqueueBulk":
      return broker.enqueueBulk({ requests: o.tasks.map((t) => requestOf(t, now)), now });
    case "dequeue": {
      const got = await broker.dequeue({
        queues: o.queues,
        leaseUntil: now + o.leaseSeconds * SECOND,
        now,
      });
      if (got === null) return null;
      remember(lane, got.message);
      return { message: messageView(got.message), leaseUntil: got.leaseUntil };
    }
    case "dequeueBatch": {
      if (broker.dequeueBatch === undefined || !broker.capabilities.batchDequeue) {
        return "no batch dequeue";
      }
      // The port lets a batch come back short while more are pending; calling again for the
      // rest (on the queue the batch came from) makes every broker's answer comparable.
      const got: DequeuedTask[] = [];
      let queues = o.queues;
      for (let call = 0; call < o.max && got.length < o.max; call++) {
        const batch = await broker.dequeueBatch({
          queues,
          leaseUntil: now + o.leaseSeconds * SECOND,
          max: o.max - got.length,
          now,
        });
        if (batch.length === 0) break;
        got.push(...batch);
        queues = [batch[0]!.message.queue];
      }
      for (const task of got) remember(lane, task.message);
      return got.map((task) => ({
        message: messageView(task.message),
        leaseUntil: task.leaseUntil,
      }));
    }
    case "done": {
      const t = named(o.target);
      return broker.done({
        queue: t.queue,
        taskId: t.id,
        uniqueKey: knownMessage(lane, t.queue, t.id).uniqueKey,
        now,
      });
    }
    case "markComplete": {
      const t = named(o.target);
      return broker.markComplete({
        message: { ...knownMessage(lane, t.queue, t.id), completedAt: now },
        expiresAt: now + o.retentionSeconds * SECOND,
        now,
      });
    }
    case "requeue": {
      const t = named(o.target);
      return broker.requeue({ queue: t.queue, taskId: t.id, now });
    }
    case "retry": {
      const t = named(o.target);
      const m = knownMessage(lane, t.queue, t.id);
      return broker.retry({
        message: {
          ...m,
          retried: m.retried + (o.isFailure ? 1 : 0),
          lastError: `failed at ${now}`,
          lastFailedAt: now,
        },
        retryAt: now + o.delaySeconds * SECOND,
        isFailure: o.isFailure,
        now,
      });
    }
    case "archive": {
      const t = named(o.target);
      return broker.archive({
        message: {
          ...knownMessage(lane, t.queue, t.id),
          lastError: `archived at ${now}`,
          lastFailedAt: now,
        },
        trim: trim(world, o.trimMaxSize, o.trimMaxAgeSeconds),
        now,
      });
    }
    case "writeResult": {
      const t = named(o.target);
      return broker.writeResult({
        queue: t.queue,
        taskId: t.id,
        result: encoder.encode(o.result),
        now,
      });
    }
    case "extendLease": {
      const ids = await broker.extendLease({
        queue: o.queue,
        taskIds: o.ids,
        leaseUntil: now + o.leaseSeconds * SECOND,
        now,
      });
      return [...ids].sort();
    }
    case "forwardDue":
      return broker.forwardDue({ queue: o.queue, from: o.from, limit: o.limit, now });
    case "advance":
      return null;
    case "maintain":
      return maintain(lane, world);
    case "pause":
      return broker.pauseQueue({ queue: o.queue, now });
    case "unpause":
      return broker.unpauseQueue({ queue: o.queue, now });
    case "runTask": {
      const t = named(o.target);
      return broker.runTask({ queue: t.queue, taskId: t.id, now });
    }
    case "archiveTask": {
      const t = named(o.target);
      return broker.archiveTask({
        queue: t.queue,
        taskId: t.id,
        trim: trim(world, o.trimMaxSize, o.trimMaxAgeSeconds),
        now,
      });
    }
    case "deleteTask": {
      const t = named(o.target);
      return broker.deleteTask({ queue: t.queue, taskId: t.id, now });
    }
    case "updatePayload": {
      const t = named(o.target);
      return broker.updateTaskPayload({
        queue: t.queue,
        taskId: t.id,
        payload: encoder.encode(o.payload),
        now,
      });
    }
    case "runAll":
      return broker.runAll({ queue: o.queue, ...o.container, now });
    case "archiveAll":
      return broker.archiveAll({
        queue: o.queue,
        ...o.container,
        trim: trim(world, o.trimMaxSize, 90 * 86_400),
        now,
      });
    case "deleteAll":
      return broker.deleteAll({ queue: o.queue, ...o.container, now });
    case "aggregationCheck":
      return broker.aggregationCheck({
        ...namedGroup(o.group),
        setId,
        maxSize: o.maxSize,
        maxDelay: o.maxDelaySeconds * SECOND,
        gracePeriod: o.graceSeconds * SECOND,
        setDeadline: now + o.setTtlSeconds * SECOND,
        now,
      });
    case "readAggregationSet": {
      const set = world.sets[o.pick % Math.max(1, world.sets.length)];
      if (set === undefined) return "no set yet";
      const read = await broker.readAggregationSet(set);
      return { messages: read.messages.map(messageView), deadline: read.deadline };
    }
    case "deleteAggregationSet": {
      const set = world.sets[o.pick % Math.max(1, world.sets.length)];
      if (set === undefined) return "no set yet";
      await broker.deleteAggregationSet(set);
      return null;
    }
    case "reclaimStaleSets":
      return broker.reclaimStaleAggregationSets({ queue: o.queue, now });
    case "recoverExpired":
      return recoverExpired(lane, o.queues, now);
    case "deleteExpiredCompleted":
      return broker.deleteExpiredCompleted({ queue: o.queue, limit: o.limit, now });
    case "deleteQueue":
      return broker.deleteQueue({ queue: o.queue, force: o.force, now });
  }
}

/** One pass of a server's periodic components over every queue of the universe. */
async function maintain(lane: Lane, world: World) {
  const { broker } = lane;
  const now = world.now;
  const queues = world.queues;
  const perQueue = [];
  for (const queue of queues) {
    perQueue.push({
      scheduled: await broker.forwardDue({ queue, from: "scheduled", limit: 100, now }),
      retry: await broker.forwardDue({ queue, from: "retry", limit: 100, now }),
      completed: await broker.deleteExpiredCompleted({ queue, limit: 100, now }),
      reclaimed: await broker.reclaimStaleAggregationSets({ queue, now }),
    });
  }
  return { perQueue, recovered: await recoverExpired(lane, queues, now) };
}

/** The recoverer's decision for each expired lease: retry while retries remain, else archive. */
async function recoverExpired(lane: Lane, queues: readonly string[], now: number) {
  const { broker } = lane;
  const expired = await broker.listLeaseExpired({ queues, cutoff: now, now });
  // The port does not order this listing; recover in a fixed order so lanes stay comparable.
  const ordered = [...expired].sort((a, b) =>
    keyOf(a.queue, a.id) < keyOf(b.queue, b.id) ? -1 : 1,
  );
  const outcomes: unknown[] = [];
  for (const message of ordered) {
    remember(lane, message);
    const failed = { ...message, lastError: "task lease expired", lastFailedAt: now };
    const outcome =
      message.retried < message.maxRetry
        ? await broker.retry({
            message: { ...failed, retried: message.retried + 1 },
            retryAt: now + RECOVERY_DELAY,
            isFailure: true,
            now,
          })
        : await broker.archive({
            message: failed,
            trim: { maxSize: DEFAULTS.archiveMaxSize, cutoff: now - DEFAULTS.archiveMaxAge },
            now,
          });
    outcomes.push({ task: messageView(message), outcome });
  }
  return outcomes;
}
