import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

/** The marker the UI build leaves in index.html's <head> for the `<base href>`. */
export const BASE_PLACEHOLDER = "<!--asynq-dashboard-base-->";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Hashed build output never changes under its name. */
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

/** index.html with `<base href="{basePath}/">` in place of the marker (or right after <head>). */
export function injectBase(html: string, basePath: string): string {
  const tag = `<base href="${basePath}/">`;
  if (html.includes(BASE_PLACEHOLDER)) return html.replace(BASE_PLACEHOLDER, tag);
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head === null) return `${tag}${html}`;
  const end = head.index + head[0].length;
  return `${html.slice(0, end)}${tag}${html.slice(end)}`;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function missingBuild(): Response {
  return new Response(
    "The dashboard UI has not been built. Run `npm run build -w @asynq-ts/dashboard` " +
      "(or pass `assetsDir` to createDashboard); the JSON API under /api works without it.\n",
    {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    },
  );
}

function notFound(): Response {
  return new Response("Not Found\n", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** Serves the built single-page UI from one directory. */
export class StaticUi {
  readonly #root: string;
  readonly #basePath: string;

  constructor(assetsDir: string, basePath: string) {
    this.#root = resolve(assetsDir);
    this.#basePath = basePath;
  }

  /**
   * The answer for a UI path (below the base path, starting with "/"): a file of the build
   * (immutable caching under /assets/), a 404 for a missing asset, else index.html, so client
   * routes such as /queues/default load the app. 503 when the build is missing.
   */
  async serve(relativePath: string): Promise<Response> {
    const indexFile = join(this.#root, "index.html");
    if (!(await isFile(indexFile))) return missingBuild();
    let decoded: string;
    try {
      decoded = decodeURIComponent(relativePath);
    } catch {
      return notFound();
    }
    const isAsset = decoded.startsWith("/assets/");
    const candidate = this.#fileOf(decoded);
    if (
      candidate !== undefined &&
      !candidate.endsWith(`${sep}index.html`) &&
      (await isFile(candidate))
    ) {
      const body = await readFile(candidate);
      return new Response(body, {
        status: 200,
        headers: {
          "Content-Type":
            CONTENT_TYPES[extname(candidate).toLowerCase()] ?? "application/octet-stream",
          "Cache-Control": isAsset ? IMMUTABLE : REVALIDATE,
        },
      });
    }
    // A missing script must not be answered with HTML the browser would try to run.
    if (isAsset) return notFound();
    const html = injectBase(await readFile(indexFile, "utf8"), this.#basePath);
    return new Response(html, {
      status: 200,
      headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": REVALIDATE },
    });
  }

  /** The file a path names inside the root, or undefined for directories and escapes. */
  #fileOf(path: string): string | undefined {
    if (path === "" || path.endsWith("/") || path.includes("\0")) return undefined;
    const segments = path.split("/").filter((s) => s !== "");
    if (segments.some((s) => s === ".." || s === "." || s.includes("\\"))) return undefined;
    const file = resolve(this.#root, ...segments);
    return file.startsWith(this.#root + sep) ? file : undefined;
  }
}
