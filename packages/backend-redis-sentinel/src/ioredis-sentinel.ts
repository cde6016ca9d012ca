import { createRequire } from "node:module";
import type { ConnectionOptions } from "node:tls";
import type { Redis, RedisOptions } from "ioredis";
import type { SentinelDiscovery } from "./options.js";

/**
 * The ioredis options for a master discovered through sentinels. `failoverDetector` is on:
 * ioredis then watches the sentinels' `+switch-master` and moves within ~1 s of a failover;
 * without it, writes keep going to the demoted master for ~10 s and are lost.
 */
export function ioredisSentinelOptions(
  discovery: SentinelDiscovery,
  overrides: Partial<RedisOptions> = {},
): RedisOptions {
  const { tls, sentinelTls } = discovery;
  return {
    sentinels: discovery.sentinels.map(({ host, port }) => ({ host, port })),
    name: discovery.name,
    failoverDetector: true,
    ...(discovery.username === undefined ? {} : { username: discovery.username }),
    ...(discovery.password === undefined ? {} : { password: discovery.password }),
    ...(discovery.sentinelUsername === undefined
      ? {}
      : { sentinelUsername: discovery.sentinelUsername }),
    ...(discovery.sentinelPassword === undefined
      ? {}
      : { sentinelPassword: discovery.sentinelPassword }),
    ...(discovery.db === undefined ? {} : { db: discovery.db }),
    // ioredis takes the data nodes' TLS from `tls` only with `enableTLSForSentinelMode`.
    ...(tls === undefined || tls === false
      ? {}
      : { tls: tlsOptions(tls), enableTLSForSentinelMode: true }),
    ...(sentinelTls === undefined || sentinelTls === false
      ? {}
      : { sentinelTLS: tlsOptions(sentinelTls) }),
    ...overrides,
  };
}

/** Creates the ioredis client; ioredis is loaded only here, so node-redis users need not install it. */
export function createIoredisSentinel(options: RedisOptions): Redis {
  const require = createRequire(import.meta.url);
  const { Redis: RedisClass } = require("ioredis") as typeof import("ioredis");
  const client = new RedisClass(options);
  // Failovers close connections; errors also reach callers through rejected commands.
  client.on("error", () => {});
  return client;
}

function tlsOptions(tls: true | ConnectionOptions): ConnectionOptions {
  return tls === true ? {} : tls;
}
