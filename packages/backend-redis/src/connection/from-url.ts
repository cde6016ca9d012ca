import { createRequire } from "node:module";
import { InvalidArgumentError } from "@asynq-ts/core";
import type { IoredisClient } from "./ioredis-connection.js";

/**
 * Creates the ioredis client a URL describes: `redis://` and `rediss://` (TLS) as ioredis
 * reads them, `redis-socket:///path/to.sock?db=N` for a Unix socket. ioredis is loaded only
 * here, so node-redis users need not install it.
 */
export function ioredisFromUrl(url: string): IoredisClient {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError("url", `not a URL: ${JSON.stringify(url)}`);
  }
  const require = createRequire(import.meta.url);
  const { Redis } = require("ioredis") as typeof import("ioredis");
  switch (parsed.protocol) {
    case "redis:":
    case "rediss:":
      return new Redis(url);
    case "redis-socket:": {
      const db = parsed.searchParams.get("db");
      return new Redis({
        path: decodeURIComponent(parsed.pathname),
        ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
        ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
        ...(db === null ? {} : { db: Number(db) }),
      });
    }
    default:
      throw new InvalidArgumentError(
        "url",
        `unsupported scheme ${parsed.protocol} (use redis://, rediss:// or redis-socket://)`,
      );
  }
}
