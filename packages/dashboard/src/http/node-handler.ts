import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { NextFunction } from "../options.js";

/** Express and connect keep the unstripped URL here when a router mounts the handler. */
interface MountedRequest extends IncomingMessage {
  originalUrl?: unknown;
}

function pathnameOf(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

function isBelow(pathname: string, basePath: string): boolean {
  return basePath === "" || pathname === basePath || pathname.startsWith(`${basePath}/`);
}

/**
 * The Node form of a fetch handler. A router that strips the mount path (Express's
 * `app.use("/monitoring", handler)`) leaves the full URL in `req.originalUrl`; that one is used
 * when it lies below the base path, so the dashboard sees the same URL either way. Requests
 * outside the base path go to `next` when there is one.
 */
export function createNodeHandler(
  fetch: (request: Request) => Promise<Response>,
  basePath: string,
): (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => void {
  // Global Request/Response stay untouched: the host application owns them.
  const listener = getRequestListener(fetch, { overrideGlobalObjects: false });
  return (req, res, next) => {
    const stripped = req.url ?? "/";
    const { originalUrl } = req as MountedRequest;
    const full =
      typeof originalUrl === "string" && isBelow(pathnameOf(originalUrl), basePath)
        ? originalUrl
        : stripped;
    if (!isBelow(pathnameOf(full), basePath) && next !== undefined) {
      next();
      return;
    }
    // The listener reads the URL synchronously when it builds the Request; restore it at once
    // so the host router sees what it set.
    req.url = full;
    let served: Promise<void>;
    try {
      served = listener(req, res);
    } finally {
      req.url = stripped;
    }
    served.catch((error: unknown) => {
      if (next !== undefined) next(error);
      else if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  };
}
