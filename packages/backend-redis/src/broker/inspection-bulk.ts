import type {
  ArchiveAllParams,
  DeleteAllParams,
  Result,
  RunAllParams,
  TaskState,
} from "@asynq-ts/core";
import { asArray, asNumber, asStrings } from "../connection/replies.js";
import type { QueueKeys } from "../keys.js";
import { archiveAllScript } from "../scripts/archive-all.js";
import { deleteAllScript } from "../scripts/delete-all.js";
import { runAllScript } from "../scripts/run-all.js";
import { toNanos, toScore } from "../units.js";
import { trimArchive, trimArgs } from "./archive-trim.js";
import { type BrokerContext, notifyChannel } from "./context.js";
import { queueExists } from "./inspection-reads.js";
import { lockKeysOf } from "./task-locks.js";

// Tasks per script call: bounds the KEYS of one call and the time Redis is blocked.
const BATCH = 500;
const QUEUE_NOT_FOUND = { ok: false, reason: "queue-not-found" } as const;

type ContainerParams = { readonly queue: string } & (
  | { readonly state: Exclude<TaskState, "aggregating"> }
  | { readonly state: "aggregating"; readonly group: string }
);

interface Source {
  readonly key: string;
  readonly state: TaskState;
  readonly group: string;
  /** IDs at the time of the call; pending from the dequeue end, zsets by ascending score. */
  readonly ids: readonly string[];
}

/**
 * The container's IDs at the time of the call. Each batch script re-checks membership, so
 * tasks that moved meanwhile are skipped and tasks added meanwhile are left alone.
 */
async function readSource(
  ctx: BrokerContext,
  q: QueueKeys,
  params: ContainerParams,
): Promise<Source> {
  if (params.state === "pending") {
    const ids = asStrings(await ctx.send("LRANGE", [q.pending, "0", "-1"])).reverse();
    return { key: q.pending, state: "pending", group: "", ids };
  }
  const group = params.state === "aggregating" ? params.group : "";
  const key = params.state === "aggregating" ? q.group(group) : q.container(params.state);
  const ids = asStrings(await ctx.send("ZRANGE", [key, "0", "-1"]));
  return { key, state: params.state, group, ids };
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** Moves a whole container to pending. */
export async function runAll(
  ctx: BrokerContext,
  params: RunAllParams,
): Promise<Result<"queue-not-found", { count: number }>> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  const source = await readSource(ctx, q, params);
  let count = 0;
  for (const ids of batches(source.ids)) {
    const reply = await ctx.run(
      runAllScript,
      [source.key, q.pending, q.groups, ...ids.map((id) => q.task(id))],
      [source.state, source.group, toNanos(params.now), notifyChannel(ctx, q), ...ids],
    );
    count += asNumber(reply);
  }
  return { ok: true, count };
}

/** Moves a whole container to archived, then trims the archive. */
export async function archiveAll(
  ctx: BrokerContext,
  params: ArchiveAllParams,
): Promise<Result<"queue-not-found", { count: number }>> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  const source = await readSource(ctx, q, params);
  let count = 0;
  let needsTrim = false;
  for (const ids of batches(source.ids)) {
    const [moved, trim] = asArray(
      await ctx.run(
        archiveAllScript,
        [source.key, q.archived, q.groups, ...ids.map((id) => q.task(id))],
        [source.state, source.group, toScore(params.now), ...trimArgs(params.trim), ...ids],
      ),
    );
    count += asNumber(moved);
    needsTrim ||= asNumber(trim) === 1;
  }
  if (needsTrim) await trimArchive(ctx, q, params.trim);
  return { ok: true, count };
}

/** Deletes a whole container, releasing unique locks its tasks own. */
export async function deleteAll(
  ctx: BrokerContext,
  params: DeleteAllParams,
): Promise<Result<"queue-not-found", { count: number }>> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  const source = await readSource(ctx, q, params);
  let count = 0;
  for (const ids of batches(source.ids)) {
    const locks = await lockKeysOf(ctx, q, ids);
    const keys = [source.key, q.groups];
    const args = [source.state, source.group];
    for (const [index, id] of ids.entries()) {
      const [lock, release] = locks[index]!;
      keys.push(q.task(id), lock);
      args.push(id, release);
    }
    count += asNumber(await ctx.run(deleteAllScript, keys, args));
  }
  return { ok: true, count };
}
