import { createHash } from "node:crypto";

/**
 * One Lua script: one edge of the state machine, atomic on the server. Every key the script
 * touches is passed in KEYS (never built from ARGV), so it runs on Redis Cluster, proxies and
 * Dragonfly. Scripts answer with numeric codes, never error replies.
 */
export interface LuaScript {
  /** Stable name, also used to name the client command it becomes. */
  readonly name: string;
  /**
   * How many KEYS a call passes; "variable" when a call adds one or more keys per task
   * (documented in the script's header).
   */
  readonly numberOfKeys: number | "variable";
  /** The script text, starting with a header comment listing KEYS, ARGV and return values. */
  readonly lua: string;
}

const shas = new WeakMap<LuaScript, string>();

/** SHA1 of the script text, as EVALSHA expects it. */
export function scriptSha(script: LuaScript): string {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash("sha1").update(script.lua).digest("hex");
    shas.set(script, sha);
  }
  return sha;
}
