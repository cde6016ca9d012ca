import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "./errors.js";

/** Connection settings as they may come from flags, ASYNQ_* variables or the config file. */
export interface SettingsLayer {
  readonly uri?: string;
  readonly db?: number;
  readonly password?: string;
  readonly username?: string;
  readonly cluster?: boolean;
  readonly clusterAddrs?: readonly string[];
  readonly tls?: boolean;
  readonly tlsServer?: string;
  readonly insecure?: boolean;
  readonly prefix?: string;
}

/** The config file's keys (Go asynq's names, plus `prefix`) and the setting each fills. */
const KEYS = {
  uri: "uri",
  db: "db",
  password: "password",
  username: "username",
  cluster: "cluster",
  cluster_addrs: "clusterAddrs",
  tls: "tls",
  tls_server: "tlsServer",
  insecure: "insecure",
  prefix: "prefix",
} as const satisfies Record<string, keyof SettingsLayer>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The default config file, as Go asynq's CLI: `~/.asynq.yaml`. */
export function defaultConfigPath(homeDir: string): string {
  return join(homeDir, ".asynq.yaml");
}

/**
 * Reads a YAML config file. A missing file is an error only when `required` (it was named
 * with --config or ASYNQ_CONFIG); unknown keys and wrongly typed values are errors, so a
 * typo never silently connects somewhere else.
 */
export async function readConfigFile(path: string, required: boolean): Promise<SettingsLayer> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new UsageError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  // yaml is loaded only when there is a file to read: most runs have none.
  const { parse } = await import("yaml");
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const reason = (error as Error).message.split("\n", 1)[0];
    throw new UsageError(`config file ${path} is not valid YAML: ${reason}`);
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== "object" || Array.isArray(document)) {
    throw new UsageError(`config file ${path} must be a mapping of keys to values`);
  }
  return layerOf(document as Record<string, unknown>, path);
}

function layerOf(document: Record<string, unknown>, path: string): SettingsLayer {
  const layer: Mutable<SettingsLayer> = {};
  for (const [key, value] of Object.entries(document)) {
    if (!(key in KEYS)) {
      const known = Object.keys(KEYS).join(", ");
      throw new UsageError(`config file ${path}: unknown key "${key}" (known keys: ${known})`);
    }
    if (value === null || value === undefined) continue;
    const field = KEYS[key as keyof typeof KEYS];
    const bad = (expected: string) =>
      new UsageError(`config file ${path}: "${key}" must be ${expected}`);
    switch (field) {
      case "db":
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
          throw bad("a non-negative integer");
        layer.db = value;
        break;
      case "cluster":
      case "tls":
      case "insecure":
        if (typeof value !== "boolean") throw bad("true or false");
        layer[field] = value;
        break;
      case "clusterAddrs":
        if (typeof value === "string") layer.clusterAddrs = splitList(value);
        else if (Array.isArray(value) && value.every((v) => typeof v === "string"))
          layer.clusterAddrs = value;
        else throw bad("a list of host:port addresses");
        break;
      default:
        if (typeof value !== "string" && typeof value !== "number") throw bad("a string");
        layer[field] = String(value);
    }
  }
  return layer;
}

/** Splits a comma-separated list, dropping blanks. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}
