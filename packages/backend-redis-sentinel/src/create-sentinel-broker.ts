import {
  connectionForClient,
  createRedisBroker,
  type NodeRedisClient,
  type RedisBroker,
  type RedisConnection,
} from "@asynq-ts/backend-redis";
import { InvalidArgumentError } from "@asynq-ts/core";
import {
  isNodeRedisSentinel,
  type NodeRedisSentinel,
  type SentinelClientInput,
} from "./clients.js";
import { closeIoredis } from "./close-quietly.js";
import type { ConfirmingWriter } from "./confirming-writer.js";
import { createIoredisSentinel, ioredisSentinelOptions } from "./ioredis-sentinel.js";
import { IoredisConfirmingWriter } from "./ioredis-writer.js";
import { createNodeRedisSentinel, nodeRedisSentinelOptions } from "./node-redis-sentinel.js";
import { COMMAND_OPTIONS, NodeRedisConfirmingWriter } from "./node-redis-writer.js";
import type {
  Durability,
  LibraryOverrides,
  SentinelBrokerOptions,
  SentinelDiscovery,
} from "./options.js";
import { SentinelConnection } from "./sentinel-connection.js";
import { parseSentinelUrl } from "./sentinel-url.js";

/** A client plus whether the broker created it (and so must close it). */
interface Owned {
  readonly client: SentinelClientInput;
  readonly owned: boolean;
}

/**
 * Creates the Redis broker (Go asynq's layout, every backend-redis behaviour) on the master
 * that the sentinels name, following failovers. Async because node-redis must connect before
 * its first command. With `durability`, enqueues go through a second connection of their own
 * and resolve only once replicas confirmed them.
 */
export async function createSentinelBroker(options: SentinelBrokerOptions): Promise<RedisBroker> {
  const durability = options.durability;
  if (durability !== undefined) validateDurability(durability);
  const settings = {
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.notifications === undefined ? {} : { notifications: options.notifications }),
  };
  const input = await clientFor(options);
  let connection: RedisConnection;
  try {
    connection = await sentinelConnection(input, durability);
  } catch (error) {
    if (input.owned) await closeClient(input.client);
    throw error;
  }
  try {
    return createRedisBroker({ connection, ...settings });
  } catch (error) {
    await connection.close();
    throw error;
  }
}

async function clientFor(options: SentinelBrokerOptions): Promise<Owned> {
  if ("client" in options) return { client: options.client, owned: false };
  let discovery: SentinelDiscovery;
  if ("url" in options) {
    const {
      url,
      library,
      ioredisOptions,
      nodeRedisOptions,
      prefix,
      notifications,
      durability,
      ...explicit
    } = options;
    discovery = { ...parseSentinelUrl(url), ...definedOnly(explicit) };
  } else {
    discovery = options;
  }
  if (discovery.sentinels.length === 0) {
    throw new InvalidArgumentError("sentinels", "name at least one sentinel");
  }
  if (discovery.name === "") throw new InvalidArgumentError("name", "must not be empty");
  const overrides: LibraryOverrides = options;
  if ((overrides.library ?? "ioredis") === "ioredis") {
    const client = createIoredisSentinel(
      ioredisSentinelOptions(discovery, overrides.ioredisOptions),
    );
    return { client, owned: true };
  }
  const client = await createNodeRedisSentinel(
    nodeRedisSentinelOptions(discovery, overrides.nodeRedisOptions),
  );
  return { client, owned: true };
}

async function sentinelConnection(
  input: Owned,
  durability: Durability | undefined,
): Promise<RedisConnection> {
  const release = async () => {
    if (input.owned) await closeClient(input.client);
  };
  const { client } = input;
  if (isNodeRedisSentinel(client)) {
    const main = connectionForClient(asNodeRedisClient(client));
    if (durability === undefined) return new SentinelConnection(main, undefined, release);
    // The writer is a sentinel of its own: WAIT blocks its only master connection.
    const writerSentinel = client.duplicate();
    writerSentinel.on("error", () => {});
    await writerSentinel.connect();
    const writer: ConfirmingWriter = new NodeRedisConfirmingWriter(writerSentinel);
    return new SentinelConnection(main, { writer, durability }, release);
  }
  const main = connectionForClient(client);
  if (durability === undefined) return new SentinelConnection(main, undefined, release);
  const writer = new IoredisConfirmingWriter(client.duplicate());
  return new SentinelConnection(main, { writer, durability }, release);
}

/**
 * A node-redis sentinel in the shape backend-redis expects of a node-redis client: commands go
 * to the master (`isReadonly` false); `duplicate()` (the pub/sub connection) is a sentinel too,
 * so subscriptions follow the master.
 */
function asNodeRedisClient(sentinel: NodeRedisSentinel): NodeRedisClient {
  return {
    sendCommand: (args, options) => sentinel.sendCommand(false, args, options ?? COMMAND_OPTIONS),
    duplicate: () => {
      const copy = sentinel.duplicate();
      return asNodeRedisClient(copy);
    },
    connect: () => sentinel.connect(),
    close: () => sentinel.close(),
    subscribe: async (channel, listener) => {
      await sentinel.subscribe(channel, listener);
    },
    unsubscribe: async (channel) => {
      await sentinel.unsubscribe(channel);
    },
    on: (event, listener) => sentinel.on(event, listener),
  };
}

async function closeClient(client: SentinelClientInput): Promise<void> {
  if (isNodeRedisSentinel(client)) {
    await client.close().catch(() => client.destroy());
  } else {
    await closeIoredis(client);
  }
}

function validateDurability(durability: Durability): void {
  if (!Number.isInteger(durability.replicas) || durability.replicas < 1) {
    throw new InvalidArgumentError("durability.replicas", "must be an integer ≥ 1");
  }
  if (!Number.isInteger(durability.timeoutMs) || durability.timeoutMs < 1) {
    throw new InvalidArgumentError(
      "durability.timeoutMs",
      "must be an integer ≥ 1 (WAIT 0 blocks forever)",
    );
  }
}

/** The properties whose value is not undefined (explicit options override the URL's). */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
