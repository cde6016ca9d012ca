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
import { type BrokerContext, unexpectedCode } from "./context.js";
import { type EnqueueCall, submitEnqueue } from "./enqueue-calls.js";
import { registerQueues } from "./queue-registry.js";

const OK = { ok: true } as const;

/** ∅ → pending / scheduled / aggregating, registering the queue. */
export async function enqueue(
  ctx: BrokerContext,
  params: Readonly<EnqueueParams>,
): Promise<Result<EnqueueRefusal>> {
  // Encoding may throw: it happens before anything is sent, so a failure writes nothing.
  const send = prepareStore(ctx, params, params.now);
  const [result] = await Promise.all([send(), registerQueues(ctx, [params.message.queue])]);
  return result;
}

/** Many enqueues, sent together (both clients pipeline concurrent commands). */
export async function enqueueBulk(
  ctx: BrokerContext,
  params: Readonly<EnqueueBulkParams>,
): Promise<readonly Result<EnqueueRefusal>[]> {
  const queues = [...new Set(params.requests.map((r) => r.message.queue))];
  const sends = params.requests.map((request) => prepareStore(ctx, request, params.now));
  const [results] = await Promise.all([
    Promise.all(sends.map((send) => send())),
    registerQueues(ctx, queues),
  ]);
  return results;
}

/** Encodes the request (throwing before any I/O) and returns the call that stores it. */
function prepareStore(
  ctx: BrokerContext,
  request: EnqueueRequest,
  now: number,
): () => Promise<Result<EnqueueRefusal>> {
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
  // Every enqueue goes through one ordered batcher, so a broker applies enqueues in the order
  // they were made; pending ones submitted together share script calls.
  let script: LuaScript;
  let call: EnqueueCall;
  switch (placement.state) {
    case "pending":
      script = enqueuePendingScript;
      call = {
        kind: "pending",
        task: {
          queue: message.queue,
          id: message.id,
          msg,
          pendingSince: toNanos(now),
          lockTtl: ttl,
          lockKey,
        },
      };
      break;
    case "scheduled":
      script = enqueueScheduledScript;
      call = {
        kind: "single",
        send: () =>
          ctx.run(
            enqueueScheduledScript,
            [task, q.scheduled, lockSlot],
            [message.id, msg, toScore(placement.processAt), ttl, lockKey, group],
          ),
      };
      break;
    case "aggregating":
      script = enqueueAggregatingScript;
      call = {
        kind: "single",
        send: () =>
          ctx.run(
            enqueueAggregatingScript,
            [task, q.group(placement.group), q.groups, lockSlot],
            [message.id, msg, toScore(now), ttl, lockKey, placement.group],
          ),
      };
      break;
  }
  return async () => {
    const code = await submitEnqueue(ctx, script, call);
    if (code === 1) return OK;
    if (code === 0) return { ok: false, reason: "task-id-conflict" };
    if (code === -1) return { ok: false, reason: "duplicate-task" };
    throw unexpectedCode(script, code);
  };
}
