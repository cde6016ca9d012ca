import { defaultConfigPath, readConfigFile, type SettingsLayer, splitList } from "./config-file.js";
import { UsageError } from "./errors.js";
import type { CliIo } from "./io.js";

/** Where to connect and how, after flags, ASYNQ_* variables, the config file and defaults. */
export interface ConnectionSettings {
  readonly uri: string;
  /** Set only when a flag, variable or config entry gives it; otherwise the URI's (or 0). */
  readonly db: number | undefined;
  readonly password: string | undefined;
  readonly username: string | undefined;
  readonly cluster: boolean;
  readonly clusterAddrs: readonly string[];
  readonly tls: boolean;
  readonly tlsServer: string | undefined;
  readonly insecure: boolean;
  readonly prefix: string;
  readonly connectTimeoutMs: number;
}

/** The global flags that shape the connection (undefined = not given). */
export interface ConnectionFlags extends SettingsLayer {
  readonly config?: string;
  readonly connectTimeout?: number;
}

/** Go asynq's CLI defaults. */
export const DEFAULTS = {
  uri: "127.0.0.1:6379",
  clusterAddrs: [
    "127.0.0.1:7000",
    "127.0.0.1:7001",
    "127.0.0.1:7002",
    "127.0.0.1:7003",
    "127.0.0.1:7004",
    "127.0.0.1:7005",
  ],
  prefix: "asynq",
  connectTimeoutMs: 5_000,
} as const;

/**
 * Resolves each setting from the first source that has it: flag, then ASYNQ_<KEY> variable,
 * then the config file (--config, ASYNQ_CONFIG or ~/.asynq.yaml), then the default.
 */
export async function resolveSettings(
  flags: ConnectionFlags,
  io: CliIo,
): Promise<ConnectionSettings> {
  const env = envLayer(io.env);
  const named = flags.config ?? io.env.ASYNQ_CONFIG;
  const file =
    named !== undefined && named !== ""
      ? await readConfigFile(named, true)
      : await readConfigFile(defaultConfigPath(io.homeDir), false);
  const layers = [flags, env, file];
  const pick = <K extends keyof SettingsLayer>(key: K): SettingsLayer[K] | undefined =>
    layers.find((layer) => layer[key] !== undefined)?.[key];
  return {
    uri: pick("uri") ?? DEFAULTS.uri,
    db: pick("db"),
    password: pick("password"),
    username: pick("username"),
    cluster: pick("cluster") ?? false,
    clusterAddrs: pick("clusterAddrs") ?? DEFAULTS.clusterAddrs,
    tls: pick("tls") ?? false,
    tlsServer: pick("tlsServer"),
    insecure: pick("insecure") ?? false,
    prefix: pick("prefix") ?? DEFAULTS.prefix,
    connectTimeoutMs: flags.connectTimeout ?? DEFAULTS.connectTimeoutMs,
  };
}

/** Reads ASYNQ_URI, ASYNQ_DB, ASYNQ_PASSWORD, ASYNQ_USERNAME, ASYNQ_CLUSTER, … */
function envLayer(env: CliIo["env"]): SettingsLayer {
  const text = (name: string): string | undefined => {
    const value = env[`ASYNQ_${name}`];
    return value === undefined || value === "" ? undefined : value;
  };
  const flag = (name: string): boolean | undefined => {
    const value = text(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (["1", "true", "yes", "on"].includes(value)) return true;
    if (["0", "false", "no", "off"].includes(value)) return false;
    throw new UsageError(`ASYNQ_${name} must be true or false, got "${text(name)}"`);
  };
  const dbText = text("DB");
  const layer = {
    uri: text("URI"),
    db: dbText === undefined ? undefined : parseDb(dbText, "ASYNQ_DB"),
    password: text("PASSWORD"),
    username: text("USERNAME"),
    cluster: flag("CLUSTER"),
    clusterAddrs:
      text("CLUSTER_ADDRS") === undefined ? undefined : splitList(text("CLUSTER_ADDRS")!),
    tls: flag("TLS"),
    tlsServer: text("TLS_SERVER"),
    insecure: flag("INSECURE"),
    prefix: text("PREFIX"),
  };
  return Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined));
}

/** A database number: a non-negative integer. */
export function parseDb(text: string, source: string): number {
  const db = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(db)) {
    throw new UsageError(`${source} must be a non-negative integer, got "${text}"`);
  }
  return db;
}
