import type { DequeueBatchParams, DequeuedTask, DequeueParams } from "@asynq-ts/core";
import { asArray, asBytesOrNull, asStrings } from "../connection/replies.js";
import { decodeTaskMessage } from "../encoding/index.js";
import type { QueueKeys } from "../keys.js";
import { dequeueScript } from "../scripts/dequeue.js";
import { fromScore, toScore } from "../units.js";
import { type BrokerContext, batchLimit, unexpectedCode } from "./context.js";

// Every lost claim means another worker took a task, so retrying makes progress; the bound
// only guards against a queue whose dequeue end keeps changing for another reason.
const MAX_CLAIM_ATTEMPTS = 1_000;
// Candidate IDs read or kept per queue at least: concurrent workers can each take one of them.
const MIN_CANDIDATES = 8;
// Tasks one script call moves at most (keeps each call short on the server).
const MAX_BATCH = 100;

/**
 * Per broker: the IDs each queue's last dequeue reported at the right end of pending, next
 * first. A stale list costs one extra call (the script checks every candidate and answers with
 * the current ones); it saves the LRANGE before every dequeue.
 */
const candidateCache = new WeakMap<BrokerContext, Map<string, string[]>>();

function candidatesOf(ctx: BrokerContext): Map<string, string[]> {
  let cache = candidateCache.get(ctx);
  if (cache === undefined) {
    cache = new Map();
    candidateCache.set(ctx, cache);
  }
  return cache;
}

/**
 * Remembers `taskId` as the next candidate of `queue`: wake-ups carry the ID of the first task
 * they announce, which is the dequeue end when the queue was empty, so the dequeue that
 * follows needs no LRANGE.
 */
export function noteCandidate(ctx: BrokerContext, queue: string, taskId: string): void {
  candidatesOf(ctx).set(queue, [taskId]);
}

/** pending → active from the first queue (in order) with a processable task. */
export async function dequeue(
  ctx: BrokerContext,
  params: Readonly<DequeueParams>,
): Promise<DequeuedTask | null> {
  const [task] = await dequeueBatch(ctx, { ...params, max: 1 });
  return task ?? null;
}

/** pending → active for up to `max` tasks of the first queue (in order) with processable ones. */
export async function dequeueBatch(
  ctx: BrokerContext,
  params: Readonly<DequeueBatchParams>,
): Promise<DequeuedTask[]> {
  const max = Math.max(1, Math.min(batchLimit(ctx, MAX_BATCH), Math.floor(params.max)));
  const leaseScore = toScore(params.leaseUntil);
  const leaseUntil = fromScore(Number(leaseScore));
  const cache = candidatesOf(ctx);
  for (const queue of params.queues) {
    const q = ctx.keys.queue(queue);
    const report = String(Math.max(max, MIN_CANDIDATES));
    let candidates = cache.get(queue) ?? [];
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      if (candidates.length === 0) candidates = await peek(ctx, q, report);
      if (candidates.length === 0) break;
      const claimed = candidates.slice(0, max);
      const keys = [q.pending, q.paused, q.active, q.lease];
      for (const id of claimed) keys.push(q.task(id));
      const reply = await ctx.run(dequeueScript, keys, [leaseScore, report, ...claimed]);
      if (reply === 0) {
        cache.delete(queue);
        break; // paused
      }
      if (typeof reply === "number") throw unexpectedCode(dequeueScript, reply);
      const [msgs, next] = asArray(reply);
      candidates = asStrings(next).reverse();
      cache.set(queue, candidates);
      const taken = asArray(msgs);
      if (taken.length > 0) {
        return taken.map((msg) => ({
          message: decodeTaskMessage(asBytesOrNull(msg) ?? new Uint8Array()),
          leaseUntil,
        }));
      }
    }
  }
  return [];
}

/** The IDs nearest the dequeue end of pending, next first. */
async function peek(ctx: BrokerContext, q: QueueKeys, count: string): Promise<string[]> {
  return asStrings(await ctx.send("LRANGE", [q.pending, `-${count}`, "-1"])).reverse();
}
