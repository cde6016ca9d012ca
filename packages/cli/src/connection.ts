import { createRedisBroker } from "@asynq-ts/backend-redis";
import { createSentinelBroker, ioredisSentinelOptions } from "@asynq-ts/backend-redis-sentinel";
import { type Broker, Client, Inspector } from "@asynq-ts/core";
import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { ConnectionSettings } from "./connection-settings.js";
import { CliError } from "./errors.js";
import { type RedisServerInfo, readRedisInfo } from "./redis-info.js";
import { describeTarget, type RedisTarget, targetOf } from "./redis-target.js";

/** An open connection: the core Inspector and Client over a Redis broker. */
export interface Backend {
  readonly inspector: Inspector;
  readonly client: Client;
  /** Where it is connected, password removed. */
  readonly label: string;
  /** True on Redis Cluster (queue key slots and nodes can be shown). */
  readonly clustered: boolean;
  /** Redis INFO for `stats`. */
  redisInfo(): Promise<RedisServerInfo>;
  /** The ioredis client under the broker (the web dashboard's Redis page reads INFO from it). */
  readonly redis: Redis | Cluster;
  close(): Promise<void>;
}

/** How the connection behaves once open. */
export interface OpenOptions {
  /** Reconnect after a lost connection (the dashboard); one-shot commands fail instead. */
  readonly reconnect?: boolean;
}

// One-shot commands give up on a stalled server instead of hanging.
const COMMAND_TIMEOUT_MS = 30_000;

/**
 * Connects to Redis as the settings say and wraps the client in `createRedisBroker`
 * (`createSentinelBroker` for redis-sentinel:// URIs, following the master). The first
 * connection attempt is bounded by `connectTimeoutMs` and never retried, so a wrong address or
 * a server that is down fails in seconds with one line saying why.
 */
export async function openBackend(
  settings: ConnectionSettings,
  options: OpenOptions = {},
): Promise<Backend> {
  const target = targetOf(settings);
  const label = describeTarget(target);
  let connected = false;
  let lastError: Error | undefined;
  const retryStrategy = (times: number): number | null =>
    connected && options.reconnect ? Math.min(times * 250, 2_000) : null;
  const client = createClient(target, settings, retryStrategy);
  client.on("error", (error: Error) => {
    lastError = error;
  });
  client.on("node error", (error: Error) => {
    lastError = error;
  });

  try {
    // Resolves once the client is ready (a cluster: once it knows the slots).
    await withTimeout(client.connect(), settings.connectTimeoutMs);
    connected = true;
  } catch (error) {
    client.disconnect();
    const settingNames =
      target.kind === "cluster"
        ? "--cluster-addrs, ASYNQ_CLUSTER_ADDRS or cluster_addrs"
        : "--uri, ASYNQ_URI or uri";
    const reason = reasonOf(error, lastError, settings.connectTimeoutMs, settingNames);
    throw new CliError(`cannot connect to Redis at ${label}: ${reason}`, 1, { cause: error });
  }

  let broker: Broker;
  try {
    broker =
      target.kind === "sentinel"
        ? await createSentinelBroker({ client: client as Redis, prefix: settings.prefix })
        : createRedisBroker({ client, prefix: settings.prefix });
  } catch (error) {
    client.disconnect();
    throw error;
  }
  const inspector = new Inspector(broker);
  return {
    inspector,
    client: new Client(broker),
    label,
    clustered: target.kind === "cluster",
    // On Sentinel the client is the master's: INFO describes the master.
    redisInfo: () => readRedisInfo(client),
    redis: client,
    close: async () => {
      await inspector.close();
      await broker.close();
      client.disconnect();
    },
  };
}

function createClient(
  target: RedisTarget,
  settings: ConnectionSettings,
  retryStrategy: (times: number) => number | null,
): Redis | Cluster {
  const connection: RedisOptions = {
    lazyConnect: true,
    connectTimeout: settings.connectTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy,
  };
  if (target.kind === "sentinel") {
    // The sentinel package's options (failover detector on), with the CLI's bounded retries.
    return new Redis(
      ioredisSentinelOptions(target.discovery, {
        ...connection,
        sentinelRetryStrategy: retryStrategy,
        commandTimeout: COMMAND_TIMEOUT_MS,
      }),
    );
  }
  const common: RedisOptions = {
    ...connection,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
  };
  switch (target.kind) {
    case "standalone":
      return new Redis({
        ...common,
        host: target.address.host,
        port: target.address.port,
        db: target.db,
        commandTimeout: COMMAND_TIMEOUT_MS,
        ...(target.tls === undefined ? {} : { tls: target.tls }),
      });
    case "socket":
      return new Redis({ ...common, path: target.path, db: target.db });
    case "cluster":
      return new Cluster(
        target.nodes.map(({ host, port }) => ({ host, port })),
        {
          lazyConnect: true,
          clusterRetryStrategy: retryStrategy,
          slotsRefreshTimeout: settings.connectTimeoutMs,
          redisOptions: {
            ...common,
            ...(target.tls === undefined ? {} : { tls: target.tls }),
          },
        },
      );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

class ConnectTimeout extends Error {}

// ioredis's generic messages, which say nothing about the cause.
const UNINFORMATIVE = /^(Connection is closed\.|Failed to refresh slots cache\.)$/;

/** The most telling reason: ioredis rejects with "Connection is closed", the events say why. */
function reasonOf(
  error: unknown,
  lastError: Error | undefined,
  timeoutMs: number,
  settingNames: string,
): string {
  if (error instanceof ConnectTimeout) {
    return `no answer within ${timeoutMs / 1000} s (is the address right? see --connect-timeout)`;
  }
  const nested = (lastError as { lastNodeError?: Error } | undefined)?.lastNodeError;
  const messages = [nested, lastError, error]
    .map((e) => (e instanceof Error ? e.message : e === undefined ? undefined : String(e)))
    .filter((m): m is string => m !== undefined);
  const message = messages.find((m) => !UNINFORMATIVE.test(m)) ?? messages[0] ?? "unknown error";
  const hint = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|None of startup nodes|All sentinels/.test(message)
    ? ` (is Redis running there? set ${settingNames} in ~/.asynq.yaml)`
    : "";
  return `${message.replace(/\s+/g, " ").trim()}${hint}`;
}
