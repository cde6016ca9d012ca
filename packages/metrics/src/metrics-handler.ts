import type { IncomingMessage, ServerResponse } from "node:http";
import { type Registry, register } from "prom-client";

/** Options of `metricsHandler`. */
export interface MetricsHandlerOptions {
  /** The registry served. @default prom-client's global `register` */
  readonly registry?: Registry;
  /** The path served; other paths get 404. @default "/metrics" */
  readonly path?: string;
}

/**
 * A node:http request handler serving the registry in Prometheus' text format, e.g.
 * `http.createServer(metricsHandler({ registry }))`. Answers GET and HEAD on `path`; a
 * registry that fails to collect gives 500.
 */
export function metricsHandler(
  options: MetricsHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const registry = options.registry ?? register;
  const path = options.path ?? "/metrics";
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== path) return reply(res, 404, "not found\n");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return reply(res, 405, "method not allowed\n");
    }
    registry.metrics().then(
      (text) => {
        res.setHeader("Content-Type", registry.contentType);
        res.end(req.method === "HEAD" ? undefined : text);
      },
      (error: unknown) => {
        reply(res, 500, `could not collect metrics: ${String(error)}\n`);
      },
    );
  };
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.end(text);
}
