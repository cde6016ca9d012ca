import type { RedisConnection } from "./connection.js";
import { ioredisFromUrl } from "./from-url.js";
import { type IoredisClient, IoredisConnection } from "./ioredis-connection.js";
import {
  type NodeRedisClient,
  type NodeRedisCluster,
  NodeRedisConnection,
} from "./node-redis-connection.js";

export type { RedisConnection } from "./connection.js";
export type { IoredisClient } from "./ioredis-connection.js";
export type { NodeRedisClient, NodeRedisCluster } from "./node-redis-connection.js";

/** Any client the broker accepts. */
export type RedisClientInput = IoredisClient | NodeRedisClient | NodeRedisCluster;

/** Wraps a client passed by the user (never closed by the broker). */
export function connectionForClient(client: RedisClientInput): RedisConnection {
  // ioredis (and ioredis-mock) define scripts as commands; node-redis clients do not.
  if (typeof (client as { defineCommand?: unknown }).defineCommand === "function") {
    return new IoredisConnection(client as IoredisClient, false);
  }
  return new NodeRedisConnection(client as NodeRedisClient | NodeRedisCluster);
}

/** Creates an ioredis client from a URL; the broker owns and closes it. */
export function connectionForUrl(url: string): RedisConnection {
  const client = ioredisFromUrl(url);
  // Errors also reach the caller through rejected commands; keep the event quiet.
  client.on("error", () => {});
  return new IoredisConnection(client, true);
}
