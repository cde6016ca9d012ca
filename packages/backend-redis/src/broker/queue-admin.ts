import {
  type DeleteQueueParams,
  NotSupportedError,
  type PauseParams,
  type QueueLocation,
  type QueueParams,
  type Result,
} from "@asynq-ts/core";
import { keySlot } from "../cluster/key-slot.js";
import { asNumber, asStringOrNull } from "../connection/replies.js";
import { escapeGlob } from "../keys.js";
import { deleteQueueScript } from "../scripts/delete-queue.js";
import { toScore } from "../units.js";
import { type BrokerContext, scriptCode, unexpectedCode } from "./context.js";
import { queueExists } from "./inspection-reads.js";

// Keys per DEL when removing a deleted queue's remaining keys.
const DELETE_BATCH = 500;

/** Stops dequeues from a queue (Go asynq's SETNX of the pause time). */
export async function pauseQueue(
  ctx: BrokerContext,
  params: Readonly<PauseParams>,
): Promise<Result<"already-paused">> {
  const q = ctx.keys.queue(params.queue);
  const reply = await ctx.send("SET", [q.paused, toScore(params.now), "NX"]);
  return asStringOrNull(reply) === null ? { ok: false, reason: "already-paused" } : { ok: true };
}

/** Resumes dequeues, waking workers that wait on the queue. */
export async function unpauseQueue(
  ctx: BrokerContext,
  params: Readonly<PauseParams>,
): Promise<Result<"not-paused">> {
  const q = ctx.keys.queue(params.queue);
  if (asNumber(await ctx.send("DEL", [q.paused])) === 0) return { ok: false, reason: "not-paused" };
  if (ctx.notify) await ctx.send("PUBLISH", [q.notifyChannel, "1"]);
  return { ok: true };
}

/**
 * Unregisters a queue and deletes all it stored. The script checks and deletes the
 * containers atomically; the rest (task hashes, groups, stats, locks) is found by scanning the
 * queue's hash tag on the node that owns it, and deleted after.
 */
export async function deleteQueue(
  ctx: BrokerContext,
  params: Readonly<DeleteQueueParams>,
): Promise<Result<"queue-not-found" | "not-empty" | "has-active">> {
  if (!(await queueExists(ctx, params.queue))) return { ok: false, reason: "queue-not-found" };
  const q = ctx.keys.queue(params.queue);
  const code = scriptCode(
    deleteQueueScript,
    await ctx.run(
      deleteQueueScript,
      [
        q.pending,
        q.active,
        q.scheduled,
        q.retry,
        q.archived,
        q.completed,
        q.lease,
        q.groups,
        q.aggregationSets,
        q.paused,
      ],
      [params.force ? "1" : "0"],
    ),
  );
  if (code === -1) return { ok: false, reason: "not-empty" };
  if (code === -2) return { ok: false, reason: "has-active" };
  if (code !== 1) throw unexpectedCode(deleteQueueScript, code);
  const rest = await ctx.connection.scan(`${escapeGlob(q.base)}*`, q.pending);
  for (let i = 0; i < rest.length; i += DELETE_BATCH) {
    const batch = rest.slice(i, i + DELETE_BATCH);
    await ctx.send("DEL", batch, q.pending);
  }
  await ctx.send("SREM", [ctx.keys.queues, params.queue]);
  return { ok: true };
}

/** The Cluster slot of a queue and the nodes serving it. */
export async function queueLocation(
  ctx: BrokerContext,
  params: Readonly<QueueParams>,
): Promise<QueueLocation> {
  if (ctx.connection.topology !== "cluster") throw new NotSupportedError("queueLocation");
  const slot = keySlot(ctx.keys.queue(params.queue).pending);
  return { keySlot: slot, nodes: await ctx.connection.slotNodes(slot) };
}
