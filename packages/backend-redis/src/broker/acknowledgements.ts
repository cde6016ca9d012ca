import type { DoneParams, MarkCompleteParams, Result } from "@asynq-ts/core";
import type { RedisArg } from "../connection/connection.js";
import { asArray, asNumber } from "../connection/replies.js";
import { encodeTaskMessage } from "../encoding/index.js";
import { belongsToQueue, type QueueKeys, utcDay } from "../keys.js";
import { doneScript } from "../scripts/done.js";
import type { LuaScript } from "../scripts/lua-script.js";
import { markCompleteScript } from "../scripts/mark-complete.js";
import { MAX_INT64, STATS_TTL_SECONDS, toScore } from "../units.js";
import { type BrokerContext, batchLimit } from "./context.js";
import { GroupCommit } from "./group-commit.js";

const OK = { ok: true } as const;
const NOT_ACTIVE = { ok: false, reason: "not-active" } as const;
// Tasks acknowledged per script call at most (keeps each call short on the server).
const MAX_ACKS_PER_CALL = 100;

interface Batchers {
  readonly done: GroupCommit<DoneParams>;
  readonly complete: GroupCommit<MarkCompleteParams>;
}

const batchers = new WeakMap<BrokerContext, Batchers>();

function batchersOf(ctx: BrokerContext): Batchers {
  let found = batchers.get(ctx);
  if (found === undefined) {
    found = {
      done: new GroupCommit({
        write: (items) => writeDone(ctx, items),
        groupOf: (p) => `${p.queue}\u0000${utcDay(p.now)}`,
        maxBatch: batchLimit(ctx, MAX_ACKS_PER_CALL),
      }),
      complete: new GroupCommit({
        write: (items) => writeComplete(ctx, items),
        groupOf: (p) => `${p.message.queue}\u0000${utcDay(p.now)}`,
        maxBatch: batchLimit(ctx, MAX_ACKS_PER_CALL),
      }),
    };
    batchers.set(ctx, found);
  }
  return found;
}

/** active → deleted; written together with other acknowledgements submitted meanwhile. */
export async function done(
  ctx: BrokerContext,
  params: Readonly<DoneParams>,
): Promise<Result<"not-active">> {
  return (await batchersOf(ctx).done.submit(params)) === 1 ? OK : NOT_ACTIVE;
}

/** active → completed; written together with other acknowledgements submitted meanwhile. */
export async function markComplete(
  ctx: BrokerContext,
  params: Readonly<MarkCompleteParams>,
): Promise<Result<"not-active">> {
  return (await batchersOf(ctx).complete.submit(params)) === 1 ? OK : NOT_ACTIVE;
}

/** One done call for tasks of one queue and stats day. */
async function writeDone(ctx: BrokerContext, items: readonly DoneParams[]): Promise<number[]> {
  const first = items[0]!;
  const q = ctx.keys.queue(first.queue);
  const keys = [q.active, q.lease, q.processedOn(utcDay(first.now)), q.processedTotal];
  const locks: string[] = [];
  const beforeLocks = keys.length + items.length;
  const args: RedisArg[] = [STATS_TTL_SECONDS, MAX_INT64];
  for (const item of items) {
    keys.push(q.task(item.taskId));
    args.push(item.taskId, lockIndex(q, item.uniqueKey, locks, beforeLocks));
  }
  keys.push(...locks);
  return codes(doneScript, await ctx.run(doneScript, keys, args), items.length);
}

/** One mark-complete call for tasks of one queue and stats day. */
async function writeComplete(
  ctx: BrokerContext,
  items: readonly MarkCompleteParams[],
): Promise<number[]> {
  const first = items[0]!;
  const q = ctx.keys.queue(first.message.queue);
  const keys = [q.active, q.lease, q.completed, q.processedOn(utcDay(first.now)), q.processedTotal];
  const locks: string[] = [];
  const beforeLocks = keys.length + items.length;
  const args: RedisArg[] = [STATS_TTL_SECONDS, MAX_INT64];
  for (const { message, expiresAt } of items) {
    keys.push(q.task(message.id));
    const lock = lockIndex(q, message.uniqueKey, locks, beforeLocks);
    args.push(message.id, encodeTaskMessage(message), toScore(expiresAt), lock);
  }
  keys.push(...locks);
  return codes(markCompleteScript, await ctx.run(markCompleteScript, keys, args), items.length);
}

/**
 * The 1-based KEYS index the script finds a task's unique lock at ("0" for none), adding the
 * lock to `locks`, which follow the task hashes. A lock outside the queue's slot (corrupt or
 * foreign) is never touched. `beforeLocks` counts the keys before the first lock.
 */
function lockIndex(q: QueueKeys, uniqueKey: string, locks: string[], beforeLocks: number): string {
  if (!belongsToQueue(uniqueKey, q)) return "0";
  locks.push(uniqueKey);
  return String(beforeLocks + locks.length);
}

function codes(script: LuaScript, reply: Awaited<ReturnType<BrokerContext["run"]>>, n: number) {
  const list = asArray(reply).map(asNumber);
  if (list.length !== n) {
    throw new Error(`script ${script.name} answered ${list.length} codes for ${n} tasks`);
  }
  return list;
}
