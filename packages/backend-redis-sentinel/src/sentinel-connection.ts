import type {
  ClusterNodeAddress,
  LuaScript,
  RedisArg,
  RedisConnection,
  RedisReply,
  Subscriber,
} from "@asynq-ts/backend-redis";
import { DurabilityTimeoutError } from "@asynq-ts/core";
import type { ConfirmingWriter } from "./confirming-writer.js";
import type { Durability } from "./options.js";

/**
 * The scripts that create tasks (backend-redis's enqueue edges). Only these need replicas to
 * confirm them: everything else either moves a task that already exists or is retried by the
 * server (syncer, recoverer) when a failover loses it.
 */
const ENQUEUE_SCRIPTS: ReadonlySet<string> = new Set([
  "enqueue-pending",
  "enqueue-scheduled",
  "enqueue-aggregating",
]);
/** The queue registry write that accompanies an enqueue; sent on the writer ahead of its WAIT. */
const REGISTRY_COMMAND = "SADD";

/** The confirmed-write side of the connection. */
export interface DurableWrites {
  readonly writer: ConfirmingWriter;
  readonly durability: Durability;
}

/**
 * The connection the broker runs on: the master found through the sentinels, plus, with
 * durable enqueue, a second connection that writes new tasks and waits for replicas. Closing
 * it closes what the broker created (never a client the user passed in).
 */
export class SentinelConnection implements RedisConnection {
  readonly topology = "standalone" as const;
  readonly supportsMemoryUsage: boolean;
  readonly inProcess: boolean;
  readonly #main: RedisConnection;
  readonly #durable: DurableWrites | undefined;
  readonly #release: () => Promise<void>;

  constructor(
    main: RedisConnection,
    durable: DurableWrites | undefined,
    release: () => Promise<void>,
  ) {
    this.#main = main;
    this.#durable = durable;
    this.#release = release;
    this.supportsMemoryUsage = main.supportsMemoryUsage;
    this.inProcess = main.inProcess;
  }

  async evalScript(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
  ): Promise<RedisReply> {
    const durable = this.#durable;
    if (durable === undefined || !ENQUEUE_SCRIPTS.has(script.name)) {
      return this.#main.evalScript(script, keys, args);
    }
    const { reply, confirmation } = await durable.writer.evalAndConfirm(
      script,
      keys,
      args,
      durable.durability,
    );
    const { replicas, timeoutMs } = durable.durability;
    if ("unknown" in confirmation) {
      throw new DurabilityTimeoutError(replicas, undefined, confirmation.unknown, {
        cause: confirmation.cause,
      });
    }
    if (confirmation.acknowledged < replicas) {
      throw new DurabilityTimeoutError(
        replicas,
        confirmation.acknowledged,
        `${confirmation.acknowledged} confirmed within ${timeoutMs} ms`,
      );
    }
    return reply;
  }

  send(command: string, args: readonly RedisArg[], routingKey?: string): Promise<RedisReply> {
    if (this.#durable !== undefined && command === REGISTRY_COMMAND) {
      return this.#durable.writer.send(command, args);
    }
    return this.#main.send(command, args, routingKey);
  }

  scan(pattern: string, routingKey: string): Promise<string[]> {
    return this.#main.scan(pattern, routingKey);
  }

  async slotNodes(): Promise<readonly ClusterNodeAddress[]> {
    return [];
  }

  openSubscriber(onMessage: (channel: string, message: string) => void): Promise<Subscriber> {
    return this.#main.openSubscriber(onMessage);
  }

  async close(): Promise<void> {
    await Promise.all([this.#main.close(), this.#durable?.writer.close(), this.#release()]);
  }
}
