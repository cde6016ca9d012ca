import type {
  ClearSchedulerEntriesParams,
  ClearServerStateParams,
  ListSchedulerEventsParams,
  RecordSchedulerEventParams,
  SchedulerEnqueueEvent,
  SchedulerEntry,
  ServerInfo,
  WorkerInfo,
  WriteSchedulerEntriesParams,
  WriteServerStateParams,
} from "@asynq-ts/core";
import { asArray, asBytesOrNull, asStrings } from "../connection/replies.js";
import {
  decodeSchedulerEnqueueEvent,
  decodeSchedulerEntry,
  decodeServerInfo,
  decodeWorkerInfo,
  encodeSchedulerEnqueueEvent,
  encodeSchedulerEntry,
  encodeServerInfo,
  encodeWorkerInfo,
} from "../encoding/index.js";
import { recordSchedulerEventScript } from "../scripts/record-scheduler-event.js";
import { writeSchedulerEntriesScript } from "../scripts/write-scheduler-entries.js";
import { writeServerStateScript } from "../scripts/write-server-state.js";
import { toScore, ttlUntil } from "../units.js";
import type { BrokerContext } from "./context.js";

/**
 * Replaces a server's record and workers. The index zsets are global keys in other slots, so
 * they are written with plain commands beside the script, as Go asynq does.
 */
export async function writeServerState(
  ctx: BrokerContext,
  params: Readonly<WriteServerStateParams>,
): Promise<void> {
  const { host, pid, serverId } = params.server;
  const serverKey = ctx.keys.server(host, pid, serverId);
  const workersKey = ctx.keys.workersOf(host, pid, serverId);
  const expiry = toScore(params.now + params.ttl);
  const args: (string | Uint8Array)[] = [
    ttlUntil(params.now + params.ttl, params.now),
    encodeServerInfo(params.server),
  ];
  for (const worker of params.workers) args.push(worker.taskId, encodeWorkerInfo(worker));
  await Promise.all([
    ctx.send("ZADD", [ctx.keys.servers, expiry, serverKey]),
    ctx.send("ZADD", [ctx.keys.workers, expiry, workersKey]),
    ctx.run(writeServerStateScript, [serverKey, workersKey], args),
  ]);
}

/** Removes a server's records and index entries. */
export async function clearServerState(
  ctx: BrokerContext,
  params: Readonly<ClearServerStateParams>,
): Promise<void> {
  const serverKey = ctx.keys.server(params.host, params.pid, params.serverId);
  const workersKey = ctx.keys.workersOf(params.host, params.pid, params.serverId);
  await Promise.all([
    ctx.send("ZREM", [ctx.keys.servers, serverKey]),
    ctx.send("ZREM", [ctx.keys.workers, workersKey]),
    ctx.send("DEL", [serverKey, workersKey]),
  ]);
}

/** Live members of an index zset (score ≥ now), pruning the stale ones as Go asynq does. */
async function liveMembers(ctx: BrokerContext, index: string, now: number): Promise<string[]> {
  const nowScore = toScore(now);
  const [members] = await Promise.all([
    ctx.send("ZRANGEBYSCORE", [index, nowScore, "+inf"]),
    ctx.send("ZREMRANGEBYSCORE", [index, "-inf", `(${nowScore}`]),
  ]);
  return asStrings(members);
}

/** Unexpired servers. */
export async function listServers(
  ctx: BrokerContext,
  params: Readonly<{ now: number }>,
): Promise<readonly ServerInfo[]> {
  const keys = await liveMembers(ctx, ctx.keys.servers, params.now);
  const values = await Promise.all(keys.map((key) => ctx.send("GET", [key])));
  return values.flatMap((value) => {
    const bytes = asBytesOrNull(value);
    return bytes === null ? [] : [decodeServerInfo(bytes)];
  });
}

/** Workers of unexpired servers. */
export async function listWorkers(
  ctx: BrokerContext,
  params: Readonly<{ now: number }>,
): Promise<readonly WorkerInfo[]> {
  const keys = await liveMembers(ctx, ctx.keys.workers, params.now);
  const hashes = await Promise.all(keys.map((key) => ctx.send("HVALS", [key])));
  return hashes.flatMap((values) =>
    asArray(values).map((value) => decodeWorkerInfo(asBytesOrNull(value) ?? new Uint8Array())),
  );
}

/** Replaces a scheduler's entries. */
export async function writeSchedulerEntries(
  ctx: BrokerContext,
  params: Readonly<WriteSchedulerEntriesParams>,
): Promise<void> {
  const key = ctx.keys.schedulerEntries(params.schedulerId);
  await Promise.all([
    ctx.send("ZADD", [ctx.keys.schedulers, toScore(params.now + params.ttl), key]),
    ctx.run(
      writeSchedulerEntriesScript,
      [key],
      [ttlUntil(params.now + params.ttl, params.now), ...params.entries.map(encodeSchedulerEntry)],
    ),
  ]);
}

/** Removes a scheduler's entries. */
export async function clearSchedulerEntries(
  ctx: BrokerContext,
  params: Readonly<ClearSchedulerEntriesParams>,
): Promise<void> {
  const key = ctx.keys.schedulerEntries(params.schedulerId);
  await Promise.all([ctx.send("ZREM", [ctx.keys.schedulers, key]), ctx.send("DEL", [key])]);
}

/** Entries of unexpired schedulers, each scheduler's in the order it wrote them. */
export async function listSchedulerEntries(
  ctx: BrokerContext,
  params: Readonly<{ now: number }>,
): Promise<readonly SchedulerEntry[]> {
  const keys = await liveMembers(ctx, ctx.keys.schedulers, params.now);
  const lists = await Promise.all(keys.map((key) => ctx.send("LRANGE", [key, "0", "-1"])));
  // Entries were LPUSHed in order, so the list holds them reversed.
  return lists.flatMap((list) =>
    asArray(list)
      .map((value) => decodeSchedulerEntry(asBytesOrNull(value) ?? new Uint8Array()))
      .reverse(),
  );
}

/** Records one enqueue of a scheduler entry, keeping the newest `maxEvents`. */
export async function recordSchedulerEvent(
  ctx: BrokerContext,
  params: Readonly<RecordSchedulerEventParams>,
): Promise<void> {
  await ctx.run(
    recordSchedulerEventScript,
    [ctx.keys.schedulerHistory(params.entryId)],
    [
      toScore(params.event.enqueuedAt),
      encodeSchedulerEnqueueEvent(params.event),
      String(params.maxEvents),
    ],
  );
}

/** An entry's events, newest first. */
export async function listSchedulerEvents(
  ctx: BrokerContext,
  params: Readonly<ListSchedulerEventsParams>,
): Promise<readonly SchedulerEnqueueEvent[]> {
  if (params.limit <= 0) return [];
  const reply = await ctx.send("ZREVRANGE", [
    ctx.keys.schedulerHistory(params.entryId),
    String(params.offset),
    String(params.offset + params.limit - 1),
  ]);
  return asArray(reply).map((value) =>
    decodeSchedulerEnqueueEvent(asBytesOrNull(value) ?? new Uint8Array()),
  );
}

/** Deletes an entry's history. */
export async function clearSchedulerHistory(
  ctx: BrokerContext,
  params: Readonly<{ entryId: string }>,
): Promise<void> {
  await ctx.send("DEL", [ctx.keys.schedulerHistory(params.entryId)]);
}
