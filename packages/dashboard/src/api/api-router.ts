import type { TaskState } from "@asynq-ts/core";
import type { ApiContext } from "./api-context.js";
import { ApiError } from "./api-error.js";
import type { ApiPath } from "./api-path.js";
import {
  dashboardConfig,
  listSchedulerEnqueueEvents,
  listSchedulerEntries,
  listServers,
  redisInfo,
} from "./info-handlers.js";
import {
  deleteQueue,
  getQueue,
  listGroups,
  listQueueStats,
  listQueues,
  pauseQueue,
  resumeQueue,
} from "./queue-handlers.js";
import { readBatchIds } from "./request-input.js";
import {
  type CollectionVerb,
  methodOfCollectionVerb,
  STATE_ACTIONS,
  stateOfSegment,
  type TaskVerb,
} from "./state-actions.js";
import {
  allAction,
  batchAction,
  cancelAll,
  getTask,
  listTasks,
  searchTasks,
  taskAction,
} from "./task-handlers.js";

/** The handlers of one API path, by HTTP method. */
type Methods = Partial<Record<"GET" | "POST" | "DELETE", () => Promise<Response> | Response>>;

const notFound = (): ApiError => new ApiError(404, "NOT_FOUND", "no such API endpoint");

/** Routes `{state}_tasks` and `groups/{g}/aggregating_tasks` (with verbs and task IDs). */
function taskRoutes(
  ctx: ApiContext,
  queue: string,
  state: TaskState,
  group: string | undefined,
  taskId: string | undefined,
  verb: string | undefined,
): Methods | undefined {
  const actions = STATE_ACTIONS[state];
  if (taskId === undefined) {
    if (verb === undefined) return { GET: () => listTasks(ctx, queue, state, group) };
    if (!(actions.collection as readonly string[]).includes(verb)) return undefined;
    const v = verb as CollectionVerb;
    const run = async (): Promise<Response> => {
      switch (v) {
        case "cancel_all":
          return cancelAll(ctx, queue);
        case "delete_all":
        case "run_all":
        case "archive_all":
          return allAction(ctx, queue, state, group, v);
        default:
          return batchAction(ctx, queue, await readBatchIds(ctx.request), v);
      }
    };
    return { [methodOfCollectionVerb(v)]: run };
  }
  if (verb === undefined) {
    return actions.task.includes("delete")
      ? { DELETE: () => taskAction(ctx, queue, taskId, "delete") }
      : undefined;
  }
  if (verb === "delete" || !(actions.task as readonly string[]).includes(verb)) return undefined;
  const v = verb as Exclude<TaskVerb, "delete">;
  return { POST: () => taskAction(ctx, queue, taskId, v) };
}

/** Routes everything under `/api/queues/{q}`. */
function queueRoutes(
  ctx: ApiContext,
  rest: readonly string[],
  verb: string | undefined,
): Methods | undefined {
  const [queue, second, third, fourth, fifth, ...extra] = rest;
  if (queue === undefined || queue === "" || extra.length > 0) return undefined;
  if (second === undefined) {
    if (verb === undefined) {
      return { GET: () => getQueue(ctx, queue), DELETE: () => deleteQueue(ctx, queue) };
    }
    if (verb === "pause") return { POST: () => pauseQueue(ctx, queue) };
    if (verb === "resume") return { POST: () => resumeQueue(ctx, queue) };
    return undefined;
  }
  if (second === "groups") {
    if (third === undefined)
      return verb === undefined ? { GET: () => listGroups(ctx, queue) } : undefined;
    if (fourth !== "aggregating_tasks" || third === "") return undefined;
    if (fifth === "") return undefined;
    return taskRoutes(ctx, queue, "aggregating", third, fifth, verb);
  }
  if (fourth !== undefined) return undefined;
  if (second === "search" && third === undefined && verb === undefined) {
    return { GET: () => searchTasks(ctx, queue) };
  }
  if (second === "tasks") {
    if (third === undefined || third === "" || verb !== undefined) return undefined;
    return { GET: () => getTask(ctx, queue, third) };
  }
  const state = stateOfSegment(second);
  // Aggregating tasks are listed per group only, as in asynqmon.
  if (state === undefined || state === "aggregating" || third === "") return undefined;
  return taskRoutes(ctx, queue, state, undefined, third, verb);
}

/** The handlers for an API path, or undefined when no endpoint has that path. */
function routesFor(ctx: ApiContext, path: ApiPath, version: string): Methods | undefined {
  const [first, ...rest] = path.segments;
  const { verb } = path;
  if (first === "queues") {
    if (rest.length === 0) return verb === undefined ? { GET: () => listQueues(ctx) } : undefined;
    return queueRoutes(ctx, rest, verb);
  }
  if (verb !== undefined) return undefined;
  if (first === "scheduler_entries") {
    if (rest.length === 0) return { GET: () => listSchedulerEntries(ctx) };
    const [entryId, events, ...extra] = rest;
    if (
      entryId === undefined ||
      entryId === "" ||
      events !== "enqueue_events" ||
      extra.length > 0
    ) {
      return undefined;
    }
    return { GET: () => listSchedulerEnqueueEvents(ctx, entryId) };
  }
  if (rest.length > 0) return undefined;
  switch (first) {
    case "queue_stats":
      return { GET: () => listQueueStats(ctx) };
    case "servers":
      return { GET: () => listServers(ctx) };
    case "redis_info":
      return { GET: () => redisInfo(ctx) };
    case "config":
      return { GET: () => dashboardConfig(ctx, version) };
    case "metrics":
      throw new ApiError(
        404,
        "METRICS_NOT_SUPPORTED",
        "the Prometheus metrics page is not served; use @asynq-ts/metrics with your own Prometheus",
      );
    default:
      return undefined;
  }
}

/**
 * Answers an API request: 404 `NOT_FOUND` for an unknown path, 405 `METHOD_NOT_ALLOWED`
 * (with `Allow`) for a known path and the wrong method. HEAD is answered as GET.
 */
export async function dispatchApi(
  ctx: ApiContext,
  path: ApiPath,
  version: string,
): Promise<Response> {
  const methods = routesFor(ctx, path, version);
  if (methods === undefined) throw notFound();
  const method = ctx.request.method === "HEAD" ? "GET" : ctx.request.method;
  const handler = methods[method as keyof Methods];
  if (handler === undefined) {
    const allow = Object.keys(methods);
    if (allow.includes("GET")) allow.push("HEAD");
    throw new ApiError(405, "METHOD_NOT_ALLOWED", `${ctx.request.method} is not allowed here`, {
      Allow: allow.join(", "),
    });
  }
  return handler();
}
