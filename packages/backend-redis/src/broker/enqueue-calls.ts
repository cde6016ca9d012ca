import type { RedisArg, RedisReply } from "../connection/connection.js";
import { asArray, asNumber } from "../connection/replies.js";
import { enqueuePendingScript } from "../scripts/enqueue-pending.js";
import type { LuaScript } from "../scripts/lua-script.js";
import { type BrokerContext, batchLimit, notifyChannel, scriptCode } from "./context.js";
import { GroupCommit } from "./group-commit.js";

/** One new pending task, encoded. */
export interface PendingEnqueue {
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
  /** The task's queue, registered by the write that stores it. */
  readonly queue: string;
  readonly script: LuaScript;
  readonly call: EnqueueCall;
}

// Tasks stored per script call at most (keeps each call short on the server).
const MAX_PER_CALL = 100;

const batchers = new WeakMap<BrokerContext, GroupCommit<Submitted>>();

/**
 * Runs an enqueue through the broker's ordered batcher: calls leave in the order enqueues were
 * made (as one call per enqueue would), consecutive pending ones of a queue in one script
 * call, each beside one SADD registering the queue. Resolves with the script's code: 1 stored,
 * 0 ID conflict, -1 unique lock held.
 */
export function submitEnqueue(
  ctx: BrokerContext,
  queue: string,
  script: LuaScript,
  call: EnqueueCall,
): Promise<number> {
  let batcher = batchers.get(ctx);
  if (batcher === undefined) {
    batcher = new GroupCommit({
      write: (items) => write(ctx, items),
      groupOf: ({ queue, call }) => (call.kind === "pending" ? queue : undefined),
      maxBatch: batchLimit(ctx, MAX_PER_CALL),
    });
    batchers.set(ctx, batcher);
  }
  return batcher.submit({ queue, script, call });
}

/**
 * Stores one run (one queue) and registers its queue in `<prefix>:queues`, as every enqueue
 * does in Go asynq. The SADD is a plain command beside the script (the registry is a global key
 * in another Cluster slot); both are issued at once, so the run costs one round trip.
 */
async function write(ctx: BrokerContext, items: readonly Submitted[]): Promise<number[]> {
  const first = items[0]!;
  const registered = ctx.send("SADD", [ctx.keys.queues, first.queue]);
  const stored =
    first.call.kind === "single"
      ? writeSingle(first.script, first.call.send())
      : writePending(ctx, first.queue, items);
  const [codes] = await Promise.all([stored, registered]);
  return codes;
}

async function writeSingle(script: LuaScript, sent: Promise<RedisReply>): Promise<number[]> {
  return [scriptCode(script, await sent)];
}

async function writePending(ctx: BrokerContext, queue: string, submitted: readonly Submitted[]) {
  const q = ctx.keys.queue(queue);
  const keys = [q.pending];
  const args: RedisArg[] = [notifyChannel(ctx, q)];
  // Unique tasks name their lock by position; the keys and TTLs follow the tasks.
  const locks: string[] = [];
  const lockTtls: string[] = [];
  for (const { call } of submitted) {
    if (call.kind !== "pending") throw new Error("a pending run holds a single enqueue");
    const item = call.task;
    keys.push(q.task(item.id));
    let lock = "0";
    if (item.lockKey !== "") {
      locks.push(item.lockKey);
      lockTtls.push(item.lockTtl);
      lock = String(locks.length);
    }
    args.push(item.id, item.msg, item.pendingSince, lock);
  }
  keys.push(...locks);
  args.push(...lockTtls);
  const codes = asArray(await ctx.run(enqueuePendingScript, keys, args)).map(asNumber);
  if (codes.length !== submitted.length) {
    throw new Error(
      `script enqueue-pending answered ${codes.length} codes for ${submitted.length}`,
    );
  }
  return codes;
}
