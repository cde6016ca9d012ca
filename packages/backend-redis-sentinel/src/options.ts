import type { ConnectionOptions } from "node:tls";
import type { RedisOptions } from "ioredis";
import type { RedisSentinelOptions } from "redis";
import type { SentinelClientInput } from "./clients.js";

/** One Sentinel to ask for the master. */
export interface SentinelAddress {
  readonly host: string;
  readonly port: number;
}

/** Which client library the broker creates. */
export type SentinelLibrary = "ioredis" | "node-redis";

/**
 * Durable enqueue: an enqueue resolves only once `replicas` replicas confirmed the write
 * (`WAIT replicas timeoutMs` on the connection that wrote it), else it rejects with
 * `DurabilityTimeoutError`. Off by default, as in Go asynq.
 */
export interface Durability {
  /** Replicas that must hold the task before the enqueue resolves (≥ 1). */
  readonly replicas: number;
  /** How long to wait for them, ms (≥ 1; WAIT 0 would block forever). */
  readonly timeoutMs: number;
}

/** Credentials, database and TLS of the data nodes and of the sentinels. */
export interface SentinelConnectionSettings {
  /** ACL user of the master and replicas. */
  readonly username?: string;
  /** Password (`requirepass`) of the master and replicas. */
  readonly password?: string;
  /** ACL user of the sentinels. */
  readonly sentinelUsername?: string;
  /** Password (`requirepass`) of the sentinels. */
  readonly sentinelPassword?: string;
  /** Database index. @default 0 */
  readonly db?: number;
  /** TLS to the master and replicas: `true`, or `node:tls` options (CA, certificates…). */
  readonly tls?: boolean | ConnectionOptions;
  /** TLS to the sentinels: `true`, or `node:tls` options. */
  readonly sentinelTls?: boolean | ConnectionOptions;
}

/** Where the sentinels are, and how to reach them and the master. */
export interface SentinelDiscovery extends SentinelConnectionSettings {
  /** A few sentinels (any of them answers; three is plenty). */
  readonly sentinels: readonly SentinelAddress[];
  /** The master's name in the sentinels' `sentinel monitor` line. */
  readonly name: string;
}

/** Options only one library understands, merged last into what the broker builds. */
export interface LibraryOverrides {
  /** @default "ioredis" (it follows a failover in ~1 s with its failover detector) */
  readonly library?: SentinelLibrary;
  /** Extra ioredis options (never `keyPrefix`; use `prefix`). */
  readonly ioredisOptions?: Partial<RedisOptions>;
  /** Extra node-redis `createSentinel` options. */
  readonly nodeRedisOptions?: Partial<RedisSentinelOptions>;
}

/** Settings shared by every way to create the broker. */
export interface SentinelBrokerSettings {
  /** Key prefix. @default "asynq" — keep it to share queues with Go asynq. */
  readonly prefix?: string;
  /** Publish wake-ups so waiting workers start at once. @default true */
  readonly notifications?: boolean;
  /** Confirm every enqueue on replicas before resolving. @default undefined (off) */
  readonly durability?: Durability;
}

/** Options of `createSentinelBroker`: sentinels and a name, a URL, or a client you own. */
export type SentinelBrokerOptions = SentinelBrokerSettings &
  (
    | (SentinelDiscovery & LibraryOverrides)
    | ({
        /** `redis-sentinel://[[user]:password@]host1:port1,host2:port2[/db]?master=name`. */
        readonly url: string;
      } & Partial<SentinelConnectionSettings> &
        LibraryOverrides)
    | {
        /**
         * An ioredis `Redis` created with `sentinels` and `name` (pass `failoverDetector: true`),
         * or a **connected** node-redis `createSentinel()`. Never closed by the broker.
         */
        readonly client: SentinelClientInput;
      }
  );
