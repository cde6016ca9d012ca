import type { RedisArg, RedisReply } from "../connection/connection.js";
import { asArray, asNumber } from "../connection/replies.js";
import { enqueuePendingScript } from "../scripts/enqueue-pending.js";
import type { LuaScript } from "../scripts/lua-script.js";
import { type BrokerContext, batchLimit, notifyChannel, scriptCode } from "./context.js";
import { GroupCommit } from "./group-commit.js";

/** One new pending task, encoded. */
export interface PendingEnqueue {
  readonly queue: string;
  readonly id: string;
  readonly msg: Uint8Array;
  /** pending_since, Unix ns. */
  readonly pendingSince: string;
  /** Lock TTL in ms, "0" when not unique. */
  readonly lockTtl: string;
  /** The unique lock key, "" when not unique. */
  readonly lockKey: string;
}

/**
 * One enqueue: a new pending task (pending tasks of a queue submitted together share a script
 * call), or the call of another placement, which must issue its command synchronously.
 */
export type EnqueueCall =
  | { readonly kind: "pending"; readonly task: PendingEnqueue }
  | { readonly kind: "single"; readonly send: () => Promise<RedisReply> };

interface Submitted {
  readonly script: LuaScript;
  readonly call: EnqueueCall;
}

// Tasks stored per script call at most (keeps each call short on the server).
const MAX_PER_CALL = 100;

const batchers = new WeakMap<BrokerContext, GroupCommit<Submitted>>();

/**
 * Runs an enqueue through the broker's ordered batcher: calls leave in the order enqueues were
 * made (as one call per enqueue would), consecutive pending ones of a queue in one script
 * call. Resolves with the script's code: 1 stored, 0 ID conflict, -1 unique lock held.
 */
export function submitEnqueue(
  ctx: BrokerContext,
  script: LuaScript,
  call: EnqueueCall,
): Promise<number> {
  let batcher = batchers.get(ctx);
  if (batcher === undefined) {
    batcher = new GroupCommit({
      write: (items) => write(ctx, items),
      groupOf: ({ call }) => (call.kind === "pending" ? call.task.queue : undefined),
      maxBatch: batchLimit(ctx, MAX_PER_CALL),
    });
    batchers.set(ctx, batcher);
  }
  return batcher.submit({ script, call });
}

async function write(ctx: BrokerContext, items: readonly Submitted[]): Promise<number[]> {
  const pending: PendingEnqueue[] = [];
  for (const { script, call } of items) {
    if (call.kind === "single") return [scriptCode(script, await call.send())];
    pending.push(call.task);
  }
  return writePending(ctx, pending);
}

async function writePending(ctx: BrokerContext, items: readonly PendingEnqueue[]) {
  const q = ctx.keys.queue(items[0]!.queue);
  const keys = [q.pending];
  const locks: string[] = [];
  const beforeLocks = 1 + items.length;
  const args: RedisArg[] = [notifyChannel(ctx, q)];
  for (const item of items) {
    keys.push(q.task(item.id));
    let lockIndex = "0";
    if (item.lockKey !== "") {
      locks.push(item.lockKey);
      lockIndex = String(beforeLocks + locks.length);
    }
    args.push(item.id, item.msg, item.pendingSince, item.lockTtl, lockIndex, item.lockKey);
  }
  keys.push(...locks);
  const codes = asArray(await ctx.run(enqueuePendingScript, keys, args)).map(asNumber);
  if (codes.length !== items.length) {
    throw new Error(`script enqueue-pending answered ${codes.length} codes for ${items.length}`);
  }
  return codes;
}
