import type { LuaScript, RedisArg, RedisReply } from "@asynq-ts/backend-redis";
import type { Durability } from "./options.js";

/** What `WAIT` said about a write, or why it could not be asked. */
export type Confirmation =
  | { readonly acknowledged: number }
  | { readonly unknown: string; readonly cause?: unknown };

/**
 * A connection to the master used only for writes that replicas must confirm. WAIT counts the
 * replicas holding every write made **on the same connection**, so each implementation runs
 * the script and the WAIT on one connection and reports `unknown` when it cannot be sure of
 * that (the connection was replaced in between, e.g. by a failover): a WAIT on a fresh
 * connection answers at once and would confirm nothing. It is a connection of its own
 * because WAIT blocks it until replicas answer, which must never stall dequeues or acks.
 */
export interface ConfirmingWriter {
  /** Runs the script, then `WAIT replicas timeoutMs` on the connection that ran it. */
  evalAndConfirm(
    script: LuaScript,
    keys: readonly string[],
    args: readonly RedisArg[],
    durability: Durability,
  ): Promise<{ readonly reply: RedisReply; readonly confirmation: Confirmation }>;
  /** Sends a plain write on the same connection, so a later WAIT covers it too. */
  send(command: string, args: readonly RedisArg[]): Promise<RedisReply>;
  /** Closes the connection (always the broker's own). */
  close(): Promise<void>;
}

/** A WAIT reply as a count. */
export function replicaCount(reply: unknown): number {
  const count = typeof reply === "number" ? reply : Number(String(reply));
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`WAIT answered ${JSON.stringify(String(reply))}`);
  }
  return count;
}

/** The confirmation when the script and the WAIT may have run on different connections. */
export const CONNECTION_CHANGED: Confirmation = {
  unknown: "the connection to the master was replaced between the write and WAIT",
};

/** The confirmation when WAIT itself failed (e.g. the node was demoted to a replica). */
export function waitFailed(cause: unknown): Confirmation {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return { unknown: `WAIT failed: ${reason}`, cause };
}
