import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ApiContext } from "./api/api-context.js";
import { ApiError, errorResponse, responseForError } from "./api/api-error.js";
import { parseApiPath } from "./api/api-path.js";
import { dispatchApi } from "./api/api-router.js";
import type { TextPolicy } from "./api/conversions.js";
import { authMiddleware } from "./http/auth.js";
import { createNodeHandler } from "./http/node-handler.js";
import {
  assertDeclaredSizeWithin,
  assertNotFormBody,
  assertSameOrigin,
  isMutation,
  MAX_BODY_BYTES,
} from "./http/request-guards.js";
import { securityHeaders } from "./http/security-headers.js";
import type { Dashboard, DashboardOptions } from "./options.js";
import { type DashboardSettings, resolveSettings } from "./settings.js";
import { packageRoot } from "./spa/package-root.js";
import { StaticUi } from "./spa/static-ui.js";

/** The path below the base path ("/…"), or undefined when the request is outside it. */
export function pathBelow(pathname: string, basePath: string): string | undefined {
  if (basePath === "") return pathname;
  if (pathname === basePath) return "/";
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}

function packageVersion(): string {
  const root = packageRoot();
  if (root === undefined) return "0.0.0";
  try {
    const parsed = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      version?: unknown;
    };
    return typeof parsed.version === "string" ? parsed.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

function isApiPath(below: string): boolean {
  return below === "/api" || below.startsWith("/api/");
}

function textPolicies(settings: DashboardSettings): { list: TextPolicy; detail: TextPolicy } {
  const { payloadFormatter, resultFormatter } = settings;
  return {
    list: {
      payloadFormatter,
      resultFormatter,
      maxPayloadLength: settings.maxPayloadLength,
      maxResultLength: settings.maxResultLength,
    },
    detail: {
      payloadFormatter,
      resultFormatter,
      maxPayloadLength: settings.maxDetailLength,
      maxResultLength: settings.maxDetailLength,
    },
  };
}

/** The Hono app behind a dashboard: security headers, auth, API guards, API, then the UI. */
function buildApp(settings: DashboardSettings): Hono {
  const version = packageVersion();
  const ui = new StaticUi(settings.assetsDir, settings.basePath);
  const text = textPolicies(settings);
  const below = (c: Context): string | undefined =>
    pathBelow(new URL(c.req.url).pathname, settings.basePath);
  const app = new Hono();

  app.use("*", securityHeaders());
  if (settings.auth !== undefined) app.use("*", authMiddleware(settings.auth));

  // Mutation guards run before any body is read.
  app.use("*", async (c, next) => {
    const path = below(c);
    if (path === undefined || !isApiPath(path) || !isMutation(c.req.method)) return next();
    if (settings.readOnly) {
      throw new ApiError(
        405,
        "READ_ONLY",
        `the dashboard is read-only: ${c.req.method} is not allowed`,
        {
          Allow: "GET, HEAD",
        },
      );
    }
    assertSameOrigin(c.req.raw);
    assertNotFormBody(c.req.raw);
    assertDeclaredSizeWithin(c.req.raw, MAX_BODY_BYTES);
    return next();
  });
  app.all("*", async (c) => {
    const url = new URL(c.req.url);
    const path = pathBelow(url.pathname, settings.basePath);
    if (path === undefined) return errorResponse(404, "NOT_FOUND", "outside the dashboard");
    if (isApiPath(path)) {
      const ctx: ApiContext = {
        settings,
        request: c.req.raw,
        query: url.searchParams,
        listText: text.list,
        detailText: text.detail,
      };
      const response = await dispatchApi(ctx, parseApiPath(path.slice("/api".length)), version);
      response.headers.set("Cache-Control", "no-store");
      return response;
    }
    if (isMutation(c.req.method)) {
      throw new ApiError(405, "METHOD_NOT_ALLOWED", `${c.req.method} is not allowed here`, {
        Allow: "GET, HEAD",
      });
    }
    return ui.serve(path);
  });

  app.onError((error) => {
    if (error instanceof HTTPException) return error.getResponse();
    return responseForError(error);
  });
  return app;
}

/**
 * Creates the dashboard: asynqmon's pages and JSON API over an Inspector, as a Web-standard
 * `fetch` and a Node `handler`. Mount it at `basePath` (default the root).
 *
 * ```ts
 * const dashboard = createDashboard({ inspector, basePath: "/monitoring", readOnly: true });
 * app.use("/monitoring", dashboard.handler); // Express
 * ```
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const settings = resolveSettings(options);
  const app = buildApp(settings);
  const fetch = async (request: Request): Promise<Response> => {
    const response = await app.fetch(request);
    if (request.method !== "HEAD" || response.body === null) return response;
    return new Response(null, { status: response.status, headers: response.headers });
  };
  return {
    basePath: settings.basePath,
    fetch,
    handler: createNodeHandler(fetch, settings.basePath),
  };
}
