import type { LuaScript } from "../scripts/lua-script.js";

/** An argument of a Redis command or script. */
export type RedisArg = string | Uint8Array;

/**
 * A reply as the connection hands it over: bulk strings as bytes (or strings, depending on the
 * client), integers as numbers, nil as null, arrays as arrays. Read it with the helpers in
 * `replies.ts`, never by assuming one representation.
 */
export type RedisReply = null | number | string | Uint8Array | readonly RedisReply[];

/** A node of a Redis Cluster, as CLUSTER SLOTS reports it. */
export interface ClusterNodeAddress {
  readonly id: string;
  readonly address: string;
}

/** A connection in subscriber mode, owned by the broker. */
export interface Subscriber {
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * What the broker needs from a Redis client. Hides ioredis and node-redis (standalone and
 * Cluster) behind one shape; core never sees any of it.
 */
export interface RedisConnection {
  readonly topology: "standalone" | "cluster";
  /** False for clients that cannot run MEMORY USAGE (ioredis-mock). */
  readonly supportsMemoryUsage: boolean;
  /** True when the "server" lives in this process (ioredis-mock): nothing reaches other processes. */
  readonly inProcess: boolean;
  /**
   * Runs a script with EVALSHA (falling back to EVAL when the node lacks it), routed to the
   * node of `keys[0]`. All keys must share a slot.
   */
  evalScript(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<RedisReply>;
  /**
   * Sends one command. On a cluster it goes to the node owning `routingKey` (the command's
   * first key); keyless commands may go to any node.
   */
  send(command: string, args: readonly RedisArg[], routingKey?: string): Promise<RedisReply>;
  /** Every key matching `pattern` on the node that owns `routingKey`'s slot. */
  scan(pattern: string, routingKey: string): Promise<string[]>;
  /** The nodes serving a slot (master first); empty when not a cluster. */
  slotNodes(slot: number): Promise<readonly ClusterNodeAddress[]>;
  /** Opens a subscriber connection (a duplicate of the client) delivering to `onMessage`. */
  openSubscriber(onMessage: (channel: string, message: string) => void): Promise<Subscriber>;
  /** Closes the client if the broker created it; a client passed in by the user stays open. */
  close(): Promise<void>;
}
