import type { Cluster, Redis } from "ioredis";

// The one place the CLI sends a Redis command itself: `stats` shows the server's INFO (or
// CLUSTER INFO), which the Broker port does not carry.

/** INFO fields `stats` shows for a standalone server. */
const SERVER_FIELDS = [
  "redis_version",
  "uptime_in_days",
  "connected_clients",
  "used_memory_human",
  "used_memory_peak_human",
] as const;

/** CLUSTER INFO fields `stats` shows for a cluster. */
const CLUSTER_FIELDS = [
  "cluster_state",
  "cluster_slots_assigned",
  "cluster_slots_ok",
  "cluster_known_nodes",
  "cluster_size",
] as const;

/** What `stats` reports about the Redis deployment, with Redis's own field names. */
export interface RedisServerInfo {
  readonly mode: "standalone" | "cluster";
  readonly fields: Readonly<Record<string, string>>;
}

/** Reads INFO (standalone) or CLUSTER INFO plus one node's version (cluster). */
export async function readRedisInfo(client: Redis | Cluster): Promise<RedisServerInfo> {
  if (isCluster(client)) {
    const [clusterInfo, serverInfo] = await Promise.all([
      client.cluster("INFO") as Promise<string>,
      client.info("server"),
    ]);
    const fields = pick(parseInfo(clusterInfo), CLUSTER_FIELDS);
    const version = parseInfo(serverInfo).redis_version;
    return {
      mode: "cluster",
      fields: version === undefined ? fields : { redis_version: version, ...fields },
    };
  }
  return { mode: "standalone", fields: pick(parseInfo(await client.info()), SERVER_FIELDS) };
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}

/** Parses `key:value` lines of an INFO reply. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return fields;
}

function pick(fields: Record<string, string>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = fields[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
