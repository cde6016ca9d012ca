import type {
  ArchiveParams,
  ExtendLeaseParams,
  ListLeaseExpiredParams,
  RequeueParams,
  Result,
  RetryParams,
  TaskMessage,
  WriteResultParams,
} from "@asynq-ts/core";
import type { RedisReply } from "../connection/connection.js";
import { asBytesOrNull, asStrings } from "../connection/replies.js";
import { decodeTaskMessage, encodeTaskMessage } from "../encoding/index.js";
import { type QueueKeys, utcDay } from "../keys.js";
import { archiveScript } from "../scripts/archive.js";
import { extendLeaseScript } from "../scripts/extend-lease.js";
import type { LuaScript } from "../scripts/lua-script.js";
import { requeueScript } from "../scripts/requeue.js";
import { retryScript } from "../scripts/retry.js";
import { writeResultScript } from "../scripts/write-result.js";
import { MAX_INT64, STATS_TTL_SECONDS, toNanos, toScore } from "../units.js";
import { trimArchive, trimArgs } from "./archive-trim.js";
import { type BrokerContext, notifyChannel, scriptCode, unexpectedCode } from "./context.js";

const OK = { ok: true } as const;
const NOT_ACTIVE = { ok: false, reason: "not-active" } as const;
const NOT_FOUND = { ok: false, reason: "not-found" } as const;

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

function activeResult(script: LuaScript, reply: RedisReply): Result<"not-active"> {
  const code = scriptCode(script, reply);
  if (code === 1) return OK;
  if (code === 0) return NOT_ACTIVE;
  throw unexpectedCode(script, code);
}
