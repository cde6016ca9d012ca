import { parseSentinelUrl, type SentinelDiscovery } from "@asynq-ts/backend-redis-sentinel";
import type { ConnectionSettings } from "./connection-settings.js";
import { UsageError } from "./errors.js";

/** A host and port. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** TLS options for the Redis connection. */
export interface TlsSettings {
  /** Server name for SNI and certificate checks (--tls-server). */
  readonly servername?: string;
  /** False with --insecure: accept any certificate. */
  readonly rejectUnauthorized: boolean;
}

interface Auth {
  readonly username?: string;
  readonly password?: string;
}

/** What the CLI connects to, with everything the URI and the flags say. */
export type RedisTarget =
  | ({ kind: "standalone"; address: HostPort; db: number; tls?: TlsSettings } & Auth)
  | ({ kind: "socket"; path: string; db: number } & Auth)
  | ({ kind: "cluster"; nodes: readonly HostPort[]; tls?: TlsSettings } & Auth)
  | { kind: "sentinel"; uri: string; discovery: SentinelDiscovery };

const DEFAULT_PORT = 6379;

/**
 * Turns the settings into a target. `--uri` accepts `host:port` (Go asynq's form), `redis://`,
 * `rediss://` (TLS), `redis-socket:///path` and `redis-sentinel://[[user]:password@]host:port,…[/db]?master=name`; with `--cluster` the
 * cluster addresses are used instead. Explicit db/password/username settings override the URI's.
 */
export function targetOf(settings: ConnectionSettings): RedisTarget {
  const auth = (uriAuth: Auth): Auth => {
    const username = settings.username ?? uriAuth.username;
    const password = settings.password ?? uriAuth.password;
    return {
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    };
  };
  const tls = (forced: boolean): { tls?: TlsSettings } =>
    settings.tls || forced
      ? {
          tls: {
            rejectUnauthorized: !settings.insecure,
            ...(settings.tlsServer === undefined ? {} : { servername: settings.tlsServer }),
          },
        }
      : {};

  if (settings.cluster) {
    if (settings.clusterAddrs.length === 0) {
      throw new UsageError("--cluster-addrs must list at least one host:port");
    }
    const nodes = settings.clusterAddrs.map((text) => hostPort(text, "--cluster-addrs"));
    return { kind: "cluster", nodes, ...auth({}), ...tls(false) };
  }

  const uri = settings.uri.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  switch (scheme) {
    case undefined: {
      const address = hostPort(uri, "--uri");
      return { kind: "standalone", address, db: settings.db ?? 0, ...auth({}), ...tls(false) };
    }
    case "redis":
    case "rediss": {
      const url = parseUrl(uri);
      const address = hostPort(url.host, "--uri");
      const db = settings.db ?? dbOfPath(url.pathname, uri);
      return { kind: "standalone", address, db, ...auth(authOf(url)), ...tls(scheme === "rediss") };
    }
    case "redis-socket": {
      const url = parseUrl(uri);
      const path = decodeURIComponent(url.pathname);
      if (path === "" || path === "/") throw new UsageError(`--uri ${uri} names no socket path`);
      const dbParam = url.searchParams.get("db");
      const db = settings.db ?? (dbParam === null ? 0 : dbOfPath(`/${dbParam}`, uri));
      return { kind: "socket", path, db, ...auth(authOf(url)) };
    }
    case "redis-sentinel": {
      // The sentinel package reads the URI (sentinels, ?master=, /db, credentials).
      const parsed = parseSentinelUrl(uri);
      const { tls: tlsSettings } = tls(false);
      const discovery: SentinelDiscovery = {
        ...parsed,
        ...auth(parsed),
        ...(settings.db === undefined ? {} : { db: settings.db }),
        ...(tlsSettings === undefined ? {} : { tls: tlsSettings }),
      };
      return { kind: "sentinel", uri, discovery };
    }
    default:
      throw new UsageError(
        `unsupported URI scheme "${scheme}://" in --uri (use host:port, redis://, rediss://, redis-socket:// or redis-sentinel://)`,
      );
  }
}

/** A URI safe to print: no password. */
export function describeTarget(target: RedisTarget): string {
  switch (target.kind) {
    case "standalone":
      return `${target.tls ? "rediss" : "redis"}://${formatHost(target.address)}/${target.db}`;
    case "socket":
      return `redis-socket://${target.path}?db=${target.db}`;
    case "cluster":
      return `cluster ${target.nodes.map(formatHost).join(",")}`;
    case "sentinel":
      return target.uri.replace(/\/\/[^@/]*@/, "//");
  }
}

function formatHost({ host, port }: HostPort): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function parseUrl(uri: string): URL {
  try {
    return new URL(uri);
  } catch {
    throw new UsageError(`--uri ${JSON.stringify(uri)} is not a valid URI`);
  }
}

function authOf(url: URL): Auth {
  return {
    ...(url.username === "" ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === "" ? {} : { password: decodeURIComponent(url.password) }),
  };
}

function dbOfPath(pathname: string, uri: string): number {
  const text = pathname.replace(/^\//, "");
  if (text === "") return 0;
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`--uri ${uri}: the database must be a number, got "${text}"`);
  }
  return Number(text);
}

/** Parses `host`, `host:port`, `[v6]:port`. */
export function hostPort(text: string, source: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:/\s]+))(?::(\d*))?$/.exec(text.trim());
  if (match === null) {
    throw new UsageError(`${source}: "${text}" is not a host:port address`);
  }
  const host = match[1] ?? match[2] ?? "";
  const portText = match[3];
  const port = portText === undefined || portText === "" ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${source}: port ${portText} of "${text}" is out of range`);
  }
  return { host, port };
}
