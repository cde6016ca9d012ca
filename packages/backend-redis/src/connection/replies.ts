import { BackendError } from "@asynq-ts/core";
import type { RedisArg, RedisReply } from "./connection.js";

const decoder = new TextDecoder();

/** A reply holding bytes (bulk string), or null for nil. */
export function asBytesOrNull(reply: RedisReply | undefined): Uint8Array | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === "string") return Buffer.from(reply, "utf8");
  if (reply instanceof Uint8Array) return reply;
  throw new BackendError(`unexpected Redis reply: expected bytes, got ${describe(reply)}`);
}

/** A reply holding text, or null for nil. */
export function asStringOrNull(reply: RedisReply | undefined): string | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === "string") return reply;
  if (reply instanceof Uint8Array) return decoder.decode(reply);
  if (typeof reply === "number") return String(reply);
  throw new BackendError(`unexpected Redis reply: expected a string, got ${describe(reply)}`);
}

/** A reply holding text; nil is an error. */
export function asString(reply: RedisReply | undefined): string {
  const text = asStringOrNull(reply);
  if (text === null) throw new BackendError("unexpected Redis reply: nil");
  return text;
}

/** A reply holding a number (integer reply, RESP3 double, or numeric string); nil → null. */
export function asNumberOrNull(reply: RedisReply | undefined): number | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === "number") return reply;
  const text = asStringOrNull(reply);
  const value = Number(text);
  if (text === null || text === "" || Number.isNaN(value)) {
    throw new BackendError(`unexpected Redis reply: expected a number, got ${describe(reply)}`);
  }
  return value;
}

/** A reply holding a number; nil counts as 0 (missing counters). */
export function asNumber(reply: RedisReply | undefined): number {
  return asNumberOrNull(reply) ?? 0;
}

/** A reply holding an array (nil → empty). */
export function asArray(reply: RedisReply | undefined): readonly RedisReply[] {
  if (reply === null || reply === undefined) return [];
  if (Array.isArray(reply)) return reply as readonly RedisReply[];
  throw new BackendError(`unexpected Redis reply: expected an array, got ${describe(reply)}`);
}

/** An array reply of strings. */
export function asStrings(reply: RedisReply | undefined): string[] {
  return asArray(reply).map(asString);
}

/**
 * A `WITHSCORES` reply as (member, score) pairs, from either RESP2's flat list or RESP3's
 * nested pairs.
 */
export function asScoredMembers(
  reply: RedisReply | undefined,
): { member: string; score: number }[] {
  const items = asArray(reply);
  const out: { member: string; score: number }[] = [];
  if (items.length > 0 && Array.isArray(items[0])) {
    for (const pair of items) {
      const [member, score] = asArray(pair);
      out.push({ member: asString(member), score: asNumber(score) });
    }
    return out;
  }
  for (let i = 0; i + 1 < items.length; i += 2) {
    out.push({ member: asString(items[i]), score: asNumber(items[i + 1]) });
  }
  return out;
}

/** Converts an argument to what both clients accept (a Buffer for bytes). */
export function toClientArg(arg: RedisArg): string | Buffer {
  if (typeof arg === "string" || Buffer.isBuffer(arg)) return arg;
  return Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength);
}

function describe(reply: RedisReply): string {
  if (Array.isArray(reply)) return "an array";
  return typeof reply;
}
