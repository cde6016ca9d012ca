import { createRequire } from "node:module";
import type { ConnectionOptions } from "node:tls";
import type { RedisSentinelOptions } from "redis";
import type { NodeRedisSentinel } from "./clients.js";
import type { SentinelDiscovery } from "./options.js";

/** The node-redis `createSentinel` options for a discovery setting. */
export function nodeRedisSentinelOptions(
  discovery: SentinelDiscovery,
  overrides: Partial<RedisSentinelOptions> = {},
): RedisSentinelOptions {
  const nodeSocket = socketOptions(discovery.tls);
  const sentinelSocket = socketOptions(discovery.sentinelTls);
  return {
    name: discovery.name,
    sentinelRootNodes: discovery.sentinels.map(({ host, port }) => ({ host, port })),
    nodeClientOptions: {
      ...(discovery.username === undefined ? {} : { username: discovery.username }),
      ...(discovery.password === undefined ? {} : { password: discovery.password }),
      ...(discovery.db === undefined ? {} : { database: discovery.db }),
      ...(nodeSocket === undefined ? {} : { socket: nodeSocket }),
    },
    sentinelClientOptions: {
      ...(discovery.sentinelUsername === undefined ? {} : { username: discovery.sentinelUsername }),
      ...(discovery.sentinelPassword === undefined ? {} : { password: discovery.sentinelPassword }),
      ...(sentinelSocket === undefined ? {} : { socket: sentinelSocket }),
    },
    ...overrides,
  };
}

/**
 * Creates and connects a node-redis sentinel; `redis` is loaded only here, so ioredis users
 * need not install it. Rejects when no sentinel names a reachable master.
 */
export async function createNodeRedisSentinel(
  options: RedisSentinelOptions,
): Promise<NodeRedisSentinel> {
  const require = createRequire(import.meta.url);
  const { createSentinel } = require("redis") as typeof import("redis");
  const sentinel = createSentinel(options) as unknown as NodeRedisSentinel;
  // Failovers close connections; errors also reach callers through rejected commands.
  sentinel.on("error", () => {});
  await sentinel.connect();
  return sentinel;
}

function socketOptions(
  tls: boolean | ConnectionOptions | undefined,
): ({ tls: true } & ConnectionOptions) | undefined {
  if (tls === undefined || tls === false) return undefined;
  return { ...(tls === true ? {} : tls), tls: true };
}
