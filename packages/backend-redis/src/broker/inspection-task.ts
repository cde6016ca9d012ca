import type {
  ArchiveTaskParams,
  DeleteTaskParams,
  Result,
  RunTaskParams,
  TaskState,
  UpdatePayloadParams,
} from "@asynq-ts/core";
import { asArray, asBytesOrNull, asStringOrNull } from "../connection/replies.js";
import { decodeTaskMessage, encodeTaskMessage } from "../encoding/index.js";
import type { QueueKeys } from "../keys.js";
import { archiveTaskScript } from "../scripts/archive-task.js";
import { deleteTaskScript } from "../scripts/delete-task.js";
import { runTaskScript } from "../scripts/run-task.js";
import { updateTaskPayloadScript } from "../scripts/update-task-payload.js";
import { toNanos, toScore } from "../units.js";
import { trimArchive, trimArgs } from "./archive-trim.js";
import { type BrokerContext, notifyChannel, scriptCode, unexpectedCode } from "./context.js";
import { queueExists } from "./inspection-reads.js";
import { lockKeysOf } from "./task-locks.js";
import { stateOf } from "./task-record.js";

const OK = { ok: true } as const;
const QUEUE_NOT_FOUND = { ok: false, reason: "queue-not-found" } as const;
const NOT_FOUND = { ok: false, reason: "not-found" } as const;
// Script code: the state or group changed between the read and the script.
const CHANGED = -9;
// Reads and retries when another client moves the task in between.
const MAX_ATTEMPTS = 5;

interface Located {
  readonly state: TaskState;
  readonly group: string;
  /** The list or zset holding the task in that state. */
  readonly container: string;
}

/** Reads where a task is: its state, group and container key; null when it does not exist. */
async function locate(ctx: BrokerContext, q: QueueKeys, taskId: string): Promise<Located | null> {
  const [stateReply, groupReply] = asArray(
    await ctx.send("HMGET", [q.task(taskId), "state", "group"]),
  );
  const state = stateOf(stateReply);
  if (state === null) return null;
  const group = asStringOrNull(groupReply) ?? "";
  const container = state === "aggregating" ? q.group(group) : q.container(state);
  return { state, group, container };
}

/** Runs one guarded task edge: locate, then the script, again while the task moved in between. */
async function withLocatedTask<R extends string>(
  ctx: BrokerContext,
  params: { readonly queue: string; readonly taskId: string },
  attempt: (q: QueueKeys, located: Located) => Promise<Result<R> | undefined>,
): Promise<Result<R | "queue-not-found" | "not-found">> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const located = await locate(ctx, q, params.taskId);
    if (located === null) return NOT_FOUND;
    const result = await attempt(q, located);
    if (result !== undefined) return result;
  }
  throw unexpectedCode(runTaskScript, CHANGED);
}

/** scheduled/retry/archived/completed/aggregating → pending. */
export function runTask(
  ctx: BrokerContext,
  params: Readonly<RunTaskParams>,
): Promise<Result<"queue-not-found" | "not-found" | "already-pending" | "active">> {
  return withLocatedTask(ctx, params, async (q, { state, group, container }) => {
    if (state === "active") return { ok: false, reason: "active" };
    if (state === "pending") return { ok: false, reason: "already-pending" };
    const code = scriptCode(
      runTaskScript,
      await ctx.run(
        runTaskScript,
        [q.task(params.taskId), q.pending, container, q.groups],
        [params.taskId, state, group, toNanos(params.now), notifyChannel(ctx, q)],
      ),
    );
    if (code === CHANGED) return undefined;
    if (code === 1) return OK;
    if (code === 0 || code === -3) return NOT_FOUND;
    if (code === -1) return { ok: false, reason: "active" };
    if (code === -2) return { ok: false, reason: "already-pending" };
    throw unexpectedCode(runTaskScript, code);
  });
}

/** pending/scheduled/retry/completed/aggregating → archived, then trims the archive. */
export function archiveTask(
  ctx: BrokerContext,
  params: Readonly<ArchiveTaskParams>,
): Promise<Result<"queue-not-found" | "not-found" | "already-archived" | "active">> {
  return withLocatedTask(ctx, params, async (q, { state, group, container }) => {
    if (state === "active") return { ok: false, reason: "active" };
    if (state === "archived") return { ok: false, reason: "already-archived" };
    const code = scriptCode(
      archiveTaskScript,
      await ctx.run(
        archiveTaskScript,
        [q.task(params.taskId), container, q.archived, q.groups],
        [params.taskId, state, group, toScore(params.now), ...trimArgs(params.trim)],
      ),
    );
    if (code === CHANGED) return undefined;
    if (code === 1 || code === 2) {
      if (code === 2) await trimArchive(ctx, q, params.trim);
      return OK;
    }
    if (code === 0 || code === -3) return NOT_FOUND;
    if (code === -1) return { ok: false, reason: "active" };
    if (code === -2) return { ok: false, reason: "already-archived" };
    throw unexpectedCode(archiveTaskScript, code);
  });
}

/** Deletes a non-active task, releasing the unique lock it owns. */
export function deleteTask(
  ctx: BrokerContext,
  params: Readonly<DeleteTaskParams>,
): Promise<Result<"queue-not-found" | "not-found" | "active">> {
  return withLocatedTask(ctx, params, async (q, { state, group, container }) => {
    if (state === "active") return { ok: false, reason: "active" };
    const [[lock, release]] = (await lockKeysOf(ctx, q, [params.taskId])) as [[string, "1" | "0"]];
    const code = scriptCode(
      deleteTaskScript,
      await ctx.run(
        deleteTaskScript,
        [q.task(params.taskId), container, q.groups, lock],
        [params.taskId, state, group, release],
      ),
    );
    if (code === CHANGED) return undefined;
    if (code === 1) return OK;
    if (code === 0 || code === -3) return NOT_FOUND;
    if (code === -1) return { ok: false, reason: "active" };
    throw unexpectedCode(deleteTaskScript, code);
  });
}

/** Replaces the payload of a scheduled task, keeping everything else. */
export async function updateTaskPayload(
  ctx: BrokerContext,
  params: Readonly<UpdatePayloadParams>,
): Promise<Result<"queue-not-found" | "not-found" | "not-scheduled">> {
  if (!(await queueExists(ctx, params.queue))) return QUEUE_NOT_FOUND;
  const q = ctx.keys.queue(params.queue);
  const task = q.task(params.taskId);
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const [stateReply, msgReply] = asArray(await ctx.send("HMGET", [task, "state", "msg"]));
    const state = stateOf(stateReply);
    const stored = asBytesOrNull(msgReply);
    if (state === null || stored === null) return NOT_FOUND;
    if (state !== "scheduled") return { ok: false, reason: "not-scheduled" };
    const updated = encodeTaskMessage({ ...decodeTaskMessage(stored), payload: params.payload });
    const code = scriptCode(
      updateTaskPayloadScript,
      await ctx.run(updateTaskPayloadScript, [task], [stored, updated]),
    );
    if (code === 1) return OK;
    if (code === 0) return NOT_FOUND;
    if (code === -1) return { ok: false, reason: "not-scheduled" };
    if (code !== CHANGED) throw unexpectedCode(updateTaskPayloadScript, code);
  }
  throw unexpectedCode(updateTaskPayloadScript, CHANGED);
}
