import type { MiddlewareHandler } from "hono";
import { basicAuth } from "hono/basic-auth";
import { bearerAuth } from "hono/bearer-auth";
import type { ErrorResponse } from "../api/wire-types.js";
import type { DashboardAuth } from "../options.js";

const unauthorized: ErrorResponse = {
  error: { code: "UNAUTHORIZED", message: "authentication required" },
};

/**
 * The middleware enforcing `auth` on every request: Basic (401 with a `WWW-Authenticate:
 * Basic` challenge), Bearer (401 with a Bearer challenge; 400 for a malformed header), or a
 * custom check (401 when it answers false or throws).
 */
export function authMiddleware(auth: DashboardAuth): MiddlewareHandler {
  if (typeof auth === "function") {
    return async (c, next) => {
      let allowed = false;
      try {
        allowed = (await auth(c.req.raw)) === true;
      } catch {
        allowed = false;
      }
      if (!allowed) return c.json(unauthorized, 401);
      await next();
    };
  }
  if ("basic" in auth) {
    return basicAuth({
      username: auth.basic.username,
      password: auth.basic.password,
      realm: auth.basic.realm ?? "asynq dashboard",
      invalidUserMessage: unauthorized,
    });
  }
  return bearerAuth({
    token: auth.bearer,
    realm: "asynq dashboard",
    noAuthenticationHeaderMessage: unauthorized,
    invalidTokenMessage: unauthorized,
    invalidAuthenticationHeaderMessage: {
      error: { code: "INVALID_ARGUMENT", message: "malformed Authorization header" },
    },
  });
}
