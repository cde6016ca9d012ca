import type {
  ArchiveParams,
  DequeuedTask,
  DequeueParams,
  DoneParams,
  ExtendLeaseParams,
  ListLeaseExpiredParams,
  MarkCompleteParams,
  RequeueParams,
  Result,
  RetryParams,
  TaskMessage,
  WriteResultParams,
} from "@asynq-ts/core";
import type { RedisReply } from "../connection/connection.js";
import { asBytesOrNull, asStrings } from "../connection/replies.js";
import { decodeTaskMessage, encodeTaskMessage } from "../encoding/index.js";
import { belongsToQueue, type QueueKeys, utcDay } from "../keys.js";
import { archiveScript } from "../scripts/archive.js";
import { dequeueScript } from "../scripts/dequeue.js";
import { doneScript } from "../scripts/done.js";
import { extendLeaseScript } from "../scripts/extend-lease.js";
import type { LuaScript } from "../scripts/lua-script.js";
import { markCompleteScript } from "../scripts/mark-complete.js";
import { requeueScript } from "../scripts/requeue.js";
import { retryScript } from "../scripts/retry.js";
import { writeResultScript } from "../scripts/write-result.js";
import { fromScore, MAX_INT64, STATS_TTL_SECONDS, toNanos, toScore } from "../units.js";
import { trimArchive, trimArgs } from "./archive-trim.js";
import { type BrokerContext, notifyChannel, scriptCode, unexpectedCode } from "./context.js";

const OK = { ok: true } as const;
const NOT_ACTIVE = { ok: false, reason: "not-active" } as const;
const NOT_FOUND = { ok: false, reason: "not-found" } as const;
// Every lost claim means another worker took a task, so retrying makes progress; the bound
// only guards against a queue whose dequeue end keeps changing for another reason.
const MAX_CLAIM_ATTEMPTS = 1_000;
// IDs read from the dequeue end per attempt: concurrent workers can each take one of them.
const CANDIDATES = 8;

/** pending → active from the first queue (in order) with a processable task. */
export async function dequeue(
  ctx: BrokerContext,
  params: Readonly<DequeueParams>,
): Promise<DequeuedTask | null> {
  // Peek every queue at once; the dequeue script needs the task's hash key, hence its ID.
  const peeks = await Promise.all(params.queues.map((queue) => peek(ctx, ctx.keys.queue(queue))));
  const leaseScore = toScore(params.leaseUntil);
  for (const [index, queue] of params.queues.entries()) {
    let candidates = peeks[index] ?? [];
    const q = ctx.keys.queue(queue);
    for (let attempt = 0; candidates.length > 0 && attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const reply = await ctx.run(
        dequeueScript,
        [q.pending, q.paused, q.active, q.lease, ...candidates.map((id) => q.task(id))],
        [leaseScore, ...candidates],
      );
      if (typeof reply !== "number") {
        const bytes = asBytesOrNull(reply);
        if (bytes === null) break;
        return { message: decodeTaskMessage(bytes), leaseUntil: fromScore(Number(leaseScore)) };
      }
      if (reply === 0) break; // paused
      if (reply !== -1 && reply !== -2) throw unexpectedCode(dequeueScript, reply);
      candidates = await peek(ctx, q);
    }
  }
  return null;
}

/** The IDs nearest the dequeue end of pending, next first. */
async function peek(ctx: BrokerContext, q: QueueKeys): Promise<string[]> {
  return asStrings(await ctx.send("LRANGE", [q.pending, String(-CANDIDATES), "-1"])).reverse();
}

/** Moves the lease of listed tasks that still hold one. */
export async function extendLease(
  ctx: BrokerContext,
  params: Readonly<ExtendLeaseParams>,
): Promise<readonly string[]> {
  if (params.taskIds.length === 0) return [];
  const q = ctx.keys.queue(params.queue);
  const reply = await ctx.run(
    extendLeaseScript,
    [q.lease],
    [toScore(params.leaseUntil), ...params.taskIds],
  );
  return asStrings(reply);
}

/** Messages of active tasks whose lease score is at or before the cutoff. */
export async function listLeaseExpired(
  ctx: BrokerContext,
  params: Readonly<ListLeaseExpiredParams>,
): Promise<readonly TaskMessage[]> {
  const perQueue = await Promise.all(
    params.queues.map(async (queue) => {
      const q = ctx.keys.queue(queue);
      const ids = asStrings(
        await ctx.send("ZRANGEBYSCORE", [q.lease, "-inf", toScore(params.cutoff)]),
      );
      return readMessages(ctx, q, ids);
    }),
  );
  return perQueue.flat();
}

/** Decoded `msg` fields of the listed tasks, skipping those whose hash is gone. */
export async function readMessages(
  ctx: BrokerContext,
  q: QueueKeys,
  ids: readonly string[],
): Promise<TaskMessage[]> {
  const replies = await Promise.all(ids.map((id) => ctx.send("HGET", [q.task(id), "msg"])));
  const messages: TaskMessage[] = [];
  for (const reply of replies) {
    const bytes = asBytesOrNull(reply);
    if (bytes !== null) messages.push(decodeTaskMessage(bytes));
  }
  return messages;
}

/** active → deleted. */
export async function done(
  ctx: BrokerContext,
  params: Readonly<DoneParams>,
): Promise<Result<"not-active">> {
  const q = ctx.keys.queue(params.queue);
  const task = q.task(params.taskId);
  const [lock, release] = lockOf(q, params.uniqueKey, task);
  const reply = await ctx.run(
    doneScript,
    [q.active, q.lease, task, q.processedOn(utcDay(params.now)), q.processedTotal, lock],
    [params.taskId, STATS_TTL_SECONDS, MAX_INT64, release],
  );
  return activeResult(doneScript, reply);
}

/** active → completed. */
export async function markComplete(
  ctx: BrokerContext,
  params: Readonly<MarkCompleteParams>,
): Promise<Result<"not-active">> {
  const { message } = params;
  const q = ctx.keys.queue(message.queue);
  const task = q.task(message.id);
  const [lock, release] = lockOf(q, message.uniqueKey, task);
  const reply = await ctx.run(
    markCompleteScript,
    [
      q.active,
      q.lease,
      q.completed,
      task,
      q.processedOn(utcDay(params.now)),
      q.processedTotal,
      lock,
    ],
    [
      message.id,
      encodeTaskMessage(message),
      toScore(params.expiresAt),
      STATS_TTL_SECONDS,
      MAX_INT64,
      release,
    ],
  );
  return activeResult(markCompleteScript, reply);
}

/** active → pending, next in line. */
export async function requeue(
  ctx: BrokerContext,
  params: Readonly<RequeueParams>,
): Promise<Result<"not-active">> {
  const q = ctx.keys.queue(params.queue);
  const reply = await ctx.run(
    requeueScript,
    [q.active, q.lease, q.pending, q.task(params.taskId)],
    [params.taskId, toNanos(params.now), notifyChannel(ctx, q)],
  );
  return activeResult(requeueScript, reply);
}

/** active → retry. */
export async function retry(
  ctx: BrokerContext,
  params: Readonly<RetryParams>,
): Promise<Result<"not-active">> {
  const { message } = params;
  const q = ctx.keys.queue(message.queue);
  const day = utcDay(params.now);
  const reply = await ctx.run(
    retryScript,
    [
      q.task(message.id),
      q.active,
      q.lease,
      q.retry,
      q.processedOn(day),
      q.failedOn(day),
      q.processedTotal,
      q.failedTotal,
    ],
    [
      message.id,
      encodeTaskMessage(message),
      toScore(params.retryAt),
      params.isFailure ? "1" : "0",
      STATS_TTL_SECONDS,
      MAX_INT64,
    ],
  );
  return activeResult(retryScript, reply);
}

/** active → archived, then trims the archive. */
export async function archive(
  ctx: BrokerContext,
  params: Readonly<ArchiveParams>,
): Promise<Result<"not-active">> {
  const { message } = params;
  const q = ctx.keys.queue(message.queue);
  const day = utcDay(params.now);
  const reply = await ctx.run(
    archiveScript,
    [
      q.task(message.id),
      q.active,
      q.lease,
      q.archived,
      q.processedOn(day),
      q.failedOn(day),
      q.processedTotal,
      q.failedTotal,
    ],
    [
      message.id,
      encodeTaskMessage(message),
      toScore(params.now),
      STATS_TTL_SECONDS,
      MAX_INT64,
      ...trimArgs(params.trim),
    ],
  );
  const code = scriptCode(archiveScript, reply);
  if (code === 0) return NOT_ACTIVE;
  if (code === 2) await trimArchive(ctx, q, params.trim);
  else if (code !== 1) throw unexpectedCode(archiveScript, code);
  return OK;
}

/** Stores a handler's result on an existing task. */
export async function writeResult(
  ctx: BrokerContext,
  params: Readonly<WriteResultParams>,
): Promise<Result<"not-found">> {
  const q = ctx.keys.queue(params.queue);
  // A copy: the bytes stay the caller's, and an in-process store (ioredis-mock) would keep
  // the very buffer it is given as the stored value.
  const result = new Uint8Array(params.result);
  const reply = await ctx.run(writeResultScript, [q.task(params.taskId)], [result]);
  const code = scriptCode(writeResultScript, reply);
  if (code === 1) return OK;
  if (code === 0) return NOT_FOUND;
  throw unexpectedCode(writeResultScript, code);
}

/**
 * The lock key to declare and whether to release it. A key outside the queue's slot (corrupt
 * or foreign) is never touched: the task key stands in for it.
 */
export function lockOf(q: QueueKeys, uniqueKey: string, task: string): [string, "1" | "0"] {
  return belongsToQueue(uniqueKey, q) ? [uniqueKey, "1"] : [task, "0"];
}

function activeResult(script: LuaScript, reply: RedisReply): Result<"not-active"> {
  const code = scriptCode(script, reply);
  if (code === 1) return OK;
  if (code === 0) return NOT_ACTIVE;
  throw unexpectedCode(script, code);
}
