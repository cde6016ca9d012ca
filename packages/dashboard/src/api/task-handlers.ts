import type {
  ArchivableState,
  DeletableState,
  GroupOption,
  RunnableState,
  TaskInfo,
  TaskState,
} from "@asynq-ts/core";
import { type ApiContext, json, noContent } from "./api-context.js";
import { ApiError } from "./api-error.js";
import { type TextPolicy, toGroupJson, toQueueJson, toTaskJson, workersOf } from "./conversions.js";
import { optionalParam, pageQuery } from "./request-input.js";
import type {
  ArchiveAllTasksResponse,
  BatchArchiveTasksResponse,
  BatchCancelTasksResponse,
  BatchDeleteTasksResponse,
  BatchRunTasksResponse,
  DeleteAllTasksResponse,
  ListAggregatingTasksResponse,
  ListTasksResponse,
  RunAllTasksResponse,
  SearchTasksResponse,
  TaskJson,
} from "./wire-types.js";

const groupOption = (group: string | undefined): GroupOption =>
  group === undefined ? {} : { group };

/** Tasks as JSON; active ones get their worker's start time from the live servers. */
async function tasksJson(
  ctx: ApiContext,
  queue: string,
  tasks: readonly TaskInfo[],
  policy: TextPolicy,
): Promise<TaskJson[]> {
  const now = Date.now();
  const anyActive = tasks.some((task) => task.state === "active");
  const workers = anyActive ? workersOf(await ctx.settings.inspector.servers(), queue) : undefined;
  return tasks.map((task) => toTaskJson(task, policy, now, workers?.get(task.id)));
}

/**
 * `GET /api/queues/{q}/{state}_tasks?page=&size=` and
 * `GET /api/queues/{q}/groups/{g}/aggregating_tasks` (which adds the queue's groups).
 */
export async function listTasks(
  ctx: ApiContext,
  queue: string,
  state: TaskState,
  group: string | undefined,
): Promise<Response> {
  const { inspector } = ctx.settings;
  const { page, pageSize } = pageQuery(ctx.query);
  const tasks = await inspector.listTasks(queue, state, { page, pageSize, ...groupOption(group) });
  const stats = toQueueJson(await inspector.queueInfo(queue));
  const body: ListTasksResponse = {
    tasks: await tasksJson(ctx, queue, tasks, ctx.listText),
    stats,
  };
  if (state !== "aggregating") return json(body);
  const groups = await inspector.groups(queue);
  const withGroups: ListAggregatingTasksResponse = { ...body, groups: groups.map(toGroupJson) };
  return json(withGroups);
}

/** `GET /api/queues/{q}/search?state=&type=&payload=&group=&page=&size=` (extension). */
export async function searchTasks(ctx: ApiContext, queue: string): Promise<Response> {
  const { inspector } = ctx.settings;
  const state = optionalParam(ctx.query, "state");
  if (state === undefined) throw new ApiError(400, "INVALID_ARGUMENT", "state: is required");
  const { page, pageSize } = pageQuery(ctx.query);
  const type = optionalParam(ctx.query, "type");
  const payload = optionalParam(ctx.query, "payload");
  const group = optionalParam(ctx.query, "group");
  const found = await inspector.searchTasks(queue, state as TaskState, {
    page,
    pageSize,
    ...(type === undefined ? {} : { type }),
    ...(payload === undefined ? {} : { payloadContains: payload }),
    ...groupOption(group),
  });
  const stats = toQueueJson(await inspector.queueInfo(queue));
  const body: SearchTasksResponse = {
    tasks: await tasksJson(ctx, queue, found.tasks, ctx.listText),
    stats,
    scanned: found.scanned,
    truncated: found.truncated,
  };
  return json(body);
}

/** `GET /api/queues/{q}/tasks/{id}`: one task with the task page's (larger) caps. */
export async function getTask(ctx: ApiContext, queue: string, taskId: string): Promise<Response> {
  const task = await ctx.settings.inspector.taskInfo(queue, taskId);
  const [body] = await tasksJson(ctx, queue, [task], ctx.detailText);
  return json(body);
}

/** `DELETE …/{id}`, `POST …/{id}:run|:archive|:cancel`: 204. */
export async function taskAction(
  ctx: ApiContext,
  queue: string,
  taskId: string,
  verb: "delete" | "run" | "archive" | "cancel",
): Promise<Response> {
  const { inspector } = ctx.settings;
  switch (verb) {
    case "delete":
      await inspector.deleteTask(queue, taskId);
      break;
    case "run":
      await inspector.runTask(queue, taskId);
      break;
    case "archive":
      await inspector.archiveTask(queue, taskId);
      break;
    case "cancel":
      await inspector.cancelProcessing(taskId);
      break;
  }
  return noContent();
}

/** Pages through the queue's active tasks (asynqmon's batch of 100) and asks each to stop. */
export async function cancelAll(ctx: ApiContext, queue: string): Promise<Response> {
  const { inspector } = ctx.settings;
  const pageSize = 100;
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const tasks = await inspector.listTasks(queue, "active", { page, pageSize });
    ids.push(...tasks.map((task) => task.id));
    if (tasks.length < pageSize) break;
  }
  // Collected first: a cancelled task leaving the list must not shift later pages.
  for (const id of ids) await inspector.cancelProcessing(id);
  return noContent();
}

/** `:delete_all` → `{deleted}`, `:run_all` → `{scheduled}`, `:archive_all` → `{archived}`. */
export async function allAction(
  ctx: ApiContext,
  queue: string,
  state: TaskState,
  group: string | undefined,
  verb: "delete_all" | "run_all" | "archive_all",
): Promise<Response> {
  const { inspector } = ctx.settings;
  const options = groupOption(group);
  switch (verb) {
    case "delete_all":
      return json<DeleteAllTasksResponse>({
        deleted: await inspector.deleteAll(queue, state as DeletableState, options),
      });
    case "run_all":
      return json<RunAllTasksResponse>({
        scheduled: await inspector.runAll(queue, state as RunnableState, options),
      });
    case "archive_all":
      return json<ArchiveAllTasksResponse>({
        archived: await inspector.archiveAll(queue, state as ArchivableState, options),
      });
  }
}

/** Applies `apply` to each ID in order; an ID that fails is reported, never aborts the rest. */
async function eachId(
  ids: readonly string[],
  apply: (id: string) => Promise<void>,
): Promise<{ done: string[]; failed: string[] }> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const id of ids) {
    try {
      await apply(id);
      done.push(id);
    } catch {
      failed.push(id);
    }
  }
  return { done, failed };
}

/** `:batch_delete|_run|_archive|_cancel` with `{task_ids}`: which IDs succeeded and failed. */
export async function batchAction(
  ctx: ApiContext,
  queue: string,
  ids: readonly string[],
  verb: "batch_delete" | "batch_run" | "batch_archive" | "batch_cancel",
): Promise<Response> {
  const { inspector } = ctx.settings;
  switch (verb) {
    case "batch_delete": {
      const r = await eachId(ids, (id) => inspector.deleteTask(queue, id));
      return json<BatchDeleteTasksResponse>({ deleted_ids: r.done, failed_ids: r.failed });
    }
    case "batch_run": {
      const r = await eachId(ids, (id) => inspector.runTask(queue, id));
      return json<BatchRunTasksResponse>({ pending_ids: r.done, error_ids: r.failed });
    }
    case "batch_archive": {
      const r = await eachId(ids, (id) => inspector.archiveTask(queue, id));
      return json<BatchArchiveTasksResponse>({ archived_ids: r.done, error_ids: r.failed });
    }
    case "batch_cancel": {
      const r = await eachId(ids, (id) => inspector.cancelProcessing(id));
      return json<BatchCancelTasksResponse>({ canceled_ids: r.done, error_ids: r.failed });
    }
  }
}
