import { createHash } from "node:crypto";
import type { LuaScript, RedisArg, RedisReply } from "@asynq-ts/backend-redis";
import type { NodeRedisNodeClient, NodeRedisSentinel } from "./clients.js";
import {
  CONNECTION_CHANGED,
  type Confirmation,
  type ConfirmingWriter,
  replicaCount,
  waitFailed,
} from "./confirming-writer.js";
import type { Durability } from "./options.js";

// RESP type code of bulk strings ("$"): mapped to Buffer so binary values survive.
const BLOB_STRING = 36;
export const COMMAND_OPTIONS = { typeMapping: { [BLOB_STRING]: Buffer } } as const;
// WAIT blocks on the server for its timeout; give the client's own timeout room beyond it.
const WAIT_CLIENT_MARGIN_MS = 5_000;

/**
 * Confirmed writes over a node-redis sentinel the broker owns (a `duplicate()`). The script and
 * its WAIT run inside one `_execute`, on one master client; that client counts its socket
 * connections, so a reconnect between the two is seen.
 */
export class NodeRedisConfirmingWriter implements ConfirmingWriter {
  readonly #sentinel: NodeRedisSentinel;
  readonly #connects = new WeakMap<NodeRedisNodeClient, { count: number }>();

  constructor(sentinel: NodeRedisSentinel) {
    this.#sentinel = sentinel;
  }

  evalAndConfirm(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    durability: Durability,
  ): Promise<{ reply: RedisReply; confirmation: Confirmation }> {
    return this.#sentinel._execute(false, async (client) => {
      const connects = this.#connectsOf(client);
      const before = connects.count;
      const reply = await evalOn(client, script, keys, args);
      let confirmation: Confirmation;
      try {
        const acknowledged = replicaCount(
          await client.sendCommand(
            ["WAIT", String(durability.replicas), String(durability.timeoutMs)],
            { ...COMMAND_OPTIONS, timeout: durability.timeoutMs + WAIT_CLIENT_MARGIN_MS },
          ),
        );
        confirmation = connects.count === before ? { acknowledged } : CONNECTION_CHANGED;
      } catch (error) {
        confirmation = waitFailed(error);
      }
      return { reply, confirmation };
    });
  }

  async send(command: string, args: readonly RedisArg[]): Promise<RedisReply> {
    const reply = await this.#sentinel.sendCommand(
      false,
      [...command.split(" "), ...args.map(toClientArg)],
      COMMAND_OPTIONS,
    );
    return reply as RedisReply;
  }

  async close(): Promise<void> {
    try {
      await this.#sentinel.close();
    } catch {
      await this.#sentinel.destroy().catch(() => {});
    }
  }

  #connectsOf(client: NodeRedisNodeClient): { count: number } {
    let connects = this.#connects.get(client);
    if (connects === undefined) {
      const counter = { count: 0 };
      client.on("connect", () => {
        counter.count += 1;
      });
      this.#connects.set(client, counter);
      connects = counter;
    }
    return connects;
  }
}

/** EVALSHA, with EVAL on NOSCRIPT, on one node client. */
async function evalOn(
  client: NodeRedisNodeClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly RedisArg[],
): Promise<RedisReply> {
  const tail = [String(keys.length), ...keys, ...args.map(toClientArg)];
  try {
    return (await client.sendCommand(
      ["EVALSHA", sha1(script.lua), ...tail],
      COMMAND_OPTIONS,
    )) as RedisReply;
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return (await client.sendCommand(["EVAL", script.lua, ...tail], COMMAND_OPTIONS)) as RedisReply;
  }
}

const shas = new Map<string, string>();

function sha1(lua: string): string {
  let sha = shas.get(lua);
  if (sha === undefined) {
    sha = createHash("sha1").update(lua).digest("hex");
    shas.set(lua, sha);
  }
  return sha;
}

/** A Buffer for bytes, as node-redis expects. */
export function toClientArg(arg: RedisArg): string | Buffer {
  if (typeof arg === "string" || Buffer.isBuffer(arg)) return arg;
  return Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength);
}
