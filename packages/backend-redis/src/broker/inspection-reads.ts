import {
  DAY,
  type DailyStats,
  type GetTaskParams,
  type HistoryParams,
  type ListTasksParams,
  type QueueAtTimeParams,
  type QueueParams,
  type QueueStats,
  type Result,
  type TaskRecord,
} from "@asynq-ts/core";
import {
  asArray,
  asNumber,
  asNumberOrNull,
  asScoredMembers,
  asStringOrNull,
  asStrings,
} from "../connection/replies.js";
import { type QueueKeys, utcDay } from "../keys.js";
import { fromNanos, fromScore } from "../units.js";
import type { BrokerContext } from "./context.js";
import { memoryUsage } from "./memory-usage.js";
import { messageAndResult, stateOf, taskRecord } from "./task-record.js";

const QUEUE_NOT_FOUND = { ok: false, reason: "queue-not-found" } as const;

/** True when the queue is in the registry. */
export async function queueExists(ctx: BrokerContext, queue: string): Promise<boolean> {
  return asNumber(await ctx.send("SISMEMBER", [ctx.keys.queues, queue])) === 1;
}

/** Every registered queue, sorted. */
export async function listQueues(ctx: BrokerContext): Promise<readonly string[]> {
  return asStrings(await ctx.send("SMEMBERS", [ctx.keys.queues])).sort();
}

/** Sizes, counters and pause state of a queue. */
export async function queueStats(
  ctx: BrokerContext,
  params: Readonly<QueueAtTimeParams>,
): Promise<Result<"queue-not-found", { stats: QueueStats }>> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  const day = utcDay(params.now);
  const replies = await Promise.all([
    ctx.send("LLEN", [q.pending]),
    ctx.send("LLEN", [q.active]),
    ctx.send("ZCARD", [q.scheduled]),
    ctx.send("ZCARD", [q.retry]),
    ctx.send("ZCARD", [q.archived]),
    ctx.send("ZCARD", [q.completed]),
    ctx.send("GET", [q.processedOn(day)]),
    ctx.send("GET", [q.failedOn(day)]),
    ctx.send("GET", [q.processedTotal]),
    ctx.send("GET", [q.failedTotal]),
    ctx.send("EXISTS", [q.paused]),
    ctx.send("SMEMBERS", [q.groups]),
    ctx.send("LINDEX", [q.pending, "-1"]),
  ]);
  const [pending, active, scheduled, retry, archived, completed] = replies
    .slice(0, 6)
    .map(asNumber);
  const [processed, failed, processedTotal, failedTotal, paused] = replies
    .slice(6, 11)
    .map(asNumber);
  const groups = asStrings(replies[11]);
  const oldestId = asStringOrNull(replies[12]);
  const [groupSizes, pendingSince, memory] = await Promise.all([
    Promise.all(groups.map(async (g) => asNumber(await ctx.send("ZCARD", [q.group(g)])))),
    oldestId === null
      ? Promise.resolve(null)
      : ctx.send("HGET", [q.task(oldestId), "pending_since"]).then(asStringOrNull),
    ctx.connection.supportsMemoryUsage ? memoryUsage(ctx, q, groups) : Promise.resolve(null),
  ]);
  const stats: QueueStats = {
    queue: params.queue,
    pending: pending!,
    active: active!,
    scheduled: scheduled!,
    retry: retry!,
    archived: archived!,
    completed: completed!,
    aggregating: groupSizes.reduce((sum, size) => sum + size, 0),
    groups: groups.length,
    processed: processed!,
    failed: failed!,
    processedTotal: processedTotal!,
    failedTotal: failedTotal!,
    paused: paused === 1,
    oldestPendingSince: fromNanos(pendingSince),
    memoryUsageBytes: memory,
  };
  return { ok: true, stats };
}

/** Daily processed/failed counters, today first. */
export async function queueHistory(
  ctx: BrokerContext,
  params: Readonly<HistoryParams>,
): Promise<Result<"queue-not-found", { days: readonly DailyStats[] }>> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  const dates = Array.from({ length: params.days }, (_, i) => utcDay(params.now - i * DAY));
  const days = await Promise.all(
    dates.map(async (date) => {
      const [processed, failed] = await Promise.all([
        ctx.send("GET", [q.processedOn(date)]),
        ctx.send("GET", [q.failedOn(date)]),
      ]);
      return {
        queue: params.queue,
        date,
        processed: asNumber(processed),
        failed: asNumber(failed),
      };
    }),
  );
  return { ok: true, days };
}

/** Groups of a queue with their sizes, by name. */
export async function groupStats(
  ctx: BrokerContext,
  params: Readonly<QueueParams>,
): Promise<
  Result<
    "queue-not-found",
    { groups: readonly { readonly group: string; readonly size: number }[] }
  >
> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  const names = asStrings(await ctx.send("SMEMBERS", [q.groups])).sort();
  const groups = await Promise.all(
    names.map(async (group) => ({
      group,
      size: asNumber(await ctx.send("ZCARD", [q.group(group)])),
    })),
  );
  return { ok: true, groups };
}

/** One task with its state, result and times. */
export async function getTask(
  ctx: BrokerContext,
  params: Readonly<GetTaskParams>,
): Promise<Result<"queue-not-found" | "not-found", { task: TaskRecord }>> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  const [msg, state, result] = asArray(
    await ctx.send("HMGET", [q.task(params.taskId), "msg", "state", "result"]),
  );
  const stored = messageAndResult([msg ?? null, result ?? null]);
  const taskState = stateOf(state);
  if (stored === null || taskState === null) return { ok: false, reason: "not-found" };
  let nextProcessAt = 0;
  let leaseExpiresAt = 0;
  if (taskState === "pending") nextProcessAt = params.now;
  if (taskState === "scheduled" || taskState === "retry") {
    nextProcessAt = await scoreOf(ctx, q.container(taskState), params.taskId);
  }
  if (taskState === "active") leaseExpiresAt = await scoreOf(ctx, q.lease, params.taskId);
  return {
    ok: true,
    task: taskRecord(stored.message, taskState, stored.result, nextProcessAt, leaseExpiresAt),
  };
}

async function scoreOf(ctx: BrokerContext, key: string, member: string): Promise<number> {
  const score = asNumberOrNull(await ctx.send("ZSCORE", [key, member]));
  return score === null ? 0 : fromScore(score);
}

/** A page of one container, in the port's order. */
export async function listTasks(
  ctx: BrokerContext,
  params: ListTasksParams,
): Promise<Result<"queue-not-found", { tasks: readonly TaskRecord[] }>> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  if (params.limit <= 0) return { ok: true, tasks: [] };
  const q = ctx.keys.queue(params.queue);
  const entries = await pageOf(ctx, q, params);
  const [hashes, leases] = await Promise.all([
    Promise.all(entries.map((e) => ctx.send("HMGET", [q.task(e.id), "msg", "result"]))),
    params.state === "active"
      ? Promise.all(entries.map((e) => scoreOf(ctx, q.lease, e.id)))
      : Promise.resolve([]),
  ]);
  const tasks: TaskRecord[] = [];
  for (const [index, entry] of entries.entries()) {
    const stored = messageAndResult(hashes[index]!);
    if (stored === null) continue;
    const nextProcessAt =
      params.state === "pending"
        ? params.now
        : params.state === "scheduled" || params.state === "retry"
          ? fromScore(entry.score)
          : 0;
    tasks.push(
      taskRecord(stored.message, params.state, stored.result, nextProcessAt, leases[index] ?? 0),
    );
  }
  return { ok: true, tasks };
}

async function pageOf(
  ctx: BrokerContext,
  q: QueueKeys,
  params: ListTasksParams,
): Promise<{ id: string; score: number }[]> {
  const { offset, limit } = params;
  if (params.state === "pending" || params.state === "active") {
    // The dequeue end is the right end: page 1 is the last `limit` elements, reversed.
    const ids = asStrings(
      await ctx.send("LRANGE", [q[params.state], String(-(offset + limit)), String(-(offset + 1))]),
    );
    return ids.reverse().map((id) => ({ id, score: 0 }));
  }
  const key = params.state === "aggregating" ? q.group(params.group) : q.container(params.state);
  const reply = await ctx.send("ZRANGE", [
    key,
    String(offset),
    String(offset + limit - 1),
    "WITHSCORES",
  ]);
  return asScoredMembers(reply).map(({ member, score }) => ({ id: member, score }));
}
