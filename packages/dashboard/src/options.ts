import type { IncomingMessage, ServerResponse } from "node:http";
import type { Inspector } from "@asynq-ts/core";

/** HTTP Basic credentials every request (UI and API) must carry. */
export interface BasicAuth {
  readonly basic: {
    readonly username: string;
    readonly password: string;
    /** Realm named in the `WWW-Authenticate` challenge. @default "asynq dashboard" */
    readonly realm?: string;
  };
}

/** A bearer token every request (UI and API) must carry in `Authorization: Bearer …`. */
export interface BearerAuth {
  readonly bearer: string;
}

/**
 * A custom check run on every request before anything else; false answers 401. Use it to
 * plug in sessions or an upstream proxy's identity headers.
 */
export type AuthCheck = (request: Request) => boolean | Promise<boolean>;

/** How the dashboard authenticates requests. */
export type DashboardAuth = BasicAuth | BearerAuth | AuthCheck;

/**
 * Where `GET /api/redis_info` reads from. A source with `clusterNodes` is a Redis Cluster:
 * the answer then carries the raw `CLUSTER NODES` and where each queue's keys live.
 */
export interface RedisInfoSource {
  /** host:port (comma-separated for a cluster). Must not contain credentials. */
  readonly address: string;
  /** The raw `INFO` reply. */
  info(): Promise<string>;
  /** The raw `CLUSTER NODES` reply; present only for a cluster. */
  clusterNodes?(): Promise<string>;
}

/** Turns stored bytes (payload or result) into the text the UI shows. */
export type BytesFormatter = (bytes: Uint8Array) => string;

/** Options of `createDashboard`. */
export interface DashboardOptions {
  /** Reads and administers the queues. The caller owns it: the dashboard never closes it. */
  readonly inspector: Inspector;
  /**
   * The path the dashboard is mounted under, e.g. "/monitoring"; a trailing slash is dropped.
   * @default "" (the root)
   */
  readonly basePath?: string;
  /** Refuse every mutation: non-GET/HEAD API requests answer 405 `READ_ONLY`. @default false */
  readonly readOnly?: boolean;
  /** Authentication for the UI and the API. @default none */
  readonly auth?: DashboardAuth;
  /** Source of the Redis page; without it `GET /api/redis_info` answers 404. */
  readonly redisInfo?: RedisInfoSource;
  /**
   * Payload bytes → text. @default UTF-8 text when printable, else "non-printable bytes"
   * (asynqmon's rule)
   */
  readonly payloadFormatter?: BytesFormatter;
  /** Result bytes → text. @default as `payloadFormatter` */
  readonly resultFormatter?: BytesFormatter;
  /** Characters of a payload shown in lists (longer ones are cut). @default 200 */
  readonly maxPayloadLength?: number;
  /** Characters of a result shown in lists. @default 200 */
  readonly maxResultLength?: number;
  /** Characters of a payload or result shown on the task page. @default 65536 */
  readonly maxDetailLength?: number;
  /** The UI's default polling interval in seconds. @default 8 */
  readonly pollIntervalSeconds?: number;
  /** Directory of the built UI (index.html and assets/). @default this package's dist/ui */
  readonly assetsDir?: string;
}

/** Node-style next callback of Express and connect middleware. */
export type NextFunction = (error?: unknown) => void;

/** A dashboard: one handler for the UI and the API, in Web-standard and Node forms. */
export interface Dashboard {
  /** The normalised mount path: "" for the root, else "/path" without a trailing slash. */
  readonly basePath: string;
  /** Answers a Web-standard request (Hono, Bun, Deno, workers). */
  fetch(request: Request): Promise<Response>;
  /**
   * Answers a Node request (node:http, Express, connect). Requests outside `basePath` go to
   * `next` when given, else answer 404.
   */
  handler(req: IncomingMessage, res: ServerResponse, next?: NextFunction): void;
}
