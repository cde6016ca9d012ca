import type { Cluster, Redis } from "ioredis";
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
import { toClientArg } from "./replies.js";

/** An ioredis client: standalone `Redis` or `Cluster` (ioredis-mock fits too). */
export type IoredisClient = Redis | Cluster;

type Method = (...args: unknown[]) => Promise<unknown>;

const SCAN_COUNT = "1000";

/**
 * The connection over ioredis. Scripts become client commands through `defineCommand`
 * (EVALSHA with EVAL fallback, routed by the first key on Cluster). Commands go through
 * ioredis's per-command `…Buffer` methods, which ioredis-mock also has, so replies keep bytes.
 */
export class IoredisConnection implements RedisConnection {
  readonly topology: "standalone" | "cluster";
  readonly supportsMemoryUsage: boolean;
  readonly inProcess: boolean;
  readonly #client: IoredisClient;
  readonly #owned: boolean;
  /** Command names already defined on the client, per script and key count. */
  readonly #defined = new Map<LuaScript, Map<number, string>>();

  constructor(client: IoredisClient, owned: boolean) {
    this.#client = client;
    this.#owned = owned;
    this.topology = isIoredisCluster(client) ? "cluster" : "standalone";
    // ioredis-mock has no generic `callBuffer`; it also has no MEMORY command.
    const mock = method(client, "callBuffer") === undefined;
    this.supportsMemoryUsage = !mock;
    this.inProcess = mock;
  }

  async evalScript(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<RedisReply> {
    const name = this.#define(script, keys.length);
    const run = method(this.#client, `${name}Buffer`) ?? method(this.#client, name);
    if (run === undefined) throw new Error(`script command ${name} was not defined`);
    const reply = await run.call(this.#client, ...keys, ...args.map(toClientArg));
    return reply as RedisReply;
  }

  async send(command: string, args: readonly RedisArg[], routingKey?: string): Promise<RedisReply> {
    const [head, ...sub] = command.split(" ");
    const lower = head!.toLowerCase();
    // ioredis routes keyed commands itself (and follows MOVED). A keyless PUBLISH would go to a
    // random node; sending it to the node owning the channel's slot keeps our publishes in order.
    const target =
      lower === "publish" && routingKey !== undefined && isIoredisCluster(this.#client)
        ? (ownerNodes(this.#client, routingKey)[0] ?? this.#client)
        : this.#client;
    const run = method(target, `${lower}Buffer`) ?? method(target, lower);
    if (run === undefined) throw new Error(`the Redis client has no ${command} command`);
    return (await run.call(target, ...sub, ...args.map(toClientArg))) as RedisReply;
  }

  async scan(pattern: string, routingKey: string): Promise<string[]> {
    const nodes = isIoredisCluster(this.#client)
      ? ownerNodes(this.#client, routingKey)
      : [this.#client];
    const found = new Set<string>();
    for (const node of nodes) {
      let cursor = "0";
      do {
        const reply = await node.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
        cursor = reply[0];
        for (const key of reply[1]) found.add(key);
      } while (cursor !== "0");
    }
    return [...found];
  }

  async slotNodes(slot: number): Promise<readonly ClusterNodeAddress[]> {
    if (!isIoredisCluster(this.#client)) return [];
    const reply = (await this.#client.cluster("SLOTS")) as RedisReply;
    return parseClusterSlots(reply, slot);
  }

  async openSubscriber(onMessage: (channel: string, message: string) => void): Promise<Subscriber> {
    const connection = this.#client.duplicate();
    // The duplicate is ours: its errors (e.g. while Redis restarts) must not crash the process.
    connection.on("error", () => {});
    connection.on("message", (channel: string, message: string) => onMessage(channel, message));
    // SUBSCRIBE may be written while ioredis is still connecting; the connection is then in
    // subscriber mode before ioredis sends its own handshake (CLIENT SETINFO, the INFO ready
    // check), which it then refuses, failing the connection. Subscribe only once ready.
    await untilReady(connection);
    return {
      subscribe: async (channel) => {
        await connection.subscribe(channel);
      },
      unsubscribe: async (channel) => {
        await connection.unsubscribe(channel);
      },
      close: () => quitQuietly(connection),
    };
  }

  async close(): Promise<void> {
    if (this.#owned) await quitQuietly(this.#client);
  }

  #define(script: LuaScript, keyCount: number): string {
    let byKeyCount = this.#defined.get(script);
    if (byKeyCount === undefined) {
      byKeyCount = new Map();
      this.#defined.set(script, byKeyCount);
    }
    const known = byKeyCount.get(keyCount);
    if (known !== undefined) return known;
    if (script.numberOfKeys !== "variable" && script.numberOfKeys !== keyCount) {
      throw new Error(`script ${script.name} takes ${script.numberOfKeys} keys, got ${keyCount}`);
    }
    // The name carries the script's hash (and the key count for variable scripts): two versions
    // of this package sharing a client never run each other's Lua.
    const suffix = script.numberOfKeys === "variable" ? `_${keyCount}` : "";
    const name = `asynqts_${script.name.replaceAll("-", "_")}_${scriptSha(script).slice(0, 12)}${suffix}`;
    if (method(this.#client, name) === undefined) {
      this.#client.defineCommand(name, { numberOfKeys: keyCount, lua: script.lua });
    }
    byKeyCount.set(keyCount, name);
    return name;
  }
}

/** True for an ioredis `Cluster` (duck-typed so ioredis is not needed at runtime). */
export function isIoredisCluster(client: IoredisClient): client is Cluster {
  return (client as { isCluster?: unknown }).isCluster === true;
}

function method(target: object, name: string): Method | undefined {
  const value = (target as Record<string, unknown>)[name];
  return typeof value === "function" ? (value as Method) : undefined;
}

/** The master owning the key's slot, or every master when the slot map is not known yet. */
function ownerNodes(cluster: Cluster, routingKey: string): Redis[] {
  const masters = cluster.nodes("master");
  const slots = (cluster as unknown as { slots?: (string[] | undefined)[] }).slots;
  const owner = slots?.[keySlot(routingKey)]?.[0];
  const node = masters.find((n) => `${n.options.host}:${n.options.port}` === owner);
  return node === undefined ? masters : [node];
}

/** Resolves once the client is ready (at once for clients without a status, like the mock). */
function untilReady(client: IoredisClient): Promise<void> {
  const status = (client as { status?: unknown }).status;
  if (status === undefined || status === "ready") return Promise.resolve();
  return new Promise((resolve) => client.once("ready", () => resolve()));
}

async function quitQuietly(client: IoredisClient): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
