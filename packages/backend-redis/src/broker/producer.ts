import type {
  EnqueueBulkParams,
  EnqueueParams,
  EnqueueRefusal,
  EnqueueRequest,
  Result,
  TaskMessage,
} from "@asynq-ts/core";
import { encodeTaskMessage } from "../encoding/index.js";
import { enqueueAggregatingScript } from "../scripts/enqueue-aggregating.js";
import { enqueuePendingScript } from "../scripts/enqueue-pending.js";
import { enqueueScheduledScript } from "../scripts/enqueue-scheduled.js";
import type { LuaScript } from "../scripts/lua-script.js";
import { toNanos, toScore, ttlUntil } from "../units.js";
import { type BrokerContext, notifyChannel, scriptCode, unexpectedCode } from "./context.js";

const OK = { ok: true } as const;

/** ∅ → pending / scheduled / aggregating, registering the queue. */
export async function enqueue(
  ctx: BrokerContext,
  params: Readonly<EnqueueParams>,
): Promise<Result<EnqueueRefusal>> {
  const [result] = await Promise.all([
    store(ctx, params, params.now),
    registerQueues(ctx, [params.message.queue]),
  ]);
  return result;
}

/** Many enqueues, sent together (both clients pipeline concurrent commands). */
export async function enqueueBulk(
  ctx: BrokerContext,
  params: Readonly<EnqueueBulkParams>,
): Promise<readonly Result<EnqueueRefusal>[]> {
  const queues = [...new Set(params.requests.map((r) => r.message.queue))];
  const [results] = await Promise.all([
    Promise.all(params.requests.map((request) => store(ctx, request, params.now))),
    registerQueues(ctx, queues),
  ]);
  return results;
}

/**
 * Adds queue names to the registry. A plain command beside the script: the registry is a
 * global key in another Cluster slot. Re-adding is harmless, so a refused enqueue (whose
 * queue already holds the conflicting task) changes nothing by it.
 */
async function registerQueues(ctx: BrokerContext, queues: readonly string[]): Promise<void> {
  if (queues.length > 0) await ctx.send("SADD", [ctx.keys.queues, ...queues]);
}

async function store(
  ctx: BrokerContext,
  request: EnqueueRequest,
  now: number,
): Promise<Result<EnqueueRefusal>> {
  const { message, placement, unique } = request;
  const q = ctx.keys.queue(message.queue);
  const lockKey = unique === undefined ? "" : q.unique(message.type, unique.digest);
  // Go asynq keeps the full lock key in the message; the broker assigns it. A grouped task's
  // message names its group, as Go's does.
  const group = placement.state === "aggregating" ? placement.group : message.group;
  const stored: TaskMessage = { ...message, uniqueKey: lockKey, group };
  const msg = encodeTaskMessage(stored);
  const ttl = unique === undefined ? "0" : ttlUntil(unique.expiresAt, now);
  const task = q.task(message.id);
  const lockSlot = lockKey === "" ? task : lockKey;
  let script: LuaScript;
  let reply: Awaited<ReturnType<BrokerContext["run"]>>;
  switch (placement.state) {
    case "pending":
      script = enqueuePendingScript;
      reply = await ctx.run(
        script,
        [task, q.pending, lockSlot],
        [message.id, msg, toNanos(now), ttl, lockKey, notifyChannel(ctx, q)],
      );
      break;
    case "scheduled":
      script = enqueueScheduledScript;
      reply = await ctx.run(
        script,
        [task, q.scheduled, lockSlot],
        [message.id, msg, toScore(placement.processAt), ttl, lockKey, group],
      );
      break;
    case "aggregating":
      script = enqueueAggregatingScript;
      reply = await ctx.run(
        script,
        [task, q.group(placement.group), q.groups, lockSlot],
        [message.id, msg, toScore(now), ttl, lockKey, placement.group],
      );
      break;
  }
  const code = scriptCode(script, reply);
  if (code === 1) return OK;
  if (code === 0) return { ok: false, reason: "task-id-conflict" };
  if (code === -1) return { ok: false, reason: "duplicate-task" };
  throw unexpectedCode(script, code);
}
