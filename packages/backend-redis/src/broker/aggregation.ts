import type {
  AggregationCheckParams,
  AggregationSetParams,
  QueueAtTimeParams,
  QueueParams,
  TaskMessage,
} from "@asynq-ts/core";
import { asNumber, asNumberOrNull, asStrings } from "../connection/replies.js";
import { aggregationCheckScript } from "../scripts/aggregation-check.js";
import { deleteAggregationSetScript } from "../scripts/delete-aggregation-set.js";
import { reclaimStaleAggregationSetScript } from "../scripts/reclaim-stale-aggregation-set.js";
import { fromScore, toScore } from "../units.js";
import { type BrokerContext, scriptCode, unexpectedCode } from "./context.js";
import { lockKeysOf } from "./task-locks.js";
import { readMessages } from "./worker.js";

// Attempts to delete a set whose membership changed between the read and the script.
const MAX_DELETE_ATTEMPTS = 5;

/** Names of the queue's groups with waiting tasks. */
export async function listGroups(
  ctx: BrokerContext,
  params: Readonly<QueueParams>,
): Promise<readonly string[]> {
  const q = ctx.keys.queue(params.queue);
  return asStrings(await ctx.send("SMEMBERS", [q.groups])).sort();
}

/** Moves a group's tasks into a new aggregation set when one of the conditions holds. */
export async function aggregationCheck(
  ctx: BrokerContext,
  params: Readonly<AggregationCheckParams>,
): Promise<boolean> {
  const q = ctx.keys.queue(params.queue);
  const reply = await ctx.run(
    aggregationCheckScript,
    [
      q.group(params.group),
      q.aggregationSet(params.group, params.setId),
      q.aggregationSets,
      q.groups,
    ],
    [
      String(params.maxSize),
      params.maxDelay === 0 ? "" : toScore(params.now - params.maxDelay),
      toScore(params.now - params.gracePeriod),
      toScore(params.setDeadline),
      params.group,
    ],
  );
  const code = scriptCode(aggregationCheckScript, reply);
  if (code !== 0 && code !== 1) throw unexpectedCode(aggregationCheckScript, code);
  return code === 1;
}

/** Members of an aggregation set in join order, and its deadline. */
export async function readAggregationSet(
  ctx: BrokerContext,
  params: Readonly<AggregationSetParams>,
): Promise<{ readonly messages: readonly TaskMessage[]; readonly deadline: number }> {
  const q = ctx.keys.queue(params.queue);
  const setKey = q.aggregationSet(params.group, params.setId);
  const [idsReply, deadlineReply] = await Promise.all([
    ctx.send("ZRANGE", [setKey, "0", "-1"]),
    ctx.send("ZSCORE", [q.aggregationSets, setKey]),
  ]);
  const messages = await readMessages(ctx, q, asStrings(idsReply));
  const deadline = asNumberOrNull(deadlineReply);
  return { messages, deadline: deadline === null ? 0 : fromScore(deadline) };
}

/** Deletes a set, its member tasks and the unique locks they own. */
export async function deleteAggregationSet(
  ctx: BrokerContext,
  params: Readonly<AggregationSetParams>,
): Promise<void> {
  const q = ctx.keys.queue(params.queue);
  const setKey = q.aggregationSet(params.group, params.setId);
  for (let attempt = 0; attempt < MAX_DELETE_ATTEMPTS; attempt++) {
    const ids = asStrings(await ctx.send("ZRANGE", [setKey, "0", "-1"]));
    const locks = await lockKeysOf(ctx, q, ids);
    const keys = [setKey, q.aggregationSets];
    const args: string[] = [];
    for (const [index, id] of ids.entries()) {
      const [lock, release] = locks[index]!;
      keys.push(q.task(id), lock);
      args.push(id, release);
    }
    const code = scriptCode(
      deleteAggregationSetScript,
      await ctx.run(deleteAggregationSetScript, keys, args),
    );
    if (code === 1) return;
    if (code !== -1) throw unexpectedCode(deleteAggregationSetScript, code);
  }
  throw unexpectedCode(deleteAggregationSetScript, -1);
}

/** Returns the members of every stale set to their group; counts the sets reclaimed. */
export async function reclaimStaleAggregationSets(
  ctx: BrokerContext,
  params: Readonly<QueueAtTimeParams>,
): Promise<number> {
  const q = ctx.keys.queue(params.queue);
  const now = toScore(params.now);
  const setKeys = asStrings(await ctx.send("ZRANGEBYSCORE", [q.aggregationSets, "-inf", now]));
  const groupPrefix = `${q.base}g:`;
  let reclaimed = 0;
  for (const setKey of setKeys) {
    // `<base>g:<group>:<setId>`: set IDs are UUIDs, so the group ends at the last colon.
    const cut = setKey.lastIndexOf(":");
    if (!setKey.startsWith(groupPrefix) || cut <= groupPrefix.length) continue;
    const group = setKey.slice(groupPrefix.length, cut);
    const reply = await ctx.run(
      reclaimStaleAggregationSetScript,
      [q.aggregationSets, setKey, q.group(group), q.groups],
      [now, group],
    );
    reclaimed += asNumber(reply);
  }
  return reclaimed;
}
