// The standalone exporter behind the `asynq-metrics` command (Go asynq's tools/metrics_exporter).
// The only module of this package that uses @asynq-ts/backend-redis, loaded when it starts, so
// the library itself depends on core alone.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { Inspector } from "@asynq-ts/core";
import { collectDefaultMetrics, Registry } from "prom-client";
import { metricsHandler } from "./metrics-handler.js";
import {
  DEFAULT_QUEUE_METRICS_CACHE_TTL,
  QueueMetricsCollector,
} from "./queue-metrics-collector.js";

/** Settings of the exporter. */
export interface ExporterOptions {
  /** Redis URL (`redis://`, `rediss://`, `redis-socket://`). */
  readonly uri: string;
  /** TCP port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Address to bind. @default all interfaces */
  readonly host?: string;
  /** @default "/metrics" */
  readonly path?: string;
  /** Key prefix of the queues. @default "asynq" */
  readonly prefix?: string;
  /** How long one read of the queues serves scrapes, in ms. @default 5000 */
  readonly cacheTtl?: number;
  /** Also export prom-client's process and Node.js metrics. @default true */
  readonly defaultMetrics?: boolean;
  /** Told when reading the queues fails. @default console.warn */
  readonly onError?: (error: unknown) => void;
}

/** A running exporter. */
export interface RunningExporter {
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and closes the Redis connection. */
  close(): Promise<void>;
}

/** Starts serving asynq's queue metrics for the Redis at `uri`. */
export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const { createRedisBroker } = await import("@asynq-ts/backend-redis");
  const broker = createRedisBroker({
    url: options.uri,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    notifications: false,
  });
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  new QueueMetricsCollector(new Inspector(broker), {
    registry,
    cacheTtl: options.cacheTtl ?? DEFAULT_QUEUE_METRICS_CACHE_TTL,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  const server = createServer(
    metricsHandler({ registry, ...(options.path === undefined ? {} : { path: options.path }) }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await broker.close();
    throw error;
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await broker.close();
    },
  };
}

/** Usage text of `asynq-metrics`. */
export const EXPORTER_USAGE = `Usage: asynq-metrics [options]

Serves asynq's queue metrics for Prometheus (same names as Go asynq's metrics_exporter).

Options:
  --uri <url>         Redis URL (default redis://127.0.0.1:6379)
  --port <n>          port to listen on (default 9876)
  --host <address>    address to bind (default all interfaces)
  --path <path>       path served (default /metrics)
  --prefix <prefix>   key prefix of the queues (default asynq)
  --cache-ttl <ms>    how long one read of the queues serves scrapes (default 5000)
  --no-default-metrics  leave out process and Node.js metrics
  -h, --help          show this help
`;

/** The exporter's settings from command-line arguments, or "help". Throws on bad arguments. */
export function parseExporterArgs(argv: readonly string[]): ExporterOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      uri: { type: "string", default: "redis://127.0.0.1:6379" },
      port: { type: "string", default: "9876" },
      host: { type: "string" },
      path: { type: "string" },
      prefix: { type: "string" },
      "cache-ttl": { type: "string" },
      "no-default-metrics": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return "help";
  const cacheTtl = values["cache-ttl"];
  return {
    uri: values.uri,
    port: integer("--port", values.port, 0, 65_535),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.path === undefined ? {} : { path: values.path }),
    ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
    ...(cacheTtl === undefined
      ? {}
      : { cacheTtl: integer("--cache-ttl", cacheTtl, 0, Number.MAX_SAFE_INTEGER) }),
    defaultMetrics: !values["no-default-metrics"],
  };
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new TypeError(`${flag} must be an integer from ${min} to ${max}, got ${text}`);
  }
  return value;
}
