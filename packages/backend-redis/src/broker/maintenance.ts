import type { DeleteExpiredCompletedParams, ForwardDueParams } from "@asynq-ts/core";
import { asNumber, asStringOrNull, asStrings } from "../connection/replies.js";
import { deleteExpiredCompletedScript } from "../scripts/delete-expired-completed.js";
import { forwardDueScript } from "../scripts/forward-due.js";
import { toNanos, toScore } from "../units.js";
import { type BrokerContext, notifyChannel } from "./context.js";

/** scheduled/retry → pending (or → the task's group), at most `limit` tasks. */
export async function forwardDue(
  ctx: BrokerContext,
  params: Readonly<ForwardDueParams>,
): Promise<number> {
  const q = ctx.keys.queue(params.queue);
  const source = q.container(params.from);
  const now = toScore(params.now);
  const ids = asStrings(
    await ctx.send("ZRANGEBYSCORE", [source, "-inf", now, "LIMIT", "0", String(params.limit)]),
  );
  if (ids.length === 0) return 0;
  // A grouped task's group zset must be declared too, so read the groups first.
  const groups = await Promise.all(
    ids.map(async (id) => asStringOrNull(await ctx.send("HGET", [q.task(id), "group"])) ?? ""),
  );
  const keys = [source, q.pending, q.groups];
  const args = [now, toNanos(params.now), notifyChannel(ctx, q)];
  for (const [index, id] of ids.entries()) {
    const group = groups[index] ?? "";
    const task = q.task(id);
    keys.push(task, group === "" ? task : q.group(group));
    args.push(id, group);
  }
  return asNumber(await ctx.run(forwardDueScript, keys, args));
}

/** Deletes up to `limit` completed tasks whose retention ended. */
export async function deleteExpiredCompleted(
  ctx: BrokerContext,
  params: Readonly<DeleteExpiredCompletedParams>,
): Promise<number> {
  const q = ctx.keys.queue(params.queue);
  const now = toScore(params.now);
  const ids = asStrings(
    await ctx.send("ZRANGEBYSCORE", [q.completed, "-inf", now, "LIMIT", "0", String(params.limit)]),
  );
  if (ids.length === 0) return 0;
  return asNumber(
    await ctx.run(
      deleteExpiredCompletedScript,
      [q.completed, ...ids.map((id) => q.task(id))],
      [now, ...ids],
    ),
  );
}
