import { InvalidArgumentError } from "@asynq-ts/core";
import { RedisBroker } from "./broker/redis-broker.js";
import {
  connectionForClient,
  connectionForUrl,
  type RedisClientInput,
  type RedisConnection,
} from "./connection/index.js";
import { createKeySpace, DEFAULT_PREFIX } from "./keys.js";

/** Where the broker connects: a client you own, or a URL it connects to itself. */
export type RedisBrokerOptions = (
  | {
      /**
       * An ioredis `Redis` or `Cluster`, or a connected node-redis client or cluster. The
       * broker never closes it; it opens one duplicate connection for pub/sub.
       */
      readonly client: RedisClientInput;
    }
  | {
      /** `redis://`, `rediss://` or `redis-socket://`: the broker creates and closes an ioredis client. */
      readonly url: string;
    }
  | {
      /**
       * A connection built by another adapter on top of this one (e.g. Sentinel discovery or
       * durable enqueue). The broker closes it in `close()`; what that releases is its business.
       */
      readonly connection: RedisConnection;
    }
) & {
  /** Key prefix. @default "asynq" — the one Go asynq uses; keep it to share queues with Go. */
  readonly prefix?: string;
  /**
   * Publish a wake-up on `<prefix>:{<queue>}:notify` whenever tasks become pending, so
   * waiting workers start at once. @default true
   */
  readonly notifications?: boolean;
};

/** Creates the Redis broker. */
export function createRedisBroker(options: RedisBrokerOptions): RedisBroker {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (prefix === "" || /[{}]/.test(prefix)) {
    throw new InvalidArgumentError("prefix", "must be non-empty and contain no braces");
  }
  const connection =
    "connection" in options
      ? options.connection
      : "url" in options
        ? connectionForUrl(options.url)
        : connectionForClient(options.client);
  return new RedisBroker(connection, createKeySpace(prefix), options.notifications ?? true);
}
