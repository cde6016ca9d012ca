import {
  connectionForClient,
  type LuaScript,
  type RedisArg,
  type RedisConnection,
  type RedisReply,
} from "@asynq-ts/backend-redis";
import type { Redis } from "ioredis";
import { closeIoredis } from "./close-quietly.js";
import {
  CONNECTION_CHANGED,
  type Confirmation,
  type ConfirmingWriter,
  replicaCount,
  waitFailed,
} from "./confirming-writer.js";
import type { Durability } from "./options.js";

/**
 * Confirmed writes over one ioredis client (a `duplicate()` the broker owns). An ioredis
 * client is one socket at a time, and every replacement emits `close` first; counting those
 * events tells whether the script and its WAIT shared a socket.
 */
export class IoredisConfirmingWriter implements ConfirmingWriter {
  readonly #client: Redis;
  readonly #connection: RedisConnection;
  #closes = 0;

  constructor(client: Redis) {
    this.#client = client;
    this.#connection = connectionForClient(client);
    client.on("close", () => {
      this.#closes += 1;
    });
    client.on("error", () => {});
  }

  async evalAndConfirm(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    durability: Durability,
  ): Promise<{ reply: RedisReply; confirmation: Confirmation }> {
    const closesBefore = this.#closes;
    const reply = await this.#connection.evalScript(script, keys, args);
    let confirmation: Confirmation;
    try {
      const acknowledged = replicaCount(
        await this.#connection.send("WAIT", [
          String(durability.replicas),
          String(durability.timeoutMs),
        ]),
      );
      confirmation = this.#closes === closesBefore ? { acknowledged } : CONNECTION_CHANGED;
    } catch (error) {
      confirmation = waitFailed(error);
    }
    return { reply, confirmation };
  }

  send(command: string, args: readonly RedisArg[]): Promise<RedisReply> {
    return this.#connection.send(command, args);
  }

  close(): Promise<void> {
    return closeIoredis(this.#client);
  }
}
