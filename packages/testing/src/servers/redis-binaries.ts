import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** A Redis executable the test servers need. */
export type RedisBinaryName = "redis-server" | "redis-cli";

const FALLBACK_DIRS = ["/usr/bin", "/usr/local/bin"];
const resolved = new Map<RedisBinaryName, string>();

/**
 * Absolute path of a Redis executable, looked up on PATH and in the Debian location.
 * Throws an error that says how to install it, since a missing binary is a machine setup issue.
 */
export function redisBinary(name: RedisBinaryName): string {
  const cached = resolved.get(name);
  if (cached !== undefined) return cached;
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...FALLBACK_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      resolved.set(name, candidate);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(
    `${name} not found on PATH or in ${FALLBACK_DIRS.join(", ")}; ` +
      "install it with `apt-get install redis-server redis-tools`",
  );
}
