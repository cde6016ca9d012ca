/** The `key:value` lines of an INFO (or CLUSTER INFO) reply; section headers and blanks skipped. */
export function parseRedisInfo(raw: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/)) {
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    info[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return info;
}

// INFO has no secrets by design, but a few fields may carry a URL with credentials (e.g. a
// module argument or a replica's announced address); strip userinfo wherever it appears.
const USERINFO_IN_URL = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;

/** The text with `scheme://user:password@` reduced to `scheme://`. */
export function stripUrlCredentials(text: string): string {
  return text.replace(USERINFO_IN_URL, "$1");
}

/** An address reduced to host:port form: no scheme, credentials, path or query. */
export function sanitiseAddress(address: string): string {
  return address
    .split(",")
    .map((part) => {
      const trimmed = part.trim();
      if (trimmed.startsWith("/")) return trimmed; // a Unix socket path
      const withoutScheme = trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
      const hostAndMore = withoutScheme.slice(withoutScheme.lastIndexOf("@") + 1);
      return hostAndMore.split(/[/?#]/)[0] ?? "";
    })
    .join(",");
}
