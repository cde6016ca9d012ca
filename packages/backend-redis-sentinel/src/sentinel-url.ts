import { InvalidArgumentError } from "@asynq-ts/core";
import type { SentinelAddress, SentinelDiscovery } from "./options.js";

const SCHEME = "redis-sentinel://";
const DEFAULT_SENTINEL_PORT = 26379;

/**
 * Reads `redis-sentinel://[[user]:password@]host1:port1,host2:port2[/db]?master=name`.
 * The user and password are the master's (and replicas'); the sentinels' come from the
 * `sentinelUsername` / `sentinelPassword` query parameters. A host without a port uses 26379;
 * IPv6 hosts go in brackets. Percent-encoding is decoded everywhere.
 */
export function parseSentinelUrl(url: string): SentinelDiscovery {
  if (!url.toLowerCase().startsWith(SCHEME)) {
    throw invalid(url, `the scheme must be ${SCHEME}`);
  }
  const rest = url.slice(SCHEME.length);
  const queryStart = indexOrEnd(rest, "?");
  const beforeQuery = rest.slice(0, queryStart);
  const query = new URLSearchParams(rest.slice(queryStart + 1));
  const pathStart = indexOrEnd(beforeQuery, "/");
  const authority = beforeQuery.slice(0, pathStart);
  const path = beforeQuery.slice(pathStart + 1);

  const at = authority.lastIndexOf("@");
  const userInfo = at < 0 ? "" : authority.slice(0, at);
  const hostList = authority.slice(at + 1);
  const sentinels = hostList.split(",").map((host) => parseHost(url, host));

  const name = query.get("master");
  if (name === null || name === "") throw invalid(url, "the master name is missing (?master=…)");

  const settings: {
    -readonly [K in keyof SentinelDiscovery]: SentinelDiscovery[K];
  } = { sentinels, name };
  if (userInfo !== "") {
    const colon = userInfo.indexOf(":");
    const user = decode(url, colon < 0 ? userInfo : userInfo.slice(0, colon));
    if (user !== "") settings.username = user;
    if (colon >= 0) settings.password = decode(url, userInfo.slice(colon + 1));
  }
  if (path !== "") {
    const db = Number(decode(url, path));
    if (!Number.isInteger(db) || db < 0) throw invalid(url, `the database must be an integer`);
    settings.db = db;
  }
  const sentinelUsername = query.get("sentinelUsername");
  if (sentinelUsername !== null) settings.sentinelUsername = sentinelUsername;
  const sentinelPassword = query.get("sentinelPassword");
  if (sentinelPassword !== null) settings.sentinelPassword = sentinelPassword;
  return settings;
}

function parseHost(url: string, text: string): SentinelAddress {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null) throw invalid(url, `not a host[:port]: ${JSON.stringify(text)}`);
  const port = match[2] === undefined ? DEFAULT_SENTINEL_PORT : Number(match[2]);
  if (port < 1 || port > 65535) throw invalid(url, `port out of range in ${JSON.stringify(text)}`);
  return { host: decode(url, match[1]!), port };
}

function decode(url: string, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(url, `bad percent-encoding in ${JSON.stringify(text)}`);
  }
}

function indexOrEnd(text: string, char: string): number {
  const index = text.indexOf(char);
  return index < 0 ? text.length : index;
}

function invalid(url: string, reason: string): InvalidArgumentError {
  // The URL may hold a password: name it without its user info.
  const shown = url.replace(/\/\/[^@/?]*@/, "//***@");
  return new InvalidArgumentError("url", `${reason}: ${shown}`);
}
