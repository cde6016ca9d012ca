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

const OK = { ok: true } as const;
const ID_CONFLICT = { ok: false, reason: "task-id-conflict" } as const;
const DUPLICATE = { ok: false, reason: "duplicate-task" } as const;

/** ∅ → pending / scheduled / aggregating, registering the queue. */
export async function enqueue(
  ctx: BrokerContext,
  params: Readonly<EnqueueParams>,
): Promise<Result<EnqueueRefusal>> {
  // Encoding may throw: it happens before anything is sent, so a failure writes nothing.
  const { script, call } = prepareStore(ctx, params, params.now);
  return resultOf(script, await submitEnqueue(ctx, params.message.queue, script, call));
}

/** Many enqueues, sent together (both clients pipeline concurrent commands). */
export async function enqueueBulk(
  ctx: BrokerContext,
  params: Readonly<EnqueueBulkParams>,
): Promise<readonly Result<EnqueueRefusal>[]> {
  // Every request is encoded before the first is submitted: a failure writes nothing.
  const prepared = params.requests.map((request) => prepareStore(ctx, request, params.now));
  return Promise.all(
    prepared.map(async ({ script, call }, index) =>
      resultOf(
        script,
        await submitEnqueue(ctx, params.requests[index]!.message.queue, script, call),
      ),
    ),
  );
}

function resultOf(script: LuaScript, code: number): Result<EnqueueRefusal> {
  if (code === 1) return OK;
  if (code === 0) return ID_CONFLICT;
  if (code === -1) return DUPLICATE;
  throw unexpectedCode(script, code);
}

/** Encodes the request (throwing before any I/O) into the call that stores it. */
function prepareStore(
  ctx: BrokerContext,
  request: EnqueueRequest,
  now: number,
): { readonly script: LuaScript; readonly call: EnqueueCall } {
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
  return { script, call };
}
