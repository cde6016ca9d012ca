import { keySlot } from "../cluster/key-slot.js";
import { type LuaScript, scriptSha } from "../scripts/lua-script.js";
import { parseClusterSlots } from "./cluster-slots.js";
import type {
  ClusterNodeAddress,
  RedisArg,
  RedisConnection,
  RedisReply,
  Subscriber,
} from "./connection.js";
import { asArray, asString, toClientArg } from "./replies.js";

// RESP type code of bulk strings ("$"): mapped to Buffer so binary values survive.
const BLOB_STRING = 36;
const COMMAND_OPTIONS = { typeMapping: { [BLOB_STRING]: Buffer } } as const;

type CommandArgs = readonly (string | Buffer)[];
type CommandOptions = typeof COMMAND_OPTIONS;

/** The part of a node-redis (v5/v6) client the broker uses; `createClient()` results fit. */
export interface NodeRedisClient {
  sendCommand(args: CommandArgs, options?: CommandOptions): Promise<unknown>;
  duplicate(): NodeRedisClient;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** The part of a node-redis cluster the broker uses; `createCluster()` results fit. */
export interface NodeRedisCluster {
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: CommandArgs,
    options?: CommandOptions,
  ): Promise<unknown>;
  getSlotMaster(slot: number): object;
  nodeClient(node: never): Promise<NodeRedisClient>;
  duplicate(): NodeRedisCluster;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** True for a node-redis cluster (duck-typed so `redis` is not needed at runtime). */
export function isNodeRedisCluster(
  client: NodeRedisClient | NodeRedisCluster,
): client is NodeRedisCluster {
  return typeof (client as { getSlotMaster?: unknown }).getSlotMaster === "function";
}

/**
 * The connection over node-redis. A client the user created cannot get `defineScript` later,
 * so scripts run as EVALSHA routed by their first key, with EVAL on NOSCRIPT on that same node
 * (never SCRIPT LOAD on one node and EVALSHA on another).
 */
export class NodeRedisConnection implements RedisConnection {
  readonly topology: "standalone" | "cluster";
  readonly supportsMemoryUsage = true;
  readonly inProcess = false;
  readonly #client: NodeRedisClient | NodeRedisCluster;

  constructor(client: NodeRedisClient | NodeRedisCluster) {
    this.#client = client;
    this.topology = isNodeRedisCluster(client) ? "cluster" : "standalone";
  }

  async evalScript(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<RedisReply> {
    if (script.numberOfKeys !== "variable" && script.numberOfKeys !== keys.length) {
      throw new Error(
        `script ${script.name} takes ${script.numberOfKeys} keys, got ${keys.length}`,
      );
    }
    const tail = [String(keys.length), ...keys, ...args.map(toClientArg)];
    try {
      return await this.#send(["EVALSHA", scriptSha(script), ...tail], keys[0]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await this.#send(["EVAL", script.lua, ...tail], keys[0]);
    }
  }

  send(command: string, args: readonly RedisArg[], routingKey?: string): Promise<RedisReply> {
    return this.#send([...command.split(" "), ...args.map(toClientArg)], routingKey);
  }

  async scan(pattern: string, routingKey: string): Promise<string[]> {
    const node = isNodeRedisCluster(this.#client)
      ? await this.#client.nodeClient(this.#client.getSlotMaster(keySlot(routingKey)) as never)
      : this.#client;
    const found = new Set<string>();
    let cursor = "0";
    do {
      const reply = asArray(
        (await node.sendCommand(
          ["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"],
          COMMAND_OPTIONS,
        )) as RedisReply,
      );
      cursor = asString(reply[0]);
      for (const key of asArray(reply[1])) found.add(asString(key));
    } while (cursor !== "0");
    return [...found];
  }

  async slotNodes(slot: number): Promise<readonly ClusterNodeAddress[]> {
    if (this.topology !== "cluster") return [];
    return parseClusterSlots(await this.#send(["CLUSTER", "SLOTS"], undefined), slot);
  }

  async openSubscriber(onMessage: (channel: string, message: string) => void): Promise<Subscriber> {
    const connection = this.#client.duplicate();
    // The duplicate is ours: without a listener node-redis would crash the process on errors.
    connection.on("error", () => {});
    await connection.connect();
    const listener = (message: string, channel: string) => onMessage(channel, message);
    return {
      subscribe: (channel) => connection.subscribe(channel, listener),
      unsubscribe: (channel) => connection.unsubscribe(channel),
      close: async () => {
        try {
          await connection.close();
        } catch {
          // Already closed or never connected: nothing to release.
        }
      },
    };
  }

  async close(): Promise<void> {
    // node-redis clients are always the user's (URLs create ioredis clients): never closed here.
  }

  async #send(args: CommandArgs, routingKey: string | undefined): Promise<RedisReply> {
    const client = this.#client;
    const reply = isNodeRedisCluster(client)
      ? await client.sendCommand(routingKey, false, args, COMMAND_OPTIONS)
      : await client.sendCommand(args, COMMAND_OPTIONS);
    return reply as RedisReply;
  }
}
