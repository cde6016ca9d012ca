import { hasErrorCode } from "@asynq-ts/core";
import { parseRedisInfo, sanitiseAddress, stripUrlCredentials } from "../redis-info/parse-info.js";
import { type ApiContext, json } from "./api-context.js";
import { ApiError } from "./api-error.js";
import { toSchedulerEnqueueEventJson, toSchedulerEntryJson, toServerJson } from "./conversions.js";
import { pageQuery } from "./request-input.js";
import type {
  DashboardConfigResponse,
  ListSchedulerEnqueueEventsResponse,
  ListSchedulerEntriesResponse,
  ListServersResponse,
  QueueLocationJson,
  RedisInfoResponse,
} from "./wire-types.js";

/** `GET /api/servers` */
export async function listServers(ctx: ApiContext): Promise<Response> {
  const servers = await ctx.settings.inspector.servers();
  const body: ListServersResponse = {
    servers: servers.map((server) => toServerJson(server, ctx.listText)),
  };
  return json(body);
}

/** `GET /api/scheduler_entries` */
export async function listSchedulerEntries(ctx: ApiContext): Promise<Response> {
  const entries = await ctx.settings.inspector.schedulerEntries();
  const body: ListSchedulerEntriesResponse = {
    entries: entries.map((entry) => toSchedulerEntryJson(entry, ctx.listText)),
  };
  return json(body);
}

/** `GET /api/scheduler_entries/{id}/enqueue_events?page=&size=`, newest first. */
export async function listSchedulerEnqueueEvents(
  ctx: ApiContext,
  entryId: string,
): Promise<Response> {
  const events = await ctx.settings.inspector.schedulerEnqueueEvents(entryId, pageQuery(ctx.query));
  const body: ListSchedulerEnqueueEventsResponse = {
    events: events.map(toSchedulerEnqueueEventJson),
  };
  return json(body);
}

/** Where each queue lives, for a cluster; a queue deleted meanwhile is left out. */
async function queueLocations(ctx: ApiContext): Promise<QueueLocationJson[]> {
  const { inspector } = ctx.settings;
  const locations: QueueLocationJson[] = [];
  for (const queue of await inspector.queues()) {
    try {
      const keyslot = await inspector.clusterKeySlot(queue);
      const nodes = await inspector.clusterNodes(queue);
      locations.push({ queue, keyslot, nodes: nodes.map((node) => node.address) });
    } catch (error) {
      if (hasErrorCode(error, "QUEUE_NOT_FOUND")) continue;
      // A cluster source over a broker that cannot locate keys: show the rest of the page.
      if (hasErrorCode(error, "NOT_SUPPORTED")) return [];
      throw error;
    }
  }
  return locations;
}

/**
 * `GET /api/redis_info`: INFO parsed and raw; for a cluster also CLUSTER NODES and the
 * queues' key slots. 404 `REDIS_INFO_NOT_CONFIGURED` without a source.
 */
export async function redisInfo(ctx: ApiContext): Promise<Response> {
  const source = ctx.settings.redisInfo;
  if (source === undefined) {
    throw new ApiError(
      404,
      "REDIS_INFO_NOT_CONFIGURED",
      "this dashboard was created without a redisInfo source",
    );
  }
  const rawInfo = stripUrlCredentials(await source.info());
  const clusterNodes = source.clusterNodes;
  const cluster = clusterNodes !== undefined;
  const body: RedisInfoResponse = {
    address: sanitiseAddress(source.address),
    info: parseRedisInfo(rawInfo),
    raw_info: rawInfo,
    cluster,
    raw_cluster_nodes: cluster ? stripUrlCredentials(await clusterNodes.call(source)) : "",
    queue_locations: cluster ? await queueLocations(ctx) : null,
  };
  return json(body);
}

/** `GET /api/config` (extension): what the UI needs to know about this mount. */
export function dashboardConfig(ctx: ApiContext, version: string): Response {
  const { settings } = ctx;
  const body: DashboardConfigResponse = {
    read_only: settings.readOnly,
    base_path: settings.basePath,
    poll_interval_seconds: settings.pollIntervalSeconds,
    redis_info: settings.redisInfo !== undefined,
    version,
  };
  return json(body);
}
