import type { Redis } from "ioredis";

/** Arguments of a node-redis command. */
export type NodeRedisArgs = readonly (string | Buffer)[];

/** Command options the adapter passes to node-redis (bulk strings mapped to Buffers). */
export interface NodeRedisCommandOptions {
  readonly typeMapping?: Readonly<Record<number, unknown>>;
  /** Client-side timeout of the command, ms. */
  readonly timeout?: number;
}

/** One node-redis connection to the master, as a sentinel's `_execute` hands it over. */
export interface NodeRedisNodeClient {
  sendCommand(args: NodeRedisArgs, options?: NodeRedisCommandOptions): Promise<unknown>;
  on(event: "connect", listener: () => void): unknown;
}

/**
 * The part of a node-redis (v5/v6) `createSentinel()` result the broker uses.
 * `_execute` is node-redis's own way to run several commands on one master connection.
 */
export interface NodeRedisSentinel {
  sendCommand(
    isReadonly: boolean | undefined,
    args: NodeRedisArgs,
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>;
  _execute<T>(
    isReadonly: boolean | undefined,
    fn: (client: NodeRedisNodeClient) => Promise<T>,
  ): Promise<T>;
  duplicate(): NodeRedisSentinel;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): Promise<void>;
  subscribe(
    channel: string,
    listener: (message: string, channel: string) => void,
  ): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on(event: "error", listener: (error: Error) => void): unknown;
  getMasterNode(): { readonly host: string; readonly port: number } | undefined;
}

/** A client the user passes: an ioredis `Redis` on sentinels, or a node-redis sentinel. */
export type SentinelClientInput = Redis | NodeRedisSentinel;

/** True for a node-redis sentinel (duck-typed so `redis` is not needed at runtime). */
export function isNodeRedisSentinel(client: SentinelClientInput): client is NodeRedisSentinel {
  return (
    typeof (client as { getMasterNode?: unknown }).getMasterNode === "function" &&
    typeof (client as { _execute?: unknown })._execute === "function"
  );
}
