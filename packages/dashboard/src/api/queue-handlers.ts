import { hasErrorCode, InvalidArgumentError, type QueueInfo } from "@asynq-ts/core";
import { type ApiContext, json, noContent } from "./api-context.js";
import { toGroupJson, toHistoryJson, toQueueJson } from "./conversions.js";
import type {
  GetQueueResponse,
  ListGroupsResponse,
  ListQueueStatsResponse,
  ListQueuesResponse,
} from "./wire-types.js";

/** Days of history `GET /api/queues/{q}` returns. */
export const QUEUE_HISTORY_DAYS = 10;
/** Days of history `GET /api/queue_stats` returns per queue. */
export const QUEUE_STATS_DAYS = 90;

/** Reads a queue's info, or undefined when it vanished since it was listed. */
async function infoIfPresent(ctx: ApiContext, queue: string): Promise<QueueInfo | undefined> {
  try {
    return await ctx.settings.inspector.queueInfo(queue);
  } catch (error) {
    if (hasErrorCode(error, "QUEUE_NOT_FOUND")) return undefined;
    throw error;
  }
}

/** `GET /api/queues` */
export async function listQueues(ctx: ApiContext): Promise<Response> {
  const names = await ctx.settings.inspector.queues();
  const infos = await Promise.all(names.map((name) => infoIfPresent(ctx, name)));
  const body: ListQueuesResponse = {
    queues: infos.filter((info) => info !== undefined).map(toQueueJson),
  };
  return json(body);
}

/** `GET /api/queues/{q}`: now and the last 10 days, oldest first. */
export async function getQueue(ctx: ApiContext, queue: string): Promise<Response> {
  const { inspector } = ctx.settings;
  const info = await inspector.queueInfo(queue);
  const history = await inspector.history(queue, QUEUE_HISTORY_DAYS);
  const body: GetQueueResponse = { current: toQueueJson(info), history: toHistoryJson(history) };
  return json(body);
}

/**
 * `DELETE /api/queues/{q}`: 204; 409 `QUEUE_NOT_EMPTY` while it holds tasks unless
 * `?force=true` (an extension; still 409 while a task is active).
 */
export async function deleteQueue(ctx: ApiContext, queue: string): Promise<Response> {
  const force = ctx.query.get("force");
  if (force !== null && force !== "true" && force !== "false") {
    throw new InvalidArgumentError("force", "must be true or false");
  }
  await ctx.settings.inspector.deleteQueue(queue, { force: force === "true" });
  return noContent();
}

/** `POST /api/queues/{q}:pause` */
export async function pauseQueue(ctx: ApiContext, queue: string): Promise<Response> {
  await ctx.settings.inspector.pauseQueue(queue);
  return noContent();
}

/** `POST /api/queues/{q}:resume` */
export async function resumeQueue(ctx: ApiContext, queue: string): Promise<Response> {
  await ctx.settings.inspector.unpauseQueue(queue);
  return noContent();
}

/** `GET /api/queue_stats`: 90 days per queue, oldest first. */
export async function listQueueStats(ctx: ApiContext): Promise<Response> {
  const { inspector } = ctx.settings;
  const names = await inspector.queues();
  const stats: Record<string, ReturnType<typeof toHistoryJson>> = {};
  for (const name of names) {
    try {
      stats[name] = toHistoryJson(await inspector.history(name, QUEUE_STATS_DAYS));
    } catch (error) {
      // A queue deleted between the listing and its history read is simply left out.
      if (!hasErrorCode(error, "QUEUE_NOT_FOUND")) throw error;
    }
  }
  const body: ListQueueStatsResponse = { stats };
  return json(body);
}

/** `GET /api/queues/{q}/groups` */
export async function listGroups(ctx: ApiContext, queue: string): Promise<Response> {
  const { inspector } = ctx.settings;
  const info = await inspector.queueInfo(queue);
  const groups = await inspector.groups(queue);
  const body: ListGroupsResponse = { stats: toQueueJson(info), groups: groups.map(toGroupJson) };
  return json(body);
}
